// What the server needs to expand golens.artifacts safely: the entries of the user's own
// (global) settings, which alone may name files outside the workspace, and only when it is
// trusted (the server knows trust from GoLensInitOptions and WorkspaceTrustNotification).
// A workspace's settings can name only files inside its folders.
import { NotificationType } from 'vscode-languageserver-protocol';

export interface UserArtifactsParams {
  /** golens.artifacts as the user settings hold it (`inspect('artifacts').globalValue`). */
  entries: string[];
}

/** Sent at start-up (GoLensInitOptions.userArtifacts) and whenever the user settings change. */
export const UserArtifactsNotification = new NotificationType<UserArtifactsParams>('golens/userArtifacts');
