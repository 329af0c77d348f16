// GoLens language server: decodes and analyses artifacts off the extension host's thread —
// profiles for the profile editor, and the workspace's traces, goroutine profiles and dumps
// for leak code lenses and hovers on the `go` statements of .go files.
import { fileURLToPath } from 'node:url';
import {
  CodeLensRefreshRequest, createConnection, DidChangeConfigurationNotification, MarkupKind, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type CodeLens, type Hover, type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CloseProfileNotification, OpenProfileRequest, ProfileListRequest, ProfileViewRequest,
} from '../protocol/profile';
import { EscapeStatsRequest, WorkspaceTrustNotification, type GoLensInitOptions } from '../protocol/escapes';
import { EscapeDiagnostics, type EscapeSettings } from './escapes';
import { LineCostsRequest } from '../protocol/linecost';
import { ContentionLenses } from './contentionlenses';
import { hoverText, LeakLenses, resolveArtifacts } from './leaklenses';
import { codeLenses } from './lenses';
import { profileLineCosts } from './linecost';
import { artifactDiagnostics, artifactReport, isArtifactLanguage } from './textdocs';
import { ReportRequest } from '../protocol/textdocs';
import {
  CloseDiffNotification, DiffViewRequest, OpenDiffRequest,
} from '../protocol/diff';
import { DiffStore } from './diffs';
import { ProfileStore } from './profiles';
import {
  CloseTraceNotification, OpenTraceRequest, TraceFindingsRequest, TraceGoroutinesRequest, TraceProgressNotification, TraceSpanAtRequest, TraceSpanRequest, TraceTilesRequest,
} from '../protocol/trace';
import { TraceWorkerClient } from './traceclient';
import { WorkspaceSources } from './sources';
import { ResolveSourceRequest } from '../protocol/sources';

const connection = createConnection(ProposedFeatures.all);
const profiles = new ProfileStore();
const diffs = new DiffStore();
// Traces are decoded, replayed and queried on a worker thread: this one keeps serving lenses.
const traces = new TraceWorkerClient(undefined, (s) => connection.console.warn(s));
// The one build path → workspace mapper: lenses, escape hints and the extension's frame clicks.
const sources = new WorkspaceSources();
const leaks = new LeakLenses((s) => connection.console.info(s), sources);
const contention = new ContentionLenses();
let roots: string[] = [];
let lensesOn = true;
let contentionOn = true;
let canRefresh = false;
const escapes = new EscapeDiagnostics({
  settings: escapeSettings,
  workspaceFolders: () => roots,
  publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
  log: (s) => connection.console.info(s),
  warn: (s) => connection.console.warn(s),
  map: (p) => sources.map(p),
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
      // Open documents are synced: the diagnostics of goroutine dumps, gctrace and schedtrace
      // logs read their text; opening and saving a Go file runs the escape analysis.
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeLensProvider: { resolveProvider: false },
      hoverProvider: true,
    },
    serverInfo: { name: 'golens', version: '0.1.0' },
  };
});

/** Re-reads the artifacts the settings name and tells the editor to ask for lenses again. */
async function refreshLeaks(): Promise<void> {
  const cfg = (await connection.workspace.getConfiguration('golens')) as { artifacts?: string[]; sourceRoots?: string[]; codeLens?: { leaks?: boolean; contention?: boolean } } | null;
  // Folders outside the workspace only from a trusted one (the setting is machine-scoped too).
  sources.setExtraRoots(escapes.trusted ? cfg?.sourceRoots ?? [] : []);
  lensesOn = cfg?.codeLens?.leaks ?? true;
  contentionOn = cfg?.codeLens?.contention ?? true;
  const artifacts = lensesOn || contentionOn ? resolveArtifacts(roots, cfg?.artifacts ?? []) : [];
  const t0 = performance.now();
  const placed = leaks.refresh(roots, lensesOn ? artifacts : []);
  for (const e of leaks.errors) connection.console.warn(`artifact skipped: ${e}`);
  connection.console.info(`leak lenses: ${artifacts.length} artifact(s), ${placed} leak site(s) on go statements (${(performance.now() - t0).toFixed(0)} ms)`);
  const t1 = performance.now();
  try {
    const lines = contention.refresh(contentionOn ? artifacts : [], (p) => sources.map(p));
    for (const e of contention.errors) connection.console.warn(`contention: artifact skipped: ${e}`);
    connection.console.info(`contention lenses: ${lines} on Lock/Unlock lines (${(performance.now() - t1).toFixed(0)} ms)`);
  } catch (e) {
    connection.console.error(`contention lenses: ${(e as Error).message}`);
  }
  if (canRefresh) await connection.sendRequest(CodeLensRefreshRequest.type);
}

connection.onInitialized(() => {
  void connection.client.register(DidChangeConfigurationNotification.type, { section: 'golens' });
  void refreshLeaks();
});
connection.onDidChangeConfiguration(() => { void refreshLeaks(); void escapes.settingsChanged(); });
connection.onDidChangeWatchedFiles(() => void refreshLeaks());

