// Time on the ruler and in details: nanoseconds since the trace began, in the unit that
// reads best at the current zoom.

const UNITS: [number, string][] = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];

/** The smallest 1, 2 or 5 × 10^k ns that is at least `ns`. */
export function niceStep(ns: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(1, ns))));
  for (const m of [1, 2, 5, 10]) if (m * p >= ns) return m * p;
  return 10 * p;
}

/** A tick's time, with as many decimals as the step needs: 1.25ms with a 50µs step (units spelled as formatNs spells them). */
export function timeLabel(t: number, step: number): string {
  const [size, unit] = UNITS.find(([s]) => t >= s || s === 1) ?? UNITS[3];
  const v = t / size;
  const decimals = Math.max(0, Math.min(6, Math.ceil(Math.log10(size / step) - 1e-9)));
  return `${v.toFixed(decimals)}${unit}`;
}
