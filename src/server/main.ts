// GoLens language server: decodes and analyses artifacts off the extension host's thread (on
// worker threads of its own) — profiles for the profile editor, traces for the timeline, and the workspace's traces,
// goroutine profiles and dumps for leak and contention code lenses and hovers on .go files.
// This file wires the connection's requests to the server's parts (server.ts); it holds no state.
import { fileURLToPath } from 'node:url';
import {
  createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
  type CodeLens, type Hover, type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CloseProfileNotification, OpenProfileRequest, ProfileGraphRequest, ProfileListRequest, ProfileSandwichRequest, ProfileViewRequest,
  type CloseProfileParams, type OpenProfileParams, type ProfileGraphParams, type ProfileListParams, type ProfileSandwichParams, type ProfileViewParams,
} from '../protocol/profile';
import { UserArtifactsNotification, type UserArtifactsParams } from '../protocol/artifacts';
import { WatchSnapshotsNotification, type WatchSnapshotsParams } from '../protocol/watch';
import { EscapeStatsRequest, WorkspaceTrustNotification, type WorkspaceTrustParams } from '../protocol/escapes';
import { LineCostsRequest, type LineCostsParams } from '../protocol/linecost';
import { artifactReport } from './textdocs';
import { ReportRequest, type ReportParams } from '../protocol/textdocs';
import {
  CloseDiffNotification, DiffViewRequest, OpenDiffRequest,
  type CloseDiffParams, type DiffViewParams, type OpenDiffParams,
} from '../protocol/diff';
import {
  CloseTraceNotification, OpenTraceRequest, TraceFindingsRequest, TraceGoroutineGroupsRequest, TraceGoroutinesRequest, TraceProgressNotification, TraceSliceRequest, TraceSpanAtRequest, TraceSpanRequest, TraceTilesRequest, TraceGrownNotification, TraceFindingsGrownNotification,
  type CloseTraceParams, type OpenTraceParams, type TraceFindingsParams, type TraceGoroutinesParams, type TraceSliceParams, type TraceSpanAtParams, type TraceSpanParams, type TraceTilesParams,
} from '../protocol/trace';
import { ResolveSourceRequest } from '../protocol/sources';
import { OpenTraceDiffRequest, type OpenTraceDiffParams } from '../protocol/tracediff';
import { TraceWhatIfRequest, type TraceWhatIfParams } from '../protocol/whatif';
import { GoLensServer } from './server';
import { whatIfActions } from './whatifactions';

const connection = createConnection(ProposedFeatures.all);
const server = new GoLensServer(connection);
const { profiles, traces, lenses, escapes, textArtifacts } = server;
const log = (s: string) => connection.console.info(s);

connection.onInitialize((params: InitializeParams) => {
  server.initialize(params);
  return {
    capabilities: {
      // Open documents are synced: the diagnostics of goroutine dumps, gctrace and schedtrace
      // logs read their text; opening and saving a Go file runs the escape analysis.
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeLensProvider: { resolveProvider: false },
      hoverProvider: true,
      // debug.SetGCPercent(N) and a launch configuration's GOGC: open the What-if panel at that GOGC.
      codeActionProvider: true,
    },
    serverInfo: { name: 'golens', version: '0.1.0' },
  };
});

// Lenses: settings, artifacts or Go files changed → the worker re-reads what changed, the lenses are placed again.
connection.onInitialized(() => {
  void connection.client.register(DidChangeConfigurationNotification.type, { section: 'golens' });
  void lenses.refresh();
  void server.settingsChanged();
});
connection.onDidChangeConfiguration(() => { void lenses.refresh(); void escapes.settingsChanged(); void server.settingsChanged(); });
connection.onDidChangeWatchedFiles(() => void lenses.refresh());
connection.onCodeLens((params): CodeLens[] => lenses.codeLenses(params.textDocument.uri, () => documents.get(params.textDocument.uri)?.getText()));
connection.onHover((params): Hover | null => lenses.hover(params.textDocument.uri, params.position.line));
connection.onCodeAction((params) => whatIfActions(params.textDocument.uri, documents.get(params.textDocument.uri)?.getText(), params.range));

// Escape-analysis diagnostics: a .go file opened or saved analyses its module (trusted only).
const goFile = (uri: string) => (uri.startsWith('file:') && uri.endsWith('.go') ? fileURLToPath(uri) : undefined);
connection.onNotification(WorkspaceTrustNotification, (p: WorkspaceTrustParams) => { escapes.trusted = p.trusted === true; void lenses.refresh(); });
// The user's own golens.artifacts (which alone may name files outside the workspace) changed.
connection.onNotification(UserArtifactsNotification, (p: UserArtifactsParams) => {
  server.artifacts.userEntries = Array.isArray(p.entries) ? p.entries.filter((e) => typeof e === 'string') : [];
  void lenses.refresh();
  void escapes.settingsChanged();
});
connection.onRequest(EscapeStatsRequest, () => escapes.stats());
// A watch in the editor saved another snapshot (or closed): its snapshots feed the leak lenses.
connection.onNotification(WatchSnapshotsNotification, (p: WatchSnapshotsParams) => {
  lenses.watchFiles = Array.isArray(p.files) ? p.files.filter((f) => typeof f === 'string') : [];
  void lenses.refresh();
});
connection.onShutdown(() => server.shutdown());

