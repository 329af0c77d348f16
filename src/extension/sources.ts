// Opens the source behind a profile frame. The language server holds the one build path →
// workspace mapper (the one its lenses use): this side asks it and shows the file.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { regularFileWithin } from '../core/io/contain';
import { settings } from './settings';
import { ResolveSourceRequest } from '../protocol/sources';

/** Folders a source may be opened from: the workspace's, and golens.sourceRoots (a machine setting) when trusted. */
function sourceFolders(): string[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  if (!vscode.workspace.isTrusted) return folders;
  return [...folders, ...settings()['golens.sourceRoots']];
}

export async function resolveSource(client: () => Promise<LanguageClient>, buildPath: string): Promise<vscode.Uri | undefined> {
  if (!buildPath) return undefined;
  const { path } = await (await client()).sendRequest(ResolveSourceRequest, { file: buildPath });
  // The server maps inside the workspace; this side checks again what it is about to open.
  const real = path ? regularFileWithin(path, sourceFolders()) : undefined;
  return real ? vscode.Uri.file(real) : undefined;
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
