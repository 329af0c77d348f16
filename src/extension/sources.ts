// Opens the source behind a profile frame. The language server holds the one build path →
// workspace mapper (the one its lenses use): this side asks it and shows the file.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ResolveSourceRequest } from '../protocol/sources';

export async function resolveSource(client: () => Promise<LanguageClient>, buildPath: string): Promise<vscode.Uri | undefined> {
  if (!buildPath) return undefined;
  const { path } = await (await client()).sendRequest(ResolveSourceRequest, { file: buildPath });
  return path ? vscode.Uri.file(path) : undefined;
}

export async function openSource(client: () => Promise<LanguageClient>, buildPath: string, line: number): Promise<{ found: boolean; message: string }> {
  const uri = await resolveSource(client, buildPath);
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
export async function sourceReply(client: () => Promise<LanguageClient>, file: string, line: number, log: { info(s: string): void }): Promise<{ type: 'sourceResult'; found: boolean; message: string }> {
  const r = await openSource(client, file, line);
  if (!r.found) log.info(`open source: ${r.message}`);
  return { type: 'sourceResult', ...r };
}
