// What if GOGC, GOMEMLIMIT or GOMAXPROCS were different? The GC pacer (whatif-pacer.ts) and the
// scheduler (whatif-sched.ts) replayed on one trace's own allocation timeline and goroutine
// demand, after checking that the model reproduces what the trace shows at its own settings.
import { formatNs } from '../format';
import { Replayer } from '../runtime/replay';
import type { CollectorFactory } from '../runtime/pass';
import { traceWriters } from '../trace/open';
import { GcUseCollector } from './gcuse';
import { whatIfInputFrom, type WhatIfInput } from './whatif-input';
import { calibrate, runPacer, stateGap, type Calibration, type Gogc, type PacerResult, type PacerState } from './whatif-pacer';
import { replaySched, type SchedResult } from './whatif-sched';

export type { Gogc, PacerState } from './whatif-pacer';
export type { WhatIfInput } from './whatif-input';
export { whatIfInputFrom } from './whatif-input';

export interface WhatIfSettings { gogc: Gogc; memlimit: number | null; gomaxprocs: number }
export interface WhatIfFigures { gcCycles: number; peakHeapBytes: number; gcCpuFraction: number; stwTotalNs: number; wallNs: number }
export interface WhatIfResult extends WhatIfSettings, WhatIfFigures {
  /** The scheduler replay at these procs (absent for the measured baseline). */
  sched?: SchedResult;
  /** The pacer's steady state the prediction is in (absent for the measured baseline, or without marks to tell). */
  pacerState?: PacerState;
  /**
   * Where a run at these settings could settle in either steady state (the room the highest
   * trigger leaves below the goal is at most two allocations) and the prediction follows the
   * traced run's: the prediction in the other state. Absent where only one state is possible.
   */
  otherState?: WhatIfFigures & { pacerState: PacerState };
}
export interface WhatIfSeries {
  heap: { timeNs: number; inUseBytes: number; goalBytes: number }[];
  cycles: { startNs: number; endNs: number }[];
}
export interface WhatIfReport {
  /** The trace's format ("1.26"): the pacer rules are that release's. */
  goVersion: string;
  /** The Go releases that write that format ("Go 1.26–1.27"). */
  writtenBy?: string;
  baseline: WhatIfResult;
  model: WhatIfResult & WhatIfSeries;
  scenarios: (WhatIfResult & WhatIfSeries)[];
  notes: string[];
}

/** A collector for the trace pass: replays the trace and the GC's proc use, and keeps what the models need. */
export function whatIfCollector(): CollectorFactory<WhatIfInput> {
  return (r) => {
    const model = new Replayer(r.strings, r.stacks);
    const use = new GcUseCollector(r.strings);
    return {
      add(ev) { model.add(ev); use.add(ev); },
      finish(end) { return whatIfInputFrom(model.finish(), use.finish(end), r.version); },
    };
  };
}

/** The model at the baseline's settings and at each scenario (an axis not given keeps the baseline's). */
export function predictWhatIf(input: WhatIfInput, scenarios: Partial<WhatIfSettings>[]): WhatIfReport {
  const c = calibrate(input);
  const base: WhatIfSettings = { gogc: c.gogc, memlimit: c.memlimit, gomaxprocs: input.gomaxprocs };
  const m = input.measured;
  const baseline: WhatIfResult = { ...base, ...m };
  const baseSched = input.goroutines.length ? replaySched(input.goroutines, base.gomaxprocs) : undefined;
  const run = (s: WhatIfSettings) => scenario(input, c, s, baseSched);
  const notes = [...c.notes];
  const writers = traceWriters(`go ${input.goVersion}`);
  notes.push(`GOMAXPROCS=${base.gomaxprocs} from the trace`);
  if (baseSched) notes.push(`the scheduler replay at ${base.gomaxprocs} procs takes ${formatNs(baseSched.wallNs)} for the trace's ${formatNs(input.durationNs)}; other GOMAXPROCS wall times are scaled by that ratio`);
  return {
    goVersion: input.goVersion,
    ...(writers ? { writtenBy: writers } : {}),
    baseline,
    model: run(base),
    scenarios: scenarios.map((p) => run({ gogc: p.gogc ?? base.gogc, memlimit: p.memlimit !== undefined ? p.memlimit : base.memlimit, gomaxprocs: p.gomaxprocs ?? base.gomaxprocs })),
    notes,
  };
}

/**
 * The pacer state of a prediction and the other one where a run could settle in either. A gap
 * (stateGap) over two allocations rules the zero state out: a zero-state trace is then predicted
 * in the runway state. At two or under either can happen (the run's first marks decide): the
 * traced run's state, and the other beside it. The trace's own settings keep its state (the
 * model reproduces the trace). None with one proc (its marks are the lone goroutine's assists
 * already, step 6 of docs/WHATIF.md).
 */
function statesFor(inp: WhatIfInput, c: Calibration, s: WhatIfSettings): { main: PacerState | undefined; other: PacerState | undefined } {
  if (!c.state) return { main: undefined, other: undefined };
  const own = s.gogc === c.gogc && s.memlimit === c.memlimit && s.gomaxprocs === c.gomaxprocs;
  const gap = stateGap(inp, c, s);
  if (s.gomaxprocs <= 1 || !Number.isFinite(gap)) return { main: c.state, other: undefined };
  if (gap > 2) return { main: own ? c.state : 'runway', other: undefined };
  return { main: c.state, other: c.state === 'zero' ? 'runway' : 'zero' };
}

