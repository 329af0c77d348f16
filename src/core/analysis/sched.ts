// Scheduler findings: how long runnable goroutines wait for a P (runnable→running latency)
// and where they come from, how busy the Ps are over time, how many goroutines are in each
// state, syscall time — from a replayed trace or from GODEBUG=schedtrace logs.
import type { RuntimeModel } from '../runtime/model';
import { SpanIndex } from '../runtime/queries';
import { GoState, NONE, type StackTable } from '../trace/events';
import type { Schedtrace } from '../text/schedtrace';
import { formatNs, formatShare, percentile, siteLabel } from '../format';
import type { Finding, Site } from './finding';
import { isUserFrame, type FrameLike } from './frames';
import { gomaxprocsAt, SchedScan, type SyscallStretch } from './schedscan';
import { mergeSorted, sortTimes } from './sorttimes';

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

/** Sorted starts and ends of the Running and Runnable spans, and the buckets' time-weighted state counts, in one pass over the table. */
function spanSweep(model: RuntimeModel, width: number, buckets: number, scan: SchedScan | undefined): {
  run: { starts: Float64Array; ends: Float64Array }; rbl: { starts: Float64Array; ends: Float64Array }; cover: Float64Array[]; busyNs: number;
} {
  const t = model.gSpans;
  const cover = Array.from({ length: GoState.Syscall + 1 }, () => new Float64Array(buckets));
  // How many of each the scan of the whole table counted; else counted here.
  let nRun = scan?.running ?? 0, nRbl = scan?.runnable ?? 0;
  if (!scan) for (let i = 0; i < t.count; i++) { const st = t.state(i); if (st === GoState.Running) nRun++; else if (st === GoState.Runnable) nRbl++; }
  const run = { starts: new Float64Array(nRun), ends: new Float64Array(nRun) }, rbl = { starts: new Float64Array(nRbl), ends: new Float64Array(nRbl) };
  let busyNs = 0, kRun = 0, kRbl = 0;
  for (let i = 0; i < t.count; i++) {
    const st = t.state(i);
    if (st < GoState.Runnable) continue;
    const a = t.start(i), b = t.end(i);
    addCoverage(cover[st], 0, width, a, b);
    if (st === GoState.Running) { busyNs += b - a; run.starts[kRun] = a; run.ends[kRun++] = b; } else if (st === GoState.Runnable) { rbl.starts[kRbl] = a; rbl.ends[kRbl++] = b; }
  }
  for (const x of [run, rbl]) { sortTimes(x.starts); sortTimes(x.ends); }
  return { run, rbl, cover, busyNs };
}

/** Time all Ps were busy with goroutines runnable, and time a P was idle with goroutines runnable. */
function saturation(run: { starts: Float64Array; ends: Float64Array }, rbl: { starts: Float64Array; ends: Float64Array }, procsAt: (t: number) => number): { saturatedNs: number; idleWithRunnableNs: number } {
  const streams = [rbl.ends, run.ends, run.starts, rbl.starts]; // ends first at equal times
  const delta = [[-1, 0], [0, -1], [0, 1], [1, 0]]; // [runnable, running]
  const pos = [0, 0, 0, 0];
  let runnable = 0, running = 0, prev = 0, saturatedNs = 0, idleWithRunnableNs = 0;
  for (;;) {
    let best = -1;
    for (let s = 0; s < 4; s++) if (pos[s] < streams[s].length && (best < 0 || streams[s][pos[s]] < streams[best][pos[best]])) best = s;
    if (best < 0) break;
    const t = streams[best][pos[best]++];
    if (t > prev && runnable > 0) {
      if (running >= procsAt(prev)) saturatedNs += t - prev; else idleWithRunnableNs += t - prev;
    }
    prev = t;
    runnable += delta[best][0];
    running += delta[best][1];
  }
  return { saturatedNs, idleWithRunnableNs };
}

/** The per-goroutine walks the report needs: from a scan in table order, or (spans out of order) from an index by goroutine. */
interface Walks {
  ids(): number[];
  /** The goroutine's waits, in parts, each sorted (not to be changed). */
  waits(g: number, knownStart: boolean): Float64Array[];
  syscalls(g: number): SyscallStretch[];
  seen(g: number): { user?: FrameLike; outermost?: FrameLike };
}

