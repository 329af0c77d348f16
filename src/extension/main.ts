// VS Code glue: the output channel, the language server, the profile editor and commands.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { EscapeStatsRequest, WorkspaceTrustNotification, type EscapeStats, type GoLensInitOptions } from '../protocol/escapes';
import { UserArtifactsNotification } from '../protocol/artifacts';
import type { Place } from '../protocol/trace';
import { captureCommand, type CaptureArgs } from './capture';
import { registerBench, type BenchApi } from './bench';
import { registerDiff, type DiffApi } from './diffpanel';
import { registerWatch, type WatchApi } from './watchpanel';
import { registerTraceDiff, type TraceDiffApi } from './tracediffpanel';
import { registerFleet } from './fleet';
import { LineCostDecorations } from './linecost';
import { ProfileEditorProvider } from './profileeditor';
import { TraceEditorProvider } from './traceeditor';
import { revealLine } from './reveal';
import { artifactSelector, REPORT_SCHEME, ReportDocuments } from './textdocs';
import { WHATIF_COMMAND, type WhatIfCommandArgs } from '../protocol/whatifaction';
import { whatIfCommand } from './whatifcommand';

let client: LanguageClient | undefined;

/** What activate returns: used by the end-to-end tests to read webview timings (recorded only outside production). */
export interface GoLensApi {
  marks: { name: string; ms: number }[];
  traceMarks: { name: string; ms: number }[];
  /** The server's escape-analysis counters (how often it ran go). */
  escapeStats(): Promise<EscapeStats>;
  diff: DiffApi;
  traceDiff: TraceDiffApi;
  watch: WatchApi;
  /** The "profile" lens's runs (tests and benchmarks with go test's profiles). */
  bench: BenchApi;
  /** The file the GoLens output channel (and the server's log) is written to. */
  logFile: vscode.Uri;
}

let traceEditor: TraceEditorProvider | undefined;

/** golens.artifacts as the user settings hold it: the only entries that may leave the workspace (when trusted). */
function userArtifacts(): string[] {
  const v = vscode.workspace.getConfiguration('golens').inspect<unknown>('artifacts')?.globalValue;
  return Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : [];
}

