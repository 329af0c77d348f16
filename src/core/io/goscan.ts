// The io seam for Go source trees: the .go and go.mod files under some folders, bounded, and
// skipping what is not the user's code (dependencies, build output, hidden folders).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GoModFile } from '../source/modules';

const SKIP_DIRS = new Set(['node_modules', '.git', 'vendor', 'testdata', '.cache', 'dist']);

/** Go files and go.mod files (with their text) under the roots, at most `max` Go files. */
export function scanGoFiles(roots: string[], max = 20000): { goFiles: string[]; goMods: GoModFile[] } {
  const goFiles: string[] = [];
  const goMods: GoModFile[] = [];
  const walk = (dir: string) => {
    if (goFiles.length >= max) return;
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = join(dir, e.name);
      // Links are not followed and only regular files count: a workspace's `x.go -> /etc/passwd`
      // or a FIFO named go.mod is neither listed nor read.
      if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(p); }
      else if (!e.isFile()) continue;
      else if (e.name.endsWith('.go')) goFiles.push(p);
      else if (e.name === 'go.mod') { try { goMods.push({ dir, text: readFileSync(p, 'utf8') }); } catch { /* unreadable */ } }
    }
  };
  roots.forEach(walk);
  return { goFiles, goMods };
}
