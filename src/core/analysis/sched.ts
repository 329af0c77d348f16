// Scheduler findings: how long runnable goroutines wait for a P (runnable→running latency)
// and where they come from, how busy the Ps are over time, how many goroutines are in each
// state, syscall time — from a replayed trace or from GODEBUG=schedtrace logs.
import type { GoroutineInfo, RuntimeModel } from '../runtime/model';
import { SpanIndex } from '../runtime/queries';
import { GoState, NONE, type StackTable } from '../trace/events';
import { F64Column } from '../runtime/columns';
import type { SpanTable } from '../runtime/spans';
import type { Schedtrace } from '../text/schedtrace';
import { formatNs, formatShare, percentile, siteLabel } from '../format';
import type { Finding, Site } from './finding';
import { isUserFrame, type FrameLike } from './frames';
import { gomaxprocsAt, SchedScan, type SyscallStretch, type WaitGroup, type WaitOrigin } from './schedscan';
import { eachMerged, sortTimes } from './sorttimes';
import { sortedPart, type SortedPart } from './sortedruns';

export interface LatencyStats {
  count: number;
  p50Ns: number;
  p90Ns: number;
  p99Ns: number;
  maxNs: number;
  meanNs: number;
  totalNs: number;
}

/** Goroutines grouped by where they come from, with their runnable→running waits. */
export interface LatencySite {
  /** The `go` statement (by = 'go statement'), the start function ('start function'), or the user frame first seen on the goroutine's stacks ('stack'); null if none. */
  site: Site | null;
  by: 'go statement' | 'start function' | 'stack' | 'unknown';
  /** The goroutines' start function, when known ('' otherwise). */
  startFunction: string;
  goroutines: number;
  latency: LatencyStats;
}

/** One interval of the timeline (a bucket of the trace, or one schedtrace sample). */
export interface SchedInterval {
  startNs: number;
  endNs: number;
  gomaxprocs: number;
  /** Busy Ps ÷ GOMAXPROCS (traces: time-weighted over the interval). */
  utilization: number;
  /** Goroutines in each state (traces: time-weighted means; schedtrace: at the sample; null when the log does not say). */
  running: number;
  runnable: number;
  waiting: number | null;
  syscall: number | null;
  /** schedtrace only: the global run queue, each P's local queue, idle Ps and threads. */
  runqueue?: number;
  localRunqueues?: number[];
  idleProcs?: number;
  threads?: number;
  spinningThreads?: number;
  idleThreads?: number;
}

export interface SyscallSite {
  site: Site | null;
  count: number;
  totalNs: number;
  /** Syscalls that blocked long enough for the P to be handed off (left as Syscall→Runnable). */
  blocked: number;
}

export interface SchedReport {
  source: 'trace' | 'schedtrace';
  durationNs: number;
  /** GOMAXPROCS at the end (the largest seen, when it changed: `gomaxprocsMax`). */
  gomaxprocs: number;
  gomaxprocsMax: number;
  /** Runnable→running waits (traces only). */
  latency: LatencyStats | null;
  /** The goroutine groups that waited most in total, worst first. */
  worst: LatencySite[];
  utilization: {
    /** Mean busy Ps ÷ GOMAXPROCS. */
    mean: number;
    /** Time all Ps were busy while goroutines waited to run. */
    saturatedNs: number;
    /** Time goroutines waited to run while a P was idle (wake-up delays, STW, the OS not running threads). */
    idleWithRunnableNs: number;
  };
  timeline: SchedInterval[];
  syscalls: { count: number; totalNs: number; blocked: number; sites: SyscallSite[] } | null;
  /** schedtrace only. */
  threads: { max: number; last: number } | null;
  /** schedtrace only: most goroutines queued (global + local run queues) in one sample. */
  maxQueued?: number;
}

export interface SchedOptions {
  /** Timeline intervals for a trace (default 50). */
  buckets?: number;
  /** Latency sites kept (default 10). */
  sites?: number;
  /** The goroutine spans by goroutine, when the caller has built them already (used only if a goroutine's spans are out of start order). */
  byG?: SpanIndex;
  /** A scan of this model kept across reports of a trace still being read. */
  scan?: SchedScan;
  /** 'index': walk each goroutine's spans through an index by goroutine, as when spans are out of order (tests compare both). */
  walk?: 'scan' | 'index';
  /** 'sorted': the spans' starts and ends copied and sorted, as when the table's ends are out of time order (tests compare both). */
  ends?: 'table' | 'sorted';
  /**
   * false: no timeline (report.timeline is empty), all else the same; then, with a scan that
   * swept its spans as it walked them, the report walks no span again (the findings need no timeline).
   */
  timeline?: boolean;
}

export function latencyStats(values: Float64Array): LatencyStats {
  return statsOfSorted(values.slice().sort());
}

