// "GoLens: Compare Profiles…" and the explorer's "Compare with Selected": a webview panel
// with both profiles side by side and their differential flame graph. The language server
// decodes and diffs; this side picks the files and relays typed messages.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CloseDiffNotification, DiffViewRequest, OpenDiffRequest,
  type DiffSource, type DiffSummary, type FromDiffWebview,
  type ToDiffWebview,
} from '../protocol/diff';
import { diffViewColumns, toArrayBuffer, toBase64 } from '../protocol/columns';
import { webviewHtml } from './html';
import { sourceReply } from './sources';

/** What the comparison panels expose to the end-to-end tests. */
export interface DiffApi {
  /** Every message the diff webviews posted (marks included), oldest first. */
  messages: FromDiffWebview[];
}

const PROFILE_GLOB = '**/*.{pprof,prof,pb.gz}';

export function registerDiff(context: vscode.ExtensionContext, client: () => Promise<LanguageClient>, log: vscode.LogOutputChannel): DiffApi {
  const api: DiffApi = { messages: [] };
  const open = (base: vscode.Uri, next: vscode.Uri) => new DiffPanel(context, client, log, api, base, next).panel;
  context.subscriptions.push(
    vscode.commands.registerCommand('golens.compareProfiles', async (base?: vscode.Uri, next?: vscode.Uri) => {
      const b = base instanceof vscode.Uri ? base : await pickProfile('Compare Profiles: choose the base (before) profile');
      if (!b) return undefined;
      const n = next instanceof vscode.Uri ? next : await pickProfile(`Compare with ${fileName(b)}: choose the new (after) profile`, b);
      if (!n) return undefined;
      return open(b, n);
    }),
    // Explorer context menu on a multi-selection: (clicked uri, all selected uris), in selection order.
    vscode.commands.registerCommand('golens.compareWithSelected', async (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
      const sel = (uris ?? (uri ? [uri] : [])).filter((u) => u instanceof vscode.Uri);
      if (sel.length !== 2) {
        void vscode.window.showWarningMessage(`GoLens: select exactly two profiles to compare (${sel.length} selected).`);
        return undefined;
      }
      return open(sel[0], sel[1]);
    }),
  );
  return api;
}

/** A quick pick of the workspace's profiles, with "Browse…" for any other file. */
async function pickProfile(title: string, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const found = (await vscode.workspace.findFiles(PROFILE_GLOB, '**/{node_modules,.git}/**', 2000))
    .filter((u) => u.toString() !== exclude?.toString())
    .sort((a, b) => a.path.localeCompare(b.path));
  const browse = { label: '$(folder-opened) Browse…', uri: undefined as vscode.Uri | undefined };
  const items = [browse, ...found.map((uri) => ({ label: fileName(uri), description: vscode.workspace.asRelativePath(uri.with({ path: uri.path.replace(/\/[^/]*$/, '') })), uri }))];
  const choice = await vscode.window.showQuickPick(items, { title, placeHolder: 'A pprof profile (.pprof, .prof, .pb.gz)', matchOnDescription: true });
  if (!choice) return undefined;
  if (choice.uri) return choice.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false, openLabel: 'Choose', title,
    filters: { 'Go profiles': ['pprof', 'prof', 'gz', 'out', 'pb'], 'All files': ['*'] },
  });
  return picked?.[0];
}

function fileName(u: vscode.Uri): string {
  return u.path.split('/').pop() ?? u.toString();
}

/** The files' names; with their folders when the names alone are the same (cpu.pprof from two runs). */
function labelsOf(base: vscode.Uri, next: vscode.Uri): { base: string; next: string } {
  const b = base.path.split('/'), n = next.path.split('/');
  if (b.at(-1) !== n.at(-1)) return { base: fileName(base), next: fileName(next) };
  return { base: b.slice(-2).join('/'), next: n.slice(-2).join('/') };
}

