// What the what-if models need of one trace, taken from the replayed model and the GC's use
// of the procs in the same single pass: the allocation timeline, the cycles with their marked
// heap and goal, the GC's CPU and pauses, and each goroutine's run/wait demand.
import { GoState, NONE } from '../trace/events';
import type { RuntimeModel } from '../runtime/model';
import type { GcUse } from './gcuse';
import { gcReportFromTrace } from './gc';

export interface WhatIfMeasured {
  gcCycles: number; peakHeapBytes: number; gcCpuFraction: number; stwTotalNs: number; wallNs: number;
}

/** One goroutine's demand: run for run[k] ns, then wait (a duration, or until a goroutine reaches a point of its work). */
export interface GDemand {
  id: number;
  /** When it first wanted to run (ns), or: created by `creator` after it had run `createdAtRun` ns. */
  startNs: number;
  creator: number;
  createdAtRun: number;
  run: Float64Array;
  /** After run[k]: the wait's duration (NaN for none), or the waker and the waker's run ns at the wake. */
  waitNs: Float64Array;
  waker: Float64Array;
  wakerRun: Float64Array;
}

export interface WhatIfInput {
  /** The trace header's version, e.g. "go 1.23". */
  goVersion: string;
  /** Minor version of the runtime's pacer rules (18, 19 … 27). */
  minor: number;
  durationNs: number;
  gomaxprocs: number;
  measured: WhatIfMeasured;
  /** Heap in use over time (bytes), and the cumulative bytes allocated at each of those times. */
  heapTime: Float64Array;
  heapInUse: Float64Array;
  allocCum: Float64Array;
  goalTime: Float64Array;
  goal: Float64Array;
  /** Cycles that began inside the trace: mark start/end, heap in use at the start, marked heap after, goal before/after, forced (runtime.GC). */
  cycleStart: Float64Array;
  cycleEnd: Float64Array;
  cycleHeapStart: Float64Array;
  cycleMarked: Float64Array;
  /** The highest heap in use during the mark (before the reset to the marked heap). */
  cycleHeapEnd: Float64Array;
  cycleGoalBefore: Float64Array;
  cycleGoalAfter: Float64Array;
  cycleForced: Uint8Array;
  /** GC proc time (as gc.ts counts it), the part in GC pauses, and the proc time available. */
  gcProcNs: number;
  gcStwProcNs: number;
  /** Proc time of idle-priority marking (not in gcProcNs): GC work that found a free proc. */
  idleMarkNs: number;
  capacityProcNs: number;
  /** Wall time in GC pauses, and in other pauses. */
  gcStwNs: number;
  otherStwNs: number;
  /** Proc time goroutines ran (all procs, GC workers included). */
  busyProcNs: number;
  goroutines: GDemand[];
}

function minorOf(version: string): number {
  const m = /1\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 21;
}

