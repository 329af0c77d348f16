// Where a build path from a profile or trace is in the workspace: the language server holds
// the one mapper (the workspace's go.mod files and Go files); the extension asks it for
// frame clicks and source peeks, so they land where the lenses do.
import { RequestType } from 'vscode-languageserver-protocol';

export const ResolveSourceRequest = new RequestType<ResolveSourceParams, ResolveSourceResult, void>('golens/source/resolve');
export interface ResolveSourceParams {
  /** The file as the profile or trace names it (absolute, or module path with -trimpath). */
  file: string;
}
export interface ResolveSourceResult {
  /** The workspace file (absolute path), or null when it is not in the workspace. */
  path: string | null;
}
