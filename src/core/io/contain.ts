// Where a path really is. A workspace can carry symlinks and `..` in the paths it names
// (settings, profile frames): before GoLens reads or opens a file it resolves the real path
// and checks it is a regular file inside one of the allowed folders — never a device, a
// FIFO, /proc, or something a link points at outside.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/** True when `path` is `root` or below it (both already real and absolute). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function real(p: string): string | undefined {
  try { return realpathSync(p); } catch { return undefined; }
}

/**
 * The real path of `path` when it is a regular file inside one of `roots` after every link
 * and `..` is resolved; undefined otherwise (missing, a directory, a device, a FIFO, a
 * socket, or outside).
 */
export function regularFileWithin(path: string, roots: readonly string[]): string | undefined {
  const target = real(resolve(path));
  if (!target) return undefined;
  const realRoots = roots.map((r) => real(resolve(r))).filter((r): r is string => !!r);
  if (!realRoots.some((r) => isWithin(r, target))) return undefined;
  try { return statSync(target).isFile() ? target : undefined; } catch { return undefined; }
}
