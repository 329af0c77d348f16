// Spans — a resource in one state over [start, end) — stored as columns in fixed-size
// chunks (the first grows from small by doubling; later ones are never copied): memory
// grows in small steps, so a trace with tens of millions of spans costs ~48 bytes each and
// no more. `state` is 32 bits wide because range tables keep the range's name there, a
// string id that a trace's string table can push past 255. Read them through the accessors.

const SHIFT = 16;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
/** The first chunk starts this small and doubles: most tables hold few spans, and fresh memory is slow to touch. */
const FIRST = 256;

interface Chunk {
  id: Float64Array; start: Float64Array; end: Float64Array; state: Int32Array;
  p: Int32Array; m: Float64Array; g: Float64Array; reason: Int32Array; stack: Int32Array;
}

export interface SpanTableOptions {
  /** Whether spans carry a goroutine (proc spans and ranges do; goroutine spans are their own id). */
  withG?: boolean;
}

export class SpanTable {
  count = 0;
  private readonly chunks: Chunk[] = [];
  private readonly withG: boolean;

  constructor(opts: SpanTableOptions = {}) {
    this.withG = opts.withG ?? false;
  }

  push(id: number, start: number, end: number, state: number, p: number, m: number, g: number, reason: number, stack: number): void {
    const i = this.count & MASK;
    if (i === 0) this.chunks.push(this.newChunk(this.count === 0 ? FIRST : CHUNK));
    else if (i === this.chunks[0].id.length) this.growFirst();
    const c = this.chunks[this.chunks.length - 1];
    c.id[i] = id; c.start[i] = start; c.end[i] = end; c.state[i] = state;
    c.p[i] = p; c.m[i] = m; c.reason[i] = reason; c.stack[i] = stack;
    if (this.withG) c.g[i] = g;
    this.count++;
  }

  /** The resource: goroutine id, proc id, or range scope id (NONE for global ranges). */
  id(i: number): number { return this.chunks[i >>> SHIFT].id[i & MASK]; }
  start(i: number): number { return this.chunks[i >>> SHIFT].start[i & MASK]; }
  end(i: number): number { return this.chunks[i >>> SHIFT].end[i & MASK]; }
  /** A GoState / ProcState; for ranges, what the range's table says (the STW/sweep name's string id). */
  state(i: number): number { return this.chunks[i >>> SHIFT].state[i & MASK]; }
  /** Proc and thread while a goroutine runs (NONE otherwise). */
  p(i: number): number { return this.chunks[i >>> SHIFT].p[i & MASK]; }
  m(i: number): number { return this.chunks[i >>> SHIFT].m[i & MASK]; }
  /** The goroutine of a proc span or range (NONE unless the table was made withG). */
  g(i: number): number { return this.withG ? this.chunks[i >>> SHIFT].g[i & MASK] : -1; }
  /** Why it entered the state (string id) and where (stack id). */
  reason(i: number): number { return this.chunks[i >>> SHIFT].reason[i & MASK]; }
  stack(i: number): number { return this.chunks[i >>> SHIFT].stack[i & MASK]; }

  /** One column's values for every span (a copy, for tests and small tables). */
  column(name: 'id' | 'start' | 'end' | 'state' | 'p' | 'm' | 'g' | 'reason' | 'stack'): Float64Array {
    const out = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this[name](i);
    return out;
  }

  private newChunk(n: number): Chunk {
    return {
      id: new Float64Array(n), start: new Float64Array(n), end: new Float64Array(n), state: new Int32Array(n),
      p: new Int32Array(n), m: new Float64Array(n), g: this.withG ? new Float64Array(n) : new Float64Array(0),
      reason: new Int32Array(n), stack: new Int32Array(n),
    };
  }

  /** Doubles the first chunk (the only one that starts short), up to a full chunk. */
  private growFirst(): void {
    const old = this.chunks[0];
    const c = this.newChunk(Math.min(CHUNK, old.id.length * 2));
    for (const k of Object.keys(c) as (keyof Chunk)[]) if (k !== 'g' || this.withG) c[k].set(old[k] as never);
    this.chunks[0] = c;
  }
}

/** A value over time (heap in use, heap goal, GOMAXPROCS). */
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
