// Test helper: hostile gzip files built in memory without inflating them first. A run of
// zeros is one deflate block of 1 MiB of zeros (about 1 KB) repeated, so a 1 MB file holds
// 1 GiB; the gzip trailer's CRC-32 is computed by combining CRCs, never over the bytes.
import { constants, deflateRawSync } from 'node:zlib';

const MiB = 1024 * 1024;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < buf.length; i++) c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

// crc32(A ‖ B) from crc32(A), crc32(B) and |B|: zlib's crc32_combine (GF(2) matrices).
function gf2Times(mat: Uint32Array, vec: number): number {
  let sum = 0;
  for (let i = 0; vec; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i];
  return sum >>> 0;
}
function gf2Square(square: Uint32Array, mat: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(mat, mat[n]);
}
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row >>> 0;
  gf2Square(even, odd);
  gf2Square(odd, even);
  let len = len2;
  do {
    gf2Square(even, odd);
    if (len % 2) crc1 = gf2Times(even, crc1);
    len = Math.floor(len / 2);
    if (len === 0) break;
    gf2Square(odd, even);
    if (len % 2) crc1 = gf2Times(odd, crc1);
    len = Math.floor(len / 2);
  } while (len !== 0);
  return (crc1 ^ crc2) >>> 0;
}

/** A piece of a member's content: literal bytes, or that many zero bytes (a multiple of 1 MiB). */
export type Piece = Uint8Array | { zeros: number };

const sync = (b: Uint8Array) => new Uint8Array(deflateRawSync(b, { finishFlush: constants.Z_SYNC_FLUSH }));
let zeroBlock: { deflated: Uint8Array; crc: number } | undefined;

/** One gzip member holding the pieces in order; its size is about 1/1000 of the zeros. */
export function gzipMember(pieces: Piece[]): Uint8Array {
  zeroBlock ??= { deflated: sync(new Uint8Array(MiB)), crc: crc32(new Uint8Array(MiB)) };
  const parts: Uint8Array[] = [Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])];
  let crc = 0;
  let size = 0;
  for (const p of pieces) {
    if (p instanceof Uint8Array) {
      parts.push(sync(p));
      crc = crc32Combine(crc, crc32(p), p.length);
      size += p.length;
    } else {
      if (p.zeros % MiB !== 0) throw new Error('zeros must be a multiple of 1 MiB');
      // The CRC of the run by doubling: log2(blocks) combines, not one per block.
      let zc = 0, pow = zeroBlock.crc, powLen = MiB;
      for (let k = p.zeros / MiB; k > 0; k = Math.floor(k / 2)) {
        if (k % 2) zc = crc32Combine(zc, pow, powLen);
        pow = crc32Combine(pow, pow, powLen);
        powLen *= 2;
      }
      for (let i = 0; i < p.zeros / MiB; i++) parts.push(zeroBlock.deflated);
      crc = crc32Combine(crc, zc, p.zeros);
      size += p.zeros;
    }
  }
  const trailer = new Uint8Array(10);
  trailer.set([0x03, 0x00]); // a final, empty fixed-Huffman block
  new DataView(trailer.buffer).setUint32(2, crc, true);
  new DataView(trailer.buffer).setUint32(6, size % 2 ** 32, true);
  parts.push(trailer);
  return concat(parts);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function varint(n: number): Uint8Array {
  const b: number[] = [];
  while (n >= 0x80) { b.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
  b.push(n);
  return Uint8Array.from(b);
}

/** The header of a length-delimited field: tag (field, wire type 2) and a length. */
export function bytesFieldHeader(field: number, length: number): Uint8Array {
  return concat([varint(field * 8 + 2), varint(length)]);
}

/** The classic gzip bomb: n bytes of zeros in one member. */
export const zerosBomb = (n: number) => gzipMember([{ zeros: n }]);

/** A real profile (raw protobuf) after an unknown field 100 whose content is n zeros, in one member. */
export const hugeUnknownField = (raw: Uint8Array, n: number) => gzipMember([bytesFieldHeader(100, n), { zeros: n }, raw]);

export const GiB = 1024 * MiB;
export { MiB };
