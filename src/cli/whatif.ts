// `golens whatif <trace> [--gogc N|off[,…]] [--memlimit BYTES[,…]] [--gomaxprocs N[,…]] [--json]`:
// the GC pacer and scheduler models over the trace, at its own settings and at others (the
// lists are crossed; an axis not given stays at the baseline's).
import { PACER_STATES, pacerStatesText } from '../core/analysis/pacerstate';
import type { Gogc, WhatIfReport, WhatIfResult, WhatIfSettings } from '../core/analysis/whatif';
import { NEEDS, parseGogc, parseMemLimit, parseProcs, type Parsed } from '../core/analysis/whatif-settings';
import { whatIfFrom } from '../core/artifacts/whatif';
import { formatBytes, formatNs, formatShare, printable } from '../core/format';
import { one, parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

function list(v: string | undefined, flag: string): string[] | undefined {
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} needs a comma-separated list without empty items, not ${JSON.stringify(v)}`);
  return items;
}

/** One flag's item by core's reading (Go's), or a usage error naming the flag. */
function read<T>(flag: keyof typeof NEEDS, parse: (s: string) => Parsed<T>): (s: string) => T {
  return (s) => {
    const r = parse(s);
    if (!r.ok) throw new UsageError(`--${flag} needs ${NEEDS[flag]}, not ${JSON.stringify(s)}: ${r.note}`);
    return r.value;
  };
}

/** The scenarios the flags ask for: the lists crossed; none given → GOGC 50/200/off and GOMAXPROCS half/double. */
export function scenariosOf(gogc?: Gogc[], memlimit?: (number | null)[], procs?: number[], baseProcs?: number): Partial<WhatIfSettings>[] {
  if (!gogc && !memlimit && !procs) {
    const p = baseProcs ?? 2;
    const out: Partial<WhatIfSettings>[] = [{ gogc: 50 }, { gogc: 200 }, { gogc: 'off' }];
    if (p > 1) out.push({ gomaxprocs: Math.max(1, Math.floor(p / 2)) });
    out.push({ gomaxprocs: p * 2 });
    return out;
  }
  const out: Partial<WhatIfSettings>[] = [];
  for (const g of gogc ?? [undefined]) for (const m of memlimit ?? [undefined]) for (const p of procs ?? [undefined]) {
    const s: Partial<WhatIfSettings> = {};
    if (g !== undefined) s.gogc = g;
    if (m !== undefined) s.memlimit = m;
    if (p !== undefined) s.gomaxprocs = p;
    out.push(s);
  }
  return out;
}

const KEYS = ['gogc', 'memlimit', 'gomaxprocs', 'gcCycles', 'peakHeapBytes', 'gcCpuFraction', 'stwTotalNs', 'wallNs'] as const;
const FIGURE_KEYS = ['gcCycles', 'peakHeapBytes', 'gcCpuFraction', 'stwTotalNs', 'wallNs'] as const;
/** The relied-on keys, then the pacer's state and the other state's figures where the model gives them. */
const pick = (r: WhatIfResult) => ({
  ...Object.fromEntries(KEYS.map((k) => [k, r[k]])),
  ...(r.pacerState ? { pacerState: r.pacerState } : {}),
  ...(r.otherState ? { otherState: { pacerState: r.otherState.pacerState, ...Object.fromEntries(FIGURE_KEYS.map((k) => [k, r.otherState![k]])) } } : {}),
});

export function whatIfJson(r: WhatIfReport): Record<string, unknown> {
  return { baseline: pick(r.baseline), scenarios: r.scenarios.map(pick), model: pick(r.model), notes: r.notes };
}

const pct = (v: number, b: number) => (b === 0 ? (v === 0 ? '' : ' (new)') : ` (${v >= b ? '+' : '-'}${formatShare(Math.abs(v - b), b)})`);
const limitText = (m: number | null) => (m === null ? 'none' : formatBytes(m));
const settingText = (x: WhatIfResult) => `GOGC=${x.gogc}, memory limit ${limitText(x.memlimit)}, GOMAXPROCS=${x.gomaxprocs}`;
/**
 * The other steady state of a scenario, in words: where a run at these settings could settle in
 * either (its first marks decide), what it does in the state the prediction does not follow.
 */
export function otherStateText(x: WhatIfResult, b: WhatIfResult): string | undefined {
  const o = x.otherState;
  if (!o) return undefined;
  return `${settingText(x)}, ${PACER_STATES[o.pacerState].name}: ${o.gcCycles} GC cycles${pct(o.gcCycles, b.gcCycles)}, `
    + `peak heap ${formatBytes(o.peakHeapBytes)}${pct(o.peakHeapBytes, b.peakHeapBytes)}, GC CPU ${formatShare(o.gcCpuFraction)}, STW ${formatNs(o.stwTotalNs)}, wall ${formatNs(o.wallNs)}`;
}

export function whatIfText(path: string, r: WhatIfReport): string {
  const b = r.baseline;
  const head = ['', 'GOGC', 'memlimit', 'procs', 'GC cycles', 'peak heap', 'GC CPU', 'STW total', 'wall'];
  const row = (label: string, x: WhatIfResult, rel: boolean) => [
    label, String(x.gogc), limitText(x.memlimit), String(x.gomaxprocs),
    `${x.gcCycles}${rel ? pct(x.gcCycles, b.gcCycles) : ''}`,
    `${formatBytes(x.peakHeapBytes)}${rel ? pct(x.peakHeapBytes, b.peakHeapBytes) : ''}`,
    `${formatShare(x.gcCpuFraction)}${rel ? pct(x.gcCpuFraction, b.gcCpuFraction) : ''}`,
    `${formatNs(x.stwTotalNs)}${rel ? pct(x.stwTotalNs, b.stwTotalNs) : ''}`,
    `${formatNs(x.wallNs)}${rel ? pct(x.wallNs, b.wallNs) : ''}`,
  ];
  const rows = [head, row('baseline (trace)', b, false), row('model', r.model, true), ...r.scenarios.map((s) => row('what if', s, true))];
  const w = head.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  const L = [`File: ${printable(path)} (go ${printable(r.goVersion)} trace${r.writtenBy ? `, written by ${r.writtenBy}` : ''})`, ''];
  for (const x of rows) L.push(x.map((c, i) => (i < 4 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd());
  L.push('', 'Changes are against the baseline. The model row is the model at the baseline\'s settings: how far it is from the trace is its error.');
  const others = [r.model, ...r.scenarios].map((s) => otherStateText(s, b)).filter((t): t is string => t !== undefined);
  if (others.length) {
    L.push('', `${pacerStatesText(r.model.pacerState)} Where a run could settle into either, the rows above follow the trace's run and the other way comes out as:`);
    for (const t of others) L.push(`  ${t}`);
  }
  const seen = new Set<number>();
  const sched = [r.model, ...r.scenarios].filter((s) => s.sched && !seen.has(s.gomaxprocs) && seen.add(s.gomaxprocs));
  if (sched.length) {
    L.push('', 'Scheduler replay (goroutine run/wait demand on N procs):');
    for (const s of sched) L.push(`  ${String(s.gomaxprocs).padStart(4)} procs: utilisation ${formatShare(s.sched!.utilisation)}, runnable latency mean ${formatNs(s.sched!.runnableMeanNs)}, p99 ${formatNs(s.sched!.runnableP99Ns)}`);
  }
  if (r.notes.length) {
    L.push('', 'Notes:');
    for (const n of r.notes) L.push(`  - ${printable(n)}`);
  }
  return L.join('\n') + '\n';
}

export function cmdWhatif(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { values: ['gogc', 'memlimit', 'gomaxprocs'], booleans: ['json'] });
  if (a.positional.length !== 1) throw new UsageError('whatif needs exactly one execution trace');
  const gogc = list(one(a, 'gogc'), 'gogc')?.map(read('gogc', parseGogc));
  const mem = list(one(a, 'memlimit'), 'memlimit')?.map(read('memlimit', parseMemLimit));
  const procs = list(one(a, 'gomaxprocs'), 'gomaxprocs')?.map(read('gomaxprocs', parseProcs));
  const path = a.positional[0];
  const r = whatIfFrom(path, (inp) => scenariosOf(gogc, mem, procs, inp.gomaxprocs), decodeOptions);
  out(a.bools.has('json') ? JSON.stringify(whatIfJson(r)) + '\n' : whatIfText(path, r));
}
