// End-to-end cases of the trace editor's "What if" panel: set by keyboard, its numbers are
// `golens whatif --json`'s on the same file, formatted as the panel formats them; the timeline
// draws the scenario's predicted heap and as many predicted GC cycles as the model counts; the
// panel keeps its fields and result across hiding the tab; a bad field says why.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { changeLabel, METRICS, memLimitLabel } from '../../webview/trace/whatifsettings';
import { page, test } from './agent';
import { applyTheme, GO, waitFor, ws } from './util';

const NAME = 'trace-gc.trace';
const T = { frame: 'webview' as const, webviewTitle: NAME, timeoutMs: 30000 };

type CliResult = Record<string, number | string | null>;
interface CliReport { baseline: CliResult; model?: CliResult; scenarios: CliResult[] }

/** `golens whatif --json` on the file (asynchronously: the extension host keeps answering the page). */
async function cli(...args: string[]): Promise<CliReport> {
  const ext = vscode.extensions.getExtension('golens.golens')!;
  const { stdout } = await promisify(execFile)(process.execPath, [join(ext.extensionPath, 'dist', 'cli.js'), 'whatif', ws('trace', GO, NAME).fsPath, ...args, '--json'],
    { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 60000 });
  return JSON.parse(stdout) as CliReport;
}

interface Cell { key: string; col: string; value?: string; text: string }
async function cells(): Promise<Cell[]> {
  return page.eval<Cell[]>(`[...document.querySelectorAll('#whatif-table tbody tr[data-key] td')].map(td => ({ key: td.closest('tr').dataset.key, col: td.dataset.col, value: td.dataset.value, text: td.textContent }))`, T);
}
const cell = (all: Cell[], key: string, col: string) => all.find((c) => c.key === key && c.col === col)!;

/** Every metric of column `col` is the CLI's number, formatted as the panel formats it. */
function sameNumbers(all: Cell[], col: string, want: CliResult): void {
  for (const m of METRICS) {
    const c = cell(all, m.key, col);
    assert.equal(Number(c.value), want[m.key], `${col} ${m.key}`);
    assert.equal(c.text, m.format(want[m.key] as number), `${col} ${m.key} text`);
  }
}

async function openTrace(): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', ws('trace', GO, NAME), 'golens.trace', { viewColumn: vscode.ViewColumn.One });
  await page.wait('#timeline[data-first-paint]', { ...T, state: 'attached' });
}

/** Replaces a field's text by keyboard: select all, then type. */
async function type(selector: string, text: string): Promise<void> {
  await page.press('Control+A', { ...T, selector });
  for (const ch of text) await page.press(ch, T);
}

