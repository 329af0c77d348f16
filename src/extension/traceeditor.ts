// The read-only custom editor for execution traces. The language server decodes, replays
// and answers tile requests; this side shows progress (cancellable), answers the page's
// requests from the server's and turns base64 columns into ArrayBuffers. It never holds the trace.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CloseTraceNotification, OpenTraceRequest, TraceGrownNotification, type TraceGrownParams, TraceFindingsGrownNotification, type FindingsSoFar, TraceFindingsRequest, TraceGoroutineGroupsRequest, TraceGoroutinesRequest, TraceProgressNotification, TraceSliceRequest, TraceSpanAtRequest, TraceTilesRequest,
  type Place, type TracePageApi, type TraceProgressParams, type TraceViewSummary,
} from '../protocol/trace';
import { counterColumns, tileColumns, toArrayBuffer, viewColumns } from '../protocol/columns';
import { TraceWhatIfRequest, type Gogc } from '../protocol/whatif';
import { TestLog } from './testlog';
import { fileParams, ok, WebviewPage } from './webviewpage';

class TraceDocument implements vscode.CustomDocument {
  serverId: string | undefined;
  /** The decoded trace's summary: a tab shown again (its webview rebuilt) reuses it. */
  summary: TraceViewSummary | undefined;
  /** The pages showing it, told as a progressively read trace grows. */
  readonly grown = new Set<(g: TraceGrownParams) => void>();
  /** The latest findings so far (or final) the server told, and the pages told them. */
  findings: FindingsSoFar | undefined;
  readonly found = new Set<(f: FindingsSoFar) => void>();
  constructor(readonly uri: vscode.Uri, private readonly onDispose: (d: TraceDocument) => void) {}
  dispose(): void { this.onDispose(this); }
}