function indexWalks(model: RuntimeModel, byG: SpanIndex): Walks {
  const waits = runnableWaits(model, byG);
  const t = model.gSpans;
  return {
    ids: () => byG.ids(),
    waits: (g) => [Float64Array.from(waits.get(g) ?? []).sort()],
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
  const walks: Walks = !scan || scan.unordered ? indexWalks(model, opts.byG ?? new SpanIndex(model.gSpans)) : scan;
  const groups = new Map<string, { site: Site | null; by: LatencySite['by']; startFunction: string; gs: number; n: number; parts: Float64Array[] }>();
  for (const g of walks.ids()) {
    const info = model.goroutines.get(g);
    const w = walks.waits(g, info !== undefined && !Number.isNaN(info.createdAt));
    let n = 0;
    for (const part of w) n += part.length;
    if (!n) continue;
    let startFn = info!.startStack !== NONE ? model.stacks.get(info!.startStack)[0]?.fn ?? '' : '';
    let site: Site | null = null, by: LatencySite['by'] = 'unknown';
    // The runtime's own goroutines (trace reader, GC workers) go by their start function,
    // not by the user frame that happened to be under the runtime call that made them.
    const created = startFn && !isUserFrame(startFn) ? undefined : userOf(model.stacks, info!.createStack);
    if (created) { site = toSite(created); by = 'go statement'; }
    else if (info!.startStack !== NONE && model.stacks.get(info!.startStack).length) { site = toSite(model.stacks.get(info!.startStack)[0]); by = 'start function'; }
    else {
      // Running before the trace began: the outermost frame of its stacks is its start
      // function; the innermost user frame says where in the program it was.
      const seen = walks.seen(g);
      if (!startFn && seen.outermost) startFn = seen.outermost.fn;
      if (seen.user) { site = toSite(seen.user); by = 'stack'; }
      else if (seen.outermost) { site = toSite(seen.outermost); by = 'start function'; }
    }
    // A start function is one site whatever line its entry PC maps to.
    const where = site ? (by === 'start function' ? site.function : `${site.function}\u0000${site.file}\u0000${site.line}`) : '';
    const key = `${by}\u0000${where}\u0000${startFn}`;
    let grp = groups.get(key);
    if (!grp) { grp = { site, by, startFunction: startFn, gs: 0, n: 0, parts: [] }; groups.set(key, grp); }
    grp.gs++;
    grp.n += n;
    grp.parts.push(...w);
  }
  // Each group's waits: its goroutines' sorted waits merged (a scan keeps them sorted from report
  // to report); all of them are those merged.
  const sorted = [...groups.values()].map((x) => mergeSorted(x.parts));
  const all = mergeSorted(sorted);
  const worst = [...groups.values()]
    .map((x, i) => ({ site: x.site, by: x.by, startFunction: x.startFunction, goroutines: x.gs, latency: statsOfSorted(sorted[i]) }))
    .sort((a, b) => b.latency.totalNs - a.latency.totalNs || b.latency.maxNs - a.latency.maxNs)
    .slice(0, opts.sites ?? 10);

  // Timeline: time-weighted state counts and busy Ps per bucket.
  const width = end > 0 ? end / buckets : 1;
  // A scan that swept the Running and Runnable spans as it walked them has the saturation and the
  // busy time already: only the timeline, if asked, walks the table again.
  const withTimeline = opts.timeline ?? true;
  const swept = scan?.saturation && !scan.saturation.broken && !withTimeline ? scan.saturation : undefined;
  const { run, rbl, cover, busyNs } = swept ? { run: undefined, rbl: undefined, cover: undefined, busyNs: scan!.busyNs } : spanSweep(model, width, buckets, scan);
  const sys = new Map<string, SyscallSite>();
  let sysCount = 0, sysNs = 0, sysBlocked = 0;
  // Syscalls: stretches of Syscall spans, by the user frame that made them.
  for (const g of walks.ids()) {
    for (const x of walks.syscalls(g)) {
      const stack = x.stack;
      const site = toSite(userOf(model.stacks, stack) ?? (stack !== NONE ? model.stacks.get(stack)[0] : undefined));
      const key = site ? `${site.function}\u0000${site.file}\u0000${site.line}` : '';
      let s = sys.get(key);
      if (!s) { s = { site, count: 0, totalNs: 0, blocked: 0 }; sys.set(key, s); }
      s.count++; s.totalNs += x.ns; if (x.blocked) s.blocked++;
      sysCount++; sysNs += x.ns; if (x.blocked) sysBlocked++;
    }
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
  const sat = swept ? swept.totals(procsAt) : saturation(run!, rbl!, procsAt);
  return {
    source: 'trace', durationNs: end, gomaxprocs: procsAt(end), gomaxprocsMax,
    latency: all.length ? statsOfSorted(all) : null, worst,
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
