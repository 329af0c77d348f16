// Per-line cost at the end of Go lines while a profile is open: the profile editor says
// which profile and sample type it shows, the language server computes the costs, this
// draws them on the visible Go editors of the files they map to.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { mdCode, mdText } from '../core/format';
import { lineCostText } from '../core/pprof/linecost';
import { formatValue } from '../core/pprof/units';
import { LineCostsRequest, type FileLineCostData, type LineCostsParams, type LineCostsResult } from '../protocol/linecost';
import type { ViewQuery } from '../protocol/profile';

/** What the profile editor tells about its panels. */
export interface ProfileViewListener {
  /** A panel drew a view (or became active again with its last one). */
  viewed(panel: vscode.WebviewPanel, id: string, query: ViewQuery, fileName: string): void;
  closed(panel: vscode.WebviewPanel): void;
}

interface Shown {
  params: LineCostsParams;
  fileName: string;
}

interface Costs {
  key: string;
  fileName: string;
  total: number;
  unit: string;
  sampleType: string;
  byPath: Map<string, FileLineCostData>;
}

export class LineCostDecorations implements ProfileViewListener, vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 3em' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  /** Panels in the order they were last viewed; the last one is drawn. */
  private readonly panels = new Map<vscode.WebviewPanel, Shown>();
  private costs: Costs | undefined;
  private enabled = true;
  private seq = 0;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly client: () => Promise<LanguageClient>, private readonly log: vscode.LogOutputChannel) {
    this.subs.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.drawAll()),
      vscode.workspace.onDidChangeTextDocument((e) => { for (const ed of vscode.window.visibleTextEditors) if (ed.document === e.document) this.draw(ed); }),
    );
    void vscode.commands.executeCommand('setContext', 'golens.perLineCost', this.enabled);
  }

  viewed(panel: vscode.WebviewPanel, id: string, query: ViewQuery, fileName: string): void {
    this.panels.delete(panel);
    this.panels.set(panel, { params: { id, sampleIndex: query.sampleIndex, filters: query.filters }, fileName });
    void this.refresh();
  }

  closed(panel: vscode.WebviewPanel): void {
    this.panels.delete(panel);
    void this.refresh();
  }

  toggle(): boolean {
    this.enabled = !this.enabled;
    void vscode.commands.executeCommand('setContext', 'golens.perLineCost', this.enabled);
    this.log.info(`per-line cost ${this.enabled ? 'on' : 'off'}`);
    void this.refresh();
    return this.enabled;
  }

  get on(): boolean {
    return this.enabled;
  }

  /** Fetches the costs of the last viewed panel's profile (if they changed) and redraws. */
  private async refresh(): Promise<void> {
    const shown = [...this.panels.values()].pop();
    if (!this.enabled || !shown) { this.costs = undefined; this.drawAll(); return; }
    const key = JSON.stringify(shown.params);
    if (this.costs?.key === key) { this.drawAll(); return; }
    const seq = ++this.seq;
    let res: LineCostsResult;
    try {
      res = await (await this.client()).sendRequest(LineCostsRequest, shown.params);
    } catch (e) {
      this.log.warn(`per-line cost: ${(e as Error).message}`);
      return;
    }
    if (seq !== this.seq) return; // a newer view superseded this one
    if (!res.ok) {
      this.log.warn(`per-line cost of ${shown.fileName}: ${res.error.message}`);
      this.costs = undefined;
    } else {
      this.costs = { key, fileName: shown.fileName, total: res.total, unit: res.unit, sampleType: res.sampleType, byPath: new Map(res.files.map((f) => [f.path, f])) };
      this.log.info(`per-line cost of ${shown.fileName} (${res.sampleType}): ${res.files.length} workspace file(s)`);
    }
    this.drawAll();
  }

  private drawAll(): void {
    for (const ed of vscode.window.visibleTextEditors) this.draw(ed);
  }

  private draw(editor: vscode.TextEditor): void {
    const doc = editor.document;
    const file = this.costs && doc.uri.scheme === 'file' && doc.languageId === 'go' ? this.costs.byPath.get(doc.uri.fsPath) : undefined;
    if (!file || !this.costs) { editor.setDecorations(this.type, []); return; }
    const { total, unit, sampleType, fileName } = this.costs;
    const options: vscode.DecorationOptions[] = [];
    for (const l of file.lines) {
      if (l.line < 1 || l.line > doc.lineCount) continue;
      const end = doc.lineAt(l.line - 1).range.end;
      const pct = (v: number) => `${total ? ((v / total) * 100).toFixed(2) : '0'}%`;
      const hover = new vscode.MarkdownString(
        `**GoLens · ${mdText(sampleType)}** (${mdCode(fileName)})\n\n` +
        `flat ${formatValue(l.flat, unit)} (${pct(l.flat)}) · cum ${formatValue(l.cum, unit)} (${pct(l.cum)})\n\n` +
        l.functions.map((f) => mdCode(f)).join(', '),
      );
      options.push({ range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: lineCostText(l, total, unit) } } });
    }
    editor.setDecorations(this.type, options);
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
    this.type.dispose();
  }
}
