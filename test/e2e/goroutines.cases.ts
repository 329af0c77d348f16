// End-to-end cases of the trace editor's Goroutines panel: its rows' numbers are
// `golens goroutines --json`'s on the same file, headers sort by click and keyboard, a row
// pins its goroutines as the timeline's lanes, and sort and open survive hiding the tab.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatNs } from '../../src/core/format';
import { page, test } from './agent';
import { GO, waitFor, ws } from './util';

const NAME = 'trace-contention.trace';
const T = { frame: 'webview' as const, webviewTitle: NAME, timeoutMs: 30000 };
const KEYS = ['total', 'running', 'runnable', 'sync', 'chan', 'net', 'sleep', 'other', 'syscall', 'assist'] as const;

interface CliGroup { startFunction: string; count: number; ids: number[]; columns: Record<string, number> }
interface Row { fn: string; ids: string; cells: { key: string; value: string; text: string }[] }

/** `golens goroutines --json` on the file (asynchronously: the extension host keeps answering the page). */
async function cli(...args: string[]): Promise<CliGroup[]> {
  const ext = vscode.extensions.getExtension('golens.golens')!;
  const { stdout } = await promisify(execFile)(process.execPath, [join(ext.extensionPath, 'dist', 'cli.js'), 'goroutines', ws('trace', GO, NAME).fsPath, '--json', ...args],
    { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 60000 });
  return (JSON.parse(stdout) as { groups: CliGroup[] }).groups;
}

async function rows(): Promise<Row[]> {
  return page.eval<Row[]>(`[...document.querySelectorAll('#goroutine-table tbody tr')].map(tr => ({ fn: tr.dataset.fn, ids: tr.dataset.ids,
    cells: [...tr.querySelectorAll('td[data-key]')].map(td => ({ key: td.dataset.key, value: td.dataset.value, text: td.textContent })) }))`, T);
}

async function pinnedLanes(): Promise<number[]> {
  const raw = (await page.attr('#timeline', 'data-lanes', T)) ?? '';
  return raw.split(' ').filter((s) => s.startsWith('goroutine:')).map((s) => Number(s.split(':')[1]));
}

async function openTrace(): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', ws('trace', GO, NAME), 'golens.trace', { viewColumn: vscode.ViewColumn.One });
  await page.wait('#timeline[data-first-paint]', { ...T, state: 'attached' });
}

export async function goroutineCases(): Promise<void> {
  const byRunning = await cli();
  const bySync = await cli('--sort', 'sync');

  await test('the Goroutines panel shows golens goroutines --json\'s groups and numbers', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openTrace();
    assert.equal(await page.attr('#goroutines-toggle', 'aria-pressed', T), 'false');
    // Opened from the keyboard: the toggle is a toolbar button.
    await page.press('Enter', { ...T, selector: '#goroutines-toggle' });
    await waitFor('the toggle pressed', async () => (await page.attr('#goroutines-toggle', 'aria-pressed', T)) === 'true' || undefined);
    await waitFor('the groups', async () => (await page.attr('#goroutine-groups', 'data-state', T)) === 'ready' || undefined, 60000);
    const got = await rows();
    // Same groups in the same order (running time, most first), every number equal.
    assert.deepEqual(got.map((r) => r.fn), byRunning.map((g) => g.startFunction));
    got.forEach((r, i) => {
      const want = byRunning[i];
      assert.equal(r.ids, want.ids.join(' '), r.fn);
      const count = r.cells.find((c) => c.key === 'count')!;
      assert.equal(Number(count.value), want.count, `${r.fn} count`);
      for (const k of KEYS) {
        const c = r.cells.find((x) => x.key === k)!;
        assert.equal(Number(c.value), want.columns[k], `${r.fn} ${k}`);
        assert.equal(c.text, formatNs(want.columns[k]), `${r.fn} ${k} text`);
      }
    });
    await page.screenshot('goroutines-panel');
  });

  await test('headers sort by keyboard (again reverses); rows are reachable with Tab and arrows', async () => {
    await page.press('Enter', { ...T, selector: '#goroutine-table button.sort[data-key="sync"]' });
    await waitFor('sorted by sync', async () => (await page.attr('#goroutine-table th[data-key="sync"]', 'aria-sort', T)) === 'descending' || undefined);
    assert.deepEqual((await rows()).map((r) => r.fn), bySync.map((g) => g.startFunction));
    // Focus stays on the header: Space sorts the other way.
    await page.press(' ', T);
    await waitFor('reversed', async () => (await page.attr('#goroutine-table th[data-key="sync"]', 'aria-sort', T)) === 'ascending' || undefined);
    const asc = (await rows()).map((r) => Number(r.cells.find((c) => c.key === 'sync')!.value));
    for (let i = 1; i < asc.length; i++) assert.ok(asc[i - 1] <= asc[i], asc.join(' '));
    // ↓ from the first row's button moves to the second's.
    await page.press('ArrowDown', { ...T, selector: '#goroutine-table tbody tr:first-child button.pin-group' });
    const focused = await page.eval<string>('document.activeElement?.closest("tr")?.dataset.fn ?? ""', T);
    assert.equal(focused, (await rows())[1].fn);
  });

  await test('a row pins its goroutines as the timeline\'s lanes and scrolls to them', async () => {
    await page.click('#unpin', T);
    await waitFor('no pinned lanes', async () => (await pinnedLanes()).length === 0 || undefined);
    const group = byRunning.filter((g) => g.count > 1 && g.startFunction.startsWith('main.')).sort((a, b) => b.count - a.count)[0];
    assert.ok(group, 'a main.* group with several goroutines');
    await page.press('Enter', { ...T, selector: `#goroutine-table button.pin-group[data-fn="${group.startFunction}"]` });
    const pinned = await waitFor('pinned lanes', async () => { const p = await pinnedLanes(); return p.length ? p : undefined; });
    assert.deepEqual([...pinned].sort((a, b) => a - b), group.ids.slice(0, 24));
    assert.equal(await page.eval<number>('document.querySelector(".lanes-scroll").scrollTop', T), 0);
    assert.match(await page.text('#status', T), new RegExp(`Pinned ${group.count} goroutines of`));
    await page.screenshot('goroutines-pinned');
  });

  await test('the panel stays open with its sort when the tab is hidden and shown again', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ws('programs', 'trace-contention', 'main.go')), { viewColumn: vscode.ViewColumn.One });
    await openTrace();
    await page.wait('#goroutine-table tbody tr', T);
    assert.equal(await page.attr('#goroutines-toggle', 'aria-pressed', T), 'true');
    assert.equal(await page.attr('#goroutine-table th[data-key="sync"]', 'aria-sort', T), 'ascending');
    await page.click('#goroutines-toggle', T);
    await page.wait('#goroutine-groups', { ...T, state: 'hidden' });
    assert.equal(await page.attr('#goroutines-toggle', 'aria-pressed', T), 'false');
  });
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
