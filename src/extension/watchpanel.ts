// "GoLens: Watch Goroutines…": a running program's goroutines over time in a webview panel —
// a live chart of the goroutine count by site, one line per group, and a Stop button. The
// snapshots are saved in the workspace (.golens/captures/<host_port>/watch-<time>/), and the
// language server is told to analyse them together: a group that grows gets a leak lens on
// its `go` statement while the panel is open.
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { LeakRow } from '../core/analysis/leaks';
import { captureFolder, captureTarget, CaptureUsageError, utcStamp } from '../core/capture/endpoints';
import { parseDuration, saveSnapshotsIn, siteKey, snapshotCount, watchGoroutines, WatchError, type WatchSnapshot } from '../core/capture/watch';
import type { Envelope } from '../protocol/rpc';
import { WatchSnapshotsNotification, type WatchPageApi, type WatchVerdict } from '../protocol/watch';
import { pickAddress, rememberAddress } from './addresses';
import { TestLog } from './testlog';
import { WebviewPage } from './webviewpage';

/** What the watch panels expose to the end-to-end tests. */
export interface WatchApi {
  /** Every envelope the watch pages posted, oldest first; kept only outside production. */
  messages: Envelope[];
  /** The folders watches saved their snapshots in, newest last. */
  folders: string[];
}

const INTERVALS = ['500ms', '1s', '2s', '5s', '10s'];
const DURATIONS = ['10s', '30s', '1m', '5m', '15m'];

export function registerWatch(context: vscode.ExtensionContext, client: () => Promise<LanguageClient>, log: vscode.LogOutputChannel): WatchApi {
  const sent = new TestLog<Envelope>(context);
  const folders = new TestLog<string>(context);
  const api: WatchApi = { messages: sent.items, folders: folders.items };
  context.subscriptions.push(vscode.commands.registerCommand('golens.watchGoroutines', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('GoLens: Watch Goroutines saves its snapshots in the workspace: open a folder first.');
      return undefined;
    }
    const address = await pickAddress(context.workspaceState, 'Watch Goroutines: the program serving net/http/pprof');
    if (!address) return undefined;
    let url: string;
    let hostPort: string;
    try {
      ({ url, hostPort } = captureTarget(address, 'goroutine'));
    } catch (e) {
      if (e instanceof CaptureUsageError) { void vscode.window.showErrorMessage(`GoLens: ${e.message}`); return undefined; }
      throw e;
    }
    const every = await pickDuration('Watch Goroutines: a snapshot every…', INTERVALS, '1s');
    if (!every) return undefined;
    const span = await pickDuration(`Watch Goroutines: a snapshot every ${every}, for…`, DURATIONS, '30s', parseDuration(every));
    if (!span) return undefined;
    await rememberAddress(context.workspaceState, address);
    const dir = join(folder.uri.fsPath, captureFolder(hostPort), `watch-${utcStamp(new Date())}`);
    folders.push(dir);
    const panel = new WatchPanel(context, client, log, (m) => sent.push(m), { address, url, everyMs: parseDuration(every), forMs: parseDuration(span), dir, root: folder.uri.fsPath });
    return panel.panel;
  }));
  return api;
}

/** A quick pick of durations with the default first; a typed one (`750ms`, `2m`) is accepted too. */
function pickDuration(title: string, options: string[], preferred: string, atLeastMs = 0): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.title = title;
  qp.placeholder = 'a duration as Go writes it: 500ms, 2s, 1m';
  qp.ignoreFocusOut = true;
  const base = options.filter((o) => parseDuration(o) >= atLeastMs).map((label) => ({ label, description: label === preferred ? 'default' : undefined }));
  base.sort((a, b) => (a.label === preferred ? -1 : b.label === preferred ? 1 : 0));
  qp.items = base;
  qp.onDidChangeValue((v) => {
    const typed = v.trim();
    let ok = false;
    try { ok = !!typed && parseDuration(typed) >= atLeastMs; } catch { ok = false; }
    qp.items = ok && !options.includes(typed) ? [{ label: typed, description: 'typed' }, ...base] : base;
  });
  return new Promise((resolve) => {
    let done = false;
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0]?.label;
      if (!chosen) return;
      done = true;
      qp.hide();
      resolve(chosen);
    });
    qp.onDidHide(() => { qp.dispose(); if (!done) resolve(undefined); });
    qp.show();
  });
}

interface WatchSpec { address: string; url: string; everyMs: number; forMs: number; dir: string; root: string }