/** latencyStats of values sorted already. */
function statsOfSorted(s: Float64Array): LatencyStats {
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i];
  return {
    count: s.length, p50Ns: percentile(s, 0.5), p90Ns: percentile(s, 0.9), p99Ns: percentile(s, 0.99),
    maxNs: s.length ? s[s.length - 1] : 0, meanNs: s.length ? total / s.length : 0, totalNs: total,
  };
}

/** statsOfSorted of the sorted union of sorted arrays, without making it. */
export function statsOfSortedUnion(parts: Float64Array[]): LatencyStats {
  return statsOfParts(parts.map(sortedPart));
}

/**
 * statsOfSorted of the sorted union of sorted parts, without making it. Integers summing
 * exactly (in any order, then: the sorted order's sum to the bit) are read off the parts' sums
 * and the ranks selected, unless walking the union would cost less; anything else is walked
 * in sorted order, as statsOfSorted adds it. how: 'select' or 'walk' whatever the cost (tests compare them).
 */
export function statsOfParts(parts: readonly SortedPart[], how: 'cheaper' | 'select' | 'walk' = 'cheaper'): LatencyStats {
  const xs = parts.filter((p) => p.values.length > 0);
  let n = 0, sum = 0, abs = 0, integers = true, min = Infinity, max = -Infinity, lookups = 0;
  for (const p of xs) {
    const v = p.values, len = v.length;
    n += len; sum += p.sum; abs += p.abs; integers &&= p.integers;
    if (v[0] < min) min = v[0];
    if (v[len - 1] > max) max = v[len - 1];
    lookups += Math.ceil(Math.log2(len + 1));
  }
  if (n === 0) return { count: 0, p50Ns: 0, p90Ns: 0, p99Ns: 0, maxNs: 0, meanNs: 0, totalNs: 0 };
  const rank = (q: number) => Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  const r50 = rank(0.5), r90 = rank(0.9), r99 = rank(0.99);
  if (integers && abs <= Number.MAX_SAFE_INTEGER) {
    // A selection: a bisection over the values' range, each step a binary search in every part, for each of three ranks.
    const steps = Math.ceil(Math.log2(max - min + 1)) + 1;
    if (how === 'select' || (how === 'cheaper' && 3 * steps * lookups <= n * (Math.ceil(Math.log2(xs.length + 1)) + 1))) {
      return { count: n, p50Ns: kth(xs, r50, min, max), p90Ns: kth(xs, r90, min, max), p99Ns: kth(xs, r99, min, max), maxNs: max, meanNs: sum / n, totalNs: sum };
    }
  }
  let total = 0, k = 0, p50 = 0, p90 = 0, p99 = 0, last = 0;
  eachMerged(xs.map((p) => p.values), (v) => {
    // Added in sorted order, as statsOfSorted adds them: the same total to the last bit.
    total += v;
    if (k === r50) p50 = v;
    if (k === r90) p90 = v;
    if (k === r99) p99 = v;
    last = v;
    k++;
  });
  return { count: n, p50Ns: p50, p90Ns: p90, p99Ns: p99, maxNs: last, meanNs: total / n, totalNs: total };
}

/** How many values of sorted parts are at most v. */
function countAtMost(parts: readonly SortedPart[], v: number): number {
  let c = 0;
  for (const { values: p } of parts) {
    let lo = 0, hi = p.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (p[mid] <= v) lo = mid + 1; else hi = mid; }
    c += lo;
  }
  return c;
}

/**
 * The value at rank r (from 0) of the sorted union of sorted parts of integers within [min, max]
 * (magnitudes within 2^53): the least integer with more than r values at most it, which is one of them.
 */
function kth(parts: readonly SortedPart[], r: number, min: number, max: number): number {
  let lo = min, hi = max;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (countAtMost(parts, mid) > r) hi = mid; else lo = mid + 1;
  }
  return lo;
}

function toSite(f: FrameLike | undefined): Site | null {
  return f ? { function: f.fn, file: f.file, line: f.line } : null;
}

function userOf(stacks: StackTable, id: number): FrameLike | undefined {
  return id === NONE ? undefined : stacks.get(id).find((f) => isUserFrame(f.fn));
}

/**
 * Every runnable→running wait of every goroutine: a stretch of Runnable spans (split only
 * by generation boundaries) that ends in Running. A stretch already under way when the
 * trace (or the goroutine's first appearance) began is left out: its start is unknown.
 */
export function runnableWaits(model: RuntimeModel, byG = new SpanIndex(model.gSpans)): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const t = model.gSpans;
  for (const g of byG.ids()) {
    const spans = byG.spans(g);
    const info = model.goroutines.get(g);
    const knownStart = info !== undefined && !Number.isNaN(info.createdAt);
    const waits: number[] = [];
    for (let j = 0; j < spans.length; j++) {
      if (t.state(spans[j]) !== GoState.Runnable) continue;
      const first = j;
      const start = t.start(spans[j]);
      while (j + 1 < spans.length && t.state(spans[j + 1]) === GoState.Runnable && t.start(spans[j + 1]) === t.end(spans[j])) j++;
      const next = spans[j + 1];
      if (next === undefined || t.state(next) !== GoState.Running || t.start(next) !== t.end(spans[j])) continue;
      if (first === 0 && !knownStart) continue;
      waits.push(t.start(next) - start);
    }
    if (waits.length) out.set(g, waits);
  }
  return out;
}

