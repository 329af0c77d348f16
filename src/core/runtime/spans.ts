// Spans — a resource in one state over [start, end) — stored as columns in fixed-size
// chunks (the first grows from small by doubling; later ones are never copied), each column
// of a chunk as narrow as its values allow: ids, states, procs, threads, reasons and stacks
// start as 8-bit integers and a chunk's column is widened (16, 32 bits, then a double) only
// when a value needs it; an end is stored as 32-bit nanoseconds past its chunk's first end,
// a start as its span's length. Every value reads back exactly as pushed; a goroutine span
// of a real trace costs ~20 bytes instead of 56. Read them through the accessors.

const SHIFT = 16;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
/** The first chunk starts this small and doubles: most tables hold few spans, and fresh memory is slow to touch. */
const FIRST = 256;
/** A span's length that does not fit 32 bits: its start is kept apart, in `longStarts`. */
const LONG = 0xffffffff;

type IntColumn = Int8Array | Int16Array | Int32Array | Float64Array;
const WIDER = [Int8Array, Int16Array, Int32Array, Float64Array] as const;

/** The narrowest column (index in WIDER) that holds v exactly (NaN, fractions and big ids need a double). */
function widthOf(v: number): number {
  if (v === (v << 24) >> 24) return 0;
  if (v === (v << 16) >> 16) return 1;
  if (v === (v | 0)) return 2;
  return 3;
}

/** One integer column: a typed array per chunk, each only as wide as what it holds. */
class Ints {
  readonly chunks: IntColumn[] = [];
  /** The last chunk (the one set() writes): chunks[chunks.length - 1]. */
  private last: IntColumn = new Int8Array(0);
  private width = 0;

  /** Starts a chunk of n (narrow until a value needs more). */
  add(n: number): void { this.last = new Int8Array(n); this.chunks.push(this.last); this.width = 0; }

  /** Makes the last chunk n long (the first chunk's doubling). */
  resize(n: number): void {
    const c = new WIDER[this.width](n);
    c.set(this.last);
    this.chunks[this.chunks.length - 1] = this.last = c;
  }

  set(j: number, v: number): void {
    if (v !== (v << 24) >> 24) {
      const w = widthOf(v);
      if (w > this.width) {
        const wide = new WIDER[w](this.last.length);
        wide.set(this.last);
        this.chunks[this.chunks.length - 1] = this.last = wide;
        this.width = w;
      }
    }
    this.last[j] = v;
  }

  /** Bytes held. */
  get bytes(): number { let b = 0; for (const c of this.chunks) b += c.byteLength; return b; }
}

/**
 * One chunk's columns, in place: spans [from, from + n) of a table. A walk over many spans reads
 * them here without each accessor's chunk arithmetic (not to be changed, nor kept past a push).
 */
export interface SpanColumns {
  readonly from: number;
  readonly n: number;
  readonly id: ArrayLike<number>;
  readonly state: ArrayLike<number>;
  readonly p: ArrayLike<number>;
  readonly m: ArrayLike<number>;
  /** end(from + j) is endBase + ends[j]. */
  readonly endBase: number;
  readonly ends: ArrayLike<number>;
  /** start(from + j) is endBase + ends[j] - lengths[j], unless lengths[j] is LONG_SPAN (then read start() itself). */
  readonly lengths: Uint32Array;
}

/** A length that does not say the span's start (SpanColumns.lengths). */
export const LONG_SPAN = LONG;

export interface SpanTableOptions {
  /** Whether spans carry a goroutine (proc spans and ranges do; goroutine spans are their own id). */
  withG?: boolean;
}

export class SpanTable {
  count = 0;
  private readonly withG: boolean;
  private readonly ids = new Ints();
  private readonly states = new Ints();
  private readonly ps = new Ints();
  private readonly ms = new Ints();
  private readonly gs = new Ints();
  private readonly reasons = new Ints();
  private readonly stacks = new Ints();
  /** Per chunk: the first end pushed, and each end past it (or, once one does not fit, -0 and the ends themselves). */
  private readonly endBase: number[] = [];
  private readonly ends: (Uint32Array | Float64Array)[] = [];
  private endWide = false;
  /** Per chunk: each span's length (LONG: its start is in longStarts). */
  private readonly lengths: Uint32Array[] = [];
  private readonly longStarts = new Map<number, number>();
  /** The first chunk's length (it doubles up to CHUNK). */
  private firstLength = 0;

  constructor(opts: SpanTableOptions = {}) {
    this.withG = opts.withG ?? false;
  }

