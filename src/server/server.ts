// The language server's composition: the stores and services it is made of and the little
// state they share (the workspace folders, whether the editor can refresh lenses). main.ts
// wires the connection's requests to them; nothing here is a module-level variable.
import { fileURLToPath } from 'node:url';
import { CodeLensRefreshRequest, type Connection, type InitializeParams } from 'vscode-languageserver/node';
import type { GoLensInitOptions } from '../protocol/escapes';
import { EscapeDiagnostics, type EscapeSettings } from './escapes';
import { ArtifactResolver } from './artifactpaths';
import { LensService, type LensSettings } from './lensservice';
import { ProfileWorkers } from './profileclient';
import { ArtifactDiagnostics } from './textdocs';
import { WorkspaceSources } from './sources';
import { TraceWorkerClient } from './traceclient';
import { readRegularFile } from '../core/io/file';
import { settingsFromSection } from '../protocol/settings';

interface GoLensConfig extends LensSettings {
  goPath?: string;
  escapes?: { enabled?: boolean; timeoutSeconds?: number; showUnmeasured?: boolean };
}

export class GoLensServer {
  roots: string[] = [];
  canRefreshLenses = false;
  /** Traces and the lenses' artifacts are decoded on a worker thread: this one keeps serving. */
  readonly traces: TraceWorkerClient;
  /** The profile editor's and the comparison's profiles, each on a worker of its own: a slow one holds up neither this thread nor the others. */
  readonly profiles: ProfileWorkers;
  readonly lenses: LensService;
  readonly escapes: EscapeDiagnostics;
  readonly textArtifacts: ArtifactDiagnostics;
  /** The one build path → workspace mapper: lenses, escape hints and the extension's frame clicks. */
  readonly sources = new WorkspaceSources();
  /** golens.artifacts → files really inside the workspace (outside only from trusted user settings). */
  readonly artifacts: ArtifactResolver;

  constructor(readonly connection: Connection, workerScript?: string) {
    const console = connection.console;
    this.artifacts = new ArtifactResolver(() => this.escapes.trusted, (s) => console.warn(s));
    this.traces = new TraceWorkerClient(workerScript, (s) => console.warn(s));
    this.profiles = new ProfileWorkers(workerScript, (s) => console.warn(s));
    this.lenses = new LensService({
      lensData: (paths) => this.traces.lensData(paths),
      settings: () => this.config(),
      roots: () => this.roots,
      log: (s) => console.info(s), warn: (s) => console.warn(s), error: (s) => console.error(s),
      changed: async () => { if (this.canRefreshLenses) await connection.sendRequest(CodeLensRefreshRequest.type); },
      sources: this.sources,
      trusted: () => this.escapes.trusted,
      artifactFiles: (roots, entries) => this.artifacts.files(roots, entries),
      readSource: (file) => readSourceText(file),
    });
    this.escapes = new EscapeDiagnostics({
      settings: () => this.escapeSettings(),
      workspaceFolders: () => this.roots,
      publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
      log: (s) => console.info(s),
      warn: (s) => console.warn(s),
      map: (p) => this.sources.map(p),
    });
    this.textArtifacts = new ArtifactDiagnostics({
      map: (p) => this.sources.map(p),
      publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
      log: (s) => console.info(s), error: (s) => console.error(s),
    });
  }

  initialize(params: InitializeParams): void {
    this.roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    this.canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    // Never run go unless the extension says the workspace is trusted.
    const init = params.initializationOptions as Partial<GoLensInitOptions> | undefined;
    this.escapes.trusted = init?.trusted === true;
    this.artifacts.userEntries = Array.isArray(init?.userArtifacts) ? init.userArtifacts.filter((e) => typeof e === 'string') : [];
  }

  /** The golens settings, fitted to their schema in package.json (a workspace cannot set what the schema forbids). */
  private async config(): Promise<GoLensConfig> {
    const s = settingsFromSection(await this.connection.workspace.getConfiguration('golens'));
    return {
      artifacts: s['golens.artifacts'], sourceRoots: s['golens.sourceRoots'], goPath: s['golens.goPath'],
      codeLens: { leaks: s['golens.codeLens.leaks'], contention: s['golens.codeLens.contention'], profile: s['golens.codeLens.profile'] },
      escapes: { enabled: s['golens.escapes.enabled'], timeoutSeconds: s['golens.escapes.timeoutSeconds'], showUnmeasured: s['golens.escapes.showUnmeasured'] },
    };
  }

  /** The escape settings; the alloc profiles are the heap/allocs profiles among golens.artifacts. */
  private async escapeSettings(): Promise<EscapeSettings> {
    const cfg: GoLensConfig | null = await this.config();
    const profiles = this.artifacts.files(this.roots, cfg?.artifacts ?? []).filter((p) => /\.(pprof|prof|pb\.gz|gz)$/.test(p));
    return {
      enabled: cfg?.escapes?.enabled ?? true,
      goPath: cfg?.goPath || undefined,
      timeoutMs: Math.max(5, cfg?.escapes?.timeoutSeconds ?? 120) * 1000,
      profiles,
      showUnmeasured: cfg?.escapes?.showUnmeasured ?? false,
    };
  }

  /** Settings that are not the lenses' or the escapes': the read limit of the profile editor. */
  async settingsChanged(): Promise<void> {
    const s = settingsFromSection(await this.connection.workspace.getConfiguration('golens'));
    this.profiles.maxBytes = s['golens.limits.maxBytes'];
  }

  async shutdown(): Promise<void> {
    this.escapes.dispose();
    this.textArtifacts.dispose();
    await this.traces.dispose();
    await this.profiles.dispose();
  }
}

/** A Go source's text from disk for the lenses (a regular file of at most 4 MiB), or undefined. */
function readSourceText(file: string): string | undefined {
  try {
    return new TextDecoder().decode(readRegularFile(file, 4 << 20));
  } catch {
    return undefined;
  }
}
