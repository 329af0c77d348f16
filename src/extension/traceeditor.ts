// The read-only custom editor for execution traces. The language server decodes, replays
// and answers tile requests; this side shows progress (cancellable), relays typed messages
// and turns base64 columns into ArrayBuffers. It never holds the trace.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CloseTraceNotification, OpenTraceRequest, TraceFindingsRequest, TraceGoroutinesRequest, TraceProgressNotification, TraceSpanAtRequest, TraceTilesRequest,
  type FromTraceWebview, type Place, type ToTraceWebview, type TraceProgressParams, type TraceViewSummary,
} from '../protocol/trace';
import { counterColumns, tileColumns, toArrayBuffer, toBase64 } from '../protocol/columns';
import { webviewHtml } from './html';
import { sourceReply } from './sources';

class TraceDocument implements vscode.CustomDocument {
  serverId: string | undefined;
  /** The decoded trace's summary: a tab shown again (its webview rebuilt) reuses it. */
  summary: TraceViewSummary | undefined;
  constructor(readonly uri: vscode.Uri, private readonly onDispose: (d: TraceDocument) => void) {}
  dispose(): void { this.onDispose(this); }
}

interface Shown { post: (m: ToTraceWebview) => Thenable<boolean>; ready: boolean; pending?: { place: Place; title?: string } }

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  static readonly viewType = 'golens.trace';
  readonly marks: { name: string; ms: number }[] = [];
  /** Open timelines by file URI, for "show this finding in the trace". */
  private readonly shown = new Map<string, Shown>();
  private readonly progress = new Map<string, (p: TraceProgressParams) => void>();
  private listening = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => Promise<LanguageClient>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    return new TraceDocument(uri, (d) => {
      if (d.serverId) void this.client().then((c) => c.sendNotification(CloseTraceNotification, { id: d.serverId }));
    });
  }

  /** Opens the trace (if it is not open) and moves its timeline to a place. */
  async reveal(uri: vscode.Uri, place: Place, title?: string): Promise<void> {
    const key = uri.toString();
    const s = this.shown.get(key);
    if (s?.ready) { await s.post({ type: 'reveal', place, title }); }
    else {
      if (s) s.pending = { place, title };
      else this.shown.set(key, { post: async () => false, ready: false, pending: { place, title } });
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, TraceEditorProvider.viewType, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  async resolveCustomEditor(doc: TraceDocument, panel: vscode.WebviewPanel, cancel: vscode.CancellationToken): Promise<void> {
    const webview = panel.webview;
    const fileName = doc.uri.path.split('/').pop() ?? doc.uri.toString();
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')] };
    webview.html = webviewHtml(webview, this.context.extensionUri, 'trace.js', fileName, 'trace.css');
    const post = (m: ToTraceWebview) => webview.postMessage(m);
    const key = doc.uri.toString();
    const pending = this.shown.get(key)?.pending;
    const shown: Shown = { post, ready: false, pending };
    this.shown.set(key, shown);

    const disposables: vscode.Disposable[] = [];
    const source = new vscode.CancellationTokenSource();
    disposables.push(cancel.onCancellationRequested(() => source.cancel()));
    panel.onDidDispose(() => {
      source.cancel();
      if (this.shown.get(key) === shown) this.shown.delete(key);
      disposables.forEach((d) => d.dispose());
    });
    disposables.push(webview.onDidReceiveMessage(async (m: FromTraceWebview) => {
      try {
        await this.handle(doc, fileName, m, post, shown, source.token);
      } catch (e) {
        const message = (e as Error)?.message ?? String(e);
        this.log.error(`${fileName}: ${message}`);
        const error = { what: `GoLens could not process this file: ${message}`, message, hint: 'see the GoLens output channel (GoLens: Show Output)' };
        if (m.type === 'ready') await post({ type: 'loadError', fileName, error });
        else if ('requestId' in m) await post({ type: 'error', requestId: m.requestId, error });
      }
    }));
  }

  private async listen(): Promise<void> {
    if (this.listening) return;
    this.listening = true;
    const client = await this.client();
    client.onNotification(TraceProgressNotification, (p) => this.progress.get(p.uri)?.(p));
  }

  private async handle(doc: TraceDocument, fileName: string, m: FromTraceWebview, post: (m: ToTraceWebview) => Thenable<boolean>,
    shown: Shown, cancel: vscode.CancellationToken): Promise<void> {
    const client = await this.client();
    switch (m.type) {
      case 'ready': {
        // Shown again (the webview is rebuilt when a tab comes back): the trace is still open.
        if (doc.serverId && doc.summary) {
          await post({ type: 'init', fileName, summary: doc.summary });
          shown.ready = true;
          if (shown.pending) { await post({ type: 'reveal', ...shown.pending }); shown.pending = undefined; }
          return;
        }
        await this.listen();
        const uri = doc.uri.toString();
        const params = doc.uri.scheme === 'file'
          ? { uri }
          : { uri, base64: toBase64(await vscode.workspace.fs.readFile(doc.uri)) };
        const res = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `GoLens: reading ${fileName}`, cancellable: true },
          async (progress, userCancel) => {
            let last = 0;
            this.progress.set(uri, (p) => {
              progress.report({ increment: (p.fraction - last) * 100, message: `${p.phase} ${(p.fraction * 100).toFixed(0)}%` });
              last = p.fraction;
              void post({ type: 'progress', fraction: p.fraction, phase: p.phase });
            });
            const both = new vscode.CancellationTokenSource();
            const subs = [userCancel.onCancellationRequested(() => both.cancel()), cancel.onCancellationRequested(() => both.cancel())];
            try {
              return await client.sendRequest(OpenTraceRequest, params, both.token);
            } finally {
              subs.forEach((s) => s.dispose());
              this.progress.delete(uri);
            }
          });
        if (!res.ok) {
          this.log.warn(`${fileName}: ${res.error.message}`);
          await post({ type: 'loadError', fileName, error: res.error });
          return;
        }
        doc.serverId = res.summary.id;
        doc.summary = res.summary;
        this.log.info(`${fileName}: ${res.summary.format}, ${res.summary.events} events, ${res.summary.goroutines} goroutines, decoded and replayed in ${res.summary.decodeMs.toFixed(0)} ms`);
        await post({ type: 'init', fileName, summary: res.summary });
        shown.ready = true;
        if (shown.pending) { await post({ type: 'reveal', ...shown.pending }); shown.pending = undefined; }
        return;
      }
      case 'tiles': {
        if (!doc.serverId) return;
        const res = await client.sendRequest(TraceTilesRequest, { id: doc.serverId, query: m.query });
        if (!res.ok) { await post({ type: 'error', requestId: m.requestId, error: res.error }); return; }
        const tiles = res.tiles.map((t) => tileColumns(t, toArrayBuffer));
        const counters = res.counters && counterColumns(res.counters, toArrayBuffer);
        await post({ type: 'tiles', requestId: m.requestId, tiles, counters });
        return;
      }
      case 'spanAt': {
        if (!doc.serverId) return;
        const res = await client.sendRequest(TraceSpanAtRequest, { id: doc.serverId, lane: m.lane, t: m.t, slop: m.slop });
        await post(res.ok ? { type: 'details', requestId: m.requestId, details: res.details } : { type: 'error', requestId: m.requestId, error: res.error });
        return;
      }
      case 'goroutines': {
        if (!doc.serverId) return;
        const res = await client.sendRequest(TraceGoroutinesRequest, { id: doc.serverId, query: m.query, limit: 200 });
        await post(res.ok ? { type: 'goroutines', requestId: m.requestId, rows: res.rows, total: res.total } : { type: 'error', requestId: m.requestId, error: res.error });
        return;
      }
      case 'findings': {
        if (!doc.serverId) return;
        const res = await client.sendRequest(TraceFindingsRequest, { id: doc.serverId });
        await post(res.ok ? { type: 'findings', requestId: m.requestId, findings: res.findings } : { type: 'error', requestId: m.requestId, error: res.error });
        return;
      }
      case 'openSource': {
        await post(await sourceReply(this.client, m.file, m.line, this.log));
        return;
      }
      case 'mark':
        this.marks.push({ name: m.name, ms: m.ms });
        this.log.info(`${fileName}: ${m.name} ${m.ms.toFixed(1)} ms`);
        return;
    }
  }
}
