// End-to-end cases of hostile artifacts and workspaces (issue 16): whatever a file or a
// workspace holds, the workbench keeps answering, the server stays up, nothing outside the
// workspace is opened or logged, and no string from a file becomes a link or an image.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { deepStackProfile } from '../unit/helpers/hostile';
import { page, test } from './agent';
import { rendered, W, waitFor, within, ws } from './util';

/** The workbench still answers: its renderer evaluates, and a command that needs it returns. */
async function workbenchAnswers(ms: number): Promise<void> {
  const t0 = Date.now();
  await within(ms, 'the workbench renderer', Promise.resolve(page.eval<string>('document.title', { frame: 'workbench', timeoutMs: ms })));
  await within(ms, 'a workbench command', vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup'));
  await page.log(`workbench answered in ${Date.now() - t0} ms`);
}

export async function hostileCases(): Promise<void> {
  const dir = ws('hostile');
  mkdirSync(dir.fsPath, { recursive: true });

  await test('a 1 KB profile with a million-frame recursive stack draws its budget, merges into one box on request, and the workbench keeps answering', async () => {
    const bytes = deepStackProfile(1_000_000, false);
    assert.ok(bytes.length < 8192, `${bytes.length} bytes`);
    const file = vscode.Uri.joinPath(dir, 'deep-recursion.pprof');
    writeFileSync(file.fsPath, bytes);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const t0 = Date.now();
    await vscode.commands.executeCommand('vscode.openWith', file, 'golens.profile');
    await page.wait('#flame[data-rendered]', { ...W, webviewTitle: 'deep-recursion.pprof', state: 'attached' });
    await workbenchAnswers(3000);
    await page.log(`deep-recursion.pprof drawn in ${Date.now() - t0} ms`);
    const boxes = await page.count('#flame g.frame', W);
    assert.ok(boxes > 100 && boxes <= 258, `${boxes} boxes`);
    assert.match(await page.text('#status', W), /999,744 deeper frame levels hidden: zoom in to see them/);
    // Merge recursion: one box for main.recurse under the root.
    const before = await page.attr('#flame', 'data-rendered', W);
    await page.click('#merge-recursion', W);
    await rendered(before);
    assert.equal(await page.attr('#merge-recursion', 'aria-pressed', W), 'true');
    const names = await page.eval<string[]>(`[...document.querySelectorAll('#flame g.frame')].map(g => g.getAttribute('name'))`, W);
    assert.deepEqual(names.filter((n) => n !== null && !n.startsWith('all')), ['main.recurse'], JSON.stringify(names));
    assert.doesNotMatch(await page.text('#status', W), /hidden/);
    await workbenchAnswers(3000);
    await page.screenshot('hostile-deep-recursion');
    await page.click('#merge-recursion', W);
  });

  await test('100k distinct frames in one stack: the budget is drawn, the status says how deep the rest goes', async () => {
    const file = vscode.Uri.joinPath(dir, 'deep-distinct.pprof');
    writeFileSync(file.fsPath, deepStackProfile(100_000, true));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', file, 'golens.profile');
    await page.wait('#flame[data-rendered]', { ...W, webviewTitle: 'deep-distinct.pprof', state: 'attached' });
    await workbenchAnswers(3000);
    const boxes = await page.count('#flame g.frame', W);
    assert.ok(boxes > 100 && boxes <= 258, `${boxes} boxes`);
    const deeper = Number(await page.attr('#flame', 'data-deeper', W));
    assert.equal(deeper, 100_000 - 256);
    assert.match(await page.text('#status', W), /99,744 deeper frame levels hidden: zoom in to see them/);
    await waitFor('status', async () => /hidden/.test(await page.text('#status', W)) || undefined);
    await page.screenshot('hostile-deep-distinct');
  });
}
