// The GC pacer, replayed on a trace's own allocation timeline: when each cycle would start
// under other GOGC / memory-limit settings, how long its mark would take, what it would mark,
// and what it would cost. The rules and their sources are in docs/WHATIF.md.
import { lastAtOrBefore, valueAt, type WhatIfInput } from './whatif-input';

export type Gogc = number | 'off';

const MiB = 1 << 20;
/** runtime: defaultHeapMinimum, scaled by GOGC/100. */
export const HEAP_MINIMUM = 4 * MiB;
/** runtime: the trigger stays within [0.7, 0.95] of the way from the marked heap to the goal (45/64, 61/64). */
const MIN_TRIGGER = 45 / 64;
const MAX_TRIGGER = 61 / 64;
/** runtime: memoryLimitHeapGoalHeadroomPercent and memoryLimitMinHeapGoalHeadroom (1.21+; 1.19–1.20 had none). */
const LIMIT_HEADROOM = 0.03;
const LIMIT_MIN_HEADROOM = 1 * MiB;
/** runtime: forcegcperiod — a cycle at least every 2 minutes while GOGC is not off. */
const FORCE_PERIOD_NS = 120e9;
/** runtime: the GC CPU limiter caps the GC at 50% of the CPU (1.19+). */
const LIMITER_SHARE = 0.5;
const SERIES_POINTS = 400;

/** What the baseline trace tells about its own program, fitted once. */
export interface Calibration {
  gogc: Gogc;
  memlimit: number | null;
  gomaxprocs: number;
  /** Stacks and globals the GOGC goal covers (1.18+), estimated. */
  stacksGlobals: number;
  /** Memory the limit counts beyond the heap in use (runtime structures, stacks, fragmentation), estimated. */
  nonHeap: number;
  /** Live heap at each baseline cycle's start (marked bytes minus what was allocated during its mark). */
  liveTime: Float64Array;
  live: Float64Array;
  /** Marked heap when the trace began. */
  marked0: number;
  /** Mark phase wall time = markFixedNs + markNsPerByte × live, at the baseline's GOMAXPROCS. */
  markFixedNs: number;
  markNsPerByte: number;
  /** GC proc time beyond its pauses, per live byte marked; pause wall time per cycle. */
  procNsPerByte: number;
  stwPerCycleNs: number;
  /** Share of the capacity the goroutines used: how much extra GC time stretches the run. */
  busyShare: number;
  /** Times of cycles forced by runtime.GC (they happen whatever the settings). */
  forcedAt: number[];
  notes: string[];
}

export interface PacerResult {
  gcCycles: number;
  peakHeapBytes: number;
  gcProcNs: number;
  stwTotalNs: number;
  heap: { timeNs: number; inUseBytes: number; goalBytes: number }[];
  cycles: { startNs: number; endNs: number }[];
  limited: boolean;
}

const COMMON_GOGC = [10, 20, 25, 50, 75, 100, 150, 200, 300, 400, 500, 800, 1000];

