// Writing a file GoLens made (a capture): all of it or nothing. The bytes go to a hidden
// temporary file beside the target, renamed over it once complete, so an interrupted write
// never leaves a partial profile that a later read would call corrupt.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Why a file could not be written; the message names the place and the reason. */
export class SaveError extends Error {
  constructor(readonly path: string, why: string) {
    super(`cannot write ${path}: ${why}`);
    this.name = 'SaveError';
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'its folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of its folder path is a file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOSPC') return 'no space left on the device';
  return (e as Error).message;
}

/** Throws SaveError unless `path`'s folder exists and is a folder (checked before a long capture, not after). */
export function checkWritableFolder(path: string): void {
  const dir = dirname(path);
  let st;
  try { st = statSync(dir); } catch (e) { throw new SaveError(path, reason(e)); }
  if (!st.isDirectory()) throw new SaveError(path, `${dir} is not a folder`);
  try {
    if (statSync(path).isDirectory()) throw new SaveError(path, 'it is a folder');
  } catch (e) {
    if (e instanceof SaveError) throw e;
  }
}

/** Creates `path`'s folder and its parents. */
export function ensureFolderOf(path: string): void {
  try { mkdirSync(dirname(path), { recursive: true }); } catch (e) { throw new SaveError(path, reason(e)); }
}

/** Writes `bytes` to `path` whole or not at all (SaveError); an existing file is replaced. */
export function saveWhole(path: string, bytes: Uint8Array): void {
  checkWritableFolder(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.partial`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) try { closeSync(fd); } catch { /* already failing */ }
    rmSync(tmp, { force: true });
    throw new SaveError(path, reason(e));
  }
}
