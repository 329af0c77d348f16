// The GC pacer, replayed on a trace's own allocation timeline: when each cycle would start
// under other GOGC / memory-limit settings, how long its mark would take, what it would mark,
// and what it would cost. The rules and their sources are in docs/WHATIF.md.
import { PACER_STATES, type PacerState } from './pacerstate';
import { lastAtOrBefore, valueAt, type WhatIfInput } from './whatif-input';

export type Gogc = number | 'off';
export type { PacerState };

const MiB = 1 << 20;
/**
 * Memory outside the heap that a memory limit counts, beyond the stacks and globals estimate
 * (runtime metadata, trace buffers, span rounding). The trace does not show it; these are what
 * the fixture programs' limit runs leave between the heap and the limit, per runtime generation:
 * Go 1.19–1.20 (no headroom rule yet, more counted) ~10 MiB, 1.21–1.24 ~4 MiB, 1.25+ ~5 MiB.
 */
function nonHeapBase(minor: number): number {
  return minor <= 20 ? 10 * MiB : minor <= 24 ? 4 * MiB : 5 * MiB;
}
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
const SERIES_POINTS = 400;
/** runtime: the pacer's overshoot allowance once the heap is past the goal (revise, maxOvershoot). */
const MAX_OVERSHOOT = 1.1;

/**
 * The trigger (commit / trigger()): the goal minus the runway, kept between 70% of the way from
 * the marked heap to the goal (and the minimum heap) and 95% of it (or the goal minus the
 * minimum heap, for large heaps).
 */
