// The scans the trace findings keep up while a trace is read (the scheduler's, the leaks', the
// longest spans'), made in one walk over the goroutine spans closed since the last: each span's
// id, state, start and end read once for all three (three walks read them three times).

/** A scan that walks the goroutine span table in order and resumes where it stopped. */
export interface SpanScan {
  readonly model: { gSpans: { count: number; id(i: number): number; state(i: number): number; start(i: number): number; end(i: number): number } };
  readonly scanned: number;
  visit(i: number, id: number, st: number, a: number, b: number): void;
  caughtUp(n: number): unknown;
  scan(): unknown;
}

/** Walks the spans each scan has not (one walk when they stopped at the same span of the same table, as kept together they do). */
export function scanTogether(a: SpanScan, b: SpanScan, c: SpanScan): void {
  const t = a.model.gSpans, n = t.count, from = a.scanned;
  if (b.model.gSpans !== t || c.model.gSpans !== t || b.scanned !== from || c.scanned !== from) {
    a.scan(); b.scan(); c.scan();
    return;
  }
  for (let i = from; i < n; i++) {
    const id = t.id(i), st = t.state(i), x = t.start(i), y = t.end(i);
    a.visit(i, id, st, x, y);
    b.visit(i, id, st, x, y);
    c.visit(i, id, st, x, y);
  }
  a.caughtUp(n); b.caughtUp(n); c.caughtUp(n);
}
