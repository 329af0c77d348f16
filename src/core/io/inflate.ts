// Node's native zlib behind core/pprof's inflate seam: several times faster than pako. It
// inflates one gzip member of a known size into one buffer sized to it (no chunks to join,
// so the peak is the inflated size once); core decides when the claim may be trusted.
import { nodeZlib } from './zlib';
import type { Inflater } from '../pprof/inflate';

/** Slack past the claimed size, so zlib sees the stream end inside the one output chunk. */
const SLACK = 1024;

export const nodeInflater: Inflater = {
  gunzipMember(bytes, size) {
    if (size <= 0) return undefined;
    let out: Buffer, consumed: number;
    try {
      // maxOutputLength stops a stream that inflates past its claim (a bomb, or more members);
      // zlib checks the member's CRC and length itself.
      const r = nodeZlib().gunzipSync(bytes, { chunkSize: size + SLACK, maxOutputLength: size, info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      out = r.buffer;
      consumed = r.engine.bytesWritten;
    } catch {
      return undefined; // corrupt, truncated or over the claim: pako says which
    }
    if (out.length !== size) return undefined;
    // Only when zlib took every byte was there nothing after the member (node:zlib skips
    // trailing bytes that begin with a zero, which pako and Go reject).
    if (consumed !== bytes.length) return undefined;
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  },
};