connection.onCodeLens((params): CodeLens[] => {
  if ((!lensesOn && !contentionOn) || !params.textDocument.uri.startsWith('file:')) return [];
  return codeLenses(fileURLToPath(params.textDocument.uri), lensesOn ? leaks : undefined, contentionOn ? contention : undefined);
});

connection.onHover((params): Hover | null => {
  if (!lensesOn || !params.textDocument.uri.startsWith('file:')) return null;
  const at = leaks.at(fileURLToPath(params.textDocument.uri)).find((l) => l.line === params.position.line + 1);
  return at ? { contents: { kind: MarkupKind.Markdown, value: hoverText(at.rows) } } : null;
});

// Escape-analysis diagnostics: a .go file opened or saved analyses its module (trusted only).
const goFile = (uri: string) => (uri.startsWith('file:') && uri.endsWith('.go') ? fileURLToPath(uri) : undefined);
connection.onNotification(WorkspaceTrustNotification, (p) => { escapes.trusted = p.trusted === true; });
connection.onRequest(EscapeStatsRequest, () => escapes.stats());
connection.onShutdown(async () => { escapes.dispose(); await traces.dispose(); });

connection.onRequest(OpenProfileRequest, async (p) => {
  const t0 = performance.now();
  const res = await profiles.openProfile(p);
  connection.console.info(`open ${p.uri}: ${res.ok ? `${res.summary.samples} samples` : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(ProfileViewRequest, (p) => profiles.view(p));
connection.onRequest(LineCostsRequest, (p) => profileLineCosts(profiles.profile(p.id), p, (f) => sources.map(f)));
connection.onRequest(ProfileListRequest, (p) => profiles.list(p));
connection.onRequest(ResolveSourceRequest, (p) => sources.resolve(p));
connection.onNotification(CloseProfileNotification, (p) => profiles.close(p.id));

connection.onRequest(OpenTraceRequest, async (p, token) => {
  const res = await traces.openTrace(p, (fraction, phase) => void connection.sendNotification(TraceProgressNotification, { uri: p.uri, fraction, phase }), token);
  connection.console.info(`open trace ${p.uri}: ${res.ok ? `${res.summary.events} events, ${res.summary.goroutines} goroutines in ${res.summary.decodeMs.toFixed(0)} ms` : res.error.message}`);
  return res;
});
connection.onRequest(TraceFindingsRequest, async (p) => {
  const t0 = performance.now();
  const res = await traces.findingsOf(p);
  connection.console.info(`trace findings ${p.id}: ${res.ok ? res.findings.length : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(TraceTilesRequest, (p) => traces.tiles(p));
connection.onRequest(TraceSpanAtRequest, (p) => traces.spanAt(p));
connection.onRequest(TraceSpanRequest, (p) => traces.span(p));
connection.onRequest(TraceGoroutinesRequest, (p) => traces.goroutines(p));
connection.onNotification(CloseTraceNotification, (p) => void traces.close(p));

// Text artifacts: diagnostics from their findings, a little after the last edit.
const documents = new TextDocuments(TextDocument);
const pending = new Map<string, NodeJS.Timeout>();
function publish(doc: TextDocument, delayMs: number): void {
  if (!isArtifactLanguage(doc.languageId)) return;
  clearTimeout(pending.get(doc.uri));
  pending.set(doc.uri, setTimeout(() => {
    pending.delete(doc.uri);
    const t0 = performance.now();
    let diagnostics;
    try {
      diagnostics = artifactDiagnostics(doc, (p) => sources.map(p));
    } catch (e) {
      connection.console.error(`${doc.uri}: ${(e as Error).stack ?? e}`);
      return;
    }
    connection.console.info(`${doc.uri}: ${diagnostics.length} diagnostic(s) (${(performance.now() - t0).toFixed(0)} ms)`);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }, delayMs));
}
// Fired on open too (version 1): no wait then.
documents.onDidChangeContent((e) => publish(e.document, e.document.version <= 1 ? 0 : 300));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  if (isArtifactLanguage(e.document.languageId)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
// Opening or saving a Go file (re)runs the escape analysis of its module. The document manager
// owns the connection's open/change/save/close handlers, so both listen through it.
documents.onDidOpen((e) => { const f = goFile(e.document.uri); if (f) escapes.touched(f); });
documents.onDidSave((e) => { const f = goFile(e.document.uri); if (f) escapes.touched(f); });
documents.listen(connection);
connection.onRequest(ReportRequest, (p) => artifactReport(p));

connection.onRequest(OpenDiffRequest, async (p) => {
  const t0 = performance.now();
  const res = await diffs.openDiff(p);
  connection.console.info(`compare ${p.base.uri} with ${p.next.uri}: ${res.ok ? 'ok' : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(DiffViewRequest, (p) => diffs.view(p));
connection.onNotification(CloseDiffNotification, (p) => diffs.close(p.id));

connection.listen();
