// Low-level protobuf reading on top of protobufjs' Reader: the Reader walks tags,
// lengths and strings; 64-bit varints are read here so ids and addresses stay exact
// (protobufjs would round them to doubles without Long) and values stay signed.
import { Reader } from 'protobufjs/minimal';
import { FormatError } from '../errors';
import { decodeBytes } from './utf8';

export { Reader };

export const enum WireType { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 }

const TWO32 = 4294967296;

/** Reads a varint as two 32-bit halves into `halves`; returns nothing, advances r.pos. */
function readHalves(r: Reader, halves: Uint32Array): void {
  const buf = r.buf;
  let pos = r.pos;
  let lo = 0;
  let hi = 0;
  for (let i = 0; ; i++) {
    if (pos >= r.len) throw new FormatError('truncated varint', r.pos, 'the file ends in the middle of a number');
    if (i >= 10) throw new FormatError('malformed varint (more than 10 bytes)', r.pos);
    const b = buf[pos++];
    const bits = b & 0x7f;
    if (i < 4) lo |= bits << (7 * i);
    else if (i === 4) { lo |= (bits & 0x0f) << 28; hi |= bits >>> 4; }
    else hi |= bits << (7 * i - 32);
    if (b < 0x80) break;
  }
  r.pos = pos;
  halves[0] = lo >>> 0;
  halves[1] = hi >>> 0;
}

const scratch = new Uint32Array(2);

/** int64 as a JavaScript number (exact below 2^53, negative values from two's complement). */
export function readInt64(r: Reader): number {
  readHalves(r, scratch);
  const lo = scratch[0];
  const hi = scratch[1];
  if (hi & 0x80000000) return -((~hi >>> 0) * TWO32 + (~lo >>> 0) + 1);
  return hi * TWO32 + lo;
}

/** uint64 kept exact: a number when it is safe, a bigint above 2^53. */
export function readUint64(r: Reader): number | bigint {
  readHalves(r, scratch);
  const lo = scratch[0];
  const hi = scratch[1];
  if (hi < 0x200000) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

export function readBool(r: Reader): boolean {
  readHalves(r, scratch);
  return (scratch[0] | scratch[1]) !== 0;
}

/** Reads a length prefix and returns the end offset of the embedded bytes, bounds-checked. */
export function readLengthEnd(r: Reader, what: string): number {
  const at = r.pos;
  const n = readInt64(r);
  const end = r.pos + n;
  if (n < 0 || end > r.len) {
    throw new FormatError(`${what} claims ${n} bytes but only ${r.len - r.pos} remain`, at, 'the file is truncated or corrupt');
  }
  return end;
}

/**
 * Reads one value or a packed run of a repeated scalar field and hands each to `push`:
 * the Go runtime packs lists of more than two entries and writes shorter ones unpacked.
 */
export function readRepeated<T>(r: Reader, wireType: number, read: (r: Reader) => T, push: (v: T) => void, what: string): void {
  if (wireType === WireType.Bytes) {
    const end = readLengthEnd(r, what);
    while (r.pos < end) push(read(r));
    if (r.pos !== end) throw new FormatError(`packed ${what} overruns its length`, r.pos);
  } else if (wireType === WireType.Varint) {
    push(read(r));
  } else {
    throw new FormatError(`${what} has wire type ${wireType}, expected a varint`, r.pos);
  }
}

export function expectWire(r: Reader, got: number, want: number, what: string): void {
  if (got !== want) throw new FormatError(`${what} has wire type ${got}, expected ${want}`, r.pos, 'this is not a pprof profile or it is corrupt');
}

/** Skips an unknown field, turning protobufjs' errors into FormatError. */
export function skip(r: Reader, wireType: number): void {
  const at = r.pos;
  try {
    if (wireType === WireType.Bytes) { r.pos = readLengthEnd(r, 'unknown field'); return; }
    if (wireType === 3 || wireType === 4 || wireType === 6 || wireType === 7) {
      throw new FormatError(`invalid wire type ${wireType}`, at, 'this is not a pprof profile or it is corrupt');
    }
    r.skipType(wireType);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`cannot skip field: ${(e as Error).message}`, at);
  }
}

/** Reads a tag; returns [field, wireType]. */
export function readTag(r: Reader): number {
  const at = r.pos;
  const tag = readInt64(r);
  if (tag <= 0 || tag > 0x1fffffff * 8 + 7 || (tag >>> 3) === 0) {
    throw new FormatError(`invalid field tag ${tag}`, at, 'this is not a pprof profile or it is corrupt');
  }
  return tag;
}

export function readString(r: Reader): string {
  const end = readLengthEnd(r, 'string');
  const s = r.len === end && r.pos === end ? '' : decodeUtf8(r.buf, r.pos, end);
  r.pos = end;
  return s;
}

function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  // Short ASCII strings (most function names) decode faster by hand than through TextDecoder.
  if (end - start < 64) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) return decodeBytes(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decodeBytes(buf.subarray(start, end));
}
