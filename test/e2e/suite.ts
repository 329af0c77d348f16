// End-to-end: GoLens in a real VS Code (code-server) over the real fixtures. Runs inside the
// extension host; the page agent drives and reads the real webview DOM in Chromium.
// Each area keeps its cases in its own `*.cases.ts`; this file runs them in order.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GoLensApi } from '../../src/extension/main';
import { finish, page } from './agent';
import { escapeCases, trustGrantedCases, untrustedCases } from './escapes.cases';
import { diffCases } from './diff.cases';
import { editorCases } from './editor.cases';
import { leakCases } from './leaks.cases';
import { profileCases } from './profile.cases';
import { traceCases } from './trace.cases';
import { applyTheme } from './util';

export async function run(): Promise<void> {
  // code-server reads workbench.colorTheme from settings.json but does not apply it at
  // start-up; setting it through the API does. Apply the run's theme and wait for it.
  const info = await page.info();
  await applyTheme(info.colorTheme, info.theme === 'dark' ? vscode.ColorThemeKind.Dark : vscode.ColorThemeKind.Light);
  const api = vscode.extensions.getExtension<GoLensApi>('golens.golens');
  assert.ok(api, 'GoLens is installed');
  // The driver's extra run with workspace trust on and the folder not trusted.
  if (!vscode.workspace.isTrusted || process.env.GOLENS_E2E_UNTRUSTED === '1') { await untrustedCases(api); await trustGrantedCases(api); finish(); return; }

  await profileCases(api);
  await leakCases();
  await traceCases();
  await escapeCases();
  await editorCases();
  await diffCases(api);

  finish();
}