interface Shown {
  push: (place: Place, title?: string) => Thenable<boolean>; ready: boolean; pending?: { place: Place; title?: string };
  /** Open the What-if panel at a GOGC; pendingGogc: asked before the page was ready. */
  pushGogc?: (gogc: Gogc) => Thenable<boolean>; pendingGogc?: Gogc;
}

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  static readonly viewType = 'golens.trace';
  readonly marks: TestLog<{ name: string; ms: number }>;
  /** Open timelines by file URI, for "show this finding in the trace". */
  private readonly shown = new Map<string, Shown>();
  private readonly progress = new Map<string, (p: TraceProgressParams) => void>();
  private listening = false;
  /** Documents by the server's id, for growth notifications. */
  private readonly byServerId = new Map<string, TraceDocument>();
  /** Growth told before its open's answer was seen here: the latest, by server id. */
  private readonly early = new Map<string, TraceGrownParams>();
  private readonly earlyFound = new Map<string, FindingsSoFar>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => Promise<LanguageClient>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.marks = new TestLog(context);
  }

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    return new TraceDocument(uri, (d) => {
      if (d.serverId) this.byServerId.delete(d.serverId);
      if (d.serverId) void this.client().then((c) => c.sendNotification(CloseTraceNotification, { id: d.serverId }));
    });
  }

  /** Opens the trace (if it is not open) with its What-if panel at this GOGC (the code action on a GOGC setting). */
  async whatIf(uri: vscode.Uri, gogc: Gogc): Promise<void> {
    const key = uri.toString();
    const s = this.shown.get(key);
    if (s?.ready && s.pushGogc) await s.pushGogc(gogc);
    else if (s) s.pendingGogc = gogc;
    else this.shown.set(key, { push: async () => false, ready: false, pendingGogc: gogc });
    await vscode.commands.executeCommand('vscode.openWith', uri, TraceEditorProvider.viewType, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  /** Opens the trace (if it is not open) and moves its timeline to a place. */
  async reveal(uri: vscode.Uri, place: Place, title?: string): Promise<void> {
    const key = uri.toString();
    const s = this.shown.get(key);
    if (s?.ready) { await s.push(place, title); }
    else {
      if (s) s.pending = { place, title };
      else this.shown.set(key, { push: async () => false, ready: false, pending: { place, title } });
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, TraceEditorProvider.viewType, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  async resolveCustomEditor(doc: TraceDocument, panel: vscode.WebviewPanel, cancel: vscode.CancellationToken): Promise<void> {
    const fileName = doc.uri.path.split('/').pop() ?? doc.uri.toString();
    const key = doc.uri.toString();
    const host = { extensionUri: this.context.extensionUri, client: this.client, log: this.log };
    const source = new vscode.CancellationTokenSource();
    const open = (): string => {
      if (!doc.serverId) throw new Error(`${fileName} is not open`);
      return doc.serverId;
    };
    const client = () => this.client();
    const before = this.shown.get(key);
    const shown: Shown = {
      push: (place, title) => page.rpc.push('reveal', { place, title }), ready: false, pending: before?.pending,
      pushGogc: (gogc) => page.rpc.push('whatif', { gogc }), pendingGogc: before?.pendingGogc,
    };
    this.shown.set(key, shown);
    const initialized = async (summary: TraceViewSummary) => {
      // Ready before the init is posted: growth pushed after it arrives after it.
      shown.ready = true;
      await page.rpc.push('init', { fileName, summary });
      if (doc.findings) await page.rpc.push('findings', doc.findings);
      if (shown.pending) { await shown.push(shown.pending.place, shown.pending.title); shown.pending = undefined; }
      if (shown.pendingGogc !== undefined) { await page.rpc.push('whatif', { gogc: shown.pendingGogc }); shown.pendingGogc = undefined; }
    };
    const page: WebviewPage<TracePageApi> = new WebviewPage<TracePageApi>(host, panel.webview, {
      entry: 'trace.js',
      title: fileName,
      stylesheet: 'trace.css',
      // Shown again (the webview is rebuilt when a tab comes back): the trace is still open.
      ready: async () => (doc.serverId && doc.summary ? initialized(doc.summary) : this.openTrace(doc, fileName, page, source.token, initialized)),
      loadError: (error) => page.rpc.push('loadError', { fileName, error }),
      mark: (m) => this.marks.push(m),
      requests: {
        tiles: async (query) => {
          const res = ok(await (await client()).sendRequest(TraceTilesRequest, { id: open(), query }));
          return { tiles: res.tiles.map((t) => tileColumns(t, toArrayBuffer)), counters: res.counters && counterColumns(res.counters, toArrayBuffer) };
        },
        spanAt: async (p) => ok(await (await client()).sendRequest(TraceSpanAtRequest, { id: open(), ...p })).details,
        goroutines: async (p) => {
          const res = ok(await (await client()).sendRequest(TraceGoroutinesRequest, { id: open(), query: p.query, limit: 200 }));
          return { rows: res.rows, total: res.total };
        },
        slice: async (query) => viewColumns(ok(await (await client()).sendRequest(TraceSliceRequest, { id: open(), query })).view, toArrayBuffer),
        whatif: async (settings) => ok(await (await client()).sendRequest(TraceWhatIfRequest, { id: open(), settings })).report,
        findings: async () => ok(await (await client()).sendRequest(TraceFindingsRequest, { id: open() })).findings,
        goroutineGroups: async () => {
          const res = ok(await (await client()).sendRequest(TraceGoroutineGroupsRequest, { id: open() }));
          return { groups: res.groups, totalExecNs: res.totalExecNs };
        },
      },
    });
    const grown = (g: TraceGrownParams) => { if (shown.ready) void page.rpc.push('grown', { summary: g.summary, done: g.done, error: g.error }); };
    doc.grown.add(grown);
    const found = (f: FindingsSoFar) => { if (shown.ready) void page.rpc.push('findings', f); };
    doc.found.add(found);
    const subs = [page, source, cancel.onCancellationRequested(() => source.cancel()), { dispose: () => { doc.grown.delete(grown); doc.found.delete(found); } }];
    panel.onDidDispose(() => {
      source.cancel();
      if (this.shown.get(key) === shown) this.shown.delete(key);
      subs.forEach((d) => d.dispose());
    });
  }

  private async listen(): Promise<void> {
    if (this.listening) return;
    this.listening = true;
    const client = await this.client();
    client.onNotification(TraceProgressNotification, (p) => this.progress.get(p.uri)?.(p));
    client.onNotification(TraceGrownNotification, (g) => {
      const doc = this.byServerId.get(g.id);
      if (doc) this.grew(doc, g); else this.early.set(g.id, g);
    });
    client.onNotification(TraceFindingsGrownNotification, (f) => {
      const doc = this.byServerId.get(f.id);
      if (!doc) { this.earlyFound.set(f.id, f.findings); return; }
      doc.findings = f.findings;
      for (const tell of doc.found) tell(f.findings);
    });
  }

  private grew(doc: TraceDocument, g: TraceGrownParams): void {
    doc.summary = g.summary;
    for (const f of doc.grown) f(g);
  }

  /** Decodes and replays the trace in the server, with progress in a cancellable notification and in the page. */
  private async openTrace(doc: TraceDocument, fileName: string, page: WebviewPage<TracePageApi>, cancel: vscode.CancellationToken,
    initialized: (s: TraceViewSummary) => Promise<void>): Promise<void> {
    const client = await this.client();
    await this.listen();
    const uri = doc.uri.toString();
    // Progressive: a new-format trace is answered after its first generation and grows behind.
    const params = { ...(await fileParams(doc.uri)), progressive: true };
    const res = ok(await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GoLens: reading ${fileName}`, cancellable: true },
      async (progress, userCancel) => {
        let last = 0;
        this.progress.set(uri, (p) => {
          progress.report({ increment: (p.fraction - last) * 100, message: `${p.phase} ${(p.fraction * 100).toFixed(0)}%` });
          last = p.fraction;
          void page.rpc.push('progress', { fraction: p.fraction, phase: p.phase });
        });
        const both = new vscode.CancellationTokenSource();
        const subs = [userCancel.onCancellationRequested(() => both.cancel()), cancel.onCancellationRequested(() => both.cancel())];
        try {
          return await client.sendRequest(OpenTraceRequest, params, both.token);
        } finally {
          subs.forEach((s) => s.dispose());
          this.progress.delete(uri);
        }
      }));
    // (ok: a trace that cannot be opened became the page's load error above, logged by WebviewPage.)
    doc.serverId = res.summary.id;
    doc.summary = res.summary;
    this.byServerId.set(res.summary.id, doc);
    const before = this.early.get(res.summary.id);
    this.early.delete(res.summary.id);
    if (before) doc.summary = before.summary;
    doc.findings = this.earlyFound.get(res.summary.id);
    this.earlyFound.delete(res.summary.id);
    const what = res.summary.loading ? `first generation(s) read in` : 'decoded and replayed in';
    this.log.info(`${fileName}: ${res.summary.format}, ${res.summary.events} events, ${res.summary.goroutines} goroutines, ${what} ${res.summary.decodeMs.toFixed(0)} ms`);
    await initialized(doc.summary);
  }
}
