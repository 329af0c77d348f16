// Choosing the two files of a comparison (profiles or traces): a quick pick of the workspace's
// files of that kind with Browse… first, and the panel's labels for the pair.
import * as vscode from 'vscode';

export interface FileKind {
  /** Workspace files offered first. */
  glob: string;
  placeHolder: string;
  /** The Browse… dialog's filters. */
  filters: Record<string, string[]>;
}

export async function pickFile(kind: FileKind, title: string, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const found = (await vscode.workspace.findFiles(kind.glob, '**/{node_modules,.git}/**', 2000))
    .filter((u) => u.toString() !== exclude?.toString())
    .sort((a, b) => a.path.localeCompare(b.path));
  const browse = { label: '$(folder-opened) Browse…', uri: undefined as vscode.Uri | undefined };
  const items = [browse, ...found.map((uri) => ({ label: fileName(uri), description: vscode.workspace.asRelativePath(uri.with({ path: uri.path.replace(/\/[^/]*$/, '') })), uri }))];
  const choice = await vscode.window.showQuickPick(items, { title, placeHolder: kind.placeHolder, matchOnDescription: true });
  if (!choice) return undefined;
  if (choice.uri) return choice.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Choose', title, filters: kind.filters });
  return picked?.[0];
}

export function fileName(u: vscode.Uri): string {
  return u.path.split('/').pop() ?? u.toString();
}

/** The files' names; with their folders when the names alone are the same (cpu.pprof or trace.out from two runs). */
export function pairLabels(base: vscode.Uri, next: vscode.Uri): { base: string; next: string } {
  const b = base.path.split('/'), n = next.path.split('/');
  if (b.at(-1) !== n.at(-1)) return { base: fileName(base), next: fileName(next) };
  return { base: b.slice(-2).join('/'), next: n.slice(-2).join('/') };
}