/** Adds the part of [a, b) in each bucket of [t0, t0 + n·width) to cover[], in units of `width`. */
function addCoverage(cover: Float64Array, t0: number, width: number, a: number, b: number, weight = 1): void {
  if (b <= a || width <= 0) return;
  const n = cover.length;
  let i = Math.max(0, Math.floor((a - t0) / width));
  const last = Math.min(n - 1, Math.floor((b - t0) / width));
  for (; i <= last; i++) {
    const lo = Math.max(a, t0 + i * width), hi = Math.min(b, t0 + (i + 1) * width);
    if (hi > lo) cover[i] += ((hi - lo) / width) * weight;
  }
}

/** A span's mark: the goroutine's next span, Running (1) or Runnable (2), starts at its end. */
const NEXT_RUN = 1, NEXT_RBL = 2;

/** Times sorted, each a change of the running and runnable counts. */
interface SortedChanges { a: Float64Array; k: number; dRun: number; dRbl: number }

/**
 * The starts and ends of the Running and Runnable spans in time order, as changes of how many
 * goroutines run and wait to. Spans are appended to the table as they close, so its ends are
 * in time order already and are walked there; a goroutine's span mostly starts where its last
 * one ended, so that start is told at the last one's end (2 bits a span say which). The other
 * starts are copied and sorted. When the table's ends are out of time order, every start and
 * end is copied and sorted.
 */
class SpanChanges {
  /** The next time and its changes (after next() returned true). */
  t = NaN;
  dRun = 0;
  dRbl = 0;
  private i = 0;
  private readonly n: number;
  /** The table's next time (if more) and its changes. */
  private more = false;
  private tt = NaN;
  private tRun = 0;
  private tRbl = 0;

  constructor(private readonly table: SpanTable | null, private readonly marks: Uint8Array | null, private readonly sorted: SortedChanges[]) {
    this.n = table ? table.count : 0;
    this.advance();
  }

  /** The table's next span that ends a Running or Runnable span or starts one (every such time is a step of the sweep). */
  private advance(): void {
    const t = this.table, marks = this.marks;
    this.more = false;
    if (!t || !marks) return;
    for (let i = this.i; i < this.n; i++) {
      const st = t.state(i), mk = (marks[i >>> 2] >>> ((i & 3) << 1)) & 3;
      if (mk === 0 && st !== GoState.Running && st !== GoState.Runnable) continue;
      this.i = i + 1;
      this.more = true;
      this.tt = t.end(i);
      this.tRun = (mk === NEXT_RUN ? 1 : 0) - (st === GoState.Running ? 1 : 0);
      this.tRbl = (mk === NEXT_RBL ? 1 : 0) - (st === GoState.Runnable ? 1 : 0);
      return;
    }
    this.i = this.n;
  }

  next(): boolean {
    let best: SortedChanges | undefined;
    for (const x of this.sorted) if (x.k < x.a.length && (best === undefined || x.a[x.k] < best.a[best.k])) best = x;
    if (this.more && (best === undefined || !(best.a[best.k] < this.tt))) {
      this.t = this.tt; this.dRun = this.tRun; this.dRbl = this.tRbl;
      this.advance();
      return true;
    }
    if (!best) return false;
    this.t = best.a[best.k++]; this.dRun = best.dRun; this.dRbl = best.dRbl;
    return true;
  }
}

/** The last span of each goroutine seen so far (-1: none), in an array for small ids. */
class LastSpan {
  private dense = new Int32Array(1024).fill(-1);
  private readonly sparse = new Map<number, number>();

  get(g: number): number {
    if (g >= 0 && g < DENSE_IDS && g === (g | 0)) return g < this.dense.length ? this.dense[g] : -1;
    return this.sparse.get(g) ?? -1;
  }

  set(g: number, i: number): void {
    if (!(g >= 0 && g < DENSE_IDS && g === (g | 0))) { this.sparse.set(g, i); return; }
    if (g >= this.dense.length) {
      const d = new Int32Array(Math.max(g + 1, this.dense.length * 2)).fill(-1);
      d.set(this.dense);
      this.dense = d;
    }
    this.dense[g] = i;
  }
}
const DENSE_IDS = 1 << 22;

/**
 * The Running and Runnable spans' starts and ends in time order (SpanChanges), and the
 * buckets' time-weighted state counts, in one pass over the table (a second only when its
 * ends are out of time order).
 */