export function triggerFor(goal: number, marked: number, runway: number, heapMin: number): number {
  const span = Math.max(0, goal - marked);
  const minTrigger = Math.max(heapMin, marked + span * MIN_TRIGGER);
  let maxRunway = span * MAX_TRIGGER;
  if (goal > heapMin) maxRunway = Math.max(maxRunway, goal - heapMin - marked);
  const maxTrigger = Math.max(minTrigger, marked + maxRunway);
  return Math.min(maxTrigger, Math.max(minTrigger, runway > goal ? minTrigger : goal - runway));
}



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
  /** The trace's mark phases and their ns per live byte (at its GOMAXPROCS); their mean (total mark time over live bytes marked) for the time between. */
  markTime: Float64Array;
  markEnd: Float64Array;
  markNsPerByteAt: Float64Array;
  markNsPerByte: number;
  /** The GC's proc time outside its pauses per live byte marked. */
  procNsPerByte: number;
  /**
   * Bytes per ns the trace's marks allocated (90th percentile over its marks): a mark slows the
   * mutator (assists, the workers' share of the procs), so a model mark that falls between the
   * trace's marks allocates no faster (right after a trace mark, the timeline has the catch-up);
   * while a trace mark ran, the trace's own allocation stands.
   */
  markAllocRate: number;
  /** Bytes allocated during the trace's first mark: the pacer's first runway. */
  runway0: number;
  /**
   * The runway the trace's pacer set per byte of its cons/mark estimate (bytes allocated during
   * its recent marks, see ConsMark): goal − trigger over the estimate, the median over the
   * trace's cycles whose trigger the heap samples pin down and no bound clamped. 1 without any:
   * the runtime's rule at its goal utilization (3 × 0.25/0.75) with no assists or idle marking.
   */
  runwayPerAlloc: number;
  /** Bytes allocated past the goal per live byte marked (the mark's scan work), over the trace's marks. */
  overshootPerLive: number;
  /** The trace's fastest mark, in ns per live byte: its speed with the machine least in the way. */
  quietMarkNsPerByte: number;
  /** Wall time in GC pauses per cycle; and with the median pause (the pause without a long wait to stop the procs). */
  stwPerCycleNs: number;
  stwQuietPerCycleNs: number;
  /**
   * The trace's pause time beyond the quiet pauses (its long waits to stop the procs), and the
   * bytes allocated up to its last cycle's start: the waits grow with the bytes allocated between
   * cycles, so over a run they come to the same total whatever the number of cycles.
   */
  stwTailNs: number;
  stwTailAlloc: number;
  /** Extra wall ns per byte when the heap grows into memory it has not used before (page faults, zeroing). */
  freshNsPerByte: number;
  /** Times of cycles forced by runtime.GC (they happen whatever the settings). */
  forcedAt: number[];
  /** The program's allocation: the median rise of the heap counter between two samples. */
  allocStep: number;
  /** The traced run's pacer state, from its own marks (stateOfTrace); null without marks to tell. */
  state: PacerState | null;
  /** Bytes per ns the mutator allocated between the trace's marks (the rate a mark with a runway is held to when the trace's marks were parked). */
  mutatorRate: number;
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
    // A mark the trace stopped in has no marked heap: its live heap is the previous mark's.
    if (!inp.cycleDone[k]) live[k] = k ? live[k - 1] : Math.min(live[k], inp.cycleHeapStart[k]);
  }

  // GOGC: the goal after each cycle over the heap it marked (the goal also covers stacks and globals).
  let gogc: Gogc = 100;
  let stacksGlobals = 0;
  const ratios: number[] = [], ratioAt: number[] = [];
  for (let k = 0; k < n; k++) {
    const m = inp.cycleMarked[k], g = inp.cycleGoalAfter[k];
    if (inp.cycleDone[k] && m > 0 && g > 0 && Number.isFinite(g) && g < 1e17) { ratios.push((g - m) / m); ratioAt.push(k); }
  }
  const hasGoal = inp.goal.some((g) => g > 0 && g < 1e17);
  if (!hasGoal && n === 0) {
    gogc = 'off';
    notes.push('no heap goal and no GC cycle in the trace: GOGC=off inferred');
  } else if (ratios.length) {
    const r = quantile(ratios, 0.75);
    const raw = Math.max(1, Math.round(r * 100));
    // Stacks and globals push the raw ratio up (many goroutines: a few MiB of stacks on a small heap).
    const snap = COMMON_GOGC.find((c) => raw >= c * 0.88 && raw <= c * 1.2);
    gogc = snap ?? raw;
    const sg = ratioAt.map((k) => (inp.cycleGoalAfter[k] - inp.cycleMarked[k]) / ((gogc as number) / 100) - inp.cycleMarked[k]);
    stacksGlobals = Math.max(0, Math.min(quantile(sg, 0.5), 2 * MiB));
    notes.push(`GOGC=${gogc} inferred from the heap goal over the marked heap (${ratios.length} cycles, raw ${raw}); stacks and globals estimated at ${(stacksGlobals / MiB).toFixed(2)} MiB`);
  } else {
    notes.push('no completed GC cycle to infer GOGC from: GOGC=100 assumed');
  }

  // A memory limit: goals well below the GOGC goal.
  let memlimit: number | null = null;
  // What the limit counts beyond the heap: runtime metadata, stacks, trace buffers and span
  // rounding (nonHeapBase), plus stacks and globals.
  const nonHeap = nonHeapBase(inp.minor) + stacksGlobals;
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

  // Mark speed: the scan work of a cycle is the live heap at its start, whatever the settings; the
  // trace says how fast it went during each of its marks (the machine's load included), and their
  // mean (total mark time over total live bytes marked) stands for the time between them.
  const markDur = Float64Array.from({ length: n }, (_, k) => Math.max(1_000, inp.cycleEnd[k] - inp.cycleStart[k]));
  const markSum = markDur.reduce((a, b) => a + b, 0);
  const liveSum = live.reduce((a, b) => a + b, 0);
  const markNsPerByte = n && liveSum > 0 ? markSum / liveSum : 1;
  const markNsPerByteAt = Float64Array.from({ length: n }, (_, k) => markDur[k] / Math.max(1, live[k]));
  if (!n) notes.push('no GC cycle in the trace: the mark speed is assumed (1 ns per live byte)');
  // How far past the goal the trace's marks ran: what the other procs allocate while assists
  // catch up, which lasts as long as the mark's remaining scan work (the live heap), whatever
  // the goal. Bytes past the goal over the live bytes marked, summed over the marks.
  let overBytes = 0, overLive = 0;
  for (let k = 0; k < n; k++) {
    const prev = k ? inp.cycleMarked[k - 1] : marked0Of(inp, gogc);
    if (inp.cycleGoalBefore[k] > prev && !inp.cycleForced[k] && inp.cycleDone[k]) { overBytes += Math.max(0, inp.cycleHeapEnd[k] - inp.cycleGoalBefore[k]); overLive += live[k]; }
  }
  const overshootPerLive = overLive > 0 ? overBytes / overLive : 0;
  let quietMarkNsPerByte = Infinity;
  for (let k = 0; k < n; k++) if (inp.cycleDone[k]) quietMarkNsPerByte = Math.min(quietMarkNsPerByte, markNsPerByteAt[k]);
  if (!Number.isFinite(quietMarkNsPerByte)) quietMarkNsPerByte = markNsPerByte;
  // The pacer's runway: the bytes allocated during the first marks.
  const runway0 = n ? allocAt(inp.cycleEnd[0]) - allocAt(inp.cycleStart[0]) : 0;
  // What a mark allocates: the trace's marks' rates, the 90th percentile (a short mark that one
  // large allocation crossed reads far above what marks allow; the fastest few are left out).
  const markRates: number[] = [];
  for (let k = 0; k < n; k++) if (inp.cycleDone[k] && !inp.cycleForced[k]) markRates.push((allocAt(inp.cycleEnd[k]) - allocAt(inp.cycleStart[k])) / markDur[k]);
  const markAllocRate = markRates.length ? quantile(markRates, 0.9) : Infinity;
  const rw = runwayRatio(inp, gogc, runway0);
  const runwayPerAlloc = rw.ratio;
  const stwPerCycleNs = n ? inp.gcStwNs / n : 50_000;
  // Most of a long pause is waiting for the other procs' threads to stop (a loaded machine):
  // the median pause is the pause without that wait.
  const stwQuietPerCycleNs = n ? quantile(Array.from(inp.gcPauseNs), 0.5) * inp.gcPauseNs.length / n : stwPerCycleNs;
  // The rest is the long waits, which grow with the bytes allocated between cycles (the
  // fixtures' quiet runs: fewer, longer waits at a high GOGC, many short pauses at a low one).
  const stwTailNs = Math.max(0, inp.gcStwNs - n * stwQuietPerCycleNs);
  let lastStart = 0;
  for (let k = 0; k < n; k++) if (!inp.cycleForced[k]) lastStart = Math.max(lastStart, inp.cycleStart[k]);
  const stwTailAlloc = allocAt(lastStart);
  // The GC's proc time outside pauses follows its scan work (the live heap), not the mark's wall time.
  const procNsPerByte = n && liveSum > 0 ? Math.max(0, inp.gcProcNs - inp.gcStwProcNs) / liveSum : markNsPerByte * 0.25 * inp.gomaxprocs;
  const marked0 = marked0Of(inp, gogc);
  const forcedAt: number[] = [];
  for (let k = 0; k < n; k++) if (inp.cycleForced[k]) forcedAt.push(inp.cycleStart[k]);
  if (n === 0) notes.push('no GC cycle in the trace: the live heap is taken as the heap in use');

  const allocStep = allocStepOf(inp);
  const st = stateOfTrace(inp, allocStep);
  const c: Calibration = {
    gogc, memlimit, gomaxprocs: inp.gomaxprocs, stacksGlobals, nonHeap, allocStep, state: st.state, mutatorRate: mutatorRateOf(inp),
    liveTime: inp.cycleStart.slice(), live, marked0,
    overshootPerLive, markAllocRate, runwayPerAlloc, quietMarkNsPerByte, stwQuietPerCycleNs, stwTailNs, stwTailAlloc, freshNsPerByte: freshCost(inp),
    markTime: inp.cycleStart.slice(), markEnd: inp.cycleEnd.slice(), markNsPerByteAt, markNsPerByte, procNsPerByte, runway0, stwPerCycleNs,
    forcedAt, notes,
  };
  if (st.state) notes.push(`the pacer's state: ${PACER_STATES[st.state].name} (${st.tight} of the trace's ${st.marks} marks after the first began less than one allocation, ${(allocStep / 1024).toFixed(0)} KiB, from the goal)`);
  if (n) notes.push(`marks run at the trace's own speed: each of its marks while it ran, ${markNsPerByte.toFixed(3)} ns per live byte between them; between its marks a mark allocates at most ${(markAllocRate * 1e6 / MiB).toFixed(2)} MiB per ms (the trace's marks, 90th percentile); the pacer's runway is ${runwayPerAlloc.toFixed(2)}× its cons/mark estimate (${rw.cycles ? `read off ${rw.cycles} of the trace's triggers` : 'the runtime\'s rule with no assists or idle marking: no trigger of the trace pins it down'})`);
  return c;
}

/**
 * The runtime's cons/mark estimate, kept in bytes allocated during a mark (the scan work it is
 * divided by, and the last cycle's scan work the runway multiplies it by, cancel out while the
 * live heap holds) [SRC endCycle, commit]. Go 1.21+: the largest of the current mark's and the
 * last four (lastConsMark). Go 1.18–1.20: a PI controller fed the current value (kp 0.9, ti 4,
 * tt 1000; consMarkController). A mark during which the heap did not grow updates nothing
 * (endCycle returns early when heapLive <= triggered).
 */
export class ConsMark {
  private readonly last: number[] = [];
  private out = 0;
  private integral = 0;
  constructor(private readonly minor: number) {}
  push(allocated: number): void {
    if (!(allocated > 0)) return;
    if (this.minor >= 21) {
      this.last.push(allocated);
      if (this.last.length > 5) this.last.shift();
      return;
    }
    // piController.next(input = the old estimate, setpoint = this mark's, period 1); no clamping
    // at these magnitudes (its bounds are ±1000 in cons/mark units).
    const err = allocated - this.out;
    const out = 0.9 * err + this.integral;
    this.integral += (0.9 / 4) * err;
    this.out = out;
  }
  value(): number {
    return this.minor >= 21 ? (this.last.length ? Math.max(...this.last) : 0) : Math.max(0, this.out);
  }
}

/**
 * The trace's own runway per byte of its cons/mark estimate. Each of its cycles shows the runway
 * the runtime set: the goal less the trigger, which lies between the heap sample before the mark
 * began and the one at its start. Only cycles where those samples are close together, neither
 * trigger bound (70% and 95% of the way) held it, and the estimate is at least 64 KiB count. The
 * runtime's multiplier is 3 × (u + idle)/(1 − u) with u the background goal 0.25 plus assists
 * (endCycle, commit), as the runtime counts them (finished idle workers, flushed assist time),
 * which the trace's own accounting of the procs overstates (go1.26 steady: 6.6 from the trace's
 * proc time, 2.3 from its triggers; most of the fixtures' traces read 0.9–1.2 off their triggers).
 */
function runwayRatio(inp: WhatIfInput, gogc: Gogc, runway0: number): { ratio: number; cycles: number } {
  const n = inp.cycleStart.length;
  const est = new ConsMark(inp.minor);
  est.push(runway0);
  const ratios: number[] = [];
  const heapMin = gogc === 'off' ? 0 : HEAP_MINIMUM * gogc / 100;
  for (let k = 0; k < n; k++) {
    const a = allocAtTime(inp, inp.cycleEnd[k]) - allocAtTime(inp, inp.cycleStart[k]);
    if (k >= 1 && inp.cycleDone[k] && inp.cycleDone[k - 1] && !inp.cycleForced[k]) {
      const goal = inp.cycleGoalBefore[k], marked = inp.cycleMarked[k - 1];
      const j = lastAtOrBefore(inp.heapTime, inp.cycleStart[k]);
      const hS = j >= 0 ? inp.heapInUse[j] : 0, hP = j > 0 ? inp.heapInUse[j - 1] : hS;
      const highest = triggerFor(goal, marked, 0, heapMin), lowest = triggerFor(goal, marked, Infinity, heapMin);
      const clamped = hP >= highest - 1024 || hS <= lowest + 1024;
      const e = est.value();
      if (!clamped && e >= 64 * 1024 && goal > hS && hS - hP <= 0.5 * (goal - hS)) ratios.push((goal - (hS + hP) / 2) / e);
    }
    est.push(a);
  }
  return { ratio: ratios.length ? quantile(ratios, 0.5) : 1, cycles: ratios.length };
}

/**
 * What growing into new memory costs: the wall time per byte of the heap's rises to a new high
 * (fresh pages: a fault and zeroing each) less that of its other rises (reused memory), on the
 * trace's clock. A heap that peaks higher under other settings pays it for the difference.
 */
function freshCost(inp: WhatIfInput): number {
  const t = inp.heapTime, h = inp.heapInUse;
  let high = 0, freshB = 0, freshT = 0, reusedB = 0, reusedT = 0;
  for (let i = 1; i < t.length; i++) {
    const d = h[i] - h[i - 1];
    if (d <= 0) continue;
    const fresh = Math.max(0, h[i] - Math.max(high, h[i - 1]));
    if (fresh > d / 2) { freshB += d; freshT += t[i] - t[i - 1]; } else { reusedB += d; reusedT += t[i] - t[i - 1]; }
    high = Math.max(high, h[i]);
  }
  return freshB > 0 && reusedB > 0 ? Math.max(0, freshT / freshB - reusedT / reusedB) : 0;
}

/** The program's allocation as the heap counter shows it: the median of its rises. */
function allocStepOf(inp: WhatIfInput): number {
  const rises: number[] = [];
  for (let i = 1; i < inp.heapInUse.length; i++) if (inp.heapInUse[i] > inp.heapInUse[i - 1]) rises.push(inp.heapInUse[i] - inp.heapInUse[i - 1]);
  return rises.length ? quantile(rises, 0.5) : 0;
}

/**
 * The traced run's pacer state from its own marks: 'zero' when more than half of its marks after
 * the first (completed, not forced, with a goal) began less than one allocation from the goal
 * (such a mark allocates nothing: the allocation's assist debt is more than the scan work left,
 * so it waits for the mark's end [SRC gcAssistAlloc]); 'runway' otherwise; null without such marks.
 */
function stateOfTrace(inp: WhatIfInput, step: number): { state: PacerState | null; tight: number; marks: number } {
  let tight = 0, marks = 0;
  for (let k = 1; k < inp.cycleStart.length; k++) {
    const g = inp.cycleGoalBefore[k];
    if (!inp.cycleDone[k] || inp.cycleForced[k] || !(g > 0) || g >= 1e17) continue;
    marks++;
    if (g - inp.cycleHeapStart[k] < step) tight++;
  }
  return { state: marks && step > 0 ? (tight * 2 > marks ? 'zero' : 'runway') : null, tight, marks };
}

/** Bytes per ns the mutator allocated outside the trace's marks. */
function mutatorRateOf(inp: WhatIfInput): number {
  let bytes = inp.allocCum.length ? inp.allocCum[inp.allocCum.length - 1] : 0, time = inp.durationNs;
  for (let k = 0; k < inp.cycleStart.length; k++) {
    bytes -= allocAtTime(inp, inp.cycleEnd[k]) - allocAtTime(inp, inp.cycleStart[k]);
    time -= inp.cycleEnd[k] - inp.cycleStart[k];
  }
  return time > 0 ? Math.max(0, bytes) / time : 0;
}

/**
 * The room the highest trigger leaves below the goal under these settings, in allocations: the
 * goal less the 61/64 bound, 3/64 × (goal − marked), with the marked heap the live heap (a zero-state mark allocates
 * nothing, so it marks the live heap), the median over the trace's cycles. Over two allocations
 * the heap always crosses the bound more than one allocation before the goal, so every mark
 * allocates and the zero state cannot hold; at two or under a run can settle in either (its first
 * marks decide). NaN without a goal or an allocation size.
 */
export function stateGap(inp: WhatIfInput, c: Calibration, s: PacerSettings): number {
  const gaps: number[] = [];
  for (let k = 0; k < c.live.length; k++) {
    if (!inp.cycleDone[k] || inp.cycleForced[k]) continue;
    const goal = heapGoal(s, c, c.live[k], inp.minor);
    if (Number.isFinite(goal)) gaps.push((1 - MAX_TRIGGER) * (goal - c.live[k]) / c.allocStep);
  }
  return gaps.length && c.allocStep > 0 ? quantile(gaps, 0.5) : NaN;
}

/** The marked heap when the trace began, from the first goal and GOGC. */
function marked0Of(inp: WhatIfInput, gogc: Gogc): number {
  const h0 = inp.heapInUse.length ? inp.heapInUse[0] : 0;
  const g0 = inp.goal.length ? inp.goal[0] : 0;
  return gogc === 'off' || !(g0 > 0) ? h0 : Math.min(h0, g0 / (1 + gogc / 100));
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

/** The GOGC goal alone (Infinity with GOGC=off). */
function gogcGoal(s: PacerSettings, c: Calibration, marked: number, minor: number): number {
  return heapGoal({ ...s, memlimit: null }, c, marked, minor);
}

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

/**
 * Replays the pacer over the trace's allocation timeline under the settings, in the traced run's
 * pacer state or, with `state` the other one, in that: 'zero' (no runway, a mark that begins less
 * than one allocation from the goal allocates nothing, none goes past the goal) or 'runway' from a
 * zero-state trace (its marks were parked, so a mark allocates at the mutator's rate between them).
 */
export function runPacer(inp: WhatIfInput, c: Calibration, s: PacerSettings, state?: PacerState): PacerResult {
  const other = state !== undefined && c.state !== null && state !== c.state ? state : null;
  const D = inp.durationNs;
  const totalAlloc = inp.allocCum.length ? inp.allocCum[inp.allocCum.length - 1] : 0;
  // Fewer procs to stop make shorter pauses (most of a pause is waiting for the procs to stop).
  const procShare = Math.max(1, s.gomaxprocs) / Math.max(1, c.gomaxprocs);
  const oneProc = s.gomaxprocs === 1;
  // A cycle's own pauses: the median pause, shorter in proportion with fewer procs to stop; the
  // trace's long waits are added once for the run (none with one proc: no other proc to wait for).
  const stwPerCycle = c.stwQuietPerCycleNs * (oneProc ? 1 : Math.min(1, procShare));
  // The GC's proc time keeps the mean pause per cycle (its share of the procs is scaled as a whole).
  const pauseCpuPerCycle = oneProc ? c.stwQuietPerCycleNs : c.stwPerCycleNs * Math.min(1, procShare);
  let tailAlloc = 0;
  // Mark time is on the trace's clock: fewer procs slow the mark and the program alike, so it stays.
  const procScale = 1;
  // The overshoot past the goal is the other procs allocating while assists catch up: none with one proc.
  const overshoot = c.gomaxprocs > 1 ? c.overshootPerLive * Math.max(0, s.gomaxprocs - 1) / (c.gomaxprocs - 1) : c.overshootPerLive;
  const meanAllocRate = totalAlloc / Math.max(1, D);
  const markDur = (t: number, live: number) => markTimeFrom(c, t, live, procScale);
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
  // The pacer's runway: the runtime's cons/mark estimate from what the marks allocated, times
  // what the trace's own triggers show its pacer made of it.
  const consMark = new ConsMark(inp.minor);
  consMark.push(c.runway0);
  let goal = heapGoal(s, c, marked, inp.minor);
  heap.push({ timeNs: 0, inUseBytes: inUse, goalBytes: finite(goal) });
  const capacity = (s.gomaxprocs || 1);

  for (let guard = 0; guard < 1_000_000; guard++) {
    goal = heapGoal(s, c, marked, inp.minor);
    let start = Infinity;
    let trigger = Infinity;
    if (Number.isFinite(goal)) {
      const runway = other === 'zero' ? 0 : c.runwayPerAlloc * consMark.value();
      trigger = triggerFor(goal, marked, runway, s.gogc === 'off' ? 0 : HEAP_MINIMUM * s.gogc / 100);
      goal = Math.max(goal, trigger);
      start = trigger <= inUse ? t : timeOfAlloc(inp, a0 + (trigger - inUse));
    }
    if (s.gogc !== 'off') start = Math.min(start, lastEnd + FORCE_PERIOD_NS);
    while (forcedNext < c.forcedAt.length && c.forcedAt[forcedNext] < t) forcedNext++;
    const forced = forcedNext < c.forcedAt.length && c.forcedAt[forcedNext] <= start;
    if (forced) start = c.forcedAt[forcedNext++];
    if (!(start < D)) break;
    const aStart = allocAtTime(inp, start);
    const hStart = inUse + (aStart - a0);
    const live = liveAt(inp, c, start);
    // With one proc the lone allocating goroutine pays for its allocation with scan work before
    // it proceeds, so the mark runs at the trace's quietest speed with 1/N₀ of its procs, and
    // what is allocated meanwhile follows the mean rate, not a burst the trace's clock put there.
    const dur = oneProc ? c.quietMarkNsPerByte * live * c.gomaxprocs : markDur(start, live);
    let end = Math.min(D, start + dur);
    let aEnd = allocAtTime(inp, end);
    if (oneProc) aEnd = Math.min(aEnd, aStart + meanAllocRate * (end - start));
    else {
      // While a trace mark ran, what it allocated; between them no faster than the trace's marks
      // allocated. The timeline's position advances only as far as the mark allocated (the rest
      // comes after it, on the trace's own timeline).
      const allowed = other === 'zero' && goal - hStart < c.allocStep ? 0 : markAllowance(inp, c, start, end, other === 'runway');
      if (aEnd - aStart > allowed) {
        aEnd = aStart + allowed;
        end = Math.max(start, Math.min(end, timeOfAlloc(inp, aEnd)));
      }
    }
    // Assists: past the goal, allocating goroutines are made to mark, so the heap stops near the
    // hard goal and the mark ends there, its work paid by the mutator (revise(): the goal is
    // extended for a growing heap, at most to (1+GOGC/100)× the goal, then overshoot 1.1×).
    const pastGoal = Math.max(goal * MAX_OVERSHOOT, hStart + 64 * 1024);
    let hard = Number.isFinite(goal) ? Math.max(goal + overshoot * live, hStart < goal ? goal : pastGoal) : Infinity;
    // A mark that begins where one of the trace's marks began, in the state it began in, is that
    // mark: the trace shows how far past the goal it went (its own timing: a slow mark, scan work
    // beyond the expected one), so it follows the trace's heap until its scan work is done.
    if (!other && isTraceMark(inp, c, start, aStart, hStart, goal)) hard = Infinity;
    // The zero state: marks end at the goal (none allocates past it).
    if (other === 'zero') hard = Math.min(hard, Math.max(goal, hStart));
    // Under a binding memory limit the goal is near the limit itself: no room for the trace's overshoot.
    if (s.memlimit !== null && goal < gogcGoal(s, c, marked, inp.minor)) hard = Math.min(hard, pastGoal);
    // One proc: nobody else allocates while the allocating goroutine assists, so the heap stops at the goal.
    if (oneProc) hard = Math.min(hard, Math.max(goal, hStart));
    const planned = end - start;
    if (inUse + (aEnd - a0) > hard) {
      const tCap = timeOfAlloc(inp, a0 + (hard - inUse));
      if (tCap < end) { end = Math.max(start, tCap); aEnd = Math.min(aEnd, allocAtTime(inp, end)); }
    }
    const hEnd = inUse + (aEnd - a0);
    peak = Math.max(peak, hEnd);
    heap.push({ timeNs: start, inUseBytes: hStart, goalBytes: finite(goal) });
    heap.push({ timeNs: end, inUseBytes: hEnd, goalBytes: finite(goal) });
    cycles.push({ startNs: start, endNs: end });
    // Pauses hold every proc; the workers take a quarter of the procs (dedicated and fractional), so their share follows N.
    gcProcNs += pauseCpuPerCycle * capacity + c.procNsPerByte * procShare * live * Math.min(1, (D - start) / Math.max(1, dur));
    consMark.push(consMarkSample(inp, c, start, planned, end - start, aEnd - aStart, oneProc, other === 'runway'));
    if (!forced) tailAlloc = aStart;
    if (end >= D) break;
    marked = Math.min(hEnd, live + (aEnd - aStart));
    inUse = marked;
    a0 = aEnd;
    t = end;
    lastEnd = end;
    heap.push({ timeNs: end, inUseBytes: inUse, goalBytes: finite(heapGoal(s, c, marked, inp.minor)) });
  }
  const hLast = inUse + (totalAlloc - a0);
  // The long waits over the bytes the cycles covered (allocated up to the last one's start), against the trace's.
  const covered = c.stwTailAlloc > 0 ? tailAlloc / c.stwTailAlloc : cycles.length ? 1 : 0;
  const stwTail = oneProc ? 0 : c.stwTailNs * Math.min(1, procShare) * covered;
  if (cycles.length === 0 || cycles[cycles.length - 1].endNs < D) {
    peak = Math.max(peak, hLast);
    heap.push({ timeNs: D, inUseBytes: hLast, goalBytes: finite(heapGoal(s, c, marked, inp.minor)) });
  }
  return {
    gcCycles: cycles.length, peakHeapBytes: peak, gcProcNs,
    stwTotalNs: inp.otherStwNs + cycles.length * stwPerCycle + stwTail,
    heap: thin(heap, SERIES_POINTS), cycles, limited,
  };
}

/** How close a model mark must begin to one of the trace's marks to be that mark (see isTraceMark). */
const SAME_MARK = 0.05;

/**
 * Whether a model mark starting at t0 (the cumulative allocation there aStart, the heap hStart)
 * with this goal is one of the trace's own marks: it begins when that mark began (within 5% of
 * its duration), at the same point of the allocation timeline, at the same heap and with the same
 * goal (each within 5% of that goal). On the fixtures: 67 of the 664 model marks at the traces'
 * own settings, and 62 at other settings (19 with one proc, whose bound holds anyway; most of the
 * rest under a limit that does not bind). A mark that starts 1.6 ms early in a 24 MiB burst
 * (go1.21 largelive) is not the trace's: within 10% of the duration it was, and overshot 11%.
 */
function isTraceMark(inp: WhatIfInput, c: Calibration, t0: number, aStart: number, hStart: number, goal: number): boolean {
  if (!Number.isFinite(goal)) return false;
  const i = lastAtOrBefore(c.markTime, t0);
  for (let k = Math.max(0, i - 1); k <= i + 1 && k < c.markTime.length; k++) {
    if (!inp.cycleDone[k] || inp.cycleForced[k]) continue;
    const g = inp.cycleGoalBefore[k], tol = SAME_MARK * g;
    if (!(g > 0) || Math.abs(goal - g) > tol || Math.abs(hStart - inp.cycleHeapStart[k]) > tol) continue;
    if (Math.abs(t0 - c.markTime[k]) <= SAME_MARK * (c.markEnd[k] - c.markTime[k]) && Math.abs(aStart - allocAtTime(inp, c.markTime[k])) <= tol) return true;
  }
  return false;
}

/**
 * What a mark adds to the cons/mark estimate, in bytes allocated during a mark (see ConsMark).
 * The runtime's estimate counts the assists: its utilization u is the background workers' 0.25
 * plus the assists' share of the procs [SRC endCycle], and it is the allocation per unit of scan
 * work whoever did it. A model mark cut at the overshoot bound before its scan work at the
 * trace's pace was done (`planned` ns of it, `done` ns run) had the rest done by assists. With
 * the workers' scan rate and the mutator's allocation rate those of the trace, the mark's real
 * time T has u·T = 0.25·planned and (1 − u)·T = 0.75·done, so the runtime's multiplier 3u/(1 − u)
 * (1 with no assists) is planned/done: the estimate is what the mark would have allocated over
 * its planned time, at most what the trace's marks allocated over that span (markAllowance).
 * With one proc the mark's time is the lone goroutine's assists already (step 6).
 */
function consMarkSample(inp: WhatIfInput, c: Calibration, start: number, planned: number, done: number, allocated: number, oneProc: boolean, mutator: boolean): number {
  if (oneProc || !(planned > done)) return allocated;
  return Math.max(allocated, Math.min(allocated * planned / Math.max(1_000, done), markAllowance(inp, c, start, start + planned, mutator)));
}

/**
 * What a mark from t0 to t1 may allocate: what the trace's marks allocated while they ran, the
 * trace's mark rate between them; with `mutator`, the mutator's rate between the trace's marks
 * throughout (a zero-state trace's marks were parked: their rate says nothing of a mark with a runway).
 */
function markAllowance(inp: WhatIfInput, c: Calibration, t0: number, t1: number, mutator = false): number {
  if (mutator) return c.mutatorRate * Math.max(0, t1 - t0);
  let inMarks = 0, allocIn = 0;
  for (let k = Math.max(0, lastAtOrBefore(c.markTime, t0)); k < c.markTime.length && c.markTime[k] < t1; k++) {
    const a = Math.max(t0, c.markTime[k]), b = Math.min(t1, c.markEnd[k]);
    if (b <= a) continue;
    inMarks += b - a;
    allocIn += allocAtTime(inp, b) - allocAtTime(inp, a);
  }
  return allocIn + c.markAllocRate * Math.max(0, t1 - t0 - inMarks);
}

/** How long marking `work` bytes takes from t: at each trace mark's speed while it ran, the average between. */
function markTimeFrom(c: Calibration, t0: number, work: number, scale: number): number {
  let left = Math.max(1, work), t = t0;
  let k = Math.max(0, lastAtOrBefore(c.markTime, t0));
  for (let guard = 0; guard < 100_000; guard++) {
    const inMark = k < c.markTime.length && t >= c.markTime[k] && t < c.markEnd[k];
    const rate = (inMark ? c.markNsPerByteAt[k] : c.markNsPerByte) * scale;
    // Until the next boundary: the end of this mark, or the start of the next.
    let next = Infinity;
    if (inMark) next = c.markEnd[k];
    else {
      while (k < c.markTime.length && c.markTime[k] <= t) k++;
      if (k < c.markTime.length) next = c.markTime[k];
    }
    const need = left * rate;
    if (t + need <= next) return t + need - t0;
    left -= (next - t) / rate;
    t = next;
    if (inMark) k++;
  }
  return t - t0;
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
