// One walk over a trace's events, feeding any set of collectors — as cmd/trace feeds one
// event stream to its summarizer and its views. A trace is decoded once, however many
// things are computed from it: the runtime model (the replay), the summary counts, the
// contention pairs, the GC's use of the procs… Each collector sees every generation in
// order and is finished with the time of the trace's last event.
import type { EventColumns, TraceReader } from '../trace/events';
import { SummaryBuilder, type TraceSummary } from '../trace/summary';
import type { RuntimeModel } from './model';
import { Replayer } from './replay';

export interface Collector<R> {
  /** One generation's events (valid until the next call: copy what must outlive it). */
  add(ev: EventColumns): void;
  /** `end`: the time of the trace's last event (ns since its first). */
  finish(end: number): R;
}

/** Makes a collector for a trace once it is open (its string and stack tables known). */
export type CollectorFactory<R> = (reader: TraceReader) => Collector<R>;

export type Factories = Record<string, CollectorFactory<unknown>>;
export type Collected<C extends Factories> = { [K in keyof C]: C[K] extends CollectorFactory<infer R> ? R : never };

/**
 * A pass in progress: step() feeds the next generation to every collector (the caller may
 * yield, report progress or stop between steps), finish() finishes them in the order given.
 * Collectors are made in the order given too (they may intern strings in the shared table).
 */
export class TracePass<C extends Factories> {
  private readonly collectors: [keyof C, Collector<unknown>][];
  private end = 0;
  /** Generations read so far (a generation handed out in slices counts once, at its last). */
  generations = 0;

  constructor(readonly reader: TraceReader, factories: C) {
    this.collectors = Object.entries(factories).map(([k, f]) => [k as keyof C, f(reader)]);
  }

  /** Reads the next generation and feeds it to every collector; false at the end of the trace. */
  step(): boolean {
    const ev = this.reader.next();
    if (!ev) return false;
    if (!ev.more) this.generations++;
    if (ev.count) this.end = Math.max(this.end, ev.time[ev.count - 1]);
    for (const [, c] of this.collectors) c.add(ev);
    return true;
  }

  /** Finishes every collector; `end` is the time of the trace's last event. */
  finish(): Collected<C> & { end: number } {
    const out: Record<string, unknown> = {};
    for (const [k, c] of this.collectors) out[k as string] = c.finish(this.end);
    return { ...(out as Collected<C>), end: this.end };
  }
}

/** Walks the whole trace once, feeding every collector, and returns what each finished with. */
export function runPass<C extends Factories>(reader: TraceReader, factories: C): Collected<C> & { end: number } {
  const pass = new TracePass(reader, factories);
  while (pass.step());
  return pass.finish();
}

/** The replay on the runtime model (it checks the scheduler's invariants as it goes). */
export const modelCollector: CollectorFactory<RuntimeModel> = (r) => new Replayer(r.strings, r.stacks);

/** The replay as a check of the trace: every invariant, no goroutine spans kept (model.gSpans stays empty). */
export const checkCollector: CollectorFactory<RuntimeModel> = (r) => new Replayer(r.strings, r.stacks, { goroutineSpans: false });

/** The counts `golens trace` prints. */
export const summaryCollector: CollectorFactory<TraceSummary> = (r) => new SummaryBuilder(r.version, r.strings);

/** Replays a whole trace. */
export function replay(reader: TraceReader): RuntimeModel {
  return runPass(reader, { model: modelCollector }).model;
}

/** The summary of a whole trace. */
export function summarize(reader: TraceReader): TraceSummary {
  return runPass(reader, { summary: summaryCollector }).summary;
}