function spanSweep(model: RuntimeModel, width: number, buckets: number, endsFrom: SchedOptions['ends']): {
  changes: SpanChanges; cover: Float64Array[]; busyNs: number;
} {
  const t = model.gSpans, n = t.count;
  const cover = Array.from({ length: GoState.Syscall + 1 }, () => new Float64Array(buckets));
  const marks = new Uint8Array((n + 3) >>> 2), last = new LastSpan();
  const runOther = new F64Column(), rblOther = new F64Column();
  let busyNs = 0, lastEnd = -Infinity, inOrder = endsFrom !== 'sorted';
  for (let i = 0; i < n; i++) {
    const st = t.state(i), b = t.end(i), g = t.id(i);
    if (b >= lastEnd) lastEnd = b; else inOrder = false;
    const prev = last.get(g);
    last.set(g, i);
    if (st < GoState.Runnable) continue;
    const a = t.start(i);
    addCoverage(cover[st], 0, width, a, b);
    if (st !== GoState.Running && st !== GoState.Runnable) continue;
    if (st === GoState.Running) busyNs += b - a;
    if (prev >= 0 && t.end(prev) === a && !Object.is(a, -0)) marks[prev >>> 2] |= (st === GoState.Running ? NEXT_RUN : NEXT_RBL) << ((prev & 3) << 1);
    else (st === GoState.Running ? runOther : rblOther).push(a);
  }
  if (inOrder) {
    const changes = new SpanChanges(t, marks, [
      { a: sortTimes(runOther.values()), k: 0, dRun: 1, dRbl: 0 }, { a: sortTimes(rblOther.values()), k: 0, dRun: 0, dRbl: 1 },
    ]);
    return { changes, cover, busyNs };
  }
  // Out of time order: every start and end, copied and sorted.
  const cols = [new F64Column(), new F64Column(), new F64Column(), new F64Column()];
  for (let i = 0; i < n; i++) {
    const st = t.state(i);
    if (st !== GoState.Running && st !== GoState.Runnable) continue;
    const k = st === GoState.Running ? 0 : 2;
    cols[k].push(t.start(i));
    cols[k + 1].push(t.end(i));
  }
  const [runS, runE, rblS, rblE] = cols.map((c) => sortTimes(c.values()));
  const changes = new SpanChanges(null, null, [
    { a: runS, k: 0, dRun: 1, dRbl: 0 }, { a: runE, k: 0, dRun: -1, dRbl: 0 }, { a: rblS, k: 0, dRun: 0, dRbl: 1 }, { a: rblE, k: 0, dRun: 0, dRbl: -1 },
  ]);
  return { changes, cover, busyNs };
}

/**
 * Time all Ps were busy with goroutines runnable, and time a P was idle with goroutines runnable:
 * a sweep over the spans' starts and ends in time order (the order among equal times changes
 * nothing, as time is counted only between distinct ones).
 */
function saturation(changes: SpanChanges, procsAt: (t: number) => number): { saturatedNs: number; idleWithRunnableNs: number } {
  let runnable = 0, running = 0, prev = 0, saturatedNs = 0, idleWithRunnableNs = 0;
  while (changes.next()) {
    const t = changes.t;
    if (t > prev && runnable > 0) {
      if (running >= procsAt(prev)) saturatedNs += t - prev; else idleWithRunnableNs += t - prev;
    }
    prev = t;
    runnable += changes.dRbl;
    running += changes.dRun;
  }
  return { saturatedNs, idleWithRunnableNs };
}

/** The per-goroutine walks the report needs: from a scan in table order, or (spans out of order) from an index by goroutine. */
interface Walks {
  ids(): number[];
  /** The goroutine's waits, in parts, each sorted (not to be changed). */
  waits(g: number, knownStart: boolean): readonly SortedPart[];
  syscalls(g: number): SyscallStretch[];
  seen(g: number): { user?: FrameLike; outermost?: FrameLike };
}

function indexWalks(model: RuntimeModel, byG: SpanIndex): Walks {
  const waits = runnableWaits(model, byG);
  const t = model.gSpans;
  return {
    ids: () => byG.ids(),
    waits: (g) => [sortedPart(Float64Array.from(waits.get(g) ?? []).sort())],
    seen: (g) => seenFrames(model, byG, g),
    syscalls: (g) => {
      const spans = byG.spans(g);
      const out: SyscallStretch[] = [];
      for (let j = 0; j < spans.length; j++) {
        if (t.state(spans[j]) !== GoState.Syscall) continue;
        const start = t.start(spans[j]), stack = t.stack(spans[j]);
        while (j + 1 < spans.length && t.state(spans[j + 1]) === GoState.Syscall && t.start(spans[j + 1]) === t.end(spans[j])) j++;
        const next = spans[j + 1];
        out.push({ ns: t.end(spans[j]) - start, stack, blocked: next !== undefined && t.state(next) === GoState.Runnable });
      }
      return out;
    },
  };
}

