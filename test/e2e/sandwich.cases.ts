// End-to-end cases of the sandwich view in the profile editor: a function between its callers
// and callees, with the numbers `golens peek --json` prints for the same file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatValue } from '../../src/core/pprof/units';
import type { GoLensApi } from '../../src/extension/main';
import { page, test } from './agent';
import { GO, openProfile, W, waitFor, ws } from './util';

interface PeekJson {
  functions: { function: string; flat: number; cum: number; callers: { name: string; value: number }[]; callees: { name: string; value: number }[] }[];
}

export async function sandwichCases(api: vscode.Extension<GoLensApi>): Promise<void> {
  const cli = join(api.extensionPath, 'dist', 'cli.js');
  const file = ws('pprof', GO, 'cpu.pprof').fsPath;
  /** `golens peek --json` as a user runs it, for exactly one function. */
  const peekOf = (fn: string): PeekJson['functions'][number] => {
    const re = `^${fn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    const j = JSON.parse(execFileSync(process.execPath, [cli, 'peek', file, re, '--sample', 'cpu', '--json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } })) as PeekJson;
    assert.equal(j.functions.length, 1, `${re} selects one function`);
    return j.functions[0];
  };
  /** The sandwich the page shows once it stands for `fn`. */
  const shown = async (fn: string) => {
    await page.wait(`#sandwich[data-function="${fn}"]:not([aria-busy])`, W);
    await page.wait('#sandwich-callers-flame svg', { ...W, state: 'attached' });
    const side = (id: string) => page.eval<{ name: string; value: string; text: string }[]>(
      `[...document.querySelectorAll('#${id} tbody tr')].map(tr => ({ name: tr.dataset.name, value: tr.dataset.value, text: tr.querySelector('td.cum').textContent }))`, W);
    const boxes = (id: string) => page.eval<string[]>(`[...document.querySelectorAll('#${id} g.frame')].map(g => g.getAttribute('name'))`, W);
    return {
      callers: await side('sandwich-callers'), callees: await side('sandwich-callees'), numbers: await page.text('#sandwich-numbers', W),
      callerBoxes: await boxes('sandwich-callers-flame'), calleeBoxes: await boxes('sandwich-callees-flame'),
    };
  };
  const expectPeek = async (fn: string) => {
    const want = peekOf(fn);
    const got = await shown(fn);
    const rows = (l: { name: string; value: number }[]) => l.map((e) => ({ name: e.name, value: String(e.value), text: formatValue(e.value, 'nanoseconds') }));
    assert.deepEqual(got.callers, rows(want.callers), 'callers = golens peek --json');
    assert.deepEqual(got.callees, rows(want.callees), 'callees = golens peek --json');
    assert.match(got.numbers, new RegExp(`^flat ${formatValue(want.flat, 'nanoseconds').replace('.', '\\.')} \\(.*\\) · cum ${formatValue(want.cum, 'nanoseconds').replace('.', '\\.')} \\(`));
    // The flame graphs: the function at the root of both, its direct callers and callees next to it.
    for (const boxes of [got.callerBoxes, got.calleeBoxes]) assert.ok(boxes.includes(fn), `${fn} is the root box`);
    for (const e of want.callers) assert.ok(got.callerBoxes.includes(e.name), `caller ${e.name} drawn`);
    for (const e of want.callees) assert.ok(got.calleeBoxes.includes(e.name), `callee ${e.name} drawn`);
    return want;
  };

  await test('s on a top row shows its function between its callers and callees, with golens peek --json numbers', async () => {
    await openProfile('cpu.pprof');
    assert.equal(await page.attr('#sandwich-toggle', 'aria-pressed', W), 'false');
    await page.wait('#top tbody tr[data-function="main.hashBlock"]', W);
    await page.press('s', { ...W, selector: '#top tbody tr[data-function="main.hashBlock"]' });
    const want = await expectPeek('main.hashBlock');
    assert.ok(want.callers.length > 0 && want.callees.length > 0, 'a function with callers and callees');
    assert.equal(await page.attr('#sandwich-toggle', 'aria-pressed', W), 'true');
    assert.equal(await page.count('#flame-section:not([hidden])', W), 0, 'the sandwich stands in place of the flame graph');
    await page.screenshot('sandwich-hashBlock');
  });

  await test('a typed name, a caller row and a frame chosen by keyboard each become the sandwich', async () => {
    await page.fill('#sandwich-function', 'main.sortPhase', W);
    await page.press('Enter', { ...W, selector: '#sandwich-function' });
    const sort = await expectPeek('main.sortPhase');
    // Enter on a callee row puts that callee in the sandwich.
    const callee = sort.callees[0].name;
    await page.press('Enter', { ...W, selector: `#sandwich-callees tbody tr[data-name="${callee}"]` });
    await expectPeek(callee);
    // The callees graph from the keyboard: the heaviest callee below the root, then s.
    const next = peekOf(callee).callees[0].name;
    // A caller chosen first, so both graphs hold a selected box.
    const caller = peekOf(callee).callers[0].name;
    await page.press('ArrowUp', { ...W, selector: '#sandwich-callers-flame' });
    await waitFor('a caller frame selected', async () => (await page.attr('#sandwich-callers-flame', 'data-selected', W)) === caller || undefined);
    await page.press('ArrowDown', { ...W, selector: '#sandwich-callees-flame' });
    await waitFor('a callee frame selected', async () => (await page.attr('#sandwich-callees-flame', 'data-selected', W)) === next || undefined);
    // Each graph names its own selected box: the ids are unique and each graph points inside itself.
    const owners = await page.eval<{ host: string; inside: boolean }[]>(`[...document.querySelectorAll('[aria-activedescendant]')].map(h => ({
      host: h.id, inside: !!h.querySelector('#' + CSS.escape(h.getAttribute('aria-activedescendant'))) }))`, W);
    assert.ok(owners.some((o) => o.host === 'sandwich-callees-flame'), JSON.stringify(owners));
    assert.ok(owners.every((o) => o.inside), JSON.stringify(owners));
    const ids = await page.eval<string[]>(`[...document.querySelectorAll('g.frame[id]')].map(g => g.id)`, W);
    assert.equal(new Set(ids).size, ids.length, `unique ids: ${ids.join()}`);
    await page.press('s', { ...W, selector: '#sandwich-callees-flame' });
    await expectPeek(next);
    await page.screenshot('sandwich-keyboard');
  });

  await test('the toggle (by keyboard) brings the flame graph back, where s on a selected frame picks it', async () => {
    await page.press('Enter', { ...W, selector: '#sandwich-toggle' });
    await waitFor('the toggle released', async () => (await page.attr('#sandwich-toggle', 'aria-pressed', W)) === 'false' || undefined);
    await page.wait('#flame-section:not([hidden])', W);
    await page.press('Home', { ...W, selector: '#flame' });
    await page.press('ArrowUp', { ...W, selector: '#flame' });
    const picked = await waitFor('a frame selected', async () => {
      const s = await page.attr('#flame', 'data-selected', W);
      return s && !s.startsWith('all (') ? s : undefined;
    });
    await page.press('s', { ...W, selector: '#flame' });
    await expectPeek(picked);
    assert.equal(await page.attr('#sandwich-toggle', 'aria-pressed', W), 'true');
  });

  await test('the sandwich and its function survive hiding and showing the tab', async () => {
    await page.fill('#sandwich-function', 'main.hashBlock', W);
    await page.press('Enter', { ...W, selector: '#sandwich-function' });
    await shown('main.hashBlock');
    await page.eval('window.__golensBeforeHide = 1', W);
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'cpu', 'main.go'));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    await waitFor('profile hidden', async () => (await page.count('#flame', { frame: 'webview', webviewTitle: 'cpu.pprof' })) === 0 || undefined);
    await vscode.commands.executeCommand('vscode.openWith', ws('pprof', GO, 'cpu.pprof'), 'golens.profile', vscode.ViewColumn.One);
    await page.wait('#sandwich-toggle', { ...W, webviewTitle: 'cpu.pprof', state: 'attached' });
    assert.equal(await page.eval('window.__golensBeforeHide ?? null', W), null, 'the page was rebuilt, not kept');
    assert.equal(await page.attr('#sandwich-toggle', 'aria-pressed', W), 'true');
    await expectPeek('main.hashBlock');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
}