/** Fits the model to the baseline trace: inferred settings, live heap, mark speed, costs. */
export function calibrate(inp: WhatIfInput): Calibration {
  const notes: string[] = [];
  const n = inp.cycleStart.length;
  const allocAt = (t: number) => allocAtTime(inp, t);
  const live = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const during = allocAt(inp.cycleEnd[k]) - allocAt(inp.cycleStart[k]);
    live[k] = Math.max(inp.cycleMarked[k] - during, inp.cycleMarked[k] * 0.2);
  }

  // GOGC: the goal after each cycle over the heap it marked (the goal also covers stacks and globals).
  let gogc: Gogc = 100;
  let stacksGlobals = 0;
  const ratios: number[] = [];
  for (let k = 0; k < n; k++) {
    const m = inp.cycleMarked[k], g = inp.cycleGoalAfter[k];
    if (m > 0 && g > 0 && Number.isFinite(g) && g < 1e17) ratios.push((g - m) / m);
  }
  const hasGoal = inp.goal.some((g) => g > 0 && g < 1e17);
  if (!hasGoal && n === 0) {
    gogc = 'off';
    notes.push('no heap goal and no GC cycle in the trace: GOGC=off inferred');
  } else if (ratios.length) {
    const r = quantile(ratios, 0.75);
    const raw = Math.max(1, Math.round(r * 100));
    const snap = COMMON_GOGC.find((c) => Math.abs(c - raw) <= c * 0.12);
    gogc = snap ?? raw;
    const sg = ratios.map((_, k) => (inp.cycleGoalAfter[k] - inp.cycleMarked[k]) / ((gogc as number) / 100) - inp.cycleMarked[k]);
    stacksGlobals = Math.max(0, Math.min(quantile(sg, 0.5), 2 * MiB));
    notes.push(`GOGC=${gogc} inferred from the heap goal over the marked heap (${ratios.length} cycles, raw ${raw}); stacks and globals estimated at ${(stacksGlobals / MiB).toFixed(2)} MiB`);
  } else {
    notes.push('no completed GC cycle to infer GOGC from: GOGC=100 assumed');
  }

  // A memory limit: goals well below the GOGC goal.
  let memlimit: number | null = null;
  const nonHeap = Math.max(2 * MiB, stacksGlobals + 1.5 * MiB);
  if (gogc !== 'off' && n) {
    const limited: number[] = [];
    for (let k = 0; k < n; k++) {
      const m = inp.cycleMarked[k], g = inp.cycleGoalAfter[k];
      const want = Math.max(m + (m + stacksGlobals) * gogc / 100, HEAP_MINIMUM * gogc / 100);
      if (g > 0 && g < want * 0.85) limited.push(g);
    }
    if (limited.length >= Math.max(2, n * 0.2)) {
      const g = quantile(limited, 0.5);
      memlimit = Math.round((g / (1 - LIMIT_HEADROOM) + nonHeap) / MiB) * MiB;
      notes.push(`a memory limit of about ${(memlimit / MiB).toFixed(0)} MiB inferred: ${limited.length} of ${n} goals sit below the GOGC goal`);
    }
  } else if (gogc === 'off' && n > 0) {
    const g = quantile(Array.from(inp.cycleGoalAfter).filter((x) => x > 0), 0.5);
    memlimit = Math.round((g / (1 - LIMIT_HEADROOM) + nonHeap) / MiB) * MiB;
    notes.push(`GOGC=off with cycles: a memory limit of about ${(memlimit / MiB).toFixed(0)} MiB inferred`);
  }

  // Mark time against the live heap: least squares, both terms kept non-negative.
  const d = Array.from({ length: n }, (_, k) => inp.cycleEnd[k] - inp.cycleStart[k]);
  let markFixedNs = 0, markNsPerByte = 0;
  const bg = n ? Array.from(live).reduce((a, b) => a + b, 0) : 0;
  if (n >= 3) {
    const mx = bg / n, my = d.reduce((a, b) => a + b, 0) / n;
    let sxy = 0, sxx = 0;
    for (let k = 0; k < n; k++) { sxy += (live[k] - mx) * (d[k] - my); sxx += (live[k] - mx) ** 2; }
    markNsPerByte = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
    markFixedNs = my - markNsPerByte * mx;
    if (markFixedNs < 0) { markFixedNs = 0; markNsPerByte = my / Math.max(1, mx); }
  } else if (n > 0) {
    markNsPerByte = d.reduce((a, b) => a + b, 0) / Math.max(1, bg);
  } else {
    markNsPerByte = 1; // about 1 ns per live byte at 25% of a few procs: a guess, said in the notes
    notes.push('no GC cycle in the trace: the mark speed is assumed (1 ns per live byte)');
  }

  const stwPerCycleNs = n ? inp.gcStwNs / n : 50_000;
  const procNsPerByte = n && bg > 0 ? Math.max(0, inp.gcProcNs - inp.gcStwProcNs) / bg : markNsPerByte * 0.25 * inp.gomaxprocs;
  const h0 = inp.heapInUse.length ? inp.heapInUse[0] : 0;
  const g0 = inp.goal.length ? inp.goal[0] : 0;
  const marked0 = gogc === 'off' || !(g0 > 0) ? h0 : Math.min(h0, g0 / (1 + gogc / 100));
  const forcedAt: number[] = [];
  for (let k = 0; k < n; k++) if (inp.cycleForced[k]) forcedAt.push(inp.cycleStart[k]);
  if (n === 0) notes.push('no GC cycle in the trace: the live heap is taken as the heap in use');

  return {
    gogc, memlimit, gomaxprocs: inp.gomaxprocs, stacksGlobals, nonHeap,
    liveTime: inp.cycleStart.slice(), live, marked0,
    markFixedNs, markNsPerByte, procNsPerByte, stwPerCycleNs,
    busyShare: inp.capacityProcNs > 0 ? Math.min(1, inp.busyProcNs / inp.capacityProcNs) : 1,
    forcedAt, notes,
  };
}

