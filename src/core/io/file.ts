// The io seam: a ByteSource over a file, read in chunks with positioned reads, so decoders
// never hold more of a file than they ask for. Node-only; used by the CLI and the server.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../trace/events';

export interface FileSource extends ByteSource {
  close(): void;
  /** Bytes handed out so far (for tests and progress). */
  readonly bytesRead: number;
}

export function fileSource(path: string): FileSource {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  let bytesRead = 0;
  return {
    size,
    read(offset: number, length: number): Uint8Array {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      bytesRead += got;
      return got === n ? buf : buf.subarray(0, got);
    },
    close: () => closeSync(fd),
    get bytesRead() { return bytesRead; },
  };
}
