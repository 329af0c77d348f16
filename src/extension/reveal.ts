// What a click on a blocking-line or Lock/Unlock lens does: show the line at the other end
// (the `go` statement, the Unlock that woke the waiters, the Lock whose waiters it woke).
import * as vscode from 'vscode';
import type { RevealLineArgs } from '../protocol/lenses';

export async function revealLine(args: RevealLineArgs): Promise<void> {
  if (!args?.uri) return;
  const pos = new vscode.Position(Math.max(0, args.line - 1), 0);
  await vscode.window.showTextDocument(vscode.Uri.parse(args.uri), { selection: new vscode.Range(pos, pos), preview: true });
}
