// The code lenses and hovers of Go files: the artifacts the settings name are decoded off
// this thread (the trace worker keeps them, reading a file again only when it changed), then
// their leaks and contended locks are placed on the workspace's Go files here. A change of
// settings, artifacts or Go files asks for a refresh; refreshes run one at a time, and those
// asked for while one runs become one more.
import { fileURLToPath } from 'node:url';
import { MarkupKind, type CodeLens, type Hover } from 'vscode-languageserver/node';
import type { LensData } from './artifacts';
import { ContentionLenses } from './contentionlenses';
import { hoverText, LeakLenses, resolveArtifacts } from './leaklenses';
import { codeLenses } from './lenses';
import { testLenses } from './testlenses';
import type { WorkspaceSources } from './sources';

export interface LensSettings {
  artifacts?: string[];
  sourceRoots?: string[];
  codeLens?: { leaks?: boolean; contention?: boolean; profile?: boolean };
}

export interface LensDeps {
  /** Decodes the artifacts: the trace worker (tests: an ArtifactCache in this thread). */
  lensData(paths: string[]): Promise<LensData>;
  settings(): Promise<LensSettings | null>;
  roots(): string[];
  log(s: string): void;
  warn(s: string): void;
  error(s: string): void;
  /** The lenses changed: the editor should ask for them again. */
  changed(): Promise<void>;
  /** The server's one build path → workspace mapper (lenses, escapes, frame clicks). */
  sources: WorkspaceSources;
  /** Whether the workspace is trusted: only then are golens.sourceRoots outside it searched. */
  trusted(): boolean;
  /** golens.artifacts → files (the server's ArtifactResolver; default: inside the roots only). */
  artifactFiles?(roots: string[], entries: string[]): string[];
  /** A Go file's text from disk when no editor holds it (the "profile" lenses). */
  readSource?(file: string): string | undefined;
}

export class LensService {
  readonly leaks: LeakLenses;
  readonly contention = new ContentionLenses();
  private leaksOn = true;
  private contentionOn = true;
  private profileOn = true;
  private running: Promise<void> | undefined;
  private again = false;
  /** A running watch's saved snapshots (WatchSnapshotsNotification), workspace-relative: read as artifacts too. */
  watchFiles: string[] = [];

  constructor(private readonly deps: LensDeps) {
    this.leaks = new LeakLenses((s) => deps.log(s), deps.sources);
  }

  /** Reads the settings and what changed among the artifacts, and places the lenses again. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      try {
        do {
          this.again = false;
          await this.once();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    };
    this.running = run();
    return this.running;
  }

  private async once(): Promise<void> {
    const cfg = await this.deps.settings();
    this.leaksOn = cfg?.codeLens?.leaks ?? true;
    this.contentionOn = cfg?.codeLens?.contention ?? true;
    this.profileOn = cfg?.codeLens?.profile ?? true;
    // Folders outside the workspace only for a trusted one (the setting is machine-scoped too).
    this.deps.sources.setExtraRoots(this.deps.trusted() ? cfg?.sourceRoots ?? [] : []);
    const roots = this.deps.roots();
    const resolve = this.deps.artifactFiles ?? resolveArtifacts;
    const artifacts = this.leaksOn || this.contentionOn ? resolve(roots, cfg?.artifacts ?? []) : [];
    // The watch's snapshots join them (inside the workspace only), analysed together: growth.
    if (this.leaksOn && this.watchFiles.length) for (const f of resolveArtifacts(roots, this.watchFiles)) if (!artifacts.includes(f)) artifacts.push(f);
    const t0 = performance.now();
    let data: LensData;
    try {
      data = await this.deps.lensData(artifacts);
    } catch (e) {
      this.deps.error(`lenses: ${(e as Error).message}`);
      return;
    }
    for (const e of data.errors) this.deps.warn(`artifact skipped: ${e}`);
    const t1 = performance.now();
    const placed = this.leaks.update(roots, this.leaksOn ? data.leaks : []);
    this.deps.log(`leak lenses: ${artifacts.length} artifact(s), ${data.decoded} read again (${(t1 - t0).toFixed(0)} ms), ${placed} leak site(s) on go statements (${(performance.now() - t1).toFixed(0)} ms)`);
    const t2 = performance.now();
    try {
      const lines = this.contention.update(this.contentionOn ? data.contention : NO_CONTENTION, (p) => this.leaks.workspacePath(p));
      this.deps.log(`contention lenses: ${lines} on Lock/Unlock lines (${(performance.now() - t2).toFixed(0)} ms)`);
    } catch (e) {
      this.deps.error(`contention lenses: ${(e as Error).message}`);
    }
    await this.deps.changed();
  }

  /** The lenses of a file; `text` is the open editor's (the "profile" lenses read it, else the file on disk). */
  codeLenses(uri: string, text?: () => string | undefined): CodeLens[] {
    if (!uri.startsWith('file:')) return [];
    const file = fileURLToPath(uri);
    const out = this.leaksOn || this.contentionOn ? codeLenses(file, this.leaksOn ? this.leaks : undefined, this.contentionOn ? this.contention : undefined) : [];
    if (this.profileOn) {
      const src = text?.() ?? this.deps.readSource?.(file);
      if (src !== undefined) out.push(...testLenses(file, src));
    }
    return out;
  }

  hover(uri: string, line: number): Hover | null {
    if (!this.leaksOn || !uri.startsWith('file:')) return null;
    const at = this.leaks.at(fileURLToPath(uri)).find((l) => l.line === line + 1);
    return at ? { contents: { kind: MarkupKind.Markdown, value: hoverText(at.rows) } } : null;
  }

  /** The workspace file a build path from a trace or profile names, if it is in the workspace. */
  workspacePath(buildPath: string): string | undefined {
    return this.leaks.workspacePath(buildPath);
  }
}

const NO_CONTENTION: LensData['contention'] = { report: { sites: [], channels: [], runtime: { waitNs: 0, count: 0 }, traceNs: 0 }, traces: [] };
