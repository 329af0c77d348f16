// The one build path → workspace file mapper of the server: leak and contention lenses,
// escape hints, per-line cost, text artifact diagnostics and the extension's frame clicks
// and source peeks (ResolveSourceRequest) all ask this instance, so they agree.
import { isAbsolute } from 'node:path';
import { regularFileWithin } from '../core/io/contain';
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
   * The workspace file of a build path: the path itself when it is a regular file really
   * inside the workspace, else by module path, exact path or longest suffix.
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

  /** A build path that is itself a file here: only a regular file really inside the workspace or a source root. */
  private direct(buildPath: string): string | undefined {
    if (!isAbsolute(buildPath) || this.roots.length === 0) return undefined;
    return regularFileWithin(buildPath, [...this.roots, ...this.extraRoots]);
  }
}
