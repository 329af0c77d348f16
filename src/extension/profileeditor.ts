// The read-only custom editor for pprof files. The language server decodes; this side
// only relays typed messages and turns base64 columns into ArrayBuffers for the webview.
import * as vscode from 'vscode';
import type { FunctionLines } from '../core/pprof/list';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CloseProfileNotification, OpenProfileRequest, ProfileListRequest, ProfileViewRequest,
  type FromWebview, type ProfileSummary, type SourcePeek,
  type ToWebview, type ViewQuery,
} from '../protocol/profile';
import { toArrayBuffer, toBase64, viewColumns } from '../protocol/columns';
import { webviewHtml } from './html';
import type { ProfileViewListener } from './linecost';
import { resolveSource, sourceReply } from './sources';

/** Lines of the function's source around the lines that carried value, like pprof -list. */
async function sourcePeek(client: () => Promise<LanguageClient>, fl: FunctionLines): Promise<SourcePeek> {
  const base = { function: fl.function, file: fl.file, flat: fl.flat, cum: fl.cum };
  const uri = await resolveSource(client, fl.file);
  const costs = new Map(fl.lines.map((l) => [l.line, l]));
  if (!uri) {
    return { ...base, resolved: '', message: `${fl.file || 'This function has no file'}${fl.file ? ' is not in this workspace' : ''}`,
      lines: fl.lines.map((l) => ({ ...l, text: '' })) };
  }
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).split(/\r?\n/);
  const known = fl.lines.map((l) => l.line).filter((n) => n > 0);
  const first = Math.max(1, fl.startLine > 0 ? Math.min(fl.startLine, ...known) : Math.min(...known, text.length));
  let last = Math.max(first, ...known);
  // Through the function's closing brace when it is near (a top-level func ends at a "}" in column 0).
  for (let n = last; n <= Math.min(text.length, last + 40); n++) if (/^}/.test(text[n - 1])) { last = n; break; }
  last = Math.min(last, text.length);
  const lines: SourcePeek['lines'] = [];
  for (let n = first; n <= last && lines.length < 2000; n++) {
    const c = costs.get(n);
    lines.push({ line: n, text: text[n - 1] ?? '', flat: c?.flat ?? 0, cum: c?.cum ?? 0 });
  }
  return { ...base, resolved: vscode.workspace.asRelativePath(uri), lines, message: '' };
}