/** Where a goroutine comes from, as the report groups goroutines (the key), and whether that can still change. */
interface Origin extends WaitOrigin { site: Site | null; by: LatencySite['by']; startFunction: string }

/**
 * A goroutine's origin: its `go` statement's user frame, else its start function, else (running
 * before the trace began) the first user frame or the outermost frame seen on its stacks. Only
 * the last can change as more of its spans are seen, until a user frame is.
 */
function originOf(model: RuntimeModel, g: number, seenOf: (g: number) => { user?: FrameLike; outermost?: FrameLike }, memo?: OriginMemo,
  infoOf: (g: number) => GoroutineInfo | undefined = (id) => model.goroutines.get(id)): Origin {
  const info = infoOf(g);
  // Decided by its creation and start stacks alone (most goroutines): once for each pair of them.
  const byCreate = info && memo?.get(info.startStack);
  const known = info && byCreate?.get(info.createStack);
  if (known) return known;
  const o = originFrom(model, info, g, seenOf);
  if (info && memo && o.by !== 'stack' && (o.by === 'go statement' || info.startStack !== NONE && model.stacks.get(info.startStack).length)) {
    let m = memo.get(info.startStack);
    if (!m) memo.set(info.startStack, (m = new Map()));
    m.set(info.createStack, o);
  }
  return o;
}

/** Origins decided by a goroutine's start and creation stacks, by them. */
type OriginMemo = Map<number, Map<number, Origin>>;

function originFrom(model: RuntimeModel, info: GoroutineInfo | undefined, g: number, seenOf: (g: number) => { user?: FrameLike; outermost?: FrameLike }): Origin {
  let startFn = info && info.startStack !== NONE ? model.stacks.get(info.startStack)[0]?.fn ?? '' : '';
  let site: Site | null = null, by: LatencySite['by'] = 'unknown', final = true;
  // The runtime's own goroutines (trace reader, GC workers) go by their start function,
  // not by the user frame that happened to be under the runtime call that made them.
  const created = startFn && !isUserFrame(startFn) ? undefined : userOf(model.stacks, info?.createStack ?? NONE);
  if (created) { site = toSite(created); by = 'go statement'; }
  else if (info && info.startStack !== NONE && model.stacks.get(info.startStack).length) { site = toSite(model.stacks.get(info.startStack)[0]); by = 'start function'; }
  else {
    // Running before the trace began: the outermost frame of its stacks is its start
    // function; the innermost user frame says where in the program it was.
    const seen = seenOf(g);
    if (!startFn && seen.outermost) startFn = seen.outermost.fn;
    if (seen.user) { site = toSite(seen.user); by = 'stack'; }
    else if (seen.outermost) { site = toSite(seen.outermost); by = 'start function'; }
    // Its first user frame, once seen, is for good (and the outermost frame was seen with or before it).
    final = seen.user !== undefined;
  }
  // A start function is one site whatever line its entry PC maps to.
  const where = site ? (by === 'start function' ? site.function : `${site.function}\u0000${site.file}\u0000${site.line}`) : '';
  return { key: `${by}\u0000${where}\u0000${startFn}`, final, site, by, startFunction: startFn };
}

/** The waits of an index's walks by origin, a goroutine at a time in id order (the groups in order of their first goroutine). */
function groupWaits(walks: Walks, origin: (g: number) => Origin, knownStart: (g: number) => boolean): WaitGroup<Origin>[] {
  const groups = new Map<string, WaitGroup<Origin>>();
  for (const g of walks.ids()) {
    const w = walks.waits(g, knownStart(g));
    let n = 0;
    for (const part of w) n += part.values.length;
    if (!n) continue;
    const o = origin(g);
    let grp = groups.get(o.key);
    if (!grp) { grp = { origin: o, first: g, gs: 0, n: 0, parts: [] }; groups.set(o.key, grp); }
    grp.gs++;
    grp.n += n;
    grp.parts.push(...w);
  }
  return [...groups.values()];
}

/**
 * The waits overall and the groups that waited most, read off the goroutines' sorted parts
 * (a scan keeps them sorted in runs from report to report), no union made: each group's
 * figures off its goroutines' parts, the overall ones off every part.
 */
function latencyOf(groups: WaitGroup<Origin>[], sites: number): {
  latency: LatencyStats | null; worst: LatencySite[];
} {
  const worst = groups
    .map((x) => ({ site: x.origin.site, by: x.origin.by, startFunction: x.origin.startFunction, goroutines: x.gs, latency: statsOfParts(x.parts) }))
    .sort((a, b) => b.latency.totalNs - a.latency.totalNs || b.latency.maxNs - a.latency.maxNs)
    .slice(0, sites);
  const all = groups.flatMap((x) => x.parts);
  if (!all.some((a) => a.values.length)) return { latency: null, worst };
  return { latency: statsOfParts(all), worst };
}

