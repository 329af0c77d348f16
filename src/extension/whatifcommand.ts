// The code action on a GOGC setting (debug.SetGCPercent(N), a launch configuration's GOGC):
// pick one of the workspace's execution traces and open its What-if panel at that GOGC.
import * as vscode from 'vscode';
import type { WhatIfCommandArgs } from '../protocol/whatifaction';
import type { TraceEditorProvider } from './traceeditor';

/** Names traces go by (the trace editor's own patterns, and gzipped traces). */
const TRACES = '**/{*.trace,*.trace.gz,trace.out,*.trace.out}';

export async function whatIfCommand(editor: TraceEditorProvider, args: WhatIfCommandArgs | undefined): Promise<void> {
  if (!args || (args.gogc !== 'off' && typeof args.gogc !== 'number')) return;
  if (typeof args.trace === 'string') { await editor.whatIf(vscode.Uri.parse(args.trace), args.gogc); return; }
  const files = await vscode.workspace.findFiles(TRACES, '**/node_modules/**', 500);
  if (!files.length) {
    void vscode.window.showInformationMessage('GoLens: no execution trace in the workspace to predict from. Record one with runtime/trace or go test -trace, then try again.');
    return;
  }
  files.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
  const picked = files.length === 1 ? { uri: files[0] } : await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: `What if GOGC=${args.gogc}? (${args.source})`, placeHolder: 'The trace to predict from', matchOnDescription: true },
  );
  if (picked) await editor.whatIf(picked.uri, args.gogc);
}
