// The read-only custom editor for pprof files. The language server decodes; this side
// only relays typed messages and turns base64 columns into ArrayBuffers for the webview.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CloseProfileNotification, OpenProfileRequest, ProfileViewRequest,
  type FromWebview, type OpenProfileResult, type ProfileViewResult, type ToWebview, type ViewData, type ViewQuery,
} from '../protocol/profile';
import { webviewHtml } from './html';
import type { ProfileViewListener } from './linecost';
import { openSource } from './sources';

class ProfileDocument implements vscode.CustomDocument {
  serverId: string | undefined;
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
      }
    }));
  }

  private async handle(doc: ProfileDocument, fileName: string, m: FromWebview, post: (m: ToWebview) => Thenable<boolean>): Promise<void> {
    switch (m.type) {
      case 'ready': {
        const client = await this.client();
        const t0 = Date.now();
        const params = doc.uri.scheme === 'file'
          ? { uri: doc.uri.toString() }
          : { uri: doc.uri.toString(), base64: Buffer.from(await vscode.workspace.fs.readFile(doc.uri)).toString('base64') };
        const res: OpenProfileResult = await client.sendRequest(OpenProfileRequest, params);
        if (!res.ok) {
          this.log.warn(`${fileName}: ${res.error.message}`);
          await post({ type: 'loadError', fileName, error: res.error });
          return;
        }
        doc.serverId = res.summary.id;
        this.log.info(`${fileName}: ${res.summary.kind} profile, ${res.summary.samples} samples, decoded in ${Date.now() - t0} ms`);
        const cfg = vscode.workspace.getConfiguration('golens.profile');
        await post({
          type: 'init', fileName, summary: res.summary,
          settings: { granularity: cfg.get('defaultGranularity', 'functions'), topRows: cfg.get('topRows', 200) },
        });
        return;
      }
      case 'view': {
        if (!doc.serverId) return;
        const client = await this.client();
        const res: ProfileViewResult = await client.sendRequest(ProfileViewRequest, { id: doc.serverId, query: m.query });
        if (!res.ok) { await post({ type: 'viewError', requestId: m.requestId, error: res.error }); return; }
        const buf = (b64: string): ArrayBuffer => {
          const b = Buffer.from(b64, 'base64');
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
        };
        const t = res.view.tree;
        const view: ViewData<ArrayBuffer> = {
          ...res.view,
          tree: { parent: buf(t.parent), frame: buf(t.frame), line: buf(t.line), total: buf(t.total), self: buf(t.self) },
        };
        await post({ type: 'view', requestId: m.requestId, view });
        return;
      }
      case 'openSource': {
        const r = await openSource(m.file, m.line);
        if (!r.found) this.log.info(`open source: ${r.message}`);
        await post({ type: 'sourceResult', ...r });
        return;
      }
      case 'mark':
        this.marks.push({ name: m.name, ms: m.ms });
        this.log.info(`${fileName}: ${m.name} ${m.ms.toFixed(0)} ms`);
        return;
    }
  }
}
