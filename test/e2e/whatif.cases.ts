// End-to-end cases of the trace editor's "What if" panel: set in its fields, its numbers are
// `golens whatif --json`'s on the same file, formatted as the panel formats them; the timeline
// draws the scenario's predicted heap and as many predicted GC cycles as the model counts; the
// panel keeps its fields and result across hiding the tab; a bad field says why.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { pacerStatesText, PACER_STATES } from '../../src/core/analysis/pacerstate';
import { changeLabel, METRICS, memLimitLabel, OTHER_WAY } from '../../webview/trace/whatifsettings';
import type { WhatIfResult } from '../../src/protocol/whatif';
import { WHATIF_COMMAND, type WhatIfCommandArgs } from '../../src/protocol/whatifaction';
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

/** The content frame's focus and blur events, kept by the page for a failure's message. */
const FOCUS_LOG = `(() => { if (!window.__golensFocus) { window.__golensFocus = []; const t0 = performance.now();
  for (const ev of ['focus', 'blur']) window.addEventListener(ev, () => window.__golensFocus.push(ev + '@' + Math.round(performance.now() - t0) + 'ms')); }
  return window.__golensFocus.join(' '); })()`;

/**
 * Replaces a field's text and checks it took. Not key by key into "whatever has focus": when
 * focus enters a webview from outside, VS Code hands it over in steps (it focuses the host
 * frame, then, debounced — seconds on a loaded machine — posts a message that focuses the
 * content frame again), and a key sent in between lands in the host frame and is lost (the
 * field read "00" for "200"). fill focuses, selects and inserts the text in the field in one
 * step of the driver, as every other case enters text.
 */
async function type(selector: string, text: string): Promise<void> {
  await page.eval(FOCUS_LOG, T);
  await page.fill(selector, text, T);
  const value = () => page.eval<string>(`document.querySelector(${JSON.stringify(selector)}).value`, T);
  await waitFor(`${selector} to read ${JSON.stringify(text)}`, async () => (await value()) === text || undefined, 5000)
    .catch(async (e: Error) => { throw new Error(`${e.message}: it reads ${JSON.stringify(await value())}; content frame focus events: ${await page.eval<string>(FOCUS_LOG, T)}`); });
}

/** A key sent to a field (the driver focuses it first), not to whatever has focus. */
const key = (k: string, selector: string) => page.press(k, { ...T, selector });

