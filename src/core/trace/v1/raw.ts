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

export class RawEvents {
  count = 0;
  private cap: number;
  type: Uint8Array;
  /** Ticks (relative to the first batch), later nanoseconds since the first event. */
  ts: Float64Array;
  /** The P whose batch held the event (−1 for none), or one of the fake Ps from spec.ts. */
  p: Int32Array;
  /** The goroutine the event is about or ran on; 0 for none. */
  g: Float64Array;
  /** Arguments after timestamp, in wire order (a2 sparse: most events have no third). A UserLog's message index sits in a2. */
  a0: Float64Array;
  a1: Float64Array;
  a2 = new SparseColumn();
  /** Stack id (0 for none). */
  stk: Uint32Array;
  /** Byte offset of the event in the file, for error messages (32 bits suffice below 4 GiB). */
  off: Uint32Array | Float64Array;

  constructor(cap: number, private readonly wideOffsets: boolean) {
    this.cap = Math.max(64, cap);
    this.type = new Uint8Array(this.cap); this.ts = new Float64Array(this.cap);
    this.p = new Int32Array(this.cap); this.g = new Float64Array(this.cap);
    this.a0 = new Float64Array(this.cap); this.a1 = new Float64Array(this.cap);
    this.stk = new Uint32Array(this.cap); this.off = wideOffsets ? new Float64Array(this.cap) : new Uint32Array(this.cap);
  }

  /** Appends a zeroed row and returns its index. */
  add(type: number, off: number): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.type[i] = type; this.off[i] = off;
    this.ts[i] = 0; this.p[i] = 0; this.g[i] = 0; this.a0[i] = 0; this.a1[i] = 0; this.stk[i] = 0;
    return i;
  }

  private grow(): void {
    this.cap *= 2;
    const f = (x: Float64Array) => { const y = new Float64Array(this.cap); y.set(x); return y; };
    const t = new Uint8Array(this.cap); t.set(this.type); this.type = t;
    const p = new Int32Array(this.cap); p.set(this.p); this.p = p;
    const s = new Uint32Array(this.cap); s.set(this.stk); this.stk = s;
    this.ts = f(this.ts); this.g = f(this.g); this.a0 = f(this.a0); this.a1 = f(this.a1);
    const o = this.wideOffsets ? new Float64Array(this.cap) : new Uint32Array(this.cap); o.set(this.off); this.off = o;
  }
}

/** A P's batches, in file order, as [start, end) row ranges. */
export interface ProcBatches {
  pid: number;
  starts: number[];
  ends: number[];
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
}

export const CORRUPT_HINT = 'the old-format trace is truncated or corrupt';

export function corrupt(what: string, offset: number): FormatError {
  return new FormatError(what, offset, CORRUPT_HINT);
}
