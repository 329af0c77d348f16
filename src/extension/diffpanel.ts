// "GoLens: Compare Profiles…" and the explorer's "Compare with Selected": a webview panel
// with both profiles side by side and their differential flame graph. The language server
// decodes and diffs; this side picks the files and answers the page's requests.
import * as vscode from 'vscode';
import { fileName, pairLabels, pickFile, type FileKind } from './pairpick';
import { settings } from './settings';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CloseDiffNotification, DiffViewRequest, OpenDiffRequest, type DiffPageApi, type DiffSummary } from '../protocol/diff';
import { diffViewColumns, toArrayBuffer } from '../protocol/columns';
import type { Envelope } from '../protocol/rpc';
import { TestLog } from './testlog';
import { isTraceFile } from './tracediffpanel';
import { fileParams, ok, WebviewPage } from './webviewpage';

/** What the comparison panels expose to the end-to-end tests. */
export interface DiffApi {
  /** Every envelope the diff webviews posted (marks included), oldest first; kept only outside production. */
  messages: Envelope[];
}

const PROFILES: FileKind = { glob: '**/*.{pprof,prof,pb.gz}', placeHolder: 'A pprof profile (.pprof, .prof, .pb.gz)', filters: { 'Go profiles': ['pprof', 'prof', 'gz', 'out', 'pb'], 'All files': ['*'] } };

export function registerDiff(context: vscode.ExtensionContext, client: () => Promise<LanguageClient>, log: vscode.LogOutputChannel): DiffApi {
  const sent = new TestLog<Envelope>(context);
  const api: DiffApi = { messages: sent.items };
  const open = (base: vscode.Uri, next: vscode.Uri) => new DiffPanel(context, client, log, (m) => sent.push(m), base, next).panel;
  context.subscriptions.push(
    vscode.commands.registerCommand('golens.compareProfiles', async (base?: vscode.Uri, next?: vscode.Uri) => {
      const b = base instanceof vscode.Uri ? base : await pickFile(PROFILES, 'Compare Profiles: choose the base (before) profile');
      if (!b) return undefined;
      const n = next instanceof vscode.Uri ? next : await pickFile(PROFILES, `Compare with ${fileName(b)}: choose the new (after) profile`, b);
      if (!n) return undefined;
      return open(b, n);
    }),
    // Explorer context menu on a multi-selection: (clicked uri, all selected uris), in selection order.
    vscode.commands.registerCommand('golens.compareWithSelected', async (uri?: vscode.Uri, uris?: vscode.Uri[]) => {
      const sel = (uris ?? (uri ? [uri] : [])).filter((u) => u instanceof vscode.Uri);
      if (sel.length !== 2) {
        void vscode.window.showWarningMessage(`GoLens: select exactly two profiles or two traces to compare (${sel.length} selected).`);
        return undefined;
      }
      // Two traces: the trace comparison; a trace with a profile: said, not attempted.
      const traces = await Promise.all(sel.map(isTraceFile));
      if (traces[0] && traces[1]) return vscode.commands.executeCommand('golens.compareTraces', sel[0], sel[1]);
      if (traces[0] || traces[1]) {
        void vscode.window.showWarningMessage('GoLens: cannot compare a trace with a profile; select two traces or two profiles.');
        return undefined;
      }
      return open(sel[0], sel[1]);
    }),
  );
  return api;
}

/** A quick pick of the workspace's profiles, with "Browse…" for any other file. */
class DiffPanel {
  static readonly viewType = 'golens.diff';
  readonly panel: vscode.WebviewPanel;
  private summary: DiffSummary | undefined;

  constructor(
    context: vscode.ExtensionContext,
    client: () => Promise<LanguageClient>,
    log: vscode.LogOutputChannel,
    record: (m: Envelope) => void,
    base: vscode.Uri,
    next: vscode.Uri,
  ) {
    const labels = pairLabels(base, next);
    const title = `${labels.base} ↔ ${labels.next}`;
    this.panel = vscode.window.createWebviewPanel(DiffPanel.viewType, title, vscode.ViewColumn.Active, { retainContextWhenHidden: false });
    const page: WebviewPage<DiffPageApi> = new WebviewPage<DiffPageApi>({ extensionUri: context.extensionUri, client, log }, this.panel.webview, {
      entry: 'diff.js',
      title,
      styles: ['diff.css'],
      failure: 'GoLens could not compare these profiles',
      ready: async () => {
        // A panel shown again after being hidden reloads its page: the pair is decoded already.
        if (!this.summary) {
          const t0 = Date.now();
          const res = await (await client()).sendRequest(OpenDiffRequest, { base: await fileParams(base), next: await fileParams(next) });
          if (!res.ok) {
            log.warn(`${title}: ${res.error.message}`);
            await page.rpc.push('loadError', { title, fileName: res.fileName, error: res.error });
            return;
          }
          this.summary = res.summary;
          log.info(`${title}: ${res.summary.base.kind} profiles, decoded in ${Date.now() - t0} ms`);
        }
        await page.rpc.push('init', { title, labels, summary: this.summary, settings: { topRows: settings()['golens.profile.topRows'] } });
      },
      loadError: (error) => page.rpc.push('loadError', { title, fileName: title, error }),
      record,
      requests: {
        view: async (query) => {
          if (!this.summary) throw new Error(`${title} is not open`);
          const res = ok(await (await client()).sendRequest(DiffViewRequest, { id: this.summary.id, query }));
          return diffViewColumns(res.view, toArrayBuffer);
        },
      },
    });
    this.panel.onDidDispose(() => {
      page.dispose();
      const id = this.summary?.id;
      if (id) void client().then((c) => c.sendNotification(CloseDiffNotification, { id }));
    });
  }
}
