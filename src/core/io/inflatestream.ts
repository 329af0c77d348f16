// Node's native zlib as a stream, for decoders that read inflated bytes as they come and never
// hold them whole. It answers only for a plain gzip file: every member zlib inflates has its
// CRC and size checked by zlib itself, and the file must end with the trailer of the last one
// (no trailing bytes); several members, a bad checksum or a file past the limit are left to the
// whole-file path, whose errors say exactly what is wrong.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { nodeZlib } from './zlib';

/**
 * Output chunk size: 256 KiB. Each chunk is a round trip to zlib's thread; 64 KiB chunks cost
 * ~25 ms more per pass over the 42 MB of the 1M-stack bench profile, and 4000-byte ones (held
 * ~5 MB less at the peak) ~0.4 s more.
 */
const CHUNK = 256 << 10;

/**
 * Inflates the gzip file at `path` as it is read and hands each chunk to `feed` (which must not
 * keep it, and returns false to stop at once: a bomb is not inflated to its end); resolves true
 * when zlib read the whole file without error into at most `limit` bytes whose count matches
 * the file's last trailer. Neither the file nor its inflated bytes are held whole.
 */
export function inflateFileChunks(path: string, limit: number, feed: (chunk: Uint8Array) => boolean): Promise<boolean> {
  let fileSize: number, wantSize: number;
  try {
    const fd = openSync(path, 'r');
    try {
      fileSize = fstatSync(fd).size;
      const t = new Uint8Array(4);
      if (fileSize < 18 || readSync(fd, t, 0, 4, fileSize - 4) !== 4) return Promise.resolve(false);
      wantSize = (t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24)) >>> 0;
    } finally {
      closeSync(fd);
    }
  } catch {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const file = createReadStream(path, { highWaterMark: 1 << 16 });
    const z = nodeZlib().createGunzip({ chunkSize: CHUNK });
    let total = 0;
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      if (!ok) { file.destroy(); z.destroy(); }
      resolve(ok);
    };
    // Chunks are fed after zlib's callback returns, so it inflates the next chunk on the thread
    // pool while this one is decoded (fed in the callback, the two take turns).
    let queue: Buffer[] = [];
    const drain = () => {
      const q = queue;
      queue = [];
      for (const chunk of q) {
        if (settled) return;
        total += chunk.length;
        if (total > limit) { done(false); return; }
        let more = false;
        try {
          more = feed(chunk);
        } catch {
          more = false;
        }
        if (!more) { done(false); return; }
      }
    };
    z.on('data', (chunk: Buffer) => {
      if (queue.push(chunk) === 1) queueMicrotask(drain);
    });
    file.on('error', () => done(false));
    z.on('error', () => done(false));
    // zlib checked each member's CRC and size. The file was one member (or members before it
    // that inflate to a multiple of 4 GiB, as an empty one does: the same bytes either way)
    // when the total is what the last trailer says, and zlib took every byte: it passes over
    // trailing zeros in silence, which Go's reader and the whole-file path reject.
    z.on('end', () => { drain(); done(total % 2 ** 32 === wantSize && z.bytesWritten === fileSize); });
    file.pipe(z);
  });
}
