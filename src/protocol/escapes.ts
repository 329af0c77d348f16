// Messages between the extension and the language server about escape-analysis diagnostics.
// The server never runs `go` unless the extension said the workspace is trusted: in the
// initialization options (`trusted`) or later with WorkspaceTrustNotification.
import { NotificationType, RequestType0 } from 'vscode-languageserver-protocol';

/** initializationOptions the extension passes to the server. */
export interface GoLensInitOptions {
  trusted: boolean;
  /** golens.artifacts from the user settings (see protocol/artifacts.ts). */
  userArtifacts?: string[];
}

export interface WorkspaceTrustParams {
  trusted: boolean;
}

/** Sent when the user grants the workspace trust after start-up. */
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrustParams>('golens/workspaceTrust');

export interface EscapeStats {
  /** Whether the server believes the workspace is trusted. */
  trusted: boolean;
  /** How many times the server started `go`. */
  goRuns: number;
  /** Analyses finished (diagnostics published). */
  analyses: number;
  /** The last run's problem, if any (no go found, timeout, build failure). */
  lastError?: string;
}

/** The server's escape-analysis counters: for the status of the feature and for tests. */
export const EscapeStatsRequest = new RequestType0<EscapeStats, void>('golens/escapeStats');

/** The diagnostic code of escape hints. */
export const ESCAPE_CODE = 'golens.escape';