/** Cumulative bytes allocated by time t (linear between heap samples). */
export function allocAtTime(inp: WhatIfInput, t: number): number {
  const i = lastAtOrBefore(inp.heapTime, t);
  if (i < 0) return 0;
  if (i + 1 >= inp.heapTime.length) return inp.allocCum[i];
  return inp.allocCum[i];
}

/** The first time the cumulative allocation reaches `bytes` (Infinity if it never does). */
function timeOfAlloc(inp: WhatIfInput, bytes: number): number {
  const a = inp.allocCum;
  if (!a.length || a[a.length - 1] < bytes) return Infinity;
  let lo = 0, hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] >= bytes) hi = mid; else lo = mid + 1;
  }
  return inp.heapTime[lo];
}

/** The live heap at time t: the baseline's live heap at its cycles, never above what was in use then. */
function liveAt(inp: WhatIfInput, c: Calibration, t: number): number {
  const inUse = valueAt(inp.heapTime, inp.heapInUse, t);
  const n = c.live.length;
  if (!n) return inUse;
  const i = lastAtOrBefore(c.liveTime, t);
  let l: number;
  if (i < 0) l = c.live[0];
  else if (i + 1 >= n) l = c.live[n - 1];
  else {
    const f = (t - c.liveTime[i]) / Math.max(1, c.liveTime[i + 1] - c.liveTime[i]);
    l = c.live[i] + f * (c.live[i + 1] - c.live[i]);
  }
  return Math.min(l, Math.max(inUse, 1));
}

export interface PacerSettings { gogc: Gogc; memlimit: number | null; gomaxprocs: number }

/** The heap goal for a marked heap under the settings (1.18+ rules; the limit's goal 1.19+). */
export function heapGoal(s: PacerSettings, c: Calibration, marked: number, minor: number): number {
  let goal = Infinity;
  if (s.gogc !== 'off') {
    goal = marked + (marked + (minor >= 18 ? c.stacksGlobals : 0)) * s.gogc / 100;
    goal = Math.max(goal, HEAP_MINIMUM * s.gogc / 100);
  }
  if (s.memlimit !== null && minor >= 19) {
    let lg = s.memlimit - c.nonHeap;
    const headroom = minor >= 21 ? Math.max(lg * LIMIT_HEADROOM, LIMIT_MIN_HEADROOM) : 0;
    lg = lg - headroom < headroom ? headroom : lg - headroom;
    goal = Math.min(goal, Math.max(lg, marked));
  }
  return goal;
}

