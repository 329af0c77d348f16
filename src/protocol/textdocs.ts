// Text artifacts (goroutine dumps, gctrace and schedtrace logs) in the editor: their
// language ids, and the report request of the "GoLens: Show Report" command.
import { RequestType } from 'vscode-languageserver-protocol';

/** Language ids GoLens contributes; the server publishes diagnostics for the first three. */
export const ARTIFACT_LANGUAGES = {
  'go-goroutines': 'goroutines',
  'go-gctrace': 'gctrace',
  'go-schedtrace': 'schedtrace',
} as const;
export type ArtifactLanguage = keyof typeof ARTIFACT_LANGUAGES;
/** `go build -gcflags=-m` output: grammar and language only. */
export const ESCAPES_LANGUAGE = 'go-escapes';

export const ReportRequest = new RequestType<ReportParams, ReportResult, void>('golens/report');
export interface ReportParams {
  /** A file: URI of the artifact. */
  uri: string;
}
export type ReportResult = { ok: true; markdown: string } | { ok: false; message: string };