connection.onRequest(OpenProfileRequest, async (p: OpenProfileParams, token) => {
  const t0 = performance.now();
  const res = await profiles.openProfile(p, token);
  log(`open ${p.uri}: ${res.ok ? `${res.summary.samples} samples` : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(ProfileViewRequest, (p: ProfileViewParams) => profiles.view(p));
connection.onRequest(LineCostsRequest, (p: LineCostsParams) => profiles.lineCosts(p, (f) => lenses.workspacePath(f)));
connection.onRequest(ProfileListRequest, (p: ProfileListParams) => profiles.list(p));
connection.onRequest(ProfileSandwichRequest, (p: ProfileSandwichParams) => profiles.sandwich(p));
connection.onRequest(ProfileGraphRequest, (p: ProfileGraphParams) => profiles.graph(p));
connection.onNotification(CloseProfileNotification, (p: CloseProfileParams) => profiles.close(p));
connection.onRequest(ResolveSourceRequest, (p) => server.sources.resolve(p));

traces.onGrown = (g) => {
  if (g.done) log(`trace ${g.id} fully read: ${g.error ? g.error.message : `${g.summary.events} events in ${g.summary.decodeMs.toFixed(0)} ms`}`);
  void connection.sendNotification(TraceGrownNotification, g);
};
traces.onFound = (f) => void connection.sendNotification(TraceFindingsGrownNotification, f);
connection.onRequest(OpenTraceRequest, async (p: OpenTraceParams, token) => {
  const res = await traces.openTrace(p, (fraction, phase) => void connection.sendNotification(TraceProgressNotification, { uri: p.uri, fraction, phase }), token);
  log(`open trace ${p.uri}: ${res.ok ? `${res.summary.events} events, ${res.summary.goroutines} goroutines in ${res.summary.decodeMs.toFixed(0)} ms` : res.error.message}`);
  return res;
});
connection.onRequest(TraceFindingsRequest, async (p: TraceFindingsParams) => {
  const t0 = performance.now();
  const res = await traces.findingsOf(p);
  log(`trace findings ${p.id}: ${res.ok ? res.findings.length : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(TraceTilesRequest, (p: TraceTilesParams) => traces.tiles(p));
connection.onRequest(TraceSpanAtRequest, (p: TraceSpanAtParams) => traces.spanAt(p));
connection.onRequest(TraceSpanRequest, (p: TraceSpanParams) => traces.span(p));
connection.onRequest(TraceGoroutinesRequest, (p: TraceGoroutinesParams) => traces.goroutines(p));
connection.onRequest(TraceGoroutineGroupsRequest, (p: { id: string }) => traces.goroutineGroups(p));
connection.onRequest(TraceSliceRequest, (p: TraceSliceParams) => traces.slice(p));
connection.onRequest(TraceWhatIfRequest, (p: TraceWhatIfParams) => traces.whatIf(p));
connection.onNotification(CloseTraceNotification, (p: CloseTraceParams) => void traces.close(p));

// Open documents. The document manager owns the connection's open/change/save/close handlers,
// so the text artifacts' diagnostics and the escape analysis both listen through it.
const documents = new TextDocuments(TextDocument);
documents.onDidChangeContent((e) => textArtifacts.changed(e.document));
documents.onDidClose((e) => textArtifacts.closed(e.document));
documents.onDidOpen((e) => { const f = goFile(e.document.uri); if (f) escapes.touched(f); });
documents.onDidSave((e) => { const f = goFile(e.document.uri); if (f) escapes.touched(f); });
documents.listen(connection);
connection.onRequest(ReportRequest, (p: ReportParams) => artifactReport(p));

connection.onRequest(OpenDiffRequest, async (p: OpenDiffParams, token) => {
  const t0 = performance.now();
  const res = await profiles.openDiff(p, token);
  log(`compare ${p.base.uri} with ${p.next.uri}: ${res.ok ? 'ok' : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(DiffViewRequest, (p: DiffViewParams) => profiles.diffView(p));
connection.onRequest(OpenTraceDiffRequest, async (p: OpenTraceDiffParams) => {
  const t0 = performance.now();
  const res = await traces.traceDiff(p, profiles.maxBytes);
  log(`compare traces ${p.base.uri} with ${p.next.uri}: ${res.ok ? 'ok' : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onNotification(CloseDiffNotification, (p: CloseDiffParams) => profiles.closeDiff(p));

connection.listen();
