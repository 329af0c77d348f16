// Opens the source behind a profile frame: the build path itself when it exists here,
// else the workspace file sharing the longest path suffix (handles -trimpath and other machines).
import * as vscode from 'vscode';
import { bestSourceMatch, splitPath } from '../core/source/paths';

export async function resolveSource(buildPath: string): Promise<vscode.Uri | undefined> {
  if (!buildPath) return undefined;
  if (buildPath.startsWith('/')) {
    const direct = vscode.Uri.file(buildPath);
    try {
      await vscode.workspace.fs.stat(direct);
      if (vscode.workspace.getWorkspaceFolder(direct) || (vscode.workspace.workspaceFolders ?? []).length === 0) return direct;
    } catch {
      // Not on this machine; fall through to the workspace search.
    }
  }
  const base = splitPath(buildPath).pop();
  if (!base) return undefined;
  const found = await vscode.workspace.findFiles(`**/${base}`, '**/{node_modules,.git}/**', 500);
  const extraRoots = vscode.workspace.getConfiguration('golens').get<string[]>('sourceRoots', []);
  const candidates = new Map<string, vscode.Uri>(found.map((u) => [u.fsPath, u]));
  for (const root of extraRoots) {
    const u = vscode.Uri.joinPath(vscode.Uri.file(root), ...splitPath(buildPath).slice(-3));
    try { await vscode.workspace.fs.stat(u); candidates.set(u.fsPath, u); } catch { /* not there */ }
  }
  const match = bestSourceMatch(buildPath, candidates.keys());
  return match ? candidates.get(match.path) : undefined;
}

export async function openSource(buildPath: string, line: number): Promise<{ found: boolean; message: string }> {
  const uri = await resolveSource(buildPath);
  if (!uri) {
    return { found: false, message: `${buildPath || 'This frame has no file'}${buildPath ? ' is not in this workspace' : ''}` };
  }
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(uri, {
    viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true, selection: new vscode.Range(pos, pos),
  });
  return { found: true, message: `${vscode.workspace.asRelativePath(uri)}:${line}` };
}

/** Opens a frame's source for a webview and says what happened, as its 'sourceResult' message. */
export async function sourceReply(file: string, line: number, log: { info(s: string): void }): Promise<{ type: 'sourceResult'; found: boolean; message: string }> {
  const r = await openSource(file, line);
  if (!r.found) log.info(`open source: ${r.message}`);
  return { type: 'sourceResult', ...r };
}
