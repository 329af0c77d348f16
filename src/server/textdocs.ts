// Diagnostics on open goroutine dumps, gctrace and schedtrace logs: the findings `golens
// report` gives for the file, on the lines of the file that show them; and the report itself.
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { locatedFindings } from '../core/analysis/textfindings';
import { reportMarkdown } from '../core/artifacts/report';
import { FormatError, InputError } from '../core/errors';
import { ARTIFACT_LANGUAGES, type ArtifactLanguage, type ReportParams, type ReportResult } from '../protocol/textdocs';

export function isArtifactLanguage(id: string): id is ArtifactLanguage {
  return Object.prototype.hasOwnProperty.call(ARTIFACT_LANGUAGES, id);
}

function lineRange(doc: TextDocument, line: number) {
  const l = Math.min(Math.max(0, line - 1), Math.max(0, doc.lineCount - 1));
  const text = doc.getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }).replace(/\r?\n$/, '');
  return { start: { line: l, character: 0 }, end: { line: l, character: text.length } };
}

/**
 * The diagnostics of an open artifact. `map` turns a build path of a finding's site into a
 * workspace file (for a related location in the Go source). Bad text gives one error.
 */
export function artifactDiagnostics(doc: TextDocument, map: (buildPath: string) => string | undefined): Diagnostic[] {
  if (!isArtifactLanguage(doc.languageId)) return [];
  const text = doc.getText();
  if (!text.trim()) return [];
  const source = doc.uri.startsWith('file:') ? fileURLToPath(doc.uri) : doc.uri;
  try {
    return locatedFindings(ARTIFACT_LANGUAGES[doc.languageId], text, source).map(({ finding: f, line, related }) => {
      const info: DiagnosticRelatedInformation[] = related.map((r) => ({ location: { uri: doc.uri, range: lineRange(doc, r.line) }, message: r.note }));
      const ws = f.site && f.site.line > 0 ? map(f.site.file) : undefined;
      if (ws && f.site) {
        const l = f.site.line - 1;
        info.unshift({ location: { uri: pathToFileURL(ws).toString(), range: { start: { line: l, character: 0 }, end: { line: l, character: 0 } } }, message: `${f.site.function} (source)` });
      }
      const d: Diagnostic = {
        range: lineRange(doc, line),
        severity: f.confidence === 'possible' ? DiagnosticSeverity.Information : DiagnosticSeverity.Warning,
        source: 'GoLens',
        code: f.kind,
        message: `${f.title} (${f.confidence})${f.advice ? `\n${f.advice}` : ''}`,
      };
      if (info.length) d.relatedInformation = info;
      return d;
    });
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    return [{ range: lineRange(doc, 1), severity: DiagnosticSeverity.Error, source: 'GoLens', message: `GoLens cannot read this file: ${e.message}` }];
  }
}

/** `golens report` on the artifact's file (as saved), in Markdown. */
export function artifactReport(params: ReportParams): ReportResult {
  if (!params.uri.startsWith('file:')) return { ok: false, message: 'GoLens: Show Report needs a file on disk (save it first)' };
  try {
    return { ok: true, markdown: reportMarkdown([fileURLToPath(params.uri)]) };
  } catch (e) {
    if (e instanceof FormatError || e instanceof InputError) return { ok: false, message: e.message };
    throw e;
  }
}

/** Diagnostics of open text artifacts, published a little after the last edit (at once on open). */
export class ArtifactDiagnostics {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: {
    /** A finding's build path → workspace file. */
    map: (buildPath: string) => string | undefined;
    publish: (uri: string, version: number | undefined, diagnostics: Diagnostic[]) => void;
    log: (s: string) => void;
    error: (s: string) => void;
  }) {}

  /** The document was opened (version 1) or edited. */
  changed(doc: TextDocument): void {
    if (!isArtifactLanguage(doc.languageId)) return;
    clearTimeout(this.pending.get(doc.uri));
    this.pending.set(doc.uri, setTimeout(() => {
      this.pending.delete(doc.uri);
      const t0 = performance.now();
      let diagnostics;
      try {
        diagnostics = artifactDiagnostics(doc, this.deps.map);
      } catch (e) {
        this.deps.error(`${doc.uri}: ${(e as Error).stack ?? e}`);
        return;
      }
      this.deps.log(`${doc.uri}: ${diagnostics.length} diagnostic(s) (${(performance.now() - t0).toFixed(0)} ms)`);
      this.deps.publish(doc.uri, doc.version, diagnostics);
    }, doc.version <= 1 ? 0 : 300));
  }

  closed(doc: TextDocument): void {
    clearTimeout(this.pending.get(doc.uri));
    this.pending.delete(doc.uri);
    if (isArtifactLanguage(doc.languageId)) this.deps.publish(doc.uri, undefined, []);
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