function scenario(inp: WhatIfInput, c: Calibration, s: WhatIfSettings, baseSched: SchedResult | undefined): WhatIfResult & WhatIfSeries {
  const st = statesFor(inp, c, s);
  const pr = runPacer(inp, c, s, st.main);
  const sched = baseSched && s.gomaxprocs !== c.gomaxprocs ? replaySched(inp.goroutines, s.gomaxprocs) : baseSched;
  let other = st.other ? { pacerState: st.other, ...figures(inp, c, s, runPacer(inp, c, s, st.other), sched, baseSched) } : undefined;
  // Both states replayed to the same cycles and peak: nothing to tell apart.
  if (other && other.gcCycles === pr.gcCycles && Math.abs(other.peakHeapBytes - pr.peakHeapBytes) <= 0.01 * pr.peakHeapBytes) other = undefined;
  return {
    ...s, ...figures(inp, c, s, pr, sched, baseSched), sched,
    ...(st.main ? { pacerState: st.main } : {}),
    ...(other ? { otherState: other } : {}),
    heap: pr.heap.map((h) => ({ timeNs: Math.round(h.timeNs), inUseBytes: Math.round(h.inUseBytes), goalBytes: Math.round(h.goalBytes) })),
    cycles: pr.cycles.map((x) => ({ startNs: Math.round(x.startNs), endNs: Math.round(x.endNs) })),
  };
}

/** The scenario's figures from one pacer replay. */
function figures(inp: WhatIfInput, c: Calibration, s: WhatIfSettings, pr: PacerResult, sched: SchedResult | undefined, baseSched: SchedResult | undefined): WhatIfFigures {
  // The GC's proc time: the trace's, scaled as the model's changes from its own baseline run.
  const baseModelGc = baseModel(inp, c).gcProcNs;
  const scale = baseModelGc > 0 ? pr.gcProcNs / baseModelGc : 1;
  const gcProc = baseModelGc > 0 ? inp.gcProcNs * scale : pr.gcProcNs;
  // Wall time, relative to the same estimate at the trace's own settings (so the model row is the trace's).
  // Plus the cost of the heap growing into memory the traced run never touched (page faults, zeroing).
  const fresh = c.freshNsPerByte * Math.max(0, pr.peakHeapBytes - baseModel(inp, c).peakHeapBytes);
  const work = inp.durationNs * (wallEstimate(inp, s.gomaxprocs, sched, scale) / wallEstimate(inp, c.gomaxprocs, baseSched, 1));
  const wall = Math.max(0.1 * inp.durationNs, work + fresh);
  // Capacity: the trace's own (GOMAXPROCS may change inside it) stretched to the new wall time, or N procs.
  // The fresh-memory time is left out: with it, the fixtures' GC CPU at high GOGC comes out lower than measured.
  const capacity = s.gomaxprocs === c.gomaxprocs && inp.capacityProcNs > 0 ? inp.capacityProcNs * (work / inp.durationNs) : work * Math.max(1, s.gomaxprocs);
  let frac = Math.max(0, gcProc) / capacity;
  // The GC CPU limiter (1.19+): at most half the procs over its window, whatever the settings.
  // (gc.ts counts pauses and assists in full, so a trace may already show more: then that is the cap.)
  if (inp.minor >= 19) frac = Math.min(frac, Math.max(0.5, inp.measured.gcCpuFraction));
  return { gcCycles: pr.gcCycles, peakHeapBytes: Math.round(pr.peakHeapBytes), gcCpuFraction: frac, stwTotalNs: Math.round(pr.stwTotalNs), wallNs: Math.round(wall) };
}

/**
 * Wall time on N procs: the goroutines' own demand replayed (their runs and waits), then the
 * GC's work (its proc time, idle marking included) that the procs the goroutines leave idle
 * cannot absorb, spread over the N procs. `gcScale`: the GC work against the trace's.
 */
function wallEstimate(inp: WhatIfInput, procs: number, sched: SchedResult | undefined, gcScale: number): number {
  const P = Math.max(1, procs);
  const mutator = inp.goroutines.reduce((a, g) => a + g.run.reduce((x, y) => x + y, 0), 0);
  const base = sched && sched.wallNs > 0 ? sched.wallNs : inp.durationNs;
  const gcWork = (inp.gcProcNs + inp.idleMarkNs) * gcScale;
  const idle = Math.max(0, P * base - mutator);
  return base + Math.max(0, gcWork - idle) / P;
}

const cache = new WeakMap<Calibration, PacerResult>();
/** The model at the baseline's own settings (scenarios' GC time and peak are taken relative to it). */
function baseModel(inp: WhatIfInput, c: Calibration): PacerResult {
  let v = cache.get(c);
  if (v === undefined) {
    v = runPacer(inp, c, { gogc: c.gogc, memlimit: c.memlimit, gomaxprocs: c.gomaxprocs });
    cache.set(c, v);
  }
  return v;
}
