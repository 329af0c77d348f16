// A cursor over one thread's event batches in a generation, holding the next event
// decoded into plain fields, and the min-heap of cursors by that event's time (the
// "frontier"). Heap moves follow the reference exactly: with equal timestamps, which
// thread goes first depends on them.
import { FormatError } from '../../errors';
import type { Batch } from './batches';
import type { MState } from './mstate';
import { ARGC, evName } from './spec';
import { WireReader } from './wire';

export class Cursor {
  private idx = 0;
  private readonly wire = new WireReader(new Uint8Array(0));
  private fresh = true;
  /**
   * The decoded event: type, time (ns since the trace origin), up to four arguments. The time
   * is also the thread's running clock, the next event's time counting from it. It starts as
   * -0, a double: times past 2^31 ns are doubles, and a field that starts as a small integer
   * and later holds one changes the cursors' map, which throws away the optimized code (and the
   * type feedback) of every function that reads it (next, the reader's run) mid-warm-up.
   */
  typ = 0;
  time = -0;
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  /** Where the current event starts in the wire's bytes (its file offset is computed when asked). */
  private start = 0;
  /** The ordering's state for this thread, cached once known. */
  thread: MState | undefined = undefined;

  /** load(b): the batch's bytes (read now if the batch is lazy; valid until the next load). */
  constructor(readonly m: number, private readonly batches: Batch[], private readonly load: (b: Batch) => Uint8Array) {
    const b = batches[0];
    const data = load(b);
    this.wire.reset(data, 0, data.length, b.offset);
  }

  /** File offset of the current event, for messages. */
  get offset(): number {
    return this.wire.base + this.start;
  }

  /** Decodes the next event; false when the thread has no more. freq: ns per tick; origin: ns. */
  next(freq: number, origin: number): boolean {
    const w = this.wire;
    let p = w.pos;
    if (p === w.end || this.fresh) {
      if (!this.restart(freq, origin)) return false;
      p = w.pos;
    }
    const buf = w.buf;
    this.start = p;
    const typ = buf[p];
    const argc = ARGC[typ];
    if (argc < 0) {
      throw new FormatError(`${evName(typ)} where a timed event belongs`, this.offset, 'the trace is corrupt');
    }
    this.typ = typ;
    w.pos = p + 1;
    const dt = varint(w, 'event time');
    if (argc > 0) {
      this.a0 = varint(w, 'event argument');
      if (argc > 1) {
        this.a1 = varint(w, 'event argument');
        if (argc > 2) {
          this.a2 = varint(w, 'event argument');
          if (argc > 3) this.a3 = varint(w, 'event argument');
        }
      }
    }
    const t = Math.trunc(dt * freq) + this.time;
    this.time = t;
    // The reference restarts from the batch time whenever its running time is exactly 0.
    if (t === -origin) this.fresh = true;
    return true;
  }

  /** Moves past empty batches to the next event, and restarts the clock where needed; false at the end. */
  private restart(freq: number, origin: number): boolean {
    const w = this.wire;
    while (w.pos === w.end) {
      // Empty batches are tolerated; each new batch restarts the clock at its own timestamp.
      if (++this.idx >= this.batches.length) return false;
      const b = this.batches[this.idx];
      const data = this.load(b);
      w.reset(data, 0, data.length, b.offset);
      this.fresh = true;
    }
    if (this.fresh) {
      // The clock restarts here (the time is read for nothing else until next() has set it).
      this.time = Math.trunc(this.batches[this.idx].time * freq) - origin;
      this.fresh = false;
    }
    return true;
  }
}

/**
 * The wire's next varint: values below 2^21 (up to three bytes: nearly every event time and
 * argument, goroutine ids included) read here, where they can be inlined into next(); the
 * rest, and any value at the end of the data, by the wire itself.
 */
function varint(w: WireReader, what: string): number {
  const p = w.pos;
  if (p + 3 <= w.end) {
    const buf = w.buf;
    const b0 = buf[p];
    if (b0 < 0x80) {
      w.pos = p + 1;
      return b0;
    }
    const b1 = buf[p + 1];
    if (b1 < 0x80) {
      w.pos = p + 2;
      return (b0 & 0x7f) | (b1 << 7);
    }
    const b2 = buf[p + 2];
    if (b2 < 0x80) {
      w.pos = p + 3;
      return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
    }
  }
  return w.uvarint(what);
}

export function heapInsert(h: Cursor[], c: Cursor): void {
  h.push(c);
  siftUp(h, h.length - 1);
}

export function heapUpdate(h: Cursor[], i: number): void {
  if (siftUp(h, i) !== i) return;
  siftDown(h, i);
}

export function heapRemove(h: Cursor[], i: number): void {
  // Float the element to the root regardless of order, swap it with the last, drop it.
  while (i > 0) {
    const p = (i - 1) >> 1;
    const t = h[p];
    h[p] = h[i];
    h[i] = t;
    i = p;
  }
  const last = h.length - 1;
  const t = h[0];
  h[0] = h[last];
  h[last] = t;
  h.pop();
  siftDown(h, 0);
}

function siftUp(h: Cursor[], i: number): number {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!(h[p].time > h[i].time)) break;
    const t = h[p];
    h[p] = h[i];
    h[i] = t;
    i = p;
  }
  return i;
}

export function siftDown(h: Cursor[], i: number): void {
  const n = h.length;
  for (;;) {
    let m = i;
    let minT = i < n ? h[i].time : Infinity;
    const l = 2 * i + 1;
    if (l < n && h[l].time < minT) { minT = h[l].time; m = l; }
    const r = l + 1;
    if (r < n && h[r].time < minT) { m = r; }
    if (m === i) return;
    const t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

export function compareCursors(a: Cursor, b: Cursor): number {
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}
