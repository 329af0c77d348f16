// Goroutine dumps, gctrace and schedtrace logs in the editor: the language server puts their
// findings on their lines as diagnostics; "GoLens: Show Report" opens `golens report` for
// the file beside it, as a read-only Markdown document (and its preview when available).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ARTIFACT_LANGUAGES, ReportRequest } from '../protocol/textdocs';

export const REPORT_SCHEME = 'golens-report';

/** The document selector entries of the artifact languages (file: documents). */
export const artifactSelector = Object.keys(ARTIFACT_LANGUAGES).map((language) => ({ scheme: 'file', language }));

export class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: () => Promise<LanguageClient>, private readonly log: vscode.LogOutputChannel) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '# GoLens report\n\nRun "GoLens: Show Report" on the file again.\n';
  }

  /** The command: returns the report's URI (undefined when there is nothing to report on). */
  async show(target?: vscode.Uri): Promise<string | undefined> {
    const doc = target ?? vscode.window.activeTextEditor?.document.uri;
    if (!doc) return undefined;
    const res = await (await this.client()).sendRequest(ReportRequest, { uri: doc.toString() });
    if (!res.ok) {
      this.log.warn(`report: ${res.message}`);
      // Not awaited: the notification resolves only when dismissed.
      void vscode.window.showErrorMessage(res.message);
      return undefined;
    }
    const name = doc.path.split('/').pop() ?? 'artifact';
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}.report.md`, query: doc.toString() });
    this.reports.set(uri.toString(), res.markdown);
    this.changed.fire(uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      // No Markdown preview (disabled built-in): the Markdown text itself.
      await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
    return uri.toString();
  }
}
