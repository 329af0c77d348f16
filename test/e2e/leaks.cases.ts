// End-to-end cases of the Go editor's leak code lenses and hovers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { page, test } from './agent';
import { GO, waitFor, within, ws } from './util';

export async function leakCases(): Promise<void> {
  await test('leak code lenses sit on the go statements that created the leaked goroutines', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const planted = JSON.parse(readFileSync(ws('trace', GO, 'trace-leak.expected.json').fsPath, 'utf8')).planted.leaks as { goLine: number; count: number; reason: string }[];
    await within(10000, 'settings update', vscode.workspace.getConfiguration('golens').update('artifacts', [`trace/${GO}/trace-leak.trace`], vscode.ConfigurationTarget.Workspace));
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'trace-leak', 'main.go'));
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor('leak lenses', async () => {
      const all = await within(5000, 'code lens request', vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri));
      const mine = (all ?? []).filter((l) => l.command?.command === 'golens.showLeak');
      return mine.length >= planted.length ? mine : undefined;
    }, 30000);
    assert.deepEqual(lenses.map((l) => l.range.start.line + 1).sort((a, b) => a - b), planted.map((p) => p.goLine).sort((a, b) => a - b));
    for (const p of planted) {
      const lens = lenses.find((l) => l.range.start.line + 1 === p.goLine)!;
      const title = lens.command!.title;
      assert.match(title, new RegExp(`^⚠ ${p.count} goroutines leaked here \\((likely|possible)\\) — blocked on ${p.reason.replace(/[.*()]/g, '\\$&')} at main\\.go:\\d+ \\(trace-leak\\.trace\\)$`), title);
      assert.ok(doc.lineAt(p.goLine - 1).text.trimStart().startsWith('go '), `line ${p.goLine} is a go statement`);
    }
    const send = planted.find((p) => p.reason === 'chan send')!;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(send.goLine - 1, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, new RegExp(`GoLens: ${send.count} goroutines leaked`));
    // Show the lenses as a user sees them.
    const shown = await vscode.window.showTextDocument(doc);
    shown.revealRange(new vscode.Range(send.goLine - 8, 0, send.goLine - 8, 0), vscode.TextEditorRevealType.AtTop);
    await page.wait('.contentWidgets .codelens-decoration, .view-lines .codelens-decoration, .codelens-decoration', { timeoutMs: 10000, state: 'attached' });
    await new Promise((r) => setTimeout(r, 500));
    await page.screenshot('leak-lenses');
    // Clicking the lens opens the trace's timeline at the moment they blocked, their lanes shown.
    const lens = lenses.find((l) => l.range.start.line + 1 === send.goLine)!;
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const TL = { frame: 'webview' as const, webviewTitle: 'trace-leak.trace', timeoutMs: 30000 };
    await page.wait('#timeline[data-first-paint]', { ...TL, state: 'attached' });
    const pinned = await waitFor('pinned goroutine lanes', async () => {
      const raw = (await page.attr('#timeline', 'data-lanes', TL)) ?? '';
      const gs = raw.split(' ').filter((s) => s.startsWith('goroutine:'));
      return gs.length >= Math.min(8, send.count) ? gs : undefined;
    });
    assert.equal(pinned.length, Math.min(8, send.count));
    const details = await waitFor('details of a leaked goroutine', async () => {
      const t = await page.text('#span-details', TL);
      return /waiting \(chan send\)/.test(t) ? t : undefined;
    });
    assert.match(details, /main\.go:\d+/);
    await page.screenshot('leak-lens-trace');
  });

  await test('a leak lens from goroutine profiles opens the profile\'s leak report beside the code', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await within(10000, 'settings update', vscode.workspace.getConfiguration('golens').update('artifacts', [`leaks/${GO}/leakprof-1.pprof`, `leaks/${GO}/leakprof-2.pprof`], vscode.ConfigurationTarget.Workspace));
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'leakprof', 'main.go'));
    await vscode.window.showTextDocument(doc);
    const lens = await waitFor('a leak lens from the profiles', async () => {
      const all = await within(5000, 'code lens request', vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri));
      return (all ?? []).find((l) => l.command?.command === 'golens.showLeak' && /leakprof-2\.pprof/.test(l.command.title));
    }, 30000);
    assert.ok(doc.lineAt(lens.range.start.line).text.trimStart().startsWith('go '));
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const P = { frame: 'webview' as const, webviewTitle: 'leakprof-2.pprof', timeoutMs: 30000 };
    await page.wait('#leaks tbody tr', P);
    // The lens's blocking function is one of the report's rows.
    const args = lens.command!.arguments![0] as { blockedLine: number };
    const lines = await page.eval<string[]>(`[...document.querySelectorAll('#leaks tbody tr')].map(tr => tr.dataset.line)`, P);
    assert.ok(lines.includes(String(args.blockedLine)), `${args.blockedLine} not in ${lines.join(',')}`);
    await within(10000, 'settings update', vscode.workspace.getConfiguration('golens').update('artifacts', undefined, vscode.ConfigurationTarget.Workspace));
  });
}
