// The one build path → workspace file mapper of the server: leak and contention lenses,
// escape hints, per-line cost, text artifact diagnostics and the extension's frame clicks
// and source peeks (ResolveSourceRequest) all ask this instance, so they agree.
import { statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { scanGoFiles } from '../core/io/goscan';
import { SourceMapper } from '../core/source/modules';
import type { ResolveSourceParams, ResolveSourceResult } from '../protocol/sources';

export class WorkspaceSources {
  private mapper = new SourceMapper([]);
  private roots: string[] = [];
  private files: string[] = [];
  /** golens.sourceRoots: folders searched besides the workspace's. */
  private extraRoots: string[] = [];
  private readonly cache = new Map<string, string | undefined>();

  /** Re-reads the go.mod and Go files under the workspace folders (and the extra roots). */
  refresh(roots: string[]): void {
    this.roots = roots;
    const { goFiles, goMods } = scanGoFiles([...roots, ...this.extraRoots.filter((r) => !roots.includes(r))]);
    this.files = goFiles;
    this.mapper = new SourceMapper(goMods, goFiles);
    this.cache.clear();
  }

  /** Takes effect at the next refresh. */
  setExtraRoots(roots: string[]): void {
    this.extraRoots = roots.filter((r) => isAbsolute(r));
  }

  get goFiles(): readonly string[] {
    return this.files;
  }

  /**
   * The workspace file of a build path: the path itself when it is a file here inside the
   * workspace (or there is no workspace), else by module path, exact path or longest suffix.
   */
  map(buildPath: string): string | undefined {
    if (this.cache.has(buildPath)) return this.cache.get(buildPath);
    const found = this.direct(buildPath) ?? this.mapper.map(buildPath);
    this.cache.set(buildPath, found);
    return found;
  }

  /** The handler of ResolveSourceRequest. */
  resolve(p: ResolveSourceParams): ResolveSourceResult {
    return { path: this.map(p.file) ?? null };
  }

  private direct(buildPath: string): string | undefined {
    if (!isAbsolute(buildPath)) return undefined;
    const inside = this.roots.length === 0 || this.roots.some((r) => { const rel = relative(r, buildPath); return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel); });
    if (!inside) return undefined;
    try { return statSync(buildPath).isFile() ? buildPath : undefined; } catch { return undefined; }
  }
}
