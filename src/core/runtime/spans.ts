// Spans — a resource in one state over [start, end) — stored as growable columns. The model
// keeps one table for goroutines, one for procs and one for ranges (GC, STW, sweep, assist).

export class SpanTable {
  count = 0;
  private cap: number;
  /** The resource: goroutine id, proc id, or range scope id (NONE for global ranges). */
  id: Float64Array;
  start: Float64Array;
  end: Float64Array;
  /** A GoState / ProcState, or for ranges an interned name id. */
  state: Int32Array;
  /** Context while in the span: proc and thread (goroutines running), goroutine (procs running). */
  p: Float64Array;
  m: Float64Array;
  g: Float64Array;
  /** Why it entered the state (string id) and where (stack id). */
  reason: Int32Array;
  stack: Int32Array;

  constructor(cap = 1024) {
    this.cap = cap;
    this.id = new Float64Array(cap); this.start = new Float64Array(cap); this.end = new Float64Array(cap);
    this.state = new Int32Array(cap); this.p = new Float64Array(cap); this.m = new Float64Array(cap); this.g = new Float64Array(cap);
    this.reason = new Int32Array(cap); this.stack = new Int32Array(cap);
  }

  push(id: number, start: number, end: number, state: number, p: number, m: number, g: number, reason: number, stack: number): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.id[i] = id; this.start[i] = start; this.end[i] = end; this.state[i] = state;
    this.p[i] = p; this.m[i] = m; this.g[i] = g; this.reason[i] = reason; this.stack[i] = stack;
    return i;
  }

  private grow(): void {
    this.cap *= 2;
    const f = (a: Float64Array) => { const b = new Float64Array(this.cap); b.set(a); return b; };
    const n = (a: Int32Array) => { const b = new Int32Array(this.cap); b.set(a); return b; };
    this.id = f(this.id); this.start = f(this.start); this.end = f(this.end); this.state = n(this.state);
    this.p = f(this.p); this.m = f(this.m); this.g = f(this.g); this.reason = n(this.reason); this.stack = n(this.stack);
  }
}

/** A value over time (heap in use, heap goal, GOMAXPROCS, goroutines in a state). */
export class Counter {
  count = 0;
  time: Float64Array = new Float64Array(256);
  value: Float64Array = new Float64Array(256);

  push(t: number, v: number): void {
    if (this.count > 0 && this.time[this.count - 1] === t) { this.value[this.count - 1] = v; return; }
    if (this.count === this.time.length) {
      const t2 = new Float64Array(this.count * 2); t2.set(this.time); this.time = t2;
      const v2 = new Float64Array(this.count * 2); v2.set(this.value); this.value = v2;
    }
    this.time[this.count] = t;
    this.value[this.count] = v;
    this.count++;
  }

  /** The value in force at time t (NaN before the first sample). */
  at(t: number): number {
    let lo = 0, hi = this.count - 1, ans = NaN;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time[mid] <= t) { ans = this.value[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  }

  get last(): number {
    return this.count ? this.value[this.count - 1] : NaN;
  }
}
