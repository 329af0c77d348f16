// High contrast for the views of the profile and trace editors that stand in place of, or under,
// the flame graph and the timeline: each follows the theme (black page, white text, the theme's
// contrast border around its tables' focus), and a screenshot of each is taken to look at.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { page, test } from './agent';
import { applyTheme, GO, openProfile, W, waitFor, ws } from './util';

const TRACE = 'trace-syscall.trace';
const T = { frame: 'webview' as const, webviewTitle: TRACE, timeoutMs: 30000 };

/** The element's own click (a pointer click can be retried by the driver after it landed). */
const press = (selector: string, o: typeof W = W) => page.eval(`document.querySelector(${JSON.stringify(selector)}).click()`, o);

async function followsTheme(selector: string, o: typeof W): Promise<void> {
  assert.equal(await page.eval<string>('getComputedStyle(document.body).backgroundColor', o), 'rgb(0, 0, 0)');
  const color = await page.eval<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).color`, o);
  assert.equal(color, 'rgb(255, 255, 255)', `${selector}'s text is the theme's foreground`);
}

export async function contrastCases(): Promise<void> {
  await test('high contrast: the sandwich, the call graph and the labels table follow the theme', async () => {
    if ((await page.info()).theme !== 'dark') return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openProfile('cpu.pprof');
    await applyTheme('Default High Contrast', vscode.ColorThemeKind.HighContrast);
    try {
      await waitFor('hc body class', async () => (await page.eval<string>('document.body.className', W)).includes('vscode-high-contrast') || undefined);
      await page.wait('#top tbody tr[data-function="main.hashBlock"]', W);
      await page.press('s', { ...W, selector: '#top tbody tr[data-function="main.hashBlock"]' });
      await page.wait('#sandwich-callers tbody tr', W);
      await followsTheme('#sandwich-callers td', W);
      // A pressed toggle is told apart by the theme's active border (high contrast buttons have no fill).
      assert.equal(await page.eval<string>(`getComputedStyle(document.querySelector('#sandwich-toggle')).outlineStyle`, W), 'solid');
      assert.equal(await page.eval<string>(`getComputedStyle(document.querySelector('#graph-toggle')).outlineStyle`, W), 'none');
      await page.screenshot('high-contrast-sandwich');

      await press('#graph-toggle');
      await waitFor('the call graph', async () => (await page.count('#graph-canvas g.node', W)) > 0 || undefined);
      assert.equal(await page.attr('#sandwich-toggle', 'aria-pressed', W), 'false', 'one view at a time');
      await page.screenshot('high-contrast-graph');
      await press('#graph-toggle');

      await press('#labels-toggle');
      await page.wait('#labels tbody tr', W);
      await followsTheme('#labels td', W);
      await page.screenshot('high-contrast-labels');
    } finally {
      await applyTheme('Dark Modern', vscode.ColorThemeKind.Dark);
    }
  });

  await test('high contrast: the Goroutines table and a range\'s flame graph follow the theme', async () => {
    if ((await page.info()).theme !== 'dark') return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', ws('trace', GO, TRACE), 'golens.trace', { viewColumn: vscode.ViewColumn.One });
    await page.wait('#timeline[data-first-paint]', { ...T, state: 'attached' });
    await applyTheme('Default High Contrast', vscode.ColorThemeKind.HighContrast);
    try {
      await waitFor('hc body class', async () => (await page.eval<string>('document.body.className', T)).includes('vscode-high-contrast') || undefined);
      await press('#goroutines-toggle', T);
      await waitFor('the groups', async () => (await page.attr('#goroutine-groups', 'data-state', T)) === 'ready' || undefined, 60000);
      await followsTheme('#goroutine-table td', T);
      await press('[data-testid="slice-from-view"]', T);
      await press('[data-testid="slice-cpu"]', T);
      await waitFor('the range\'s flame graph', async () => (await page.count('#slices [data-rendered]', T)) > 0 || undefined, 30000);
      await page.screenshot('high-contrast-trace-panels');
    } finally {
      await applyTheme('Dark Modern', vscode.ColorThemeKind.Dark);
    }
  });
  await test('high contrast: the What if panel follows the theme', async () => {
    if ((await page.info()).theme !== 'dark') return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', ws('trace', GO, TRACE), 'golens.trace', { viewColumn: vscode.ViewColumn.One });
    await page.wait('#timeline[data-first-paint]', { ...T, state: 'attached' });
    await applyTheme('Default High Contrast', vscode.ColorThemeKind.HighContrast);
    try {
      await waitFor('hc body class', async () => (await page.eval<string>('document.body.className', T)).includes('vscode-high-contrast') || undefined);
      if ((await page.attr('#whatif-toggle', 'aria-pressed', T)) !== 'true') await press('#whatif-toggle', T);
      await waitFor('the model', async () => (await page.attr('#whatif', 'data-state', T)) === 'ready' || undefined, 60000);
      await followsTheme('#whatif-table tr[data-key] td', T);
      assert.equal(await page.eval<string>(`getComputedStyle(document.querySelector('#whatif-toggle')).outlineStyle`, T), 'solid');
      await page.screenshot('high-contrast-whatif');
      await press('#whatif-toggle', T);
    } finally {
      await applyTheme('Dark Modern', vscode.ColorThemeKind.Dark);
    }
  });
}
