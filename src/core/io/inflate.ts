// Node's native zlib behind core/pprof's inflate seam: several times faster than pako. It
// inflates one gzip member of a known size into one buffer sized to it (no chunks to join,
// so the peak is the inflated size once); core decides when the claim may be trusted.
import { crc32, gunzipSync } from 'node:zlib';
import type { Inflater } from '../pprof/inflate';

/** Slack past the claimed size, so zlib sees the stream end inside the one output chunk. */
const SLACK = 1024;

export const nodeInflater: Inflater = {
  gunzipMember(bytes, size) {
    // crc32 came in Node 20.15; without it the trailer cannot be checked here: pako reads.
    if (typeof crc32 !== 'function' || size <= 0) return undefined;
    let out: Buffer;
    try {
      // maxOutputLength stops a stream that inflates past its claim (a bomb, or more members).
      out = gunzipSync(bytes, { chunkSize: size + SLACK, maxOutputLength: size });
    } catch {
      return undefined; // corrupt, truncated or over the claim: pako says which
    }
    if (out.length !== size) return undefined;
    // Only when the last 8 bytes are this member's own trailer was there nothing after it
    // (node:zlib ignores trailing bytes that pako and Go reject).
    const n = bytes.length;
    const crc = (bytes[n - 8] | (bytes[n - 7] << 8) | (bytes[n - 6] << 16) | (bytes[n - 5] << 24)) >>> 0;
    if (crc32(out) >>> 0 !== crc) return undefined;
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  },
};