/**
 * The scheduler report of a replayed trace. opts.scan: a scan of this model kept by the caller
 * (a trace still being read: each report "so far" walks only the spans closed since the last).
 */
export function schedFromModel(model: RuntimeModel, opts: SchedOptions = {}): SchedReport {
  const buckets = Math.max(1, opts.buckets ?? 50);
  const end = model.end;
  const procsSeen = Math.max(1, model.procs.size);
  const gmp = model.gomaxprocs;
  const procsAt = gomaxprocsAt(model);
  let gomaxprocsMax = 0;
  for (let i = 0; i < gmp.count; i++) gomaxprocsMax = Math.max(gomaxprocsMax, gmp.value[i]);
  if (!gmp.count) gomaxprocsMax = procsSeen;

  // Runnable→running latency, overall and by origin.
  const scan = opts.walk === 'index' ? undefined : (opts.scan ?? new SchedScan(model)).scan();
  const walks: Walks | undefined = !scan || scan.unordered ? indexWalks(model, opts.byG ?? new SpanIndex(model.gSpans)) : undefined;
  const seen = walks ? (g: number) => walks.seen(g) : (g: number) => scan!.seen(g);
  // A goroutine's record, asked twice in a row for most (whether its start is known, then its
  // origin): looked up once (the model does not change while the report is made).
  let lastG = NaN, lastInfo: GoroutineInfo | undefined;
  const infoOf = (g: number) => (g === lastG ? lastInfo : (lastInfo = model.goroutines.get((lastG = g))));
  const knownStart = (g: number) => { const info = infoOf(g); return info !== undefined && !Number.isNaN(info.createdAt); };
  // A scan keeps the waits by origin from report to report; an index's are grouped here, a goroutine at a time.
  const memo: OriginMemo = new Map();
  const origin = (g: number) => originOf(model, g, seen, memo, infoOf);
  const groups = walks ? groupWaits(walks, origin, knownStart) : scan!.waitGroups(origin, knownStart);
  const { latency, worst } = latencyOf(groups, opts.sites ?? 10);

  // Timeline: time-weighted state counts and busy Ps per bucket.
  const width = end > 0 ? end / buckets : 1;
  // A scan that swept the Running and Runnable spans as it walked them has the saturation and the
  // busy time already: only the timeline, if asked, walks the table again.
  const withTimeline = opts.timeline ?? true;
  const swept = scan?.saturation && !scan.saturation.broken && !withTimeline ? scan.saturation : undefined;
  const { changes, cover, busyNs } = swept ? { changes: undefined, cover: undefined, busyNs: scan!.busyNs } : spanSweep(model, width, buckets, opts.ends);
  const sys = new Map<string, SyscallSite>();
  let sysCount = 0, sysNs = 0, sysBlocked = 0;
  // Syscalls: stretches of Syscall spans, by the user frame that made them.
  // Each stack's site found once (a server makes millions of syscalls from a few stacks).
  const sysOfStack = new Map<number, SyscallSite>();
  const addSyscalls = (stack: number, count: number, ns: number, blocked: number) => {
    let s = sysOfStack.get(stack);
    if (!s) {
      const site = toSite(userOf(model.stacks, stack) ?? (stack !== NONE ? model.stacks.get(stack)[0] : undefined));
      const key = site ? `${site.function}\u0000${site.file}\u0000${site.line}` : '';
      s = sys.get(key);
      if (!s) { s = { site, count: 0, totalNs: 0, blocked: 0 }; sys.set(key, s); }
      sysOfStack.set(stack, s);
    }
    s.count += count; s.totalNs += ns; s.blocked += blocked;
    sysCount += count; sysNs += ns; sysBlocked += blocked;
  };
  // A scan has them summed by stack, in the order a walk of every goroutine's would meet them.
  if (walks) {
    for (const g of walks.ids()) for (const x of walks.syscalls(g)) addSyscalls(x.stack, 1, x.ns, x.blocked ? 1 : 0);
  } else {
    for (const e of scan!.syscallsByStack()) addSyscalls(e.stack, e.count, e.ns, e.blocked);
  }
  const timeline: SchedInterval[] = [];
  let capacityNs = 0;
  for (let b = 0; b < (end > 0 ? buckets : 0); b++) {
    const a = b * width, z = Math.min(end, (b + 1) * width);
    const procs = procsAt(a + width / 2);
    capacityNs += procs * (z - a);
    if (cover && withTimeline) timeline.push({
      startNs: a, endNs: z, gomaxprocs: procs, utilization: procs > 0 ? Math.min(1, cover[GoState.Running][b] / procs) : 0,
      running: cover[GoState.Running][b], runnable: cover[GoState.Runnable][b], waiting: cover[GoState.Waiting][b], syscall: cover[GoState.Syscall][b],
    });
  }
  const sat = swept ? swept.totals(procsAt) : saturation(changes!, procsAt);
  return {
    source: 'trace', durationNs: end, gomaxprocs: procsAt(end), gomaxprocsMax,
    latency, worst,
    utilization: { mean: capacityNs > 0 ? Math.min(1, busyNs / capacityNs) : 0, ...sat },
    timeline,
    syscalls: { count: sysCount, totalNs: sysNs, blocked: sysBlocked, sites: [...sys.values()].sort((a, b) => b.totalNs - a.totalNs).slice(0, opts.sites ?? 10) },
    threads: null,
  };
}

