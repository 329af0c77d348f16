// The counts `golens trace` prints, by the reference reader's rules
// (test/fixtures/go-reference/README.md): every event it yields (Syncs included, a
// goroutine switch as its three events), goroutines leaving "does not exist", GC cycles
// beginning inside the trace, and last event time minus first.
import {
  EventKind, GoState, METRIC_GOMAXPROCS, RANGE_GC_MARK, RANGE_STW_PREFIX, ResourceKind, type EventColumns, type StringTable,
} from './events';

export interface TraceSummary {
  format: string;
  durationNs: number;
  events: number;
  gomaxprocs: number;
  goroutinesCreated: number;
  gcCycles: number;
  stw: { count: number; totalNs: number };
  generations: number;
}


/** Folds generations into a running summary; memory stays constant. */
export class SummaryBuilder {
  private first = NaN;
  private last = NaN;
  private events = 0;
  private gomaxprocs = 0;
  private created = 0;
  private gc = 0;
  private stwCount = 0;
  private stwTotal = 0;
  private generations = 0;
  /** STW ranges open at a generation's end, by scope id (they are global; one at a time). */
  private stwOpenAt = NaN;

  constructor(private readonly version: string, private readonly strings: StringTable) {}

  add(ev: EventColumns): void {
    if (!ev.more) this.generations++;
    const s = this.strings;
    for (let i = 0; i < ev.count; i++) {
      const t = ev.time[i];
      if (Number.isNaN(this.first)) this.first = t;
      this.last = t;
      this.events++;
      switch (ev.kind[i]) {
        case EventKind.StateTransition:
          if (ev.r[i] === ResourceKind.Goroutine && ev.b[i] === GoState.NotExist && ev.c[i] !== GoState.NotExist) this.created++;
          break;
        case EventKind.Metric:
          if (s.get(ev.s1[i]) === METRIC_GOMAXPROCS) this.gomaxprocs = ev.a[i];
          break;
        case EventKind.RangeBegin: {
          const name = s.get(ev.s1[i]);
          if (name === RANGE_GC_MARK) this.gc++;
          else if (name.startsWith(RANGE_STW_PREFIX)) { this.stwCount++; this.stwOpenAt = t; }
          break;
        }
        case EventKind.RangeEnd:
          if (s.get(ev.s1[i]).startsWith(RANGE_STW_PREFIX) && !Number.isNaN(this.stwOpenAt)) {
            this.stwTotal += t - this.stwOpenAt;
            this.stwOpenAt = NaN;
          }
          break;
      }
    }
  }

  finish(): TraceSummary {
    return {
      format: this.version,
      durationNs: Number.isNaN(this.first) ? 0 : this.last - this.first,
      events: this.events,
      gomaxprocs: this.gomaxprocs,
      goroutinesCreated: this.created,
      gcCycles: this.gc,
      stw: { count: this.stwCount, totalNs: this.stwTotal },
      generations: this.generations,
    };
  }
}