export async function whatIfCases(): Promise<void> {
  const base = await cli();
  const want = await cli('--gogc', '200', '--gomaxprocs', '1');
  const sc = want.scenarios[0];
  assert.ok(sc, 'golens whatif --json has the scenario');

  await test('What if: GOGC=200 and GOMAXPROCS=1 set by keyboard give golens whatif --json\'s numbers', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openTrace();
    assert.equal(await page.attr('#whatif-toggle', 'aria-pressed', T), 'false');
    await page.press('Enter', { ...T, selector: '#whatif-toggle' });
    await waitFor('the toggle pressed', async () => (await page.attr('#whatif-toggle', 'aria-pressed', T)) === 'true' || undefined);
    await waitFor('the trace\'s own settings', async () => (await page.attr('#whatif', 'data-state', T)) === 'ready' || undefined, 60000);
    // The fields start at the trace's settings; the trace column is the CLI's baseline.
    assert.equal(await page.eval<string>('document.querySelector("#whatif-gogc").value', T), String(base.baseline.gogc));
    assert.equal(await page.eval<string>('document.querySelector("#whatif-gomaxprocs").value', T), String(base.baseline.gomaxprocs));
    sameNumbers(await cells(), 'baseline', base.baseline);
    // No scenario yet: the timeline draws nothing predicted.
    assert.equal(await page.attr('#timeline', 'data-predicted-cycles', T), null);

    await type('#whatif-gogc', '200');
    await page.press('Tab', T);
    assert.equal(await page.eval<string>('document.activeElement.id', T), 'whatif-memlimit');
    await page.press('Tab', T);
    await type('#whatif-gomaxprocs', '1');
    await page.press('Enter', T);
    await waitFor('the scenario', async () => {
      const s = await page.attr('#whatif', 'data-scenario', T);
      return s && JSON.parse(s).gogc === 200 && (await page.attr('#whatif', 'data-state', T)) === 'ready' ? s : undefined;
    }, 60000);
    const all = await cells();
    sameNumbers(all, 'baseline', want.baseline);
    sameNumbers(all, 'scenario', sc);
    if (want.model) {
      sameNumbers(all, 'model', want.model);
      for (const m of METRICS) assert.equal(cell(all, m.key, 'change').text, changeLabel(sc[m.key] as number, want.model[m.key] as number), `change ${m.key}`);
    }
    const settings = await page.eval<string[]>(`[...document.querySelectorAll('#whatif-table tr.setting td[data-col="scenario"]')].map(td => td.textContent)`, T);
    assert.deepEqual(settings, [String(sc.gogc), memLimitLabel(sc.memlimit as number | null), String(sc.gomaxprocs)]);
    assert.deepEqual([sc.gogc, sc.gomaxprocs], [200, 1]);
    // The timeline: the whole trace in view, every predicted cycle drawn, and the predicted heap.
    await page.press('f', { ...T, selector: '#timeline' });
    const drawn = await waitFor('the predicted cycles', async () => (await page.attr('#timeline', 'data-predicted-cycles', T)) ?? undefined);
    assert.equal(Number(drawn), sc.gcCycles, 'predicted GC cycles drawn');
    assert.ok(Number(await page.attr('#timeline', 'data-predicted-points', T)) > 0, 'predicted heap points drawn');
    const notes = await page.texts('.whatif-notes li', T);
    assert.ok(notes.length === 0 || notes.every((n) => n.length > 0));
    await page.screenshot('whatif-panel');
    if ((await page.info()).theme === 'dark') {
      await applyTheme('Light Modern', vscode.ColorThemeKind.Light);
      try {
        await waitFor('light body class', async () => (await page.eval<string>('document.body.className', T)).includes('vscode-light') || undefined);
        await page.screenshot('whatif-panel-light');
      } finally {
        await applyTheme('Dark Modern', vscode.ColorThemeKind.Dark);
      }
    }
  });

  await test('What if: fields, result and the predicted lanes survive hiding the tab; closing the panel hides them', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ws('programs', 'trace-gc', 'main.go')), { viewColumn: vscode.ViewColumn.One });
    await openTrace();
    await page.wait('#whatif-table', T);
    assert.equal(await page.attr('#whatif-toggle', 'aria-pressed', T), 'true');
    assert.equal(await page.eval<string>('document.querySelector("#whatif-gogc").value', T), '200');
    assert.equal(await page.eval<string>('document.querySelector("#whatif-gomaxprocs").value', T), '1');
    sameNumbers(await cells(), 'scenario', sc);
    await waitFor('the predicted cycles again', async () => (await page.attr('#timeline', 'data-predicted-cycles', T)) ?? undefined);
    await page.press('Enter', { ...T, selector: '#whatif-toggle' });
    await page.wait('#whatif', { ...T, state: 'hidden' });
    await waitFor('no predicted cycles', async () => (await page.attr('#timeline', 'data-predicted-cycles', T)) === null || undefined);
  });

  await test('What if: a field Go would not accept says why, keeps focus and asks nothing', async () => {
    await page.press('Enter', { ...T, selector: '#whatif-toggle' });
    await page.wait('#whatif-table', T);
    const before = await page.attr('#whatif', 'data-scenario', T);
    await type('#whatif-memlimit', 'lots');
    await page.press('Enter', T);
    await waitFor('the error', async () => (await page.text('#whatif-error', T)) || undefined);
    assert.match(await page.text('#whatif-error', T), /memory limit/i);
    assert.equal(await page.attr('#whatif-memlimit', 'aria-invalid', T), 'true');
    assert.equal(await page.eval<string>('document.activeElement.id', T), 'whatif-memlimit');
    assert.equal(await page.attr('#whatif', 'data-scenario', T), before);
    await type('#whatif-memlimit', 'none');
  });
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
