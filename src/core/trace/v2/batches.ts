// Batches, read one at a time from a ByteSource through a window of bounded size: the
// file is never loaded whole, and no read asks for more than max(chunk size, 43) bytes
// (but a lazy batch, below, which is read whole: at most 64 KiB). Each byte is read once:
// a refill keeps the window's unread bytes and reads on from its end.
// A batch's data is copied out of the window into its generation's arena (see arena.ts),
// so a generation keeps only its own batches alive, and the window itself is one buffer
// read into again and again when the source can (fresh memory is slow to touch).
// From a source that reads into a buffer (a file), an event batch's data is not copied at
// all: the batch says where it is and its thread's cursor reads it when it gets there (the
// OS's page cache holds the bytes), so a generation costs no memory of its own size. Then
// the scan reads only headers (43 bytes at a time) and what follows a lazy batch's header in
// those bytes is kept (its head), so the cursor reads only the rest: still each byte once.
import { FormatError } from '../../errors';
import type { ByteSource } from '../events';
import { BatchArenas } from './arena';
import { Ev, MAX_BATCH_SIZE } from './spec';
import { WireReader } from './wire';

/** A batch header is at most: type, experiment, and four 10-byte varints. */
const MAX_HEADER = 2 + 4 * 10;

export const DEFAULT_CHUNK_SIZE = 1 << 20;

export interface Batch {
  /** Generation number from the header (0 for an end-of-generation marker). */
  gen: number;
  /** Thread id (−1: no thread). */
  m: number;
  /** Base timestamp in ticks. */
  time: number;
  data: Uint8Array;
  /** File offset of data[0]. */
  offset: number;
  /** Experiment id; 0 for ordinary batches. */
  exp: number;
  /** The go 1.26 end-of-generation byte rather than a batch. */
  endOfGeneration: boolean;
  /** Bytes of data (data.length, unless lazy). */
  size: number;
  /** The data's first byte (what kind of batch it is), −1 when empty. */
  first: number;
  /** The data is not read yet (data is empty): dataOf() reads it. */
  lazy: boolean;
  /** A lazy batch's first bytes, read with its header (the rest is still in the source). */
  head: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** First bytes of the batches a generation's tables come from (read at once, never lazily). */
const STRUCTURAL = new Set<number>([Ev.Strings, Ev.Stacks, Ev.CPUSamples, Ev.Frequency, Ev.Sync]);

export class BatchReader {
  private window: Uint8Array = new Uint8Array(0);
  /** A file offset: -0, a double from the start (offsets computed from the wire's base are). */
  private windowStart = -0;
  private pos: number;
  private readonly wire = new WireReader(new Uint8Array(0));
  private readonly arenas: BatchArenas;
  /** The buffer the window is read into, when the source reads into one. */
  private buffer: Uint8Array = new Uint8Array(0);

  /** Event batches are left in the source until a cursor reads them (see dataOf). */
  private readonly lazy: boolean;

  constructor(private readonly source: ByteSource, start: number, private readonly chunkSize = DEFAULT_CHUNK_SIZE) {
    this.pos = start;
    this.lazy = source.readInto !== undefined;
    this.arenas = new BatchArenas(source.size - start);
  }

  /** File offset of the next unread byte. */
  get offset(): number {
    return this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.source.size;
  }

