// A trace opened progressively: what the timeline shows of the generations read so far. The
// replay's model grows in place; a snapshot indexes the spans that have closed by then, with
// its extent frozen at the last event read, and is made again as more generations arrive.
import type { RuntimeModel } from '../core/runtime/model';
import { Timeline } from '../core/runtime/timeline';
import { traceWriters } from '../core/trace/open';
import type { TraceSummary } from '../core/trace/summary';
import type { TraceViewSummary } from '../protocol/trace';

/**
 * The timeline of the model as it is now (the model keeps growing; the snapshot's end does
 * not), extending the previous snapshot's indexes rather than building them again.
 */
export function snapshotTimeline(model: RuntimeModel, previous?: Timeline): Timeline {
  return new Timeline({ ...model, end: model.end }, previous, true);
}

function countTasks(model: RuntimeModel): number {
  let tasks = 0;
  for (const _ of model.tasks.values()) tasks++;
  return tasks;
}

/** The summary of a fully read trace. */
export function fullSummary(id: string, fileName: string, s: TraceSummary, tl: Timeline, decodeMs: number): TraceViewSummary {
  const model = tl.model;
  return {
    id, fileName, format: s.format, ...writers(s.format), durationNs: model.end, events: s.events, gomaxprocs: s.gomaxprocs,
    procs: tl.procs(), threads: tl.threads(), goroutines: model.goroutines.size, gcCycles: s.gcCycles, stw: s.stw.count,
    tasks: countTasks(model), regions: model.regions.length, cpuSamples: model.cpuSamples.time.length, decodeMs,
  };
}

/** The summary so far of a trace still being read, from its snapshot (counts from the model, not the summary pass). */
export function partialSummary(id: string, fileName: string, format: string, events: number, tl: Timeline, decodeMs: number, fraction: number): TraceViewSummary {
  const model = tl.model;
  const max = model.gomaxprocs.last;
  return {
    id, fileName, format, ...writers(format), durationNs: model.end, events, gomaxprocs: Number.isFinite(max) ? max : 0,
    procs: tl.procs(), threads: tl.threads(), goroutines: model.goroutines.size, gcCycles: model.gcCycles.count, stw: model.stw.count,
    tasks: countTasks(model), regions: model.regions.length, cpuSamples: model.cpuSamples.time.length, decodeMs,
    loading: { fraction },
  };
}

function writers(format: string): { writtenBy?: string } {
  const w = traceWriters(format);
  return w ? { writtenBy: w } : {};
}