/** The inputs from one replayed trace. */
export function whatIfInputFrom(model: RuntimeModel, use: GcUse, version: string): WhatIfInput {
  const gc = gcReportFromTrace(model, use);
  const h = model.heapInUse;
  const heapTime = h.time.slice(0, h.count), heapInUse = h.value.slice(0, h.count);
  const allocCum = new Float64Array(h.count);
  for (let i = 1; i < h.count; i++) allocCum[i] = allocCum[i - 1] + Math.max(0, heapInUse[i] - heapInUse[i - 1]);
  const g = model.heapGoal;

  const idx: number[] = [];
  for (let i = 0; i < model.gcCycles.count; i++) if (model.gcCycles.id(i) === 1) idx.push(i);
  const n = idx.length;
  const cycleStart = new Float64Array(n), cycleEnd = new Float64Array(n), cycleHeapStart = new Float64Array(n);
  const cycleMarked = new Float64Array(n), cycleHeapEnd = new Float64Array(n), cycleGoalBefore = new Float64Array(n), cycleGoalAfter = new Float64Array(n);
  const cycleForced = new Uint8Array(n);
  const forcedStacks = new Set<number>();
  for (const id of use.cycleStacks) if (model.stacks.get(id).some((f) => f.fn === 'runtime.GC')) forcedStacks.add(id);
  // cycleStacks are in the order the cycles began (one per GC-begin event).
  const stackOfCycle = use.cycleStacks.slice(-n);
  idx.forEach((i, k) => {
    const s = model.gcCycles.start(i), e = Math.min(model.gcCycles.end(i), model.end);
    cycleStart[k] = s; cycleEnd[k] = e;
    cycleHeapStart[k] = valueAt(heapTime, heapInUse, s);
    cycleMarked[k] = markedAt(heapTime, heapInUse, e);
    cycleHeapEnd[k] = peakIn(heapTime, heapInUse, s, e);
    cycleGoalBefore[k] = g.at(s);
    cycleGoalAfter[k] = g.at(e + 50_000);
    cycleForced[k] = forcedStacks.has(stackOfCycle[k]) ? 1 : 0;
  });

  let busyProcNs = 0;
  for (let i = 0; i < model.gSpans.count; i++) if (model.gSpans.state(i) === GoState.Running) busyProcNs += model.gSpans.end(i) - model.gSpans.start(i);
  const gcStw = gc.stw.byKind.filter((k) => k.gc).reduce((a, k) => a + k.totalNs, 0);

  return {
    goVersion: version.replace(/^go\s*/, ''),
    minor: minorOf(version),
    durationNs: gc.durationNs,
    gomaxprocs: gc.gomaxprocs || 1,
    measured: { gcCycles: gc.cycles, peakHeapBytes: gc.heap.peakInUseBytes, gcCpuFraction: gc.gcCpuFraction, stwTotalNs: gc.stw.totalNs, wallNs: gc.durationNs },
    heapTime, heapInUse, allocCum,
    goalTime: g.time.slice(0, g.count), goal: g.value.slice(0, g.count),
    cycleStart, cycleEnd, cycleHeapStart, cycleMarked, cycleHeapEnd, cycleGoalBefore, cycleGoalAfter, cycleForced,
    gcProcNs: use.gcProcNs, gcStwProcNs: use.gcStwProcNs, idleMarkNs: use.idleWorkerNs, capacityProcNs: use.capacityProcNs,
    gcStwNs: gcStw, otherStwNs: gc.stw.totalNs - gcStw,
    busyProcNs,
    goroutines: demandOf(model),
  };
}

/** The value in force at t (the first value before the first sample). */
export function valueAt(time: Float64Array, value: Float64Array, t: number): number {
  const i = lastAtOrBefore(time, t);
  return i < 0 ? (value.length ? value[0] : 0) : value[i];
}

export function lastAtOrBefore(time: Float64Array, t: number): number {
  let lo = 0, hi = time.length - 1, ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] <= t) { ans = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return ans;
}

/** The marked heap: the runtime resets heap in use to it at mark termination, just before the cycle's end. */
function markedAt(time: Float64Array, value: Float64Array, end: number): number {
  const j = lastAtOrBefore(time, end + 20_000);
  if (j < 0) return 0;
  let min = value[j];
  for (let i = j; i >= 0 && time[i] >= end - 20_000; i--) min = Math.min(min, value[i]);
  return min;
}

/** The highest value in [s, e), the value in force at s included (the reset at the end excluded). */
function peakIn(time: Float64Array, value: Float64Array, s: number, e: number): number {
  let i = Math.max(0, lastAtOrBefore(time, s));
  let max = value.length ? value[i] : 0;
  for (; i < time.length && time[i] < e - 20_000; i++) max = Math.max(max, value[i]);
  return max;
}

