// Two traces of the same program compared as numbers: the summaries the single-trace
// analyses already compute (trace, sched, gc, contention), each difference absolute and
// relative, ranked by its weight in wall time. Nothing is re-derived here: every value is
// copied from the report that `golens trace|sched|gc|contention` prints for that file.
import { formatBytes, formatNs, formatShare } from '../format';
import type { TraceSummary } from '../trace/summary';
import type { ContentionReport, WaitKind, WaitSite } from './contention';
import type { GcReport } from './gc';
import type { SchedReport } from './sched';

/** What one trace contributes: the reports of the analyses over its one pass. */
export interface TraceFacts {
  summary: TraceSummary;
  sched: SchedReport;
  gc: GcReport;
  contention: ContentionReport;
}

export type DiffUnit = 'ns' | 'count' | 'bytes' | 'share';
export type DiffGroup = 'trace' | 'sched' | 'gc' | 'blocking';

/** How a blocking site of one trace was paired with the other's. */
export type SiteMatch = 'line' | 'function' | 'base only' | 'new only';

export interface DiffSite {
  kind: WaitKind;
  function: string;
  file: string;
  /** The lines in each trace (several when matched by function alone; empty when absent). */
  baseLines: number[];
  newLines: number[];
  matchedBy: SiteMatch;
  baseCount: number;
  newCount: number;
}

export interface DiffRow {
  /** Stable key (a site's: kind, function, file and line or "*" when matched by function). */
  id: string;
  group: DiffGroup;
  metric: string;
  unit: DiffUnit;
  /** null: the trace has no such value (no runnable waits; the site does not block there). */
  base: number | null;
  new: number | null;
  /** new − base, absent counting as 0. */
  delta: number;
  /** delta ÷ base; null when base is 0 or absent and delta is not. */
  relative: number | null;
  /** The change as a share of the longer trace's wall time; null for counts and bytes. */
  impact: number | null;
  /** 1 = the biggest difference. */
  rank: number;
  site?: DiffSite;
}

export interface TraceDiff {
  /** The longer trace's wall time: what impacts are shares of. */
  wallNs: number;
  rows: DiffRow[];
  /** Rows whose values differ. */
  changed: number;
}

export interface TraceDiffSide {
  path: string;
  /** The trace's header version, e.g. "go 1.26". */
  format: string;
}

/** A comparison with the files it compared (what `golens diff --json` prints). */
export interface TraceDiffResult extends TraceDiff {
  base: TraceDiffSide;
  new: TraceDiffSide;
}

interface Metric {
  id: string;
  group: DiffGroup;
  metric: string;
  unit: DiffUnit;
  value: (f: TraceFacts) => number | null;
  /** Wall-time-equivalent weight of a change of `delta` (see README: ranking). */
  weight?: (delta: number, a: TraceFacts, b: TraceFacts) => number;
}

const procs = (a: TraceFacts, b: TraceFacts) => Math.max(a.gc.gomaxprocs, b.gc.gomaxprocs, 1);

