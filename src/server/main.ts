// GoLens language server: decodes and analyses artifacts off the extension host's thread —
// profiles for the profile editor, and the workspace's traces, goroutine profiles and dumps
// for leak code lenses and hovers on the `go` statements of .go files.
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeLensRefreshRequest, createConnection, DidChangeConfigurationNotification, MarkupKind, ProposedFeatures, TextDocumentSyncKind,
  type CodeLens, type Hover, type InitializeParams,
} from 'vscode-languageserver/node';
import {
  CloseProfileNotification, OpenProfileRequest, ProfileViewRequest,
  type CloseProfileParams, type OpenProfileParams, type ProfileViewParams,
} from '../protocol/profile';
import { EscapeStatsRequest, WorkspaceTrustNotification, type GoLensInitOptions, type WorkspaceTrustParams } from '../protocol/escapes';
import { EscapeDiagnostics, type EscapeSettings } from './escapes';
import { hoverText, LeakLenses, lensTitle, resolveArtifacts } from './leaklenses';
import { ProfileStore } from './profiles';
import {
  CloseTraceNotification, OpenTraceRequest, TraceFindingsRequest, TraceGoroutinesRequest, TraceProgressNotification, TraceSpanAtRequest, TraceSpanRequest, TraceTilesRequest,
  type CloseTraceParams, type OpenTraceParams, type TraceFindingsParams, type TraceGoroutinesParams, type TraceSpanAtParams, type TraceSpanParams, type TraceTilesParams,
} from '../protocol/trace';
import { TraceStore } from './traces';

const connection = createConnection(ProposedFeatures.all);
const profiles = new ProfileStore();
const traces = new TraceStore();
const leaks = new LeakLenses((s) => connection.console.info(s));
let roots: string[] = [];
let lensesOn = true;
let canRefresh = false;
const escapes = new EscapeDiagnostics({
  settings: escapeSettings,
  workspaceFolders: () => roots,
  publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
  log: (s) => connection.console.info(s),
  warn: (s) => connection.console.warn(s),
});

/** The escape settings; the alloc profiles are the heap/allocs profiles among golens.artifacts. */
async function escapeSettings(): Promise<EscapeSettings> {
  const cfg = (await connection.workspace.getConfiguration('golens')) as {
    artifacts?: string[]; goPath?: string; escapes?: { enabled?: boolean; timeoutSeconds?: number; showUnmeasured?: boolean };
  } | null;
  const profiles = resolveArtifacts(roots, cfg?.artifacts ?? []).filter((p) => /\.(pprof|prof|pb\.gz|gz)$/.test(p));
  return {
    enabled: cfg?.escapes?.enabled ?? true,
    goPath: cfg?.goPath || undefined,
    timeoutMs: Math.max(5, cfg?.escapes?.timeoutSeconds ?? 120) * 1000,
    profiles,
    showUnmeasured: cfg?.escapes?.showUnmeasured ?? false,
  };
}

connection.onInitialize((params: InitializeParams) => {
  roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  canRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  // Never run go unless the extension says the workspace is trusted.
  escapes.trusted = (params.initializationOptions as Partial<GoLensInitOptions> | undefined)?.trusted === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.None, save: { includeText: false } },
      codeLensProvider: { resolveProvider: false },
      hoverProvider: true,
    },
    serverInfo: { name: 'golens', version: '0.1.0' },
  };
});

/** Re-reads the artifacts the settings name and tells the editor to ask for lenses again. */
async function refreshLeaks(): Promise<void> {
  const cfg = (await connection.workspace.getConfiguration('golens')) as { artifacts?: string[]; codeLens?: { leaks?: boolean } } | null;
  lensesOn = cfg?.codeLens?.leaks ?? true;
  const artifacts = lensesOn ? resolveArtifacts(roots, cfg?.artifacts ?? []) : [];
  const t0 = performance.now();
  const placed = leaks.refresh(roots, artifacts);
  for (const e of leaks.errors) connection.console.warn(`artifact skipped: ${e}`);
  connection.console.info(`leak lenses: ${artifacts.length} artifact(s), ${placed} leak site(s) on go statements (${(performance.now() - t0).toFixed(0)} ms)`);
  if (canRefresh) await connection.sendRequest(CodeLensRefreshRequest.type);
}