/** Runnable for these reasons, the span's stack is the goroutine's own (it stopped itself or was preempted). */
const OWN_STOP = new Set(['preempted', 'runtime.Gosched']);

/** The first user frame on a goroutine's span stacks, and the outermost frame of its first stack. */
function seenFrames(model: RuntimeModel, byG: SpanIndex, g: number): { user?: FrameLike; outermost?: FrameLike } {
  let outermost: FrameLike | undefined;
  for (const i of byG.spans(g)) {
    const id = model.gSpans.stack(i);
    if (id === NONE) continue;
    // A Runnable span's stack may be the goroutine that woke it; only the goroutine's own
    // stops, blocks and syscalls show where it was.
    if (model.gSpans.state(i) === GoState.Runnable && !OWN_STOP.has(model.strings.get(model.gSpans.reason(i)))) continue;
    const frames = model.stacks.get(id);
    outermost ??= frames[frames.length - 1];
    const f = frames.find((x) => isUserFrame(x.fn));
    if (f) return { user: f, outermost };
  }
  return { outermost };
}

/** Go's goroutine status codes in scheddetail G lines. */
const G_RUNNABLE = new Set([1, 9]); // _Grunnable, _Gpreempted
const G_RUNNING = 2, G_SYSCALL = 3;
const G_WAITING = new Set([4, 8]); // _Gwaiting, _Gcopystack

/** The scheduler report of a schedtrace log: one timeline interval per SCHED sample. */
export function schedFromSchedtrace(log: Schedtrace): SchedReport {
  const s = log.samples;
  const period = s.length > 1 ? Math.round((s[s.length - 1].timeMs - s[0].timeMs) / (s.length - 1)) : 1000;
  const timeline: SchedInterval[] = [];
  let busy = 0, capacity = 0, saturatedNs = 0, idleWithRunnableNs = 0, maxThreads = 0, maxQueued = 0;
  for (let i = 0; i < s.length; i++) {
    const x = s[i];
    const startNs = x.timeMs * 1e6;
    const endNs = (i + 1 < s.length ? s[i + 1].timeMs : x.timeMs + period) * 1e6;
    const busyProcs = Math.max(0, x.gomaxprocs - x.idleProcs);
    const queued = x.runqueue + x.localRunqueues.reduce((a, b) => a + b, 0);
    let running = busyProcs, runnable = queued, waiting: number | null = null, syscall: number | null = null;
    if (x.goroutines) {
      running = 0; runnable = 0; waiting = 0; syscall = 0;
      for (const g of x.goroutines) {
        if (g.status === G_RUNNING) running++;
        else if (G_RUNNABLE.has(g.status)) runnable++;
        else if (g.status === G_SYSCALL) syscall++;
        else if (G_WAITING.has(g.status)) waiting++;
      }
    }
    const d = Math.max(0, endNs - startNs);
    busy += busyProcs * d;
    capacity += x.gomaxprocs * d;
    if (queued > 0) { if (x.idleProcs === 0) saturatedNs += d; else idleWithRunnableNs += d; }
    maxThreads = Math.max(maxThreads, x.threads);
    maxQueued = Math.max(maxQueued, queued);
    timeline.push({
      startNs, endNs, gomaxprocs: x.gomaxprocs, utilization: x.gomaxprocs > 0 ? busyProcs / x.gomaxprocs : 0,
      running, runnable, waiting, syscall, runqueue: x.runqueue, localRunqueues: x.localRunqueues, idleProcs: x.idleProcs,
      threads: x.threads, spinningThreads: x.spinningThreads, idleThreads: x.idleThreads,
    });
  }
  const last = s[s.length - 1];
  return {
    source: 'schedtrace', durationNs: timeline.length ? timeline[timeline.length - 1].endNs - timeline[0].startNs : 0,
    gomaxprocs: last.gomaxprocs, gomaxprocsMax: s.reduce((m, x) => Math.max(m, x.gomaxprocs), 0),
    latency: null, worst: [],
    utilization: { mean: capacity > 0 ? busy / capacity : 0, saturatedNs, idleWithRunnableNs },
    timeline, syscalls: null, threads: { max: maxThreads, last: last.threads }, maxQueued,
  };
}

// ---- Findings ----