// A time total counts as it is; a per-event statistic (a percentile, a maximum) as one
// event's worth of that change (the totals already hold the sum); a share of the procs'
// time as that share of every P over the wall time. Counts and bytes have no time weight.
const METRICS: Metric[] = [
  { id: 'wall', group: 'trace', metric: 'wall time', unit: 'ns', value: (f) => f.summary.durationNs, weight: (d) => d },
  { id: 'goroutines', group: 'trace', metric: 'goroutines created', unit: 'count', value: (f) => f.summary.goroutinesCreated },
  { id: 'sched.total', group: 'sched', metric: 'scheduler latency, total', unit: 'ns', value: (f) => f.sched.latency?.totalNs ?? null, weight: (d) => d },
  { id: 'sched.p50', group: 'sched', metric: 'scheduler latency p50', unit: 'ns', value: (f) => f.sched.latency?.p50Ns ?? null, weight: (d) => d },
  { id: 'sched.p90', group: 'sched', metric: 'scheduler latency p90', unit: 'ns', value: (f) => f.sched.latency?.p90Ns ?? null, weight: (d) => d },
  { id: 'sched.p99', group: 'sched', metric: 'scheduler latency p99', unit: 'ns', value: (f) => f.sched.latency?.p99Ns ?? null, weight: (d) => d },
  { id: 'sched.max', group: 'sched', metric: 'scheduler latency max', unit: 'ns', value: (f) => f.sched.latency?.maxNs ?? null, weight: (d) => d },
  { id: 'gc.cycles', group: 'gc', metric: 'GC cycles', unit: 'count', value: (f) => f.gc.cycles },
  { id: 'gc.cpu', group: 'gc', metric: 'GC CPU fraction', unit: 'share', value: (f) => f.gc.gcCpuFraction, weight: (d, a, b) => d * procs(a, b) * Math.max(a.summary.durationNs, b.summary.durationNs) },
  { id: 'gc.stw.total', group: 'gc', metric: 'stop-the-world, total', unit: 'ns', value: (f) => f.gc.stw.totalNs, weight: (d) => d },
  { id: 'gc.stw.max', group: 'gc', metric: 'stop-the-world, longest pause', unit: 'ns', value: (f) => f.gc.stw.maxNs, weight: (d) => d },
  { id: 'gc.heap.peak', group: 'gc', metric: 'heap peak in use', unit: 'bytes', value: (f) => f.gc.heap.peakInUseBytes },
];

function relative(base: number | null, delta: number): number | null {
  if (delta === 0) return 0;
  return base ? delta / Math.abs(base) : null;
}

function row(id: string, group: DiffGroup, metric: string, unit: DiffUnit, base: number | null, next: number | null, weightNs: number | null, wallNs: number): DiffRow {
  const delta = (next ?? 0) - (base ?? 0);
  return {
    id, group, metric, unit, base, new: next, delta, relative: relative(base, delta),
    impact: weightNs === null ? null : wallNs > 0 ? Math.abs(weightNs) / wallNs : 0, rank: 0,
  };
}

interface SiteAcc { kind: WaitKind; function: string; file: string; lines: number[]; waitNs: number; count: number }

/** Every blocking site of a trace (locks and channels), by kind and the waiter's function and line. */
function sitesOf(c: ContentionReport): Map<string, SiteAcc> {
  const out = new Map<string, SiteAcc>();
  const add = (s: WaitSite) => {
    const fn = s.waiter?.function ?? '', file = s.waiter?.file ?? '', line = s.waiter?.line ?? 0;
    const key = `${s.kind}\u0000${fn}\u0000${file}\u0000${line}`;
    const a = out.get(key);
    if (a) { a.waitNs += s.waitNs; a.count += s.count; return; }
    out.set(key, { kind: s.kind, function: fn, file, lines: [line], waitNs: s.waitNs, count: s.count });
  };
  c.sites.forEach(add);
  c.channels.forEach(add);
  return out;
}

function merged(accs: SiteAcc[]): SiteAcc {
  return {
    kind: accs[0].kind, function: accs[0].function, file: accs[0].file,
    lines: accs.flatMap((a) => a.lines).sort((x, y) => x - y),
    waitNs: accs.reduce((t, a) => t + a.waitNs, 0), count: accs.reduce((t, a) => t + a.count, 0),
  };
}

/**
 * Sites paired across the traces: by kind, function, file and line; what is left, by kind
 * and function alone (the lines moved: every unpaired line of that function on each side
 * becomes one row); the rest is in one trace only.
 */