/** Each goroutine's run/wait demand, from its spans (Runnable time is the scheduler's, so it is dropped). */
function demandOf(model: RuntimeModel): GDemand[] {
  const sp = model.gSpans;
  const byG = new Map<number, number[]>();
  for (let i = 0; i < sp.count; i++) {
    const id = sp.id(i);
    let l = byG.get(id);
    if (!l) byG.set(id, (l = []));
    l.push(i);
  }
  // Cumulative run time of each goroutine at a time: for tying wake-ups to the waker's progress.
  const runAt = new Map<number, { t: number[]; run: number[] }>();
  for (const [id, l] of byG) {
    const t: number[] = [], run: number[] = [];
    let acc = 0;
    for (const i of l) {
      if (sp.state(i) !== GoState.Running) continue;
      t.push(sp.start(i)); run.push(acc);
      acc += sp.end(i) - sp.start(i);
      t.push(sp.end(i)); run.push(acc);
    }
    runAt.set(id, { t, run });
  }
  const progress = (g: number, at: number): number => {
    const r = runAt.get(g);
    if (!r || !r.t.length) return 0;
    let lo = 0, hi = r.t.length - 1, k = -1;
    while (lo <= hi) { const mid = (lo + hi) >>> 1; if (r.t[mid] <= at) { k = mid; lo = mid + 1; } else hi = mid - 1; }
    if (k < 0) return 0;
    if (k % 2 === 0 && k + 1 < r.t.length) return r.run[k] + (at - r.t[k]); // inside a running span
    return r.run[k];
  };

  // GC mark workers are the GC's own demand (the pacer model has it): not replayed as goroutines.
  const workerStack = new Map<number, boolean>();
  const isWorkerStack = (st: number) => {
    if (st === NONE) return false;
    let w = workerStack.get(st);
    if (w === undefined) workerStack.set(st, (w = model.stacks.get(st).some((f) => f.fn === 'runtime.gcBgMarkWorker')));
    return w;
  };
  const workers = new Set<number>();
  for (const [id, l] of byG) {
    const gi0 = model.goroutines.get(id);
    // Where it blocked is its own stack (a Runnable span's is its waker's).
    if ((gi0 && gi0.state === GoState.Waiting && isWorkerStack(gi0.stack)) || l.some((i) => sp.state(i) === GoState.Waiting && isWorkerStack(sp.stack(i)))) workers.add(id);
  }
  const out: GDemand[] = [];
  for (const [id, l] of byG) {
    if (workers.has(id)) continue;
    const run: number[] = [], waitNs: number[] = [], waker: number[] = [], wakerRun: number[] = [];
    let cur = 0, started = false, startNs = 0;
    let waitStart = NaN;
    for (const i of l) {
      const st = sp.state(i);
      if (!started) {
        if (st === GoState.Running || st === GoState.Runnable) { started = true; startNs = sp.start(i); } else continue;
      }
      if (st === GoState.Running) {
        // Back from a syscall without losing the proc: the wait ends as it runs again.
        if (!Number.isNaN(waitStart)) { waker.push(NONE); wakerRun.push(0); waitNs.push(sp.start(i) - waitStart); waitStart = NaN; }
        cur += sp.end(i) - sp.start(i);
        continue;
      }
      if (st === GoState.Waiting || st === GoState.Syscall) {
        if (Number.isNaN(waitStart)) { run.push(cur); cur = 0; waitStart = sp.start(i); }
        continue;
      }
      if (st === GoState.Runnable && !Number.isNaN(waitStart)) {
        const by = sp.g(i);
        const wakeAt = sp.start(i);
        if (by !== NONE && by !== id && runAt.has(by) && !workers.has(by)) {
          waker.push(by); wakerRun.push(progress(by, wakeAt)); waitNs.push(NaN);
        } else {
          waker.push(NONE); wakerRun.push(0); waitNs.push(wakeAt - waitStart);
        }
        waitStart = NaN;
      }
    }
    if (!started) continue;
    run.push(cur);
    // The last run has no wait after it.
    waitNs.push(NaN); waker.push(NONE); wakerRun.push(0);
    const gi = model.goroutines.get(id);
    const creator = gi && !Number.isNaN(gi.createdAt) && gi.creator !== NONE && runAt.has(gi.creator) && !workers.has(gi.creator) ? gi.creator : NONE;
    out.push({
      id, startNs, creator, createdAtRun: creator !== NONE ? progress(creator, gi!.createdAt) : 0,
      run: Float64Array.from(run), waitNs: Float64Array.from(waitNs), waker: Float64Array.from(waker), wakerRun: Float64Array.from(wakerRun),
    });
  }
  return out;
}