connection.onInitialized(() => {
  void connection.client.register(DidChangeConfigurationNotification.type, { section: 'golens' });
  void refreshLeaks();
});
connection.onDidChangeConfiguration(() => { void refreshLeaks(); void escapes.settingsChanged(); });
connection.onDidChangeWatchedFiles(() => void refreshLeaks());

connection.onCodeLens((params): CodeLens[] => {
  if (!lensesOn || !params.textDocument.uri.startsWith('file:')) return [];
  const file = fileURLToPath(params.textDocument.uri);
  return leaks.at(file).map(({ line, rows }) => {
    const top = rows.slice().sort((a, b) => b.count - a.count)[0];
    const blocked = leaks.workspacePath(top.blockedAt.file);
    const inTrace = leaks.placeOf(top);
    return {
      range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } },
      command: {
        title: lensTitle(rows, (f) => leaks.workspacePath(f) ?? f),
        command: 'golens.showLeak',
        arguments: [{
          blockedUri: blocked ? pathToFileURL(blocked).toString() : undefined, blockedLine: top.blockedAt.line,
          sources: top.sources, count: rows.reduce((a, r) => a + r.count, 0), reason: top.reason,
          ...(inTrace ? { trace: pathToFileURL(inTrace.trace).toString(), place: inTrace.place } : {}),
        }],
      },
    };
  });
});

connection.onHover((params): Hover | null => {
  if (!lensesOn || !params.textDocument.uri.startsWith('file:')) return null;
  const at = leaks.at(fileURLToPath(params.textDocument.uri)).find((l) => l.line === params.position.line + 1);
  return at ? { contents: { kind: MarkupKind.Markdown, value: hoverText(at.rows) } } : null;
});

// Escape-analysis diagnostics: a .go file opened or saved analyses its module (trusted only).
const goFile = (uri: string) => (uri.startsWith('file:') && uri.endsWith('.go') ? fileURLToPath(uri) : undefined);
connection.onDidOpenTextDocument((p) => { const f = goFile(p.textDocument.uri); if (f) escapes.touched(f); });
connection.onDidSaveTextDocument((p) => { const f = goFile(p.textDocument.uri); if (f) escapes.touched(f); });
connection.onNotification(WorkspaceTrustNotification, (p: WorkspaceTrustParams) => { escapes.trusted = p.trusted === true; });
connection.onRequest(EscapeStatsRequest, () => escapes.stats());
connection.onShutdown(() => escapes.dispose());

connection.onRequest(OpenProfileRequest, async (p: OpenProfileParams) => {
  const t0 = performance.now();
  const res = await profiles.openProfile(p);
  connection.console.info(`open ${p.uri}: ${res.ok ? `${res.summary.samples} samples` : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(ProfileViewRequest, (p: ProfileViewParams) => profiles.view(p));
connection.onNotification(CloseProfileNotification, (p: CloseProfileParams) => profiles.close(p.id));

connection.onRequest(OpenTraceRequest, async (p: OpenTraceParams, token) => {
  const res = await traces.openTrace(p, (fraction, phase) => void connection.sendNotification(TraceProgressNotification, { uri: p.uri, fraction, phase }), token);
  connection.console.info(`open trace ${p.uri}: ${res.ok ? `${res.summary.events} events, ${res.summary.goroutines} goroutines in ${res.summary.decodeMs.toFixed(0)} ms` : res.error.message}`);
  return res;
});
connection.onRequest(TraceFindingsRequest, async (p: TraceFindingsParams) => {
  const t0 = performance.now();
  const res = await traces.findingsOf(p);
  connection.console.info(`trace findings ${p.id}: ${res.ok ? res.findings.length : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(TraceTilesRequest, (p: TraceTilesParams) => traces.tiles(p));
connection.onRequest(TraceSpanAtRequest, (p: TraceSpanAtParams) => traces.spanAt(p));
connection.onRequest(TraceSpanRequest, (p: TraceSpanParams) => traces.span(p));
connection.onRequest(TraceGoroutinesRequest, (p: TraceGoroutinesParams) => traces.goroutines(p));
connection.onNotification(CloseTraceNotification, (p: CloseTraceParams) => traces.close(p.id));

connection.listen();
