// End-to-end cases of what GoLens shows in text editors: lenses on contended Lock/Unlock lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { cmdContention } from '../../src/cli/contention';
import { formatNs } from '../../src/core/analysis/contention';
import type { RevealLineArgs } from '../../src/protocol/lenses';
import { page, test } from './agent';
import { GO, waitFor, within, ws } from './util';

async function lensesOf(doc: vscode.TextDocument, command: string, atLeast: number): Promise<vscode.CodeLens[]> {
  return waitFor(`${command} lenses`, async () => {
    const all = await within(5000, 'code lens request', vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri));
    const mine = (all ?? []).filter((l) => l.command?.command === command);
    return mine.length >= atLeast ? mine : undefined;
  }, 30000);
}

export async function editorCases(): Promise<void> {
  await test('contention lenses sit on the contended Lock and Unlock lines with golens contention --json numbers', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const rel = `trace/${GO}/trace-contention.trace`;
    const planted = JSON.parse(readFileSync(ws('trace', GO, 'trace-contention.expected.json').fsPath, 'utf8')).planted.lines as { marker: string; line: number }[];
    const lockLine = planted.find((l) => l.marker === 'lock')!.line, unlockLine = planted.find((l) => l.marker === 'unlock')!.line;
    let out = '';
    cmdContention([ws('trace', GO, 'trace-contention.trace').fsPath, '--json'], (s) => { out += s; });
    const site = (JSON.parse(out) as { sites: { kind: string; waitNs: number; count: number; convoy?: { max: number } }[] }).sites.find((s) => s.kind === 'mutex')!;
    await within(10000, 'settings update', vscode.workspace.getConfiguration('golens').update('artifacts', [rel], vscode.ConfigurationTarget.Workspace));
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'trace-contention', 'main.go'));
    await vscode.window.showTextDocument(doc);
    const lenses = await lensesOf(doc, 'golens.revealLine', 2);
    assert.deepEqual(lenses.map((l) => l.range.start.line + 1).sort((a, b) => a - b), [lockLine, unlockLine]);
    const lock = lenses.find((l) => l.range.start.line + 1 === lockLine)!;
    const unlock = lenses.find((l) => l.range.start.line + 1 === unlockLine)!;
    const la = lock.command!.arguments![0] as RevealLineArgs, ua = unlock.command!.arguments![0] as RevealLineArgs;
    assert.deepEqual([la.role, la.waitNs, la.count], ['lock', site.waitNs, site.count]);
    assert.deepEqual([ua.role, ua.waitNs, ua.count], ['unlock', site.waitNs, site.count]);
    assert.match(lock.command!.title, new RegExp(`^\\$\\(lock\\) Mutex contended: ${formatNs(site.waitNs)} in ${site.count} waits \\(max .*, up to ${site.convoy!.max} waiting at once\\) — released at main\\.go:${unlockLine} · trace-contention\\.trace$`));
    assert.match(unlock.command!.title, new RegExp(`^\\$\\(unlock\\) Unlock woke ${site.count} waits \\(${formatNs(site.waitNs)} waited at main\\.go:${lockLine}\\) · trace-contention\\.trace$`));
    assert.match(doc.lineAt(lockLine - 1).text, /mu\.Lock\(\)/);
    assert.match(doc.lineAt(unlockLine - 1).text, /mu\.Unlock\(\)/);
    // As a user sees them: the lens texts in the workbench, over those lines.
    const shown = await vscode.window.showTextDocument(doc);
    shown.revealRange(new vscode.Range(lockLine - 6, 0, lockLine - 6, 0), vscode.TextEditorRevealType.AtTop);
    const texts = await waitFor('lens texts in the editor', async () => {
      const t = await page.texts('.codelens-decoration', 'workbench');
      return t.some((x) => x.includes('Mutex contended')) && t.some((x) => x.includes('Unlock woke')) ? t : undefined;
    });
    // The icon renders as a codicon element; the text after it is the title's.
    const plain = (title: string) => title.replace(/^\$\([a-z-]+\) /, '');
    assert.ok(texts.some((t) => t.trim() === plain(lock.command!.title)), texts.join('\n'));
    assert.ok(texts.some((t) => t.trim() === plain(unlock.command!.title)), texts.join('\n'));
    await page.screenshot('contention-lenses');
    // A click on the Lock lens shows the Unlock that woke its waiters.
    await vscode.commands.executeCommand(lock.command!.command, ...(lock.command!.arguments ?? []));
    await waitFor('unlock line selected', () => vscode.window.activeTextEditor?.selection.active.line === unlockLine - 1 || undefined);
    await within(10000, 'settings reset', vscode.workspace.getConfiguration('golens').update('artifacts', undefined, vscode.ConfigurationTarget.Workspace));
  });

  await test('a lens on the line leaked goroutines block on names the go statement that started them', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const planted = JSON.parse(readFileSync(ws('trace', GO, 'trace-leak.expected.json').fsPath, 'utf8')).planted.leaks as { goLine: number; count: number; reason: string }[];
    await within(10000, 'settings update', vscode.workspace.getConfiguration('golens').update('artifacts', [`trace/${GO}/trace-leak.trace`], vscode.ConfigurationTarget.Workspace));
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'trace-leak', 'main.go'));
    await vscode.window.showTextDocument(doc);
    const lenses = (await lensesOf(doc, 'golens.revealLine', planted.length)).filter((l) => (l.command!.arguments![0] as RevealLineArgs).role === 'blocked');
    assert.equal(lenses.length, planted.length);
    for (const p of planted) {
      const lens = lenses.find((l) => (l.command!.arguments![0] as RevealLineArgs).line === p.goLine);
      assert.ok(lens, `a blocking-line lens pointing at the go statement on line ${p.goLine}`);
      assert.equal(lens.command!.title, `⚠ ${p.count} leaked goroutine${p.count === 1 ? '' : 's'} blocked here on ${p.reason} — started by go at main.go:${p.goLine}`);
      assert.doesNotMatch(doc.lineAt(lens.range.start.line).text, /^\s*go /);
    }
    const send = lenses.find((l) => l.command!.title.includes('chan send'))!;
    await vscode.commands.executeCommand(send.command!.command, ...(send.command!.arguments ?? []));
    const goLine = (send.command!.arguments![0] as RevealLineArgs).line;
    await waitFor('go statement selected', () => vscode.window.activeTextEditor?.selection.active.line === goLine - 1 || undefined);
    assert.match(vscode.window.activeTextEditor!.document.lineAt(goLine - 1).text, /^\s*go /);
    await within(10000, 'settings reset', vscode.workspace.getConfiguration('golens').update('artifacts', undefined, vscode.ConfigurationTarget.Workspace));
  });
}
