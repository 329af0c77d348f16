// Node's native zlib as a stream, for decoders that read inflated bytes as they come and never
// hold them whole. It answers only for a single, intact gzip member; anything else (several
// members, trailing bytes, a bad checksum, past the limit) is left to the whole-file path,
// whose errors say exactly what is wrong.
import { createGunzip, crc32 } from 'node:zlib';

/** Output chunk size: large enough that per-chunk costs vanish, small beside the data. */
const CHUNK = 1 << 18;

/**
 * Inflates `bytes` and hands each chunk to `feed` (which must not keep it); resolves true when
 * the stream was one gzip member whose size and CRC match its trailer, at most `limit` bytes.
 */
export function inflateChunks(bytes: Uint8Array, limit: number, feed: (chunk: Uint8Array) => void): Promise<boolean> {
  const n = bytes.length;
  if (n < 18 || typeof crc32 !== 'function') return Promise.resolve(false);
  const wantCrc = (bytes[n - 8] | (bytes[n - 7] << 8) | (bytes[n - 6] << 16) | (bytes[n - 5] << 24)) >>> 0;
  const wantSize = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
  return new Promise((resolve) => {
    const z = createGunzip({ chunkSize: CHUNK });
    let total = 0;
    let crc = 0;
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      if (!ok) z.destroy();
      resolve(ok);
    };
    z.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > limit) { done(false); return; }
      crc = crc32(chunk, crc);
      try {
        feed(chunk);
      } catch {
        done(false);
      }
    });
    z.on('error', () => done(false));
    z.on('end', () => done(crc >>> 0 === wantCrc && total % 2 ** 32 === wantSize));
    z.end(bytes);
  });
}
