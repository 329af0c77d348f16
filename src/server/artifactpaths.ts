// The files golens.artifacts names. A workspace can write that setting (and plant links), so
// every match must really be a regular file inside a workspace folder: links are resolved,
// a glob walk does not follow them, and `..` or an absolute path may leave the workspace only
// when the user's own settings name it in a trusted workspace. A dropped entry is never opened.
import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { regularFileWithin } from '../core/io/contain';
import { statOf } from '../core/io/file';

/** A glob over '/'-separated relative paths: `**\/` any directories, `*` and `?` within one segment. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) { re += '(?:.*/)?'; i += 2; }
    else if (glob.startsWith('**', i)) { re += '.*'; i += 1; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export interface Dropped {
  /** The entry or the matched name, as written or workspace-relative: never where a link points. */
  name: string;
  why: string;
}

export interface ArtifactPaths {
  /** Real paths of regular files, sorted. */
  files: string[];
  dropped: Dropped[];
}

/** True when an entry names a place outside the folder it is read from (`..` or absolute). */
export function leavesWorkspace(entry: string): boolean {
  return isAbsolute(entry) || entry.split(/[\\/]/).includes('..');
}

/** Why a path that is not an acceptable artifact was refused (undefined: it does not exist). */
function whyNot(path: string): string | undefined {
  let link = false;
  try { link = lstatSync(path).isSymbolicLink(); } catch { return undefined; }
  const st = statOf(path);
  if (!st) return link ? 'is a broken link' : undefined;
  if (!st.isFile()) return st.isDirectory() ? 'is a folder' : 'is not a regular file (a device, a FIFO or a socket)';
  return 'leads outside the workspace';
}

/**
 * The files `entries` name in `roots`: workspace-relative paths and globs (`*`, `?`, `**`).
 * `outside`: the entries that may name files outside the workspace — the user's own
 * (global) golens.artifacts, passed only for a trusted workspace.
 */
export function artifactPaths(roots: readonly string[], entries: readonly string[], outside: readonly string[] = []): ArtifactPaths {
  const files = new Set<string>();
  const dropped = new Map<string, string>();
  const drop = (name: string, why: string) => { if (!dropped.has(name)) dropped.set(name, why); };
  for (const [i, entry] of entries.entries()) {
    const glob = /[*?]/.test(entry);
    if (leavesWorkspace(entry)) {
      const candidates = isAbsolute(entry) ? [entry] : roots.map((r) => join(r, entry));
      // An absolute path or `..` that still ends inside a workspace folder is the workspace's own.
      const inside = glob ? [] : candidates.map((p) => regularFileWithin(p, roots)).filter((p): p is string => !!p);
      if (inside.length > 0) { for (const p of inside) files.add(p); continue; }
      // Named by position: the entry itself is a path outside, which is not echoed either.
      const name = `entry ${i + 1} (${isAbsolute(entry) ? 'an absolute path' : 'a path with ..'})`;
      if (!outside.includes(entry)) { drop(name, 'leaves the workspace: only your user settings can name files outside it, in a trusted workspace'); continue; }
      if (glob) { drop(name, 'is a glob outside the workspace, which is not walked: name the file'); continue; }
      // The user's own entry: any regular file, still never a device or a FIFO.
      for (const p of candidates) {
        const real = regularFileWithin(p, ['/']);
        if (real) files.add(real);
        else { const why = whyNot(p); if (why && why !== 'leads outside the workspace') drop(name, why); }
      }
      continue;
    }
    for (const root of roots) {
      if (!glob) {
        const p = join(root, entry);
        const real = regularFileWithin(p, roots);
        if (real) files.add(real);
        else { const why = whyNot(p); if (why) drop(entry, why); }
        continue;
      }
      const re = globToRegExp(entry);
      // Dirents do not follow links: a linked folder is not walked, a linked file is checked.
      const walk = (dir: string) => {
        let list: Dirent[];
        try { list = readdirSync(dir, { withFileTypes: true }); } catch { return; }
        for (const e of list) {
          const p = join(dir, e.name);
          if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== '.git') walk(p); continue; }
          const rel = relative(root, p);
          if (!re.test(rel)) continue;
          const real = e.isFile() || e.isSymbolicLink() ? regularFileWithin(p, roots) : undefined;
          if (real) files.add(real);
          else drop(rel, whyNot(p) ?? 'is not a regular file');
        }
      };
      walk(root);
    }
  }
  return { files: [...files].sort(), dropped: [...dropped].map(([name, why]) => ({ name, why })) };
}

/** The server's one expander of golens.artifacts: it knows trust and the user's entries, and logs each dropped entry once. */
export class ArtifactResolver {
  /** golens.artifacts of the user settings (UserArtifactsNotification). */
  userEntries: string[] = [];
  private logged = new Set<string>();

  constructor(private readonly trusted: () => boolean, private readonly log: (s: string) => void) {}

  files(roots: readonly string[], entries: readonly string[]): string[] {
    const { files, dropped } = artifactPaths(roots, entries, this.trusted() ? this.userEntries : []);
    for (const d of dropped) {
      const line = `golens.artifacts: ${d.name} ${d.why}; not read`;
      if (!this.logged.has(line)) { this.logged.add(line); this.log(line); }
    }
    return files;
  }
}
