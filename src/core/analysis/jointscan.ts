// The scans the trace findings keep up while a trace is read (the scheduler's, the leaks', the
// longest spans'), made in one walk over the goroutine spans closed since the last: each span's
// id, state, start and end read once for all three (three walks read them three times).

import type { RuntimeModel } from '../runtime/model';
import { LONG_SPAN } from '../runtime/spans';

/**
 * A scan that walks the goroutine span table in order and resumes where it stopped: a subclass
 * says what one span does to it (visit) and, if it must, what catching up to n spans does.
 */
export abstract class SpanScan {
  private done = 0;

  constructor(readonly model: RuntimeModel) {}

  /** Walks span i of the table (id, state, start and end read by the caller: a joint walk reads them once for every scan). */
  abstract visit(i: number, id: number, st: number, a: number, b: number): void;

  /** Walks the spans closed since the last call. */
  scan(): this {
    const t = this.model.gSpans, n = t.count;
    for (let i = this.done; i < n; i++) this.visit(i, t.id(i), t.state(i), t.start(i), t.end(i));
    return this.caughtUp(n);
  }

  /** Spans walked so far (the table's first ones). */
  get scanned(): number { return this.done; }

  /** The first n spans are walked (by visit). */
  caughtUp(n: number): this { this.done = n; return this; }
}

/** Walks the spans each scan has not (one walk when they stopped at the same span of the same table, as kept together they do). */
export function scanTogether(a: SpanScan, b: SpanScan, c: SpanScan): void {
  const t = a.model.gSpans, n = t.count, from = a.scanned;
  if (b.model.gSpans !== t || c.model.gSpans !== t || b.scanned !== from || c.scanned !== from) {
    a.scan(); b.scan(); c.scan();
    return;
  }
  // A chunk's columns at a time (the accessors' chunk arithmetic once per chunk, not per value).
  for (let i = from; i < n;) {
    const cols = t.columnsAt(i), ids = cols.id, states = cols.state, base = cols.endBase, ends = cols.ends, lengths = cols.lengths;
    for (let j = i - cols.from, last = Math.min(n - cols.from, cols.n); j < last; j++, i++) {
      const y = base + ends[j], len = lengths[j];
      const id = ids[j], st = states[j], x = len === LONG_SPAN ? t.start(i) : y - len;
      a.visit(i, id, st, x, y);
      b.visit(i, id, st, x, y);
      c.visit(i, id, st, x, y);
    }
  }
  a.caughtUp(n); b.caughtUp(n); c.caughtUp(n);
}