export async function whatIfCases(): Promise<void> {
  const base = await cli();
  const want = await cli('--gogc', '200', '--gomaxprocs', '1');
  const sc = want.scenarios[0];
  assert.ok(sc, 'golens whatif --json has the scenario');

  await test('What if: GOGC=200 and GOMAXPROCS=1 entered in the fields (Tab between them, Enter applies) give golens whatif --json\'s numbers', async () => {
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
    // Tab moves through the fields in order.
    await key('Tab', '#whatif-gogc');
    assert.equal(await page.eval<string>('document.activeElement.id', T), 'whatif-memlimit');
    await key('Tab', '#whatif-memlimit');
    assert.equal(await page.eval<string>('document.activeElement.id', T), 'whatif-gomaxprocs');
    await type('#whatif-gomaxprocs', '1');
    await key('Enter', '#whatif-gomaxprocs');
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
    // Open the panel (whatever the case before left it as).
    if ((await page.attr('#whatif-toggle', 'aria-pressed', T)) !== 'true') await key('Enter', '#whatif-toggle');
    await page.wait('#whatif-table', T);
    const before = await page.attr('#whatif', 'data-scenario', T);
    await type('#whatif-memlimit', 'lots');
    await key('Enter', '#whatif-memlimit');
    await waitFor('the error', async () => (await page.text('#whatif-error', T)) || undefined);
    assert.match(await page.text('#whatif-error', T), /memory limit/i);
    assert.equal(await page.attr('#whatif-memlimit', 'aria-invalid', T), 'true');
    assert.equal(await page.eval<string>('document.activeElement.id', T), 'whatif-memlimit');
    assert.equal(await page.attr('#whatif', 'data-scenario', T), before);
    await type('#whatif-memlimit', 'none');
  });

  await test('What if: where the GC could settle into either steady state (GOGC=50 on this trace), a column beside Scenario gives the other, as golens whatif --json\'s otherState', async () => {
    const j = await cli('--gogc', '50');
    const other = j.scenarios[0].otherState as unknown as NonNullable<WhatIfResult['otherState']>;
    assert.ok(other, 'golens whatif --json gives GOGC=50 the other state');
    assert.ok(j.model, 'golens whatif --json has the model');
    if ((await page.attr('#whatif-toggle', 'aria-pressed', T)) !== 'true') await key('Enter', '#whatif-toggle');
    await page.wait('#whatif-table', T);
    // GOGC=200 at one proc (the case before): one state only, no column and no line.
    assert.equal(await page.count('#whatif-table [data-col="other"]', T), 0);
    assert.equal(await page.text('#whatif-states', T), '');
    await type('#whatif-gogc', '50');
    await type('#whatif-gomaxprocs', '2');
    await key('Enter', '#whatif-gomaxprocs');
    await waitFor('the scenario at GOGC=50', async () => {
      const s = await page.attr('#whatif', 'data-scenario', T);
      return s && JSON.parse(s).gogc === 50 && JSON.parse(s).gomaxprocs === 2 && (await page.attr('#whatif', 'data-state', T)) === 'ready' ? s : undefined;
    }, 60000);
    const all = await cells();
    sameNumbers(all, 'scenario', j.scenarios[0]);
    // The column: the CLI's otherState figures as the panel formats them, each with its change against the model.
    sameNumbers(all, 'other', other as unknown as CliResult);
    for (const m of METRICS) assert.equal(cell(all, m.key, 'other-change').text, changeLabel(other[m.key], j.model[m.key] as number), `other change ${m.key}`);
    const settings = await page.eval<string[]>(`[...document.querySelectorAll('#whatif-table tr.setting td[data-col="other"]')].map(td => td.textContent)`, T);
    assert.deepEqual(settings, ['50', 'none', '2']);
    // A column header, in the order the eye reads them, explained by the line under the table.
    const heads = await page.eval<{ col: string; scope: string; text: string; describedBy: string | null }[]>(`[...document.querySelectorAll('#whatif-table thead th[data-col]')].map(th => ({ col: th.dataset.col, scope: th.getAttribute('scope'), text: th.textContent, describedBy: th.getAttribute('aria-describedby') }))`, T);
    assert.deepEqual(heads.map((h) => h.col), ['baseline', 'model', 'scenario', 'change', 'other', 'other-change']);
    assert.ok(heads.every((h) => h.scope === 'col'));
    assert.deepEqual(heads.find((h) => h.col === 'other'), { col: 'other', scope: 'col', text: OTHER_WAY, describedBy: 'whatif-states' });
    const line = await page.text('#whatif-states', T);
    assert.ok(line.startsWith(pacerStatesText(j.model.pacerState as 'zero' | 'runway')), line);
    assert.ok(line.endsWith(`shows it with ${PACER_STATES[other.pacerState].name}.`), line);
    await page.screenshot('whatif-other-state');
    if ((await page.info()).theme === 'dark') {
      // High contrast: the column's text is the theme's foreground, set apart by the theme's contrast border.
      await applyTheme('Default High Contrast', vscode.ColorThemeKind.HighContrast);
      try {
        await waitFor('high contrast body class', async () => (await page.eval<string>('document.body.className', T)).includes('vscode-high-contrast') || undefined);
        const td = `document.querySelector('#whatif-table tr[data-key] td[data-col="other"]')`;
        assert.equal(await page.eval<string>(`getComputedStyle(${td}).color`, T), 'rgb(255, 255, 255)');
        assert.equal(await page.eval<string>(`getComputedStyle(${td}).borderLeftStyle`, T), 'dashed');
        await page.screenshot('whatif-other-state-high-contrast');
      } finally {
        await applyTheme('Dark Modern', vscode.ColorThemeKind.Dark);
      }
    }
  });

  await test('What if: the code action on debug.SetGCPercent(100) opens the trace\'s What-if panel at GOGC=100, predicted as golens whatif says', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const go = ws('programs', 'gc-log', 'main.go');
    const doc = await vscode.workspace.openTextDocument(go);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const line = doc.getText().split('\n').findIndex((l) => /^\s*debug\.SetGCPercent\(100\)/.test(l));
    assert.ok(line > 0, 'gc-log/main.go sets GOGC');
    // The language server answers once it has the document.
    const action = await waitFor('the GOGC code action', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', go, new vscode.Range(line, 0, line, 0));
      return all?.find((a) => a.command?.command === WHATIF_COMMAND);
    }, 30000);
    const args = action.command!.arguments![0] as WhatIfCommandArgs;
    assert.deepEqual(args, { gogc: 100, source: 'debug.SetGCPercent(100)' });
    assert.equal(await page.count('#whatif', T).catch(() => 0), 0, 'no trace open yet');
    // As the action runs it, with the trace given (the pick of a trace is the user's).
    await vscode.commands.executeCommand(WHATIF_COMMAND, { ...args, trace: ws('trace', GO, NAME).toString() });
    await page.wait('#timeline[data-first-paint]', { ...T, state: 'attached' });
    const gogc100 = await cli('--gogc', '100');
    await waitFor('the scenario at GOGC=100', async () => {
      const s = await page.attr('#whatif', 'data-scenario', T);
      return s && JSON.parse(s).gogc === 100 && (await page.attr('#whatif', 'data-state', T)) === 'ready' ? s : undefined;
    }, 60000);
    assert.equal(await page.attr('#whatif-toggle', 'aria-pressed', T), 'true');
    assert.equal(await page.eval<string>('document.querySelector("#whatif-gogc").value', T), '100');
    assert.equal(await page.eval<string>('document.querySelector("#whatif-gomaxprocs").value', T), String(gogc100.baseline.gomaxprocs), 'the other fields at the trace\'s settings');
    sameNumbers(await cells(), 'scenario', gogc100.scenarios[0]);
  });
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
