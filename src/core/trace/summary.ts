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


/** What a Metric's or range's name is to the summary. */
const enum Name { Unseen, Gomaxprocs, GcMark, Stw, Other }

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
  /** What each string id names, as far as the summary cares (0: not looked at yet). */
  private nameClass = new Uint8Array(64);

  constructor(private readonly version: string, private readonly strings: StringTable) {}

  add(ev: EventColumns): void {
    // Counted on every call (a generation's slices add 0): a field touched only at a
    // generation's last slice had no feedback when the loop below was first optimized.
    this.generations += ev.more ? 0 : 1;
    const n = ev.count;
    if (n === 0) return;
    if (Number.isNaN(this.first)) this.first = ev.time[0];
    this.last = ev.time[n - 1];
    this.events += n;
    const kind = ev.kind, from = ev.b;
    for (let i = 0; i < n; i++) {
      const k = kind[i];
      // Nearly every event is a state transition that creates nothing: one column read each.
      if (k === EventKind.StateTransition) {
        if (from[i] === GoState.NotExist && ev.r[i] === ResourceKind.Goroutine && ev.c[i] !== GoState.NotExist) this.created++;
      } else if (k === EventKind.Metric || k === EventKind.RangeBegin || k === EventKind.RangeEnd) {
        this.named(ev, i, k);
      }
    }
  }

  /** A Metric, RangeBegin or RangeEnd event: its name is classified once per string id. */
  private named(ev: EventColumns, i: number, k: number): void {
    const id = ev.s1[i];
    let cls = id >= 0 && id < this.nameClass.length ? this.nameClass[id] : Name.Unseen;
    if (cls === Name.Unseen) {
      const name = this.strings.get(id);
      cls = name === METRIC_GOMAXPROCS ? Name.Gomaxprocs
        : name === RANGE_GC_MARK ? Name.GcMark
          : name !== undefined && name.startsWith(RANGE_STW_PREFIX) ? Name.Stw : Name.Other;
      if (id >= 0) {
        // The table grows with the trace's strings (new STW reasons appear as it goes).
        if (id >= this.nameClass.length) {
          const grown = new Uint8Array(Math.max(id + 1, this.nameClass.length * 2, 64));
          grown.set(this.nameClass);
          this.nameClass = grown;
        }
        this.nameClass[id] = cls;
      }
    }
    if (k === EventKind.Metric) {
      if (cls === Name.Gomaxprocs) this.gomaxprocs = ev.a[i];
    } else if (k === EventKind.RangeBegin) {
      if (cls === Name.GcMark) this.gc++;
      else if (cls === Name.Stw) { this.stwCount++; this.stwOpenAt = ev.time[i]; }
    } else if (cls === Name.Stw && !Number.isNaN(this.stwOpenAt)) {
      this.stwTotal += ev.time[i] - this.stwOpenAt;
      this.stwOpenAt = NaN;
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
