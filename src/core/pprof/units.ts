// Value formatting as pprof does it (internal/measurement): bytes scale by 1024, times
// from nanoseconds, counts plain; "minimum" picks the unit of the smallest value shown.

interface Unit { name: string; aliases: string[]; factor: number }
interface UnitType { units: Unit[]; defaultUnit: Unit }

const BYTES: UnitType = {
  units: [
    { name: 'B', aliases: ['b', 'byte'], factor: 1 },
    { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
    { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
    { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
    { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
    { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
  ],
  defaultUnit: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
};
const TIME: UnitType = {
  units: [
    { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
    { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
    { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
    { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
    { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
  ],
  defaultUnit: { name: 's', aliases: [], factor: 1e9 },
};
const UNIT_TYPES = [BYTES, TIME];

function sniff(ut: UnitType, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2) u = u.replace(/s$/, '');
  return ut.units.find((x) => x.aliases.includes(u));
}

function autoScale(ut: UnitType, value: number): [number, string] | undefined {
  let f = 0;
  let name = '';
  for (const u of ut.units) {
    if (u.factor >= f && value / u.factor >= 1) { f = u.factor; name = u.name; }
  }
  return f === 0 ? undefined : [value / f, name];
}

/** Nanoseconds in one `unit` when it is a unit of time ("nanoseconds", "us", "seconds"…), else undefined. */
export function nanosPerUnit(unit: string): number | undefined {
  return sniff(TIME, unit)?.factor;
}

/** Converts `value` in `from` to `to` ("minimum"/"auto" choose a unit); returns the number and the unit shown. */
export function scale(value: number, from: string, to: string): [number, string] {
  if (value < 0) { const [v, u] = scale(-value, from, to); return [-v, u]; }
  for (const ut of UNIT_TYPES) {
    const fu = sniff(ut, from);
    if (!fu) continue;
    const v = value * fu.factor;
    if (to === 'minimum' || to === 'auto') return autoScale(ut, v) ?? [v / ut.defaultUnit.factor, ut.defaultUnit.name];
    const tu = sniff(ut, to);
    return tu ? [v / tu.factor, tu.name] : [v / ut.defaultUnit.factor, ut.defaultUnit.name];
  }
  if (['count', 'sample', 'unit', 'minimum', 'auto'].includes(to)) return [value, ''];
  return [value, to];
}

/**
 * Go's %.<digits>f: like toFixed, except that exact ties round to even (Go formats the exact
 * binary value; toFixed rounds ties up), so 1.625 prints as 1.62 in both.
 */
export function goFixed(x: number, digits: number): string {
  // A decimal tie (n + 0.5) / 10^d is a binary number only as m / 2^(d+1) with m odd;
  // multiplying by a power of two is exact, so this finds exactly the true ties.
  const m = Math.abs(x) * 2 ** (digits + 1);
  if (Number.isInteger(m) && m % 2 === 1 && m < 2 ** 52) {
    const f = 10 ** digits;
    let n = Math.floor(Math.abs(x) * f);
    if (n % 2 === 1) n++;
    return (x < 0 ? '-' : '') + (n / f).toFixed(digits);
  }
  return x.toFixed(digits);
}

/** pprof's ScaledLabel: two decimals, ".00" trimmed. */
export function scaledLabel(value: number, from: string, to: string): string {
  const [v, u] = scale(value, from, to);
  let s = goFixed(v, 2);
  if (s.endsWith('.00')) s = s.slice(0, -3);
  if (s === '0' || s === '-0') return '0';
  return s + u;
}

/** Chooses the display unit like pprof's selectOutputUnit for a table whose smallest shown value is minValue. */
export function outputUnit(minValue: number, total: number, sampleUnit: string): string {
  let min = Math.abs(minValue);
  const max = total;
  if (min === 0) min = max;
  const [, minUnit] = scale(min, sampleUnit, 'minimum');
  const [, maxUnit] = scale(max, sampleUnit, 'minimum');
  let unit = minUnit;
  if (minUnit !== maxUnit && min * 100 < max) [, unit] = scale(100 * min, sampleUnit, 'minimum');
  return unit !== '' ? unit : sampleUnit;
}

/** pprof's Percentage column. */
export function percentage(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${goFixed(ratio, 2).padStart(5)}%`;
  return `${formatG2(ratio).padStart(5)}%`;
}

/** Go's %.2g: two significant digits, exponent form for very small numbers. */
function formatG2(x: number): string {
  if (x === 0) return '0';
  // Go picks the form from the exponent of the value once rounded (9.99e-5 is 0.0001).
  const [mant, e] = x.toExponential(1).split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 2) return `${mant.replace(/\.0$/, '')}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  // Two significant digits are 1 − exp decimals; ties of the exact binary value go to even, as in Go.
  return String(Number(goFixed(x, 1 - exp)));
}

/** Human value for UIs: the auto-scaled label, e.g. 1.23s, 45.60MB, 1200. */
export function formatValue(value: number, unit: string): string {
  return scaledLabel(value, unit, 'auto');
}
