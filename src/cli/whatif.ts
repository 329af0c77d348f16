// `golens whatif <trace> [--gogc N|off[,…]] [--memlimit BYTES[,…]] [--gomaxprocs N[,…]] [--json]`:
// the GC pacer and scheduler models over the trace, at its own settings and at others (the
// lists are crossed; an axis not given stays at the baseline's).
import type { Gogc, WhatIfReport, WhatIfResult, WhatIfSettings } from '../core/analysis/whatif';
import { whatIfFrom } from '../core/artifacts/whatif';
import { formatBytes, formatNs, formatShare, printable } from '../core/format';
import { one, parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

const UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3, t: 1e12, tb: 1e12, tib: 1024 ** 4,
};

function list(v: string | undefined, flag: string): string[] | undefined {
  if (v === undefined) return undefined;
  const items = v.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} needs a comma-separated list without empty items, not ${JSON.stringify(v)}`);
  return items;
}

export function parseGogc(s: string): Gogc {
  if (s.toLowerCase() === 'off') return 'off';
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 1e6) throw new UsageError(`--gogc needs a whole percentage (1 to 1000000) or off, not ${JSON.stringify(s)}`);
  return Number(s);
}

/** A memory limit as GOMEMLIMIT spells it (bytes, KiB/MiB/GiB/TiB, or decimal kB/MB/GB), or off/none for no limit. */
export function parseMemlimit(s: string): number | null {
  if (/^(off|none)$/i.test(s)) return null;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) * unit < 1) throw new UsageError(`--memlimit needs a size such as 536870912, 512MiB or 2GiB (or off), not ${JSON.stringify(s)}`);
  return Math.floor(Number(m[1]) * unit);
}

export function parseProcs(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 1024) throw new UsageError(`--gomaxprocs needs a whole number from 1 to 1024, not ${JSON.stringify(s)}`);
  return Number(s);
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
const pick = (r: WhatIfResult) => Object.fromEntries(KEYS.map((k) => [k, r[k]]));

export function whatIfJson(r: WhatIfReport): Record<string, unknown> {
  return { baseline: pick(r.baseline), scenarios: r.scenarios.map(pick), model: pick(r.model), notes: r.notes };
}

const pct = (v: number, b: number) => (b === 0 ? (v === 0 ? '' : ' (new)') : ` (${v >= b ? '+' : '-'}${formatShare(Math.abs(v - b), b)})`);
const limitText = (m: number | null) => (m === null ? 'none' : formatBytes(m));

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
  const L = [`File: ${printable(path)} (Go ${printable(r.goVersion)} trace)`, ''];
  for (const x of rows) L.push(x.map((c, i) => (i < 4 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd());
  L.push('', 'Changes are against the baseline. The model row is the model at the baseline\'s settings: how far it is from the trace is its error.');
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
  const gogc = list(one(a, 'gogc'), 'gogc')?.map(parseGogc);
  const mem = list(one(a, 'memlimit'), 'memlimit')?.map(parseMemlimit);
  const procs = list(one(a, 'gomaxprocs'), 'gomaxprocs')?.map(parseProcs);
  const path = a.positional[0];
  const r = whatIfFrom(path, (inp) => scenariosOf(gogc, mem, procs, inp.gomaxprocs), decodeOptions);
  out(a.bools.has('json') ? JSON.stringify(whatIfJson(r)) + '\n' : whatIfText(path, r));
}