class DiffPanel {
  static readonly viewType = 'golens.diff';
  readonly panel: vscode.WebviewPanel;
  private summary: DiffSummary | undefined;
  private readonly title: string;
  private readonly labels: { base: string; next: string };

  constructor(
    context: vscode.ExtensionContext,
    private readonly client: () => Promise<LanguageClient>,
    private readonly log: vscode.LogOutputChannel,
    private readonly api: DiffApi,
    private readonly base: vscode.Uri,
    private readonly next: vscode.Uri,
  ) {
    this.labels = labelsOf(base, next);
    this.title = `${this.labels.base} ↔ ${this.labels.next}`;
    this.panel = vscode.window.createWebviewPanel(DiffPanel.viewType, this.title, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
    });
    const webview = this.panel.webview;
    webview.html = webviewHtml(webview, context.extensionUri, 'diff.js', this.title, 'd3-flamegraph.css', ['diff.css']);
    const post = (m: ToDiffWebview) => webview.postMessage(m);
    const subs: vscode.Disposable[] = [];
    this.panel.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      const id = this.summary?.id;
      if (id) void this.client().then((c) => c.sendNotification(CloseDiffNotification, { id }));
    });
    subs.push(webview.onDidReceiveMessage(async (m: FromDiffWebview) => {
      this.api.messages.push(m);
      try {
        await this.handle(m, post);
      } catch (e) {
        // The server went away or the request failed: say so in the panel, never spin forever.
        const message = (e as Error)?.message ?? String(e);
        this.log.error(`${this.title}: ${message}`);
        const error = { what: `GoLens could not compare these profiles: ${message}`, message, hint: 'see the GoLens output channel (GoLens: Show Output)' };
        if (m.type === 'ready') await post({ type: 'loadError', title: this.title, fileName: this.title, error });
        else if (m.type === 'view') await post({ type: 'viewError', requestId: m.requestId, error });
      }
    }));
  }

  private async source(u: vscode.Uri): Promise<DiffSource> {
    return u.scheme === 'file' ? { uri: u.toString() } : { uri: u.toString(), base64: toBase64(await vscode.workspace.fs.readFile(u)) };
  }

  private async handle(m: FromDiffWebview, post: (m: ToDiffWebview) => Thenable<boolean>): Promise<void> {
    switch (m.type) {
      case 'ready': {
        // A panel shown again after being hidden reloads its page: the pair is decoded already.
        if (!this.summary) {
          const client = await this.client();
          const t0 = Date.now();
          const res = await client.sendRequest(OpenDiffRequest, { base: await this.source(this.base), next: await this.source(this.next) });
          if (!res.ok) {
            this.log.warn(`${this.title}: ${res.error.message}`);
            await post({ type: 'loadError', title: this.title, fileName: res.fileName, error: res.error });
            return;
          }
          this.summary = res.summary;
          this.log.info(`${this.title}: ${res.summary.base.kind} profiles, decoded in ${Date.now() - t0} ms`);
        }
        const cfg = vscode.workspace.getConfiguration('golens.profile');
        await post({ type: 'init', title: this.title, labels: this.labels, summary: this.summary, settings: { topRows: cfg.get('topRows', 200) } });
        return;
      }
      case 'view': {
        if (!this.summary) return;
        const client = await this.client();
        const res = await client.sendRequest(DiffViewRequest, { id: this.summary.id, query: m.query });
        if (!res.ok) { await post({ type: 'viewError', requestId: m.requestId, error: res.error }); return; }
        await post({ type: 'view', requestId: m.requestId, view: diffViewColumns(res.view, toArrayBuffer) });
        return;
      }
      case 'openSource': {
        await post(await sourceReply(this.client, m.file, m.line, this.log));
        return;
      }
      case 'zoom':
        return;
      case 'mark':
        this.log.info(`${this.title}: ${m.name} ${m.ms.toFixed(0)} ms`);
        return;
    }
  }
}
