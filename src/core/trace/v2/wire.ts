// Unsigned LEB128 varints as the new trace format writes them. Encodings may be
// non-minimal (the runtime pads batch lengths to 10 bytes), so any length up to 10 bytes
// is accepted, as Go's binary.Uvarint does; an 11th byte or a 10th byte above 1 overflows.
import { FormatError } from '../../errors';

/**
 * A read position inside one byte array that came from file offset `base`. Values come
 * back as numbers: exact below 2^53, correctly rounded above, and read as int64 (so
 * 2^64−1, the "no thread" id, is −1) at and above 2^63.
 */
export class WireReader {
  buf: Uint8Array;
  pos: number;
  end: number;
  /** File offset of buf[0], for error messages. */
  base: number;

  constructor(buf: Uint8Array, pos = 0, end = buf.length, base = 0) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.base = base;
  }

  reset(buf: Uint8Array, pos: number, end: number, base: number): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.base = base;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(what: string): number {
    if (this.pos >= this.end) throw this.truncated(what);
    return this.buf[this.pos++];
  }

  uvarint(what: string): number {
    const p = this.pos;
    const buf = this.buf;
    // Up to three bytes (values below 2^21) inline: event times and ids are mostly that small.
    if (p + 3 <= this.end) {
      let b = buf[p];
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
      let v = b & 0x7f;
      b = buf[p + 1];
      if (b < 0x80) {
        this.pos = p + 2;
        return v | (b << 7);
      }
      v |= (b & 0x7f) << 7;
      b = buf[p + 2];
      if (b < 0x80) {
        this.pos = p + 3;
        return v | (b << 14);
      }
    }
    return this.uvarintSlow(what);
  }

  /** Copies n raw bytes out (strings). */
  bytes(n: number, what: string): Uint8Array {
    if (this.end - this.pos < n) throw this.truncated(what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  fileOffset(): number {
    return this.base + this.pos;
  }

  truncated(what: string): FormatError {
    return new FormatError(`truncated trace: ${what} runs past the end of its data`, this.base + this.pos, 'the file may be incomplete');
  }

  private uvarintSlow(what: string): number {
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    // The low 28 bits and the rest are gathered separately so nothing is lost before 2^53.
    let lo = 0;
    let hi = 0;
    for (let i = 0; ; i++) {
      if (p >= this.end) throw this.truncated(what);
      if (i === 10) throw this.overflow(what, start);
      const b = buf[p++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else hi += (b & 0x7f) * 2 ** (7 * (i - 4));
      if (b < 0x80) {
        if (i === 9 && b > 1) throw this.overflow(what, start);
        this.pos = p;
        lo >>>= 0;
        if (hi < 2 ** 25) return hi * 2 ** 28 + lo; // < 2^53: exact
        return bigValue(buf, start, p);
      }
    }
  }

  private overflow(what: string, at: number): FormatError {
    return new FormatError(`bad varint for ${what}: longer than 64 bits`, this.base + at, 'the trace is corrupt');
  }
}

/** Slow path for values of 2^53 and above: exact through BigInt, then to int64 and a number. */
function bigValue(buf: Uint8Array, start: number, end: number): number {
  let v = 0n;
  for (let p = end - 1; p >= start; p--) v = (v << 7n) | BigInt(buf[p] & 0x7f);
  return Number(BigInt.asIntN(64, v));
}