class ProfileDocument implements vscode.CustomDocument {
  serverId: string | undefined;
  /** Kept so a webview shown again (its page reloaded) does not decode the file a second time. */
  summary: ProfileSummary | undefined;
  constructor(readonly uri: vscode.Uri, private readonly onDispose: (d: ProfileDocument) => void) {}
  dispose(): void { this.onDispose(this); }
}

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider<ProfileDocument> {
  static readonly viewType = 'golens.profile';
  /** Performance marks posted by webviews, for tests and the output channel. */
  readonly marks: { name: string; ms: number }[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => Promise<LanguageClient>,
    private readonly log: vscode.LogOutputChannel,
    /** Told which profile and sample type each panel shows (per-line cost in the Go editors). */
    private readonly views?: ProfileViewListener,
  ) {}

  openCustomDocument(uri: vscode.Uri): ProfileDocument {
    return new ProfileDocument(uri, (d) => {
      if (d.serverId) void this.client().then((c) => c.sendNotification(CloseProfileNotification, { id: d.serverId }));
    });
  }

  async resolveCustomEditor(doc: ProfileDocument, panel: vscode.WebviewPanel): Promise<void> {
    const webview = panel.webview;
    const fileName = doc.uri.path.split('/').pop() ?? doc.uri.toString();
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')] };
    webview.html = webviewHtml(webview, this.context.extensionUri, 'profile.js', fileName);
    const post = (m: ToWebview) => webview.postMessage(m);

    const disposables: vscode.Disposable[] = [];
    panel.onDidDispose(() => { disposables.forEach((d) => d.dispose()); this.views?.closed(panel); });
    let lastQuery: ViewQuery | undefined;
    disposables.push(panel.onDidChangeViewState(() => {
      if (panel.active && doc.serverId && lastQuery) this.views?.viewed(panel, doc.serverId, lastQuery, fileName);
    }));
    disposables.push(webview.onDidReceiveMessage(async (m: FromWebview) => {
      try {
        await this.handle(doc, fileName, m, post);
        if (m.type === 'view' && doc.serverId) { lastQuery = m.query; this.views?.viewed(panel, doc.serverId, m.query, fileName); }
      } catch (e) {
        // The server went away or the request failed: say so in the editor, never spin forever.
        const message = (e as Error)?.message ?? String(e);
        this.log.error(`${fileName}: ${message}`);
        const error = { what: `GoLens could not process this file: ${message}`, message, hint: 'see the GoLens output channel (GoLens: Show Output)' };
        if (m.type === 'ready') await post({ type: 'loadError', fileName, error });
        else if (m.type === 'view') await post({ type: 'viewError', requestId: m.requestId, error });
        else if (m.type === 'peek') await post({ type: 'peekError', requestId: m.requestId, error });
      }
    }));
  }

  private async postInit(fileName: string, summary: ProfileSummary, post: (m: ToWebview) => Thenable<boolean>): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('golens.profile');
    await post({
      type: 'init', fileName, summary,
      settings: { granularity: cfg.get('defaultGranularity', 'functions'), topRows: cfg.get('topRows', 200) },
    });
  }

  private async handle(doc: ProfileDocument, fileName: string, m: FromWebview, post: (m: ToWebview) => Thenable<boolean>): Promise<void> {
    switch (m.type) {
      case 'ready': {
        const client = await this.client();
        if (doc.summary) { await this.postInit(fileName, doc.summary, post); return; }
        const t0 = Date.now();
        const params = doc.uri.scheme === 'file'
          ? { uri: doc.uri.toString() }
          : { uri: doc.uri.toString(), base64: toBase64(await vscode.workspace.fs.readFile(doc.uri)) };
        const res = await client.sendRequest(OpenProfileRequest, params);
        if (!res.ok) {
          this.log.warn(`${fileName}: ${res.error.message}`);
          await post({ type: 'loadError', fileName, error: res.error });
          return;
        }
        doc.serverId = res.summary.id;
        doc.summary = res.summary;
        this.marks.push({ name: 'open', ms: Date.now() - t0 });
        this.log.info(`${fileName}: ${res.summary.kind} profile, ${res.summary.samples} samples, decoded in ${Date.now() - t0} ms`);
        await this.postInit(fileName, res.summary, post);
        return;
      }
      case 'view': {
        if (!doc.serverId) return;
        const client = await this.client();
        const t0 = Date.now();
        const res = await client.sendRequest(ProfileViewRequest, { id: doc.serverId, query: m.query });
        this.marks.push({ name: 'view', ms: Date.now() - t0 });
        if (!res.ok) { await post({ type: 'viewError', requestId: m.requestId, error: res.error }); return; }
        await post({ type: 'view', requestId: m.requestId, view: viewColumns(res.view, toArrayBuffer) });
        return;
      }
      case 'openSource': {
        await post(await sourceReply(this.client, m.file, m.line, this.log));
        return;
      }
      case 'peek': {
        if (!doc.serverId) return;
        const client = await this.client();
        const res = await client.sendRequest(ProfileListRequest, { id: doc.serverId, query: m.query, function: m.function, file: m.file });
        if (!res.ok) { await post({ type: 'peekError', requestId: m.requestId, error: res.error }); return; }
        await post({ type: 'peek', requestId: m.requestId, peek: await sourcePeek(this.client, res.lines) });
        return;
      }
      case 'mark':
        this.marks.push({ name: m.name, ms: m.ms });
        this.log.info(`${fileName}: ${m.name} ${m.ms.toFixed(0)} ms`);
        return;
    }
  }
}