  push(id: number, start: number, end: number, state: number, p: number, m: number, g: number, reason: number, stack: number): void {
    const i = this.count;
    const j = i & MASK;
    if (j === 0) this.newChunk(i === 0 ? FIRST : CHUNK, end);
    else if (j === this.firstLength) this.growFirst();
    const c = i >>> SHIFT;
    this.ids.set(j, id); this.states.set(j, state); this.ps.set(j, p); this.ms.set(j, m);
    this.reasons.set(j, reason); this.stacks.set(j, stack);
    if (this.withG) this.gs.set(j, g);
    const base = this.endBase[c];
    const d = end - base;
    if (!this.endWide && !(d >>> 0 === d && Object.is(base + d, end))) this.widenEnds(c, j);
    this.ends[c][j] = this.endWide ? end : d;
    const len = end - start;
    if (len >>> 0 === len && len !== LONG && Object.is(end - len, start)) this.lengths[c][j] = len;
    else { this.lengths[c][j] = LONG; this.longStarts.set(i, start); }
    this.count++;
  }

  /** The resource: goroutine id, proc id, or range scope id (NONE for global ranges). */
  id(i: number): number { return this.ids.chunks[i >>> SHIFT][i & MASK]; }
  start(i: number): number {
    const c = i >>> SHIFT, j = i & MASK;
    const len = this.lengths[c][j];
    return len === LONG ? this.longStarts.get(i)! : this.endBase[c] + this.ends[c][j] - len;
  }
  end(i: number): number { const c = i >>> SHIFT; return this.endBase[c] + this.ends[c][i & MASK]; }
  /** A GoState / ProcState; for ranges, what the range's table says (the STW/sweep name's string id). */
  state(i: number): number { return this.states.chunks[i >>> SHIFT][i & MASK]; }
  /** Proc and thread while a goroutine runs (NONE otherwise). */
  p(i: number): number { return this.ps.chunks[i >>> SHIFT][i & MASK]; }
  m(i: number): number { return this.ms.chunks[i >>> SHIFT][i & MASK]; }
  /** The goroutine of a proc span or range (NONE unless the table was made withG). */
  g(i: number): number { return this.withG ? this.gs.chunks[i >>> SHIFT][i & MASK] : -1; }
  /** Why it entered the state (string id) and where (stack id). */
  reason(i: number): number { return this.reasons.chunks[i >>> SHIFT][i & MASK]; }
  stack(i: number): number { return this.stacks.chunks[i >>> SHIFT][i & MASK]; }

  /** The columns of the chunk holding span i (i < count). */
  columnsAt(i: number): SpanColumns {
    const c = i >>> SHIFT, from = c << SHIFT;
    return {
      from, n: Math.min(this.count - from, CHUNK), id: this.ids.chunks[c], state: this.states.chunks[c], p: this.ps.chunks[c], m: this.ms.chunks[c],
      endBase: this.endBase[c], ends: this.ends[c], lengths: this.lengths[c],
    };
  }

  /** One column's values for every span (a copy, for tests and small tables). */
  column(name: 'id' | 'start' | 'end' | 'state' | 'p' | 'm' | 'g' | 'reason' | 'stack'): Float64Array {
    const out = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this[name](i);
    return out;
  }

  /** Bytes its columns hold (what the narrow columns save is measured with it). */
  get bytes(): number {
    let b = 0;
    for (const col of [this.ids, this.states, this.ps, this.ms, this.gs, this.reasons, this.stacks]) b += col.bytes;
    for (const c of this.ends) b += c.byteLength;
    for (const c of this.lengths) b += c.byteLength;
    return b + this.longStarts.size * 16;
  }

  private newChunk(n: number, firstEnd: number): void {
    for (const col of [this.ids, this.states, this.ps, this.ms, this.reasons, this.stacks]) col.add(n);
    this.gs.add(this.withG ? n : 0);
    this.endBase.push(firstEnd);
    this.ends.push(new Uint32Array(n));
    this.endWide = false;
    this.lengths.push(new Uint32Array(n));
    if (this.count === 0) this.firstLength = n;
  }

  /** Doubles the first chunk (the only one that starts short), up to a full chunk. */
  private growFirst(): void {
    const n = Math.min(CHUNK, this.firstLength * 2);
    for (const col of [this.ids, this.states, this.ps, this.ms, this.reasons, this.stacks]) col.resize(n);
    if (this.withG) this.gs.resize(n);
    const e = this.endWide ? new Float64Array(n) : new Uint32Array(n);
    e.set(this.ends[0]);
    this.ends[0] = e;
    const l = new Uint32Array(n);
    l.set(this.lengths[0]);
    this.lengths[0] = l;
    this.firstLength = n;
  }

  /** An end that is not a whole number of ns within 2^32 of the chunk's first: the chunk keeps its ends as they are. */
  private widenEnds(c: number, filled: number): void {
    const old = this.ends[c], base = this.endBase[c];
    const wide = new Float64Array(old.length);
    for (let j = 0; j < filled; j++) wide[j] = base + old[j];
    this.ends[c] = wide;
    // -0 + x is x for every x (+0 would turn a -0 end into 0).
    this.endBase[c] = -0;
    this.endWide = true;
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