  /** The next batch, or undefined at a clean end of input (between batches). */
  next(): Batch | undefined {
    if (this.atEnd) return undefined;
    // The header (and, to leave an event batch unread, the data's first byte: what kind of batch it is).
    this.ensure(this.lazy ? MAX_HEADER + 1 : MAX_HEADER);
    const w = this.wire;
    w.reset(this.window, this.pos - this.windowStart, this.window.length, this.windowStart);
    const start = this.pos;
    const typ = w.byte('batch header');
    if (typ === Ev.EndOfGeneration) {
      this.pos = w.fileOffset();
      return { gen: 0, m: -1, time: 0, data: EMPTY, offset: this.pos, exp: 0, endOfGeneration: true, size: 0, first: -1, lazy: false, head: EMPTY };
    }
    if (typ !== Ev.EventBatch && typ !== Ev.ExperimentalBatch) {
      throw new FormatError(`expected a batch, found byte 0x${typ.toString(16).padStart(2, '0')}`, start, 'the trace is corrupt');
    }
    const exp = typ === Ev.ExperimentalBatch ? w.byte('experiment id') : 0;
    const gen = w.uvarint('batch generation');
    const m = w.uvarint('batch thread id');
    const time = w.uvarint('batch timestamp');
    const size = w.uvarint('batch size');
    if (size < 0 || size > MAX_BATCH_SIZE) {
      throw new FormatError(`invalid batch size ${size}, the maximum is ${MAX_BATCH_SIZE}`, start, 'the trace is corrupt');
    }
    this.pos = w.fileOffset();
    const offset = this.pos;
    const at = this.pos - this.windowStart;
    const inWindow = this.window.length - at;
    const first = size > 0 && inWindow > 0 ? this.window[at] : -1;
    // Lazy unless the window already holds the whole batch (then copying it is cheaper).
    if (this.lazy && size > inWindow && first >= 0 && (exp !== 0 || !STRUCTURAL.has(first))) {
      const left = this.source.size - this.pos;
      if (left < size) throw new FormatError(`truncated batch: ${size} bytes announced, ${left} present`, start, 'the file may be incomplete');
      const head = this.window.slice(at);
      this.pos += size;
      this.window = this.window.subarray(0, 0);
      this.windowStart = this.pos;
      return { gen, m, time, data: EMPTY, offset, exp, endOfGeneration: false, size, first, lazy: true, head };
    }
    const data = this.arenas.alloc(gen, size);
    for (let got = 0; got < size;) {
      let have = this.windowStart + this.window.length - this.pos;
      if (have <= 0) {
        const left = this.source.size - this.pos;
        if (left > 0) {
          // Lazily, no further than the batch: the bytes after it may be a lazy batch's.
          this.fill(Math.min(this.chunkSize, left, this.lazy ? size - got : Infinity));
          have = this.window.length;
        }
        if (have <= 0) throw new FormatError(`truncated batch: ${size} bytes announced, ${got} present`, start, 'the file may be incomplete');
      }
      const take = Math.min(have, size - got);
      const at = this.pos - this.windowStart;
      data.set(this.window.subarray(at, at + take), got);
      got += take;
      this.pos += take;
    }
    return { gen, m, time, data, offset, exp, endOfGeneration: false, size, first: size > 0 ? data[0] : -1, lazy: false, head: EMPTY };
  }

  /** A batch's data: its bytes as read, or, for a lazy batch, read now into `into` (at least b.size long). */
  dataOf(b: Batch, into: Uint8Array): Uint8Array {
    if (!b.lazy) return b.data;
    const buf = into.subarray(0, b.size);
    const h = b.head.length;
    buf.set(b.head, 0);
    const got = h + this.source.readInto!(b.offset + h, buf.subarray(h));
    if (got < b.size) throw new FormatError(`truncated batch: ${b.size} bytes announced, ${got} present (the file shrank while it was read)`, b.offset, 'the file may be incomplete');
    return buf;
  }

  /** Makes the window hold n bytes from pos, or everything up to the end of the file. */
  private ensure(n: number): void {
    const have = this.windowStart + this.window.length - this.pos;
    if (have >= n) return;
    if (this.windowStart + this.window.length >= this.source.size) return;
    // Lazily only the header's bytes: a chunk would read event batches the cursors read again.
    this.fill(Math.min(this.lazy ? n : Math.max(this.chunkSize, n), this.source.size - this.pos));
  }

  /** Batch data of generation gen is no longer used: its memory may be reused. */
  release(gen: number): void {
    this.arenas.release(gen);
  }

  /**
   * Makes the window the length bytes at pos (fewer at the end of the file): the window's
   * bytes from pos on are kept, and only what follows them is read.
   */
  private fill(length: number): void {
    const src = this.source;
    const at = this.pos - this.windowStart;
    const keep = Math.max(0, Math.min(length, this.window.length - at));
    const from = this.pos + keep;
    if (src.readInto) {
      if (this.buffer.length < length) {
        const b = new Uint8Array(Math.max(length, this.lazy ? Math.min(2 * this.buffer.length, this.chunkSize) : this.chunkSize));
        b.set(this.window.subarray(at, at + keep), 0);
        this.buffer = b;
      } else if (keep > 0) {
        this.buffer.copyWithin(0, this.window.byteOffset - this.buffer.byteOffset + at, this.window.byteOffset - this.buffer.byteOffset + at + keep);
      }
      const got = keep < length ? src.readInto(from, this.buffer.subarray(keep, length)) : 0;
      this.window = this.buffer.subarray(0, keep + got);
    } else if (keep === 0) {
      this.window = src.read(from, length);
    } else {
      const rest = src.read(from, length - keep);
      const w = new Uint8Array(keep + rest.length);
      w.set(this.window.subarray(at, at + keep), 0);
      w.set(rest, keep);
      this.window = w;
    }
    this.windowStart = this.pos;
  }
}