class WatchPanel {
  static readonly viewType = 'golens.watch';
  readonly panel: vscode.WebviewPanel;
  private readonly stop = new AbortController();
  private readonly taken: WatchSnapshot[] = [];
  /** Saved snapshots, workspace-relative, oldest first: what the server's lenses read. */
  private readonly files: string[] = [];
  private started = false;
  private done: WatchPageApi['pushes']['done'] | undefined;
  private soFar: WatchPageApi['pushes']['soFar'] | undefined;

  constructor(context: vscode.ExtensionContext, private readonly client: () => Promise<LanguageClient>, private readonly log: vscode.LogOutputChannel,
    record: (m: Envelope) => void, private readonly spec: WatchSpec) {
    const title = `Goroutines of ${new URL(spec.url).host}`;
    this.panel = vscode.window.createWebviewPanel(WatchPanel.viewType, title, vscode.ViewColumn.Active, { retainContextWhenHidden: true });
    const page: WebviewPage<WatchPageApi> = new WebviewPage<WatchPageApi>({ extensionUri: context.extensionUri, client, log }, this.panel.webview, {
      entry: 'watch.js',
      title,
      stylesheet: 'watch.css',
      failure: 'GoLens could not watch this program',
      ready: async () => {
        await page.rpc.push('init', {
          title, url: spec.url, everyMs: spec.everyMs, forMs: spec.forMs, snapshots: snapshotCount(spec.everyMs, spec.forMs),
          folder: relative(spec.root, spec.dir), taken: this.taken,
        });
        if (this.soFar && !this.done) await page.rpc.push('soFar', this.soFar);
        if (this.done) await page.rpc.push('done', this.done);
        if (!this.started) { this.started = true; void this.run(page); }
      },
      loadError: (error) => page.rpc.push('loadError', { title, fileName: spec.url, error }),
      record,
      requests: {},
    });
    // The page's Stop button is a notification of its own (not in WebviewPage's common notes).
    this.panel.webview.onDidReceiveMessage((m: Envelope) => { if (m.kind === 'notification' && m.method === 'stop') this.stop.abort(); });
    this.panel.onDidDispose(() => {
      this.stop.abort();
      page.dispose();
      // The lenses were the watch's: they go with it.
      void this.client().then((c) => c.sendNotification(WatchSnapshotsNotification, { files: [] }));
    });
  }

  private async run(page: WebviewPage<WatchPageApi>): Promise<void> {
    const { spec } = this;
    this.log.info(`watch ${spec.url}: every ${spec.everyMs} ms for ${spec.forMs} ms into ${spec.dir}`);
    try {
      const keep = saveSnapshotsIn(spec.dir);
      const r = await watchGoroutines(spec.address, {
        everyMs: spec.everyMs, forMs: spec.forMs, signal: this.stop.signal,
        save: (kind, index, bytes, when) => {
          const file = keep(kind, index, bytes, when);
          this.files.push(relative(spec.root, file));
          // Two snapshots are the least that show growth: from then on, each refreshes the lenses.
          if (this.files.length >= 2) void this.client().then((c) => c.sendNotification(WatchSnapshotsNotification, { files: [...this.files] }));
          return file;
        },
        onSnapshot: (s) => { this.taken.push(s); void page.rpc.push('snapshot', s); },
        onRows: (rows, snapshots) => { this.soFar = { snapshots, verdicts: verdictsOf(rows) }; void page.rpc.push('soFar', this.soFar); },
      });
      this.done = { stopped: r.stopped, leakProfile: r.leakProfile !== undefined, verdicts: verdictsOf(r.rows) };
      this.log.info(`watch ${spec.url}: ${r.snapshots.length} snapshots${r.leakProfile ? ' and the goroutineleak profile' : ''}${r.stopped ? ' (stopped)' : ''}`);
    } catch (e) {
      if (!(e instanceof WatchError || e instanceof CaptureUsageError)) this.log.error(`watch ${spec.url}: ${(e as Error)?.stack ?? String(e)}`);
      const message = (e as Error)?.message ?? String(e);
      this.done = { stopped: true, leakProfile: false, verdicts: [], error: message };
      void vscode.window.showErrorMessage(`GoLens: ${message}`);
    }
    await page.rpc.push('done', this.done);
  }
}

/** The page's verdicts: each group's key, count and the analysis' confidence and reason. */
function verdictsOf(rows: LeakRow[]): WatchVerdict[] {
  return rows.map((row) => ({ key: siteKey(row), count: row.count, confidence: row.confidence, why: row.why }));
}
