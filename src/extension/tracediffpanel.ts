// "GoLens: Compare Traces…" (and the explorer's compare on two selected traces): a webview
// panel with the ranked differences between two traces, as `golens diff a.trace b.trace`.
// The language server reads and compares (on its worker); this side picks the files.
import { closeSync, openSync, readSync } from 'node:fs';
import * as vscode from 'vscode';
import { fileName, pairLabels, pickFile, type FileKind } from './pairpick';
import type { LanguageClient } from 'vscode-languageclient/node';
import { HEAD_BYTES, sniff } from '../core/artifacts/sniff';
import type { Envelope } from '../protocol/rpc';
import { OpenTraceDiffRequest, type TraceDiffPageApi, type TraceDiffResult } from '../protocol/tracediff';
import { TestLog } from './testlog';
import { fileParams, WebviewPage } from './webviewpage';

/** What the trace comparison exposes to the end-to-end tests. */
export interface TraceDiffApi {
  /** Every envelope the page posted, oldest first; kept only outside production. */
  messages: Envelope[];
}

const TRACES: FileKind = { glob: '**/*.{trace,out}', placeHolder: 'A Go execution trace (.trace, .out)', filters: { 'Go traces': ['trace', 'out'], 'All files': ['*'] } };

/** Whether a file is an execution trace, from its first bytes (the sniffer decides). */
export async function isTraceFile(uri: vscode.Uri): Promise<boolean> {
  try {
    if (uri.scheme !== 'file') return sniff((await vscode.workspace.fs.readFile(uri)).subarray(0, HEAD_BYTES)) === 'trace';
    const fd = openSync(uri.fsPath, 'r');
    try {
      const head = new Uint8Array(HEAD_BYTES);
      return sniff(head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0))) === 'trace';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

export function registerTraceDiff(context: vscode.ExtensionContext, client: () => Promise<LanguageClient>, log: vscode.LogOutputChannel): TraceDiffApi {
  const sent = new TestLog<Envelope>(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('golens.compareTraces', async (base?: vscode.Uri, next?: vscode.Uri) => {
      const b = base instanceof vscode.Uri ? base : await pickFile(TRACES, 'Compare Traces: choose the base (before) trace');
      if (!b) return undefined;
      const n = next instanceof vscode.Uri ? next : await pickFile(TRACES, `Compare with ${fileName(b)}: choose the new (after) trace`, b);
      if (!n) return undefined;
      return new TraceDiffPanel(context, client, log, (m) => sent.push(m), b, n).panel;
    }),
  );
  return { messages: sent.items };
}

class TraceDiffPanel {
  static readonly viewType = 'golens.tracediff';
  readonly panel: vscode.WebviewPanel;
  private diff: TraceDiffResult | undefined;

  constructor(context: vscode.ExtensionContext, client: () => Promise<LanguageClient>, log: vscode.LogOutputChannel, record: (m: Envelope) => void, base: vscode.Uri, next: vscode.Uri) {
    const labels = pairLabels(base, next);
    const title = `${labels.base} ⇄ ${labels.next}`;
    this.panel = vscode.window.createWebviewPanel(TraceDiffPanel.viewType, title, vscode.ViewColumn.Active, { retainContextWhenHidden: false });
    const page: WebviewPage<TraceDiffPageApi> = new WebviewPage<TraceDiffPageApi>({ extensionUri: context.extensionUri, client, log }, this.panel.webview, {
      entry: 'tracediff.js',
      title,
      styles: ['tracediff.css'],
      failure: 'GoLens could not compare these traces',
      ready: async () => {
        // Shown again after being hidden, the page reloads: the pair is compared already.
        if (!this.diff) {
          const t0 = Date.now();
          const res = await (await client()).sendRequest(OpenTraceDiffRequest, { base: await fileParams(base), next: await fileParams(next) });
          if (!res.ok) {
            log.warn(`${title}: ${res.error.message}`);
            await page.rpc.push('loadError', { title, fileName: res.fileName, error: res.error });
            return;
          }
          this.diff = res.diff;
          log.info(`${title}: ${res.diff.changed} of ${res.diff.rows.length} numbers differ, compared in ${Date.now() - t0} ms`);
        }
        await page.rpc.push('init', { title, labels, diff: this.diff });
      },
      loadError: (error) => page.rpc.push('loadError', { title, fileName: title, error }),
      record,
      requests: {},
    });
    this.panel.onDidDispose(() => page.dispose());
  }
}
