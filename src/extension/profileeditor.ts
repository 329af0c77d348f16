// The read-only custom editor for pprof files. The language server decodes; this side
// answers the page's requests from the server's and turns base64 columns into ArrayBuffers.
import * as vscode from 'vscode';
import { settings } from './settings';
import type { FunctionLines } from '../core/pprof/list';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CloseProfileNotification, OpenProfileRequest, ProfileGraphRequest, ProfileListRequest, ProfileSandwichRequest, ProfileViewRequest,
  type ProfilePageApi, type ProfileSummary, type SourcePeek, type ViewQuery,
} from '../protocol/profile';
import { sandwichColumns, toArrayBuffer, viewColumns } from '../protocol/columns';
import type { ProfileViewListener } from './linecost';
import { resolveSource } from './sources';
import { TestLog } from './testlog';
import { fileParams, ok, WebviewPage } from './webviewpage';

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
  /** Cancels an open still decoding when the document goes: its worker ends with it. */
  readonly opening = new vscode.CancellationTokenSource();
  disposed = false;
  constructor(readonly uri: vscode.Uri, private readonly onDispose: (d: ProfileDocument) => void) {}
  dispose(): void {
    this.disposed = true;
    this.opening.cancel();
    this.opening.dispose();
    this.onDispose(this);
  }
}

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider<ProfileDocument> {
  static readonly viewType = 'golens.profile';
  /** Performance marks (the server's open and view, the webviews' paints), for the tests. */
  readonly marks: TestLog<{ name: string; ms: number }>;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => Promise<LanguageClient>,
    private readonly log: vscode.LogOutputChannel,
    /** Told which profile and sample type each panel shows (per-line cost in the Go editors). */
    private readonly views?: ProfileViewListener,
  ) {
    this.marks = new TestLog(context);
  }

  openCustomDocument(uri: vscode.Uri): ProfileDocument {
    return new ProfileDocument(uri, (d) => this.close(d));
  }

  private close(d: ProfileDocument): void {
    if (d.serverId) void this.client().then((c) => c.sendNotification(CloseProfileNotification, { id: d.serverId }));
  }

  async resolveCustomEditor(doc: ProfileDocument, panel: vscode.WebviewPanel): Promise<void> {
    const fileName = doc.uri.path.split('/').pop() ?? doc.uri.toString();
    const host = { extensionUri: this.context.extensionUri, client: this.client, log: this.log };
    let lastQuery: ViewQuery | undefined;
    const open = (): string => {
      if (!doc.serverId) throw new Error(`${fileName} is not open`);
      return doc.serverId;
    };
    const page: WebviewPage<ProfilePageApi> = new WebviewPage<ProfilePageApi>(host, panel.webview, {
      entry: 'profile.js',
      title: fileName,
      styles: ['callgraph.css'],
      ready: async () => {
        if (!doc.summary) {
          const t0 = Date.now();
          // A file that cannot be opened becomes the page's load error (WebviewPage logs it).
          let res;
          try {
            res = ok(await (await this.client()).sendRequest(OpenProfileRequest, await fileParams(doc.uri), doc.opening.token));
          } catch (e) {
            if (doc.disposed) return; // cancelled with its tab: nothing to show
            throw e;
          }
          doc.serverId = res.summary.id;
          // Closed while it decoded: the server keeps nothing for it.
          if (doc.disposed) { this.close(doc); return; }
          doc.summary = res.summary;
          this.marks.push({ name: 'open', ms: Date.now() - t0 });
          this.log.info(`${fileName}: ${res.summary.kind} profile, ${res.summary.samples} samples, decoded in ${Date.now() - t0} ms`);
        }
        const cfg = settings();
        await page.rpc.push('init', {
          fileName, summary: doc.summary,
          settings: { granularity: cfg['golens.profile.defaultGranularity'], topRows: cfg['golens.profile.topRows'] },
        });
      },
      loadError: (error) => page.rpc.push('loadError', { fileName, error }),
      mark: (m) => this.marks.push(m),
      requests: {
        view: async (query) => {
          const id = open();
          const t0 = Date.now();
          const res = ok(await (await this.client()).sendRequest(ProfileViewRequest, { id, query }));
          this.marks.push({ name: 'view', ms: Date.now() - t0 });
          lastQuery = query;
          this.views?.viewed(panel, id, query, fileName);
          return viewColumns(res.view, toArrayBuffer);
        },
        peek: async (p) => {
          const res = ok(await (await this.client()).sendRequest(ProfileListRequest, { id: open(), ...p }));
          return sourcePeek(this.client, res.lines);
        },
        sandwich: async (p) => {
          const res = ok(await (await this.client()).sendRequest(ProfileSandwichRequest, { id: open(), ...p }));
          return sandwichColumns(res.sandwich, toArrayBuffer);
        },
        graph: async (p) => ok(await (await this.client()).sendRequest(ProfileGraphRequest, { id: open(), ...p })).graph,
      },
    });
    const subs = [
      page,
      panel.onDidChangeViewState(() => {
        if (panel.active && doc.serverId && lastQuery) this.views?.viewed(panel, doc.serverId, lastQuery, fileName);
      }),
    ];
    panel.onDidDispose(() => { subs.forEach((d) => d.dispose()); this.views?.closed(panel); });
  }
}