export async function activate(context: vscode.ExtensionContext): Promise<GoLensApi> {
  const log = vscode.window.createOutputChannel('GoLens', { log: true });
  context.subscriptions.push(log);

  const serverModule = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // launch.json: the GOGC code action reads its env (whatifactions.ts).
    documentSelector: [{ scheme: 'file', language: 'go' }, ...artifactSelector, { scheme: 'file', pattern: '**/.vscode/launch.json' }],
    outputChannel: log,
    // Artifacts and Go sources changing on disk refresh the leak lenses.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{trace,out,pprof,prof,gz,txt,go,mod}') },
    // The server runs go (escape analysis) only when told the workspace is trusted, and reads
    // artifacts outside the workspace only from user settings. Asked again at each (re)start.
    initializationOptions: (): GoLensInitOptions => ({ trusted: vscode.workspace.isTrusted, userArtifacts: userArtifacts() }),
  };
  client = new LanguageClient('golens', 'GoLens', serverOptions, clientOptions);
  let started = client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() });
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    void started.then(() => client?.sendNotification(WorkspaceTrustNotification, { trusted: true }));
  }));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('golens.artifacts')) void started.then(() => client?.sendNotification(UserArtifactsNotification, { entries: userArtifacts() }));
  }));
  // A server that died (it gives up after crashing five times) or hangs can be started again.
  let restarting: Promise<void> | undefined;
  context.subscriptions.push(vscode.commands.registerCommand('golens.restartServer', () => {
    restarting ??= (async () => {
      log.info('restarting the language server');
      try { await client!.stop(); } catch (e) { log.warn(`stopping the language server: ${(e as Error).message}`); }
      started = client!.start();
      await started;
      log.info('language server restarted');
    })().finally(() => { restarting = undefined; });
    return restarting;
  }));

  const lineCost = new LineCostDecorations(async () => { await started; return client!; }, log);
  context.subscriptions.push(lineCost);
  const reports = new ReportDocuments(async () => { await started; return client!; }, log);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.commands.registerCommand('golens.showReport', (uri?: vscode.Uri) => reports.show(uri)),
  );
  const provider = new ProfileEditorProvider(context, async () => { await started; return client!; }, log, lineCost);
  traceEditor = new TraceEditorProvider(context, async () => { await started; return client!; }, log);
  context.subscriptions.push(
    // Each editor twice: by default for its file names, and as an option ("Reopen Editor
    // With…") for any file; a contribution has one priority, so the option has its own id.
    ...[ProfileEditorProvider.viewType, `${ProfileEditorProvider.viewType}.any`].map((id) => vscode.window.registerCustomEditorProvider(id, provider, {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: false },
    })),
    vscode.commands.registerCommand('golens.openProfile', async () => {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false, openLabel: 'Open Profile',
        filters: { 'Go profiles': ['pprof', 'prof', 'gz', 'out', 'pb'], 'All files': ['*'] },
      });
      if (picked?.[0]) await vscode.commands.executeCommand('vscode.openWith', picked[0], ProfileEditorProvider.viewType);
    }),
    vscode.commands.registerCommand('golens.reopenAsProfile', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (target) await vscode.commands.executeCommand('vscode.openWith', target, ProfileEditorProvider.viewType);
    }),
    ...[TraceEditorProvider.viewType, `${TraceEditorProvider.viewType}.any`].map((id) => vscode.window.registerCustomEditorProvider(id, traceEditor!, {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: false },
    })),
    vscode.commands.registerCommand('golens.reopenAsTrace', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (target) await vscode.commands.executeCommand('vscode.openWith', target, TraceEditorProvider.viewType);
    }),
    vscode.commands.registerCommand('golens.showInTrace', (args: { trace: string; place: Place; title?: string }) =>
      traceEditor!.reveal(vscode.Uri.parse(args.trace), args.place, args.title)),
    vscode.commands.registerCommand('golens.showOutput', () => log.show()),
    vscode.commands.registerCommand(WHATIF_COMMAND, (args?: WhatIfCommandArgs) => whatIfCommand(traceEditor!, args)),
    vscode.commands.registerCommand('golens.showLeak', showLeak),
    vscode.commands.registerCommand('golens.revealLine', revealLine),
    vscode.commands.registerCommand('golens.togglePerLineCost', () => lineCost.toggle()),
    vscode.commands.registerCommand('golens.capture', (args?: CaptureArgs) => captureCommand(context, log, args ?? {})),
  );
  const diff = registerDiff(context, async () => { await started; return client!; }, log);
  const traceDiff = registerTraceDiff(context, async () => { await started; return client!; }, log);
  const watch = registerWatch(context, async () => { await started; return client!; }, log);
  const bench = registerBench(context, log);
  registerFleet(context, log);
  log.info('GoLens activated');
  return {
    marks: provider.marks.items,
    traceMarks: traceEditor.marks.items,
    escapeStats: async () => { await started; return client!.sendRequest(EscapeStatsRequest); },
    diff,
    traceDiff,
    watch,
    bench,
    // VS Code writes a log output channel to <the extension's log folder>/<name>.log.
    logFile: vscode.Uri.joinPath(context.logUri, 'GoLens.log'),
  };
}

interface LeakLensArgs {
  blockedUri?: string;
  blockedLine: number;
  sources: string[];
  count: number;
  reason: string;
  /** Leaks from a trace: the trace and where its timeline shows them. */
  trace?: string;
  place?: Place;
}

/** A leak lens was clicked: show where its goroutines are blocked, and from which artifact. */
async function showLeak(args: LeakLensArgs): Promise<void> {
  if (args.blockedUri) {
    const pos = new vscode.Position(Math.max(0, args.blockedLine - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(args.blockedUri), { selection: new vscode.Range(pos, pos), preview: true });
  }
  if (args.trace && args.place) {
    // The timeline beside the code, at the moment they blocked, with their lanes shown.
    await traceEditor!.reveal(vscode.Uri.parse(args.trace), args.place, `${args.count} goroutines blocked on ${args.reason}`);
    return;
  }
  // Snapshots are listed oldest first: the newest goroutine profile opens as its leak report.
  const profile = [...args.sources].reverse().find((s) => /\.(pprof|prof|pb\.gz)$/.test(s));
  if (profile) {
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(profile), ProfileEditorProvider.viewType, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    return;
  }
  // Not awaited: a notification resolves only when dismissed, and the command is done.
  void vscode.window.showInformationMessage(
    `GoLens: ${args.count} goroutine${args.count === 1 ? '' : 's'} blocked on ${args.reason} here (from ${args.sources.map((s) => s.split('/').pop()).join(', ')})`,
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
