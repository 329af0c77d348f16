// GoLens' settings as the extension reads them: fitted to their schema (a workspace's
// `topRows: 100000` becomes 5000), never raw from VS Code.
import * as vscode from 'vscode';
import { readSettings, type GoLensSettings } from '../protocol/settings';

export function settings(): GoLensSettings {
  const cfg = vscode.workspace.getConfiguration();
  return readSettings((key) => cfg.get(key));
}
