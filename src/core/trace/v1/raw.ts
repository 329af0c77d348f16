// The old format's events as the parser leaves them: one row per timed event, in
// columns, with the per-P batches as ranges of rows. Times are CPU ticks relative to the
// first batch until the orderer turns them into nanoseconds.
import { FormatError } from '../../errors';

/**
 * A column that is 0 on most rows (the third argument: only a few event types have one):
 * the rows that are not, with their values, in row order. Rows are set in increasing order
 * (the parser appends), a row may be set again while it is the last.
 */
export class SparseColumn {
  private rows = new Int32Array(64);
  private values = new Float64Array(64);
  private n = 0;

  get(row: number): number {
    let lo = 0, hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.rows[mid];
      if (r === row) return this.values[mid];
      if (r < row) lo = mid + 1; else hi = mid - 1;
    }
    return 0;
  }

  set(row: number, v: number): void {
    const last = this.n - 1;
    if (last >= 0 && this.rows[last] === row) { this.values[last] = v; return; }
    if (last >= 0 && this.rows[last] > row) throw new Error(`SparseColumn: row ${row} set after row ${this.rows[last]}`);
    if (Object.is(v, 0)) return;
    if (this.n === this.rows.length) {
      const r = new Int32Array(this.n * 2); r.set(this.rows); this.rows = r;
      const x = new Float64Array(this.n * 2); x.set(this.values); this.values = x;
    }
    this.rows[this.n] = row;
    this.values[this.n++] = v;
  }
}

/** Marks a row of a U32Column whose value is kept exactly in its overflow map. */
const WIDE = 0xffffffff;

/**
 * A column of non-negative integers that are nearly always below 2^32 (goroutine ids,
 * sequence numbers, string and stack ids): 4 bytes a row instead of 8, with the rare
 * value that does not fit (a heap size, a hostile id) kept exactly beside it.
 */
export class U32Column {
  lo: Uint32Array;
  private readonly over = new Map<number, number>();

  constructor(cap: number) {
    this.lo = new Uint32Array(cap);
  }

  get(row: number): number {
    const v = this.lo[row];
    return v === WIDE ? this.over.get(row)! : v;
  }

  set(row: number, v: number): void {
    if (this.lo[row] === WIDE) this.over.delete(row);
    if (v >>> 0 === v && v !== WIDE) this.lo[row] = v;
    else { this.lo[row] = WIDE; this.over.set(row, v); }
  }

  grow(cap: number): void {
    const lo = new Uint32Array(cap); lo.set(this.lo); this.lo = lo;
  }
}

export class RawEvents {
  count = 0;
  private cap: number;
  type: Uint8Array;
  /** Ticks (relative to the first batch), later nanoseconds since the first event. */
  ts: Float64Array;
  /** The P whose batch held the event (−1 for none), or one of the fake Ps from spec.ts. */
  p: Int32Array;
  /** The goroutine the event is about or ran on; 0 for none. */
  readonly g: U32Column;
  /** Arguments after timestamp, in wire order (a2 sparse: most events have no third). A UserLog's message index sits in a2. */
  readonly a0: U32Column;
  readonly a1: U32Column;
  a2 = new SparseColumn();
  /** Stack id (0 for none). */
  stk: Uint32Array;

  constructor(cap: number) {
    this.cap = Math.max(64, cap);
    this.type = new Uint8Array(this.cap); this.ts = new Float64Array(this.cap);
    this.p = new Int32Array(this.cap); this.g = new U32Column(this.cap);
    this.a0 = new U32Column(this.cap); this.a1 = new U32Column(this.cap);
    this.stk = new Uint32Array(this.cap);
  }

  /** Appends a zeroed row and returns its index. */
  add(type: number): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.type[i] = type;
    // Fresh rows are zero (typed arrays start so and rows are never reused).
    this.ts[i] = 0; this.p[i] = 0; this.stk[i] = 0;
    return i;
  }

  private grow(): void {
    this.cap *= 2;
    const f = (x: Float64Array) => { const y = new Float64Array(this.cap); y.set(x); return y; };
    const t = new Uint8Array(this.cap); t.set(this.type); this.type = t;
    const p = new Int32Array(this.cap); p.set(this.p); this.p = p;
    const s = new Uint32Array(this.cap); s.set(this.stk); this.stk = s;
    this.ts = f(this.ts); this.g.grow(this.cap); this.a0.grow(this.cap); this.a1.grow(this.cap);
  }
}

/** A P's batches, in file order, as [start, end) row ranges, with where each header is in the file. */
export interface ProcBatches {
  pid: number;
  starts: number[];
  ends: number[];
  at: number[];
}

export interface Frame1 {
  fn: number;
  file: number;
  line: number;
}

/** Everything the parser learns from the file. */
export interface RawTrace {
  minor: number;
  events: RawEvents;
  /** Procs in order of first appearance; CPU samples are a proc of their own, last. */
  procs: ProcBatches[];
  strings: Map<number, string>;
  /** UserLog messages, which the old format writes inline. */
  inline: string[];
  /** Stack id → program counters, innermost first. */
  stacks: Map<number, number[]>;
  /** The first frame seen for each program counter. */
  pcs: Map<number, Frame1>;
  ticksPerSec: number;
  timerGoroutines: Set<number>;
  /** Where row e starts in the file (for error messages: found again by skipping through its batch). */
  offsetOf(e: number): number;
}

export const CORRUPT_HINT = 'the old-format trace is truncated or corrupt';

export function corrupt(what: string, offset: number): FormatError {
  return new FormatError(what, offset, CORRUPT_HINT);
}