function pairSites(a: Map<string, SiteAcc>, b: Map<string, SiteAcc>): { base?: SiteAcc; next?: SiteAcc; matchedBy: SiteMatch }[] {
  const out: { base?: SiteAcc; next?: SiteAcc; matchedBy: SiteMatch }[] = [];
  const restA = new Map<string, SiteAcc[]>(), restB = new Map<string, SiteAcc[]>();
  const fnKey = (s: SiteAcc) => `${s.kind}\u0000${s.function}`;
  const push = (m: Map<string, SiteAcc[]>, s: SiteAcc) => { const l = m.get(fnKey(s)); if (l) l.push(s); else m.set(fnKey(s), [s]); };
  for (const [k, s] of a) {
    const t = b.get(k);
    if (t) out.push({ base: s, next: t, matchedBy: 'line' }); else push(restA, s);
  }
  for (const [k, s] of b) if (!a.has(k)) push(restB, s);
  for (const [k, l] of restA) {
    const other = restB.get(k);
    if (other) { out.push({ base: merged(l), next: merged(other), matchedBy: 'function' }); restB.delete(k); }
    else for (const s of l) out.push({ base: s, matchedBy: 'base only' });
  }
  for (const l of restB.values()) for (const s of l) out.push({ next: s, matchedBy: 'new only' });
  return out;
}

/** The ranking: time-weighted changes by impact; then changed counts and bytes by relative change; then the unchanged. */
function compareRows(x: DiffRow, y: DiffRow): number {
  const tier = (r: DiffRow) => (r.delta === 0 ? 2 : r.impact !== null && r.impact > 0 ? 0 : 1);
  const tx = tier(x), ty = tier(y);
  if (tx !== ty) return tx - ty;
  if (tx === 0 && x.impact !== y.impact) return y.impact! - x.impact!;
  if (tx === 1) {
    const rx = x.relative === null ? Infinity : Math.abs(x.relative), ry = y.relative === null ? Infinity : Math.abs(y.relative);
    if (rx !== ry) return ry - rx;
  }
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}

/** The ranked differences between a base trace and a new one. */
export function diffTraces(a: TraceFacts, b: TraceFacts): TraceDiff {
  const wallNs = Math.max(a.summary.durationNs, b.summary.durationNs);
  const rows: DiffRow[] = METRICS.map((m) => {
    const va = m.value(a), vb = m.value(b);
    const delta = (vb ?? 0) - (va ?? 0);
    return row(m.id, m.group, m.metric, m.unit, va, vb, m.weight ? m.weight(delta, a, b) : null, wallNs);
  });
  for (const p of pairSites(sitesOf(a.contention), sitesOf(b.contention))) {
    const s = (p.base ?? p.next)!;
    const line = p.matchedBy === 'function' ? '*' : String(s.lines[0]);
    const r = row(`site\u0000${s.kind}\u0000${s.function}\u0000${s.file}\u0000${line}`, 'blocking', `${s.kind} wait`, 'ns',
      p.base ? p.base.waitNs : null, p.next ? p.next.waitNs : null, (p.next?.waitNs ?? 0) - (p.base?.waitNs ?? 0), wallNs);
    r.site = {
      kind: s.kind, function: s.function, file: s.file, baseLines: p.base?.lines ?? [], newLines: p.next?.lines ?? [],
      matchedBy: p.matchedBy, baseCount: p.base?.count ?? 0, newCount: p.next?.count ?? 0,
    };
    rows.push(r);
  }
  rows.sort(compareRows);
  rows.forEach((r, i) => { r.rank = i + 1; });
  return { wallNs, rows, changed: rows.filter((r) => r.delta !== 0 || (r.site !== undefined && r.site.baseCount !== r.site.newCount)).length };
}

// The numbers as `golens diff` prints them (the panel shows the same text).

export function formatValue(v: number | null, unit: DiffUnit): string {
  if (v === null) return '—';
  switch (unit) {
    case 'ns': return formatNs(v);
    case 'bytes': return formatBytes(v);
    case 'share': return formatShare(v);
    default: return String(v);
  }
}

export function formatDelta(d: number, unit: DiffUnit): string {
  if (d === 0) return '0';
  const sign = d > 0 ? '+' : '−';
  // A change of a share is in percentage points.
  return sign + (unit === 'share' ? formatShare(Math.abs(d)).replace(/%$/, 'pp') : formatValue(Math.abs(d), unit));
}

export function formatRelative(r: number | null): string {
  if (r === null) return 'new';
  if (r === 0) return '0%';
  return `${r > 0 ? '+' : '−'}${formatShare(Math.abs(r))}`;
}
