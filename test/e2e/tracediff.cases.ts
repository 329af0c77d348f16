// End-to-end cases of the trace comparison: two fixture traces (programs/tracediff, base and
// -contend) opened by "GoLens: Compare Traces…" and by the explorer's compare; the table's
// numbers against the real `golens diff --json`, sorting, keyboard, opening a site's source
// line, state across hiding the tab, an old-format trace against a new-format one, a trace
// with a profile refused, high contrast.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatDelta, formatRelative, formatValue, type DiffRow } from '../../src/core/analysis/tracediff';
import type { GoLensApi } from '../../src/extension/main';
import { page, test } from './agent';
import { applyTheme, GO, waitFor, ws } from './util';

const TITLE = '⇄';
const V = { frame: 'webview' as const, webviewTitle: TITLE, timeoutMs: 20000 };
/** The first paint: the one language server may still be busy with earlier work. */
const READY = { ...V, state: 'attached' as const, timeoutMs: 180000 };

interface DomRow { id: string; rank: string; base: string; next: string; delta: string; impact: string; cells: string[] }

export async function traceDiffCases(ext: vscode.Extension<GoLensApi>): Promise<void> {
  const api = await ext.activate();
  const readies = () => api.traceDiff.messages.filter((m) => m.kind !== 'reply' && m.method === 'ready').length;
  const cli = join(ext.extensionPath, 'dist', 'cli.js');
  const base = ws('tracediff', GO, 'base.trace'), next = ws('tracediff', GO, 'new.trace');

  /** `golens diff --json` as a user runs it. */
  function golensDiff(a: vscode.Uri, b: vscode.Uri): { rows: DiffRow[]; changed: number } {
    const r = spawnSync(process.execPath, [cli, 'diff', a.fsPath, b.fsPath, '--json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  async function domRows(): Promise<DomRow[]> {
    return page.eval<DomRow[]>(`[...document.querySelectorAll('#tracediff tbody tr')].map(tr => ({ id: tr.dataset.id, rank: tr.dataset.rank, base: tr.dataset.base, next: tr.dataset.new,
      delta: tr.dataset.delta, impact: tr.dataset.impact, cells: [...tr.querySelectorAll('td')].map(td => td.classList.contains('name') ? td.querySelector('.main').textContent : td.textContent) }))`, V);
  }

  /** Every row in the DOM carries the CLI's numbers, in the CLI's order (sorted by rank). */
  async function assertTableEqualsCli(a: vscode.Uri, b: vscode.Uri): Promise<void> {
    const want = golensDiff(a, b);
    const got = await domRows();
    assert.equal(got.length, want.rows.length);
    got.forEach((g, i) => {
      const w = want.rows[i];
      assert.equal(g.id, w.id);
      assert.equal(Number(g.rank), w.rank);
      assert.equal(g.base, w.base === null ? '' : String(w.base), `${w.id} base`);
      assert.equal(g.next, w.new === null ? '' : String(w.new), `${w.id} new`);
      assert.equal(Number(g.delta), w.delta, `${w.id} delta`);
      assert.equal(g.impact, w.impact === null ? '' : String(w.impact), `${w.id} impact`);
      // The cells show the same numbers as the CLI's text.
      assert.equal(g.cells[3], formatValue(w.base, w.unit));
      assert.equal(g.cells[4], formatValue(w.new, w.unit));
      assert.equal(g.cells[5], formatDelta(w.delta, w.unit));
      assert.equal(g.cells[6], formatRelative(w.relative));
      if (w.site) assert.ok(g.cells[2].startsWith(w.site.function), g.cells[2]);
    });
  }

  async function openTraces(a: vscode.Uri, b: vscode.Uri, command = 'golens.compareTraces'): Promise<vscode.WebviewPanel | undefined> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const args = command === 'golens.compareTraces' ? [a, b] : [a, [a, b]];
    return vscode.commands.executeCommand<vscode.WebviewPanel | undefined>(command, ...args);
  }

  await test('tracediff: Compare Traces shows the ranked table with golens diff\'s numbers', async () => {
    await openTraces(base, next);
    await page.wait('#tracediff tbody tr', READY);
    await assertTableEqualsCli(base, next);
    const first = await page.eval<{ fn: string; group: string }>(`(() => { const tr = document.querySelector('#tracediff tbody tr'); return { fn: tr.dataset.function, group: tr.dataset.group }; })()`, V);
    assert.deepEqual(first, { fn: 'main.work', group: 'blocking' });
    assert.match(await page.text('#side-base', V), /^Base: base\.trace \(go 1\.\d+\)$/);
    assert.match(await page.text('#summary', V), /^\d+ of \d+ numbers differ/);
    await page.screenshot('tracediff');
  });

  await test('tracediff: sort by a column, keyboard through rows, Enter opens the site\'s line', async () => {
    await openTraces(base, next);
    await page.wait('#tracediff tbody tr', READY);
    await page.click('#tracediff th .sort[data-key="change"]', V);
    await waitFor('sorted by change', async () => (await page.attr('#tracediff th:nth-child(6)', 'aria-sort', V)) === 'descending' || undefined);
    const deltas = (await domRows()).map((r) => Math.abs(Number(r.delta)));
    assert.deepEqual(deltas, [...deltas].sort((x, y) => y - x));
    // Back to rank: the header again flips, a third click would reverse.
    await page.click('#tracediff th .sort[data-key="rank"]', V);
    await waitFor('sorted by rank', async () => (await page.attr('#tracediff th:nth-child(1)', 'aria-sort', V)) === 'ascending' || undefined);
    // Keyboard: the first row, down one, up again, then Enter on the top (a site) opens main.go at the Lock line.
    await page.press('Enter', { ...V, selector: '#tracediff tbody tr:nth-child(2)' });
    await page.press('ArrowUp', { ...V, selector: '#tracediff tbody tr:nth-child(2)' });
    await waitFor('first row focused', async () => (await page.eval<string>(`document.activeElement?.dataset?.rank ?? ''`, V)) === '1' || undefined);
    await page.press('Enter', { ...V, selector: '#tracediff tbody tr:nth-child(1)' });
    const ed = await waitFor('source opened', () => {
      const e = vscode.window.visibleTextEditors.find((x) => x.document.uri.path.endsWith('/programs/tracediff/main.go'));
      return e && e.selection.active.line > 0 ? e : undefined;
    }, 20000);
    assert.match(ed.document.lineAt(ed.selection.active.line).text, /mu\.Lock\(\) \/\/ lock/);
    await page.screenshot('tracediff-sorted-opened');
  });

  await test('tracediff: sort and selection survive hiding the tab', async () => {
    const panel = await openTraces(base, next);
    await page.wait('#tracediff tbody tr', READY);
    await page.click('#tracediff th .sort[data-key="impact"]', V);
    await waitFor('sorted by impact', async () => (await page.attr('#tracediff th:nth-child(2)', 'aria-sort', V)) === 'descending' || undefined);
    await page.click('#tracediff tbody tr:nth-child(3)', V);
    const selected = await page.attr('#tracediff tbody tr:nth-child(3)', 'data-id', V);
    const before = readies();
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'tracediff', 'main.go'));
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: panel?.viewColumn });
    await waitFor('panel hidden', () => (panel && !panel.visible) || undefined);
    panel!.reveal();
    await waitFor('page reloaded', () => readies() > before || undefined);
    await page.wait('#tracediff tbody tr', READY);
    assert.equal(await page.attr('#tracediff th:nth-child(2)', 'aria-sort', V), 'descending');
    assert.equal(await page.attr('#tracediff tbody tr.selected', 'data-id', V), selected);
  });

  await test('tracediff: the explorer\'s compare on two traces, old format against new', async () => {
    const pkg = ext.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const item = pkg.contributes.menus['explorer/context'].find((m) => m.command === 'golens.compareWithSelected');
    assert.match(item?.when ?? '', /trace/);
    const old = ws('tracediff', 'go1.21', 'base.trace');
    await openTraces(old, next, 'golens.compareWithSelected');
    await page.wait('#tracediff tbody tr', READY);
    assert.match(await page.text('#side-base', V), /\(go 1\.21\)$/);
    await assertTableEqualsCli(old, next);
    await page.screenshot('tracediff-old-new');
  });

  await test('tracediff: a trace with a profile is refused in one message', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const prof = ws('pprof', GO, 'cpu.pprof');
    const res = await vscode.commands.executeCommand('golens.compareWithSelected', base, [base, prof]);
    assert.equal(res, undefined);
    // The suite's smoke-test mode shows no toasts: the notification center lists the message.
    await vscode.commands.executeCommand('notifications.showList');
    await page.wait('.notifications-center .notification-list-item:has-text("cannot compare a trace with a profile")', { frame: 'workbench', timeoutMs: 10000 });
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.includes(TITLE)).length, 0);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('notifications.hideList');
  });

  await test('tracediff: high contrast follows the theme', async () => {
    if ((await page.info()).theme !== 'dark') return;
    await openTraces(base, next);
    await page.wait('#tracediff tbody tr', READY);
    await applyTheme('Default High Contrast', vscode.ColorThemeKind.HighContrast);
    try {
      await waitFor('hc body class', async () => (await page.eval<string>('document.body.className', V)).includes('vscode-high-contrast') || undefined);
      assert.equal(await page.eval<string>(`getComputedStyle(document.body).backgroundColor`, V), 'rgb(0, 0, 0)');
      await page.screenshot('high-contrast-tracediff');
    } finally {
      await applyTheme('Dark Modern', vscode.ColorThemeKind.Dark);
    }
  });
}
