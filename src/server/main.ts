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
import {
  CloseDiffNotification, DiffViewRequest, OpenDiffRequest,
  type CloseDiffParams, type DiffViewParams, type OpenDiffParams,
} from '../protocol/diff';
import { DiffStore } from './diffs';
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
const diffs = new DiffStore();
const leaks = new LeakLenses((s) => connection.console.info(s));
let roots: string[] = [];
let lensesOn = true;
let canRefresh = false;

connection.onInitialize((params: InitializeParams) => {
  roots = (params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
  canRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.None,
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
connection.onDidChangeConfiguration(() => void refreshLeaks());
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
connection.onRequest(TraceFindingsRequest, (p: TraceFindingsParams) => {
  const t0 = performance.now();
  const res = traces.findingsOf(p);
  connection.console.info(`trace findings ${p.id}: ${res.ok ? res.findings.length : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(TraceTilesRequest, (p: TraceTilesParams) => traces.tiles(p));
connection.onRequest(TraceSpanAtRequest, (p: TraceSpanAtParams) => traces.spanAt(p));
connection.onRequest(TraceSpanRequest, (p: TraceSpanParams) => traces.span(p));
connection.onRequest(TraceGoroutinesRequest, (p: TraceGoroutinesParams) => traces.goroutines(p));
connection.onNotification(CloseTraceNotification, (p: CloseTraceParams) => traces.close(p.id));
connection.onRequest(OpenDiffRequest, async (p: OpenDiffParams) => {
  const t0 = performance.now();
  const res = await diffs.openDiff(p);
  connection.console.info(`compare ${p.base.uri} with ${p.next.uri}: ${res.ok ? 'ok' : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(DiffViewRequest, (p: DiffViewParams) => diffs.view(p));
connection.onNotification(CloseDiffNotification, (p: CloseDiffParams) => diffs.close(p.id));

connection.listen();
