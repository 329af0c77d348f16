// The io seam: a ByteSource over a file, read in chunks with positioned reads, so decoders
// never hold more of a file than they ask for. Node-only; used by the CLI and the server.
// Only regular files are read: a device (/dev/zero never ends), a FIFO (blocks until a
// writer comes) or a socket is refused before any read, and so is a file over the limit.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { ByteSource } from '../trace/events';

/** Why a path cannot be read as a file; thrown before anything is read. */
export class NotAFileError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(reason);
  }
}

/** What a path is, following links: undefined when missing. */
export function statOf(path: string): Stats | undefined {
  try { return statSync(path); } catch { return undefined; }
}

function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'is a FIFO (a named pipe), not a file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, not a file';
  if (st.isSocket()) return 'is a socket, not a file';
  return 'is not a regular file';
}

/**
 * Opens a regular file for reading, refusing anything else before it could block or never
 * end; `maxBytes` refuses a larger file (the hint says how to allow it).
 */
function openRegular(path: string, maxBytes?: number, raiseWith?: string): { fd: number; size: number } {
  const st = statSync(path);
  const why = notRegular(st);
  if (why) throw new NotAFileError(path, why);
  // O_NONBLOCK: were it swapped for a FIFO since the stat, the open does not wait for a writer.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const fst = fstatSync(fd);
  const again = notRegular(fst);
  if (again) { closeSync(fd); throw new NotAFileError(path, again); }
  if (maxBytes !== undefined && fst.size > maxBytes) {
    closeSync(fd);
    throw new NotAFileError(path, `is ${fst.size} bytes, over the limit of ${maxBytes}${raiseWith ? ` (raise it with ${raiseWith})` : ''}`);
  }
  return { fd, size: fst.size };
}

/** A regular file's whole content, at most maxBytes of it (else NotAFileError). */
export function readRegularFile(path: string, maxBytes?: number, raiseWith?: string): Uint8Array {
  const src = fileSource(path, maxBytes, raiseWith);
  try { return src.read(0, src.size); } finally { src.close(); }
}

/** Regular files under a folder whose names end with `suffix`, links not followed, sorted. */
export function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(suffix)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export interface FileSource extends ByteSource {
  close(): void;
  /** Bytes handed out so far (for tests and progress). */
  readonly bytesRead: number;
}

export function fileSource(path: string, maxBytes?: number, raiseWith?: string): FileSource {
  const { fd, size } = openRegular(path, maxBytes, raiseWith);
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
    readInto(offset: number, into: Uint8Array): number {
      const n = Math.max(0, Math.min(into.length, size - offset));
      let got = 0;
      while (got < n) {
        const r = readSync(fd, into, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      bytesRead += got;
      return got;
    },
    close: () => closeSync(fd),
    get bytesRead() { return bytesRead; },
  };
}
