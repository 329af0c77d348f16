// End-to-end: GoLens in a real VS Code (code-server) over the real fixtures. Runs inside the
// extension host; the page agent drives and reads the real webview DOM in Chromium.
// Each area keeps its cases in its own `*.cases.ts`; this file runs them in order.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GoLensApi } from '../../src/extension/main';
import { finish, page } from './agent';
import { captureCases } from './capture.cases';
import { benchCases, benchUntrustedCases } from './bench.cases';
import { escapeCases, trustGrantedCases, untrustedCases } from './escapes.cases';
import { diffCases } from './diff.cases';
import { editorCases } from './editor.cases';
import { fleetCases } from './fleet.cases';
import { goroutineCases } from './goroutines.cases';
import { graphCases } from './graph.cases';
import { contrastCases } from './contrast.cases';
import { hostileCases, sourceEscapeCases } from './hostile.cases';
import { leakCases } from './leaks.cases';
import { legacyCases } from './legacy.cases';
import { labelCases } from './labels.cases';
import { profileCases } from './profile.cases';
import { progressiveCases } from './progressive.cases';
import { sliceCases } from './slices.cases';
import { sandwichCases } from './sandwich.cases';
import { traceCases } from './trace.cases';
import { traceDiffCases } from './tracediff.cases';
import { watchCases } from './watch.cases';
import { whatIfCases } from './whatif.cases';
import { applyTheme } from './util';

export async function run(): Promise<void> {
  // code-server reads workbench.colorTheme from settings.json but does not apply it at
  // start-up; setting it through the API does. Apply the run's theme and wait for it.
  const info = await page.info();
  await applyTheme(info.colorTheme, info.theme === 'dark' ? vscode.ColorThemeKind.Dark : vscode.ColorThemeKind.Light);
  const api = vscode.extensions.getExtension<GoLensApi>('golens.golens');
  assert.ok(api, 'GoLens is installed');
  // The driver's extra run with workspace trust on and the folder not trusted.
  if (!vscode.workspace.isTrusted || process.env.GOLENS_E2E_UNTRUSTED === '1') { await untrustedCases(api); await benchUntrustedCases(api); await trustGrantedCases(api); finish(); return; }

  // GOLENS_E2E_AREAS=hostile,trace runs only those areas (while developing; CI runs all).
  const areas = process.env.GOLENS_E2E_AREAS?.split(',').map((s) => s.trim()).filter(Boolean);
  const area = async (name: string, cases: () => Promise<void>) => { if (!areas?.length || areas.includes(name)) await cases(); };
  await area('profile', () => profileCases(api));
  await area('legacy', legacyCases);
  await area('leaks', leakCases);
  await area('trace', traceCases);
  await area('goroutines', goroutineCases);
  await area('slices', sliceCases);
  await area('escapes', escapeCases);
  await area('editor', editorCases);
  await area('diff', () => diffCases(api));
  await area('tracediff', () => traceDiffCases(api));
  await area('hostile', () => hostileCases(api));
  await area('hostile', sourceEscapeCases);
  await area('watch', () => watchCases(api));
  await area('capture', () => captureCases(api));
  await area('bench', () => benchCases(api));
  await area('fleet', fleetCases);
  await area('sandwich', () => sandwichCases(api));
  await area('graph', () => graphCases(api));
  await area('contrast', contrastCases);
  await area('labels', labelCases);
  await area('whatif', whatIfCases);
  // Last: a large trace, read for tens of seconds on a loaded machine; the areas before it keep main's order.
  await area('progressive', progressiveCases);

  finish();
}