export interface SchedThresholds {
  /** p99 runnable→running wait from which latency is reported (ns), and from which it is `likely`. */
  latencyP99Ns: number;
  likelyLatencyP99Ns: number;
  /** Share of the time all Ps were busy with goroutines waiting: reported / `likely`. */
  saturatedShare: number;
  likelySaturatedShare: number;
  /** Threads (schedtrace) from which a thread pile-up is reported, as a multiple of GOMAXPROCS and at least this many. */
  threadsPerProc: number;
  minThreads: number;
}

export const DEFAULT_SCHED_THRESHOLDS: SchedThresholds = {
  latencyP99Ns: 5e6, likelyLatencyP99Ns: 20e6, saturatedShare: 0.25, likelySaturatedShare: 0.5, threadsPerProc: 10, minThreads: 50,
};

function origin(w: LatencySite): string {
  const file = w.site ? `${w.site.file.slice(w.site.file.lastIndexOf('/') + 1)}:${w.site.line}` : '';
  if (w.by === 'go statement') return `in goroutines started at ${file}${w.startFunction ? ` (${w.startFunction})` : ''}`;
  if (w.by === 'start function') return `in ${w.site?.function ?? w.startFunction} goroutines`;
  return `in the goroutine seen at ${siteLabel(w.site)}`;
}

/** Scheduler findings: long runnable waits, saturated Ps, thread pile-ups. Score: ms of delay. */
export function schedFindings(r: SchedReport, source: string, th: SchedThresholds = DEFAULT_SCHED_THRESHOLDS): Finding[] {
  const out: Finding[] = [];
  const satShare = r.durationNs > 0 ? r.utilization.saturatedNs / r.durationNs : 0;
  if (r.latency && r.latency.p99Ns >= th.latencyP99Ns) {
    // The program's own goroutines first: that is where a fix goes.
    const w = r.worst.find((x) => x.site !== null && isUserFrame(x.site.function)) ?? r.worst.find((x) => x.site !== null);
    out.push({
      kind: 'sched',
      title: `Runnable goroutines waited up to ${formatNs(r.latency.maxNs)} for a P (p99 ${formatNs(r.latency.p99Ns)}, ${r.latency.count} waits)${w ? `; most ${origin(w)}` : ''}`,
      site: w?.site ?? null,
      evidence: {
        count: r.latency.count, p50Ns: r.latency.p50Ns, p90Ns: r.latency.p90Ns, p99Ns: r.latency.p99Ns, maxNs: r.latency.maxNs,
        ...(w ? { siteWaitNs: w.latency.totalNs, siteP90Ns: w.latency.p90Ns, siteGoroutines: w.goroutines } : {}),
        saturatedShare: Number(satShare.toFixed(3)), gomaxprocs: r.gomaxprocs,
      },
      confidence: r.latency.p99Ns >= th.likelyLatencyP99Ns ? 'likely' : 'possible',
      score: r.latency.p99Ns / 1e6,
      advice: satShare >= th.saturatedShare
        ? 'The Ps were busy: more goroutines wanted CPU than GOMAXPROCS allows. Reduce CPU work (see a CPU profile), bound concurrency with a worker pool, or give the process more CPUs (check GOMAXPROCS against the container CPU limit).'
        : 'Ps were available, so the waits come from wake-up delays: look for stop-the-world pauses, long non-preemptible loops, or the OS not running the process\'s threads (CPU throttling).',
      source,
    });
  }
  if (satShare >= th.saturatedShare) {
    out.push({
      kind: 'sched',
      title: `All ${r.gomaxprocs} Ps busy with goroutines waiting to run for ${formatShare(satShare)} of the ${r.source === 'trace' ? 'trace' : 'log'}`,
      site: null,
      evidence: {
        saturatedNs: r.utilization.saturatedNs, durationNs: r.durationNs, share: Number(satShare.toFixed(3)),
        utilization: Number(r.utilization.mean.toFixed(3)), gomaxprocs: r.gomaxprocs, ...(r.maxQueued !== undefined ? { maxQueued: r.maxQueued } : {}),
      },
      confidence: satShare >= th.likelySaturatedShare ? 'likely' : 'possible',
      score: r.utilization.saturatedNs / 1e6,
      advice: 'The program is CPU-bound at this GOMAXPROCS: find the hot code with a CPU profile, limit how many goroutines do CPU work at once, or run with more CPUs.',
      source,
    });
  }
  if (r.threads && r.threads.max >= Math.max(th.minThreads, th.threadsPerProc * r.gomaxprocsMax)) {
    out.push({
      kind: 'sched',
      title: `${r.threads.max} OS threads for GOMAXPROCS ${r.gomaxprocsMax}`,
      site: null,
      evidence: { maxThreads: r.threads.max, lastThreads: r.threads.last, gomaxprocs: r.gomaxprocsMax },
      confidence: 'possible',
      score: r.threads.max / 10,
      advice: 'Threads pile up when goroutines block in system calls or cgo calls (each holds a thread); look for blocking file or network I/O outside the netpoller, or cgo, and bound it.',
      source,
    });
  }
  return out;
}