/** Replays the pacer over the trace's allocation timeline under the settings. */
export function runPacer(inp: WhatIfInput, c: Calibration, s: PacerSettings): PacerResult {
  const D = inp.durationNs;
  const totalAlloc = inp.allocCum.length ? inp.allocCum[inp.allocCum.length - 1] : 0;
  const procScale = c.gomaxprocs / Math.max(1, s.gomaxprocs);
  const markDur = (live: number) => Math.max(10_000, (c.markFixedNs + c.markNsPerByte * live) * procScale);
  const heap: PacerResult['heap'] = [];
  const cycles: PacerResult['cycles'] = [];
  let t = 0;
  let marked = c.marked0;
  let inUse = inp.heapInUse.length ? inp.heapInUse[0] : 0;
  let a0 = 0;
  let peak = inUse;
  let gcProcNs = 0;
  let lastEnd = 0;
  let limited = false;
  let forcedNext = 0;
  // The allocation rate seen during the last mark (bytes/ns): the pacer's runway estimate.
  let rate = D > 0 ? totalAlloc / D : 0;
  let goal = heapGoal(s, c, marked, inp.minor);
  heap.push({ timeNs: 0, inUseBytes: inUse, goalBytes: finite(goal) });
  const capacity = (s.gomaxprocs || 1);

  for (let guard = 0; guard < 1_000_000; guard++) {
    goal = heapGoal(s, c, marked, inp.minor);
    let start = Infinity;
    if (Number.isFinite(goal)) {
      const l = liveAt(inp, c, t);
      const runway = rate * markDur(l);
      const span = Math.max(0, goal - marked);
      const trigger = Math.min(marked + span * MAX_TRIGGER, Math.max(marked + span * MIN_TRIGGER, goal - runway));
      start = trigger <= inUse ? t : timeOfAlloc(inp, a0 + (trigger - inUse));
    }
    if (s.gogc !== 'off') start = Math.min(start, lastEnd + FORCE_PERIOD_NS);
    while (forcedNext < c.forcedAt.length && c.forcedAt[forcedNext] < t) forcedNext++;
    const forced = forcedNext < c.forcedAt.length && c.forcedAt[forcedNext] <= start;
    if (forced) start = c.forcedAt[forcedNext++];
    if (!(start < D)) break;
    // The GC CPU limiter: the GC may not take more than half the procs over time.
    if (!forced && cycles.length && s.memlimit !== null) {
      const minGap = (c.stwPerCycleNs * capacity + c.procNsPerByte * liveAt(inp, c, start)) / (LIMITER_SHARE * capacity);
      const prev = cycles[cycles.length - 1].startNs;
      if (start < prev + minGap) { start = prev + minGap; limited = true; }
      if (!(start < D)) break;
    }
    const aStart = allocAtTime(inp, start);
    const hStart = inUse + (aStart - a0);
    const live = liveAt(inp, c, start);
    const end = Math.min(D, start + markDur(live));
    const aEnd = allocAtTime(inp, end);
    const hEnd = inUse + (aEnd - a0);
    peak = Math.max(peak, hEnd);
    heap.push({ timeNs: start, inUseBytes: hStart, goalBytes: finite(goal) });
    heap.push({ timeNs: end, inUseBytes: hEnd, goalBytes: finite(goal) });
    cycles.push({ startNs: start, endNs: end });
    gcProcNs += c.stwPerCycleNs * capacity + c.procNsPerByte * live;
    if (end > start) rate = (aEnd - aStart) / (end - start);
    if (end >= D) break;
    marked = Math.min(hEnd, live + (aEnd - aStart));
    inUse = marked;
    a0 = aEnd;
    t = end;
    lastEnd = end;
    heap.push({ timeNs: end, inUseBytes: inUse, goalBytes: finite(heapGoal(s, c, marked, inp.minor)) });
  }
  const hLast = inUse + (totalAlloc - a0);
  if (cycles.length === 0 || cycles[cycles.length - 1].endNs < D) {
    peak = Math.max(peak, hLast);
    heap.push({ timeNs: D, inUseBytes: hLast, goalBytes: finite(heapGoal(s, c, marked, inp.minor)) });
  }
  return {
    gcCycles: cycles.length, peakHeapBytes: peak, gcProcNs,
    stwTotalNs: inp.otherStwNs + cycles.length * c.stwPerCycleNs,
    heap: thin(heap, SERIES_POINTS), cycles, limited,
  };
}

function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/** At most `max` points, keeping each bucket's highest heap (peaks stay visible). */
function thin<T extends { inUseBytes: number }>(pts: T[], max: number): T[] {
  if (pts.length <= max) return pts;
  const out: T[] = [];
  const per = pts.length / max;
  for (let b = 0; b < max; b++) {
    const lo = Math.floor(b * per), hi = Math.min(pts.length, Math.floor((b + 1) * per));
    let best = lo;
    for (let i = lo; i < hi; i++) if (pts[i].inUseBytes > pts[best].inUseBytes) best = i;
    out.push(pts[best]);
  }
  return out;
}

export function quantile(xs: number[], q: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
}
