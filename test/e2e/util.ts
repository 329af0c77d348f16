// Shared helpers of the end-to-end cases: workspace paths, fixtures, waiting and themes.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { decodeProfile } from '../../src/core/pprof/decode';
import type { Profile } from '../../src/core/pprof/model';
import { page } from './agent';

export const W = { frame: 'webview' as const, timeoutMs: 20000 };
export const GO = 'go1.27';

export function ws(...parts: string[]): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, ...parts);
}

export function load(name: string): Profile {
  return decodeProfile(readFileSync(ws('pprof', GO, name).fsPath));
}

export async function openProfile(name: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('vscode.openWith', ws('pprof', GO, name), 'golens.profile');
  const base = name.split('/').pop()!;
  await page.wait('#flame[data-rendered]', { ...W, webviewTitle: base, state: 'attached' });
  // The cases then act in the first visible webview: make sure it is this file's page (not one
  // of the editors just closed, whose iframe can outlive its tab for a moment).
  await waitFor(`${base}'s page in front`, async () => {
    const title = await page.eval<string>(`document.querySelector('.toolbar .title')?.firstChild?.textContent ?? ''`, W).catch(() => '');
    return title === base || undefined;
  });
}

/** Waits until the flame graph has been drawn again after `before` renders and stands still. */
export async function rendered(before: string | null): Promise<void> {
  await waitFor('flame graph redraw', async () => {
    const now = await page.attr('#flame', 'data-rendered', W);
    return now !== null && now !== before ? now : undefined;
  });
}

export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 15000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Clicks a toggle button and waits until its aria-pressed reads `want`. A webview's document can be
 * replaced just after it first renders (VS Code reloads an iframe it moves; the page comes back from
 * its saved state): a click that reached the document going away is lost with it. The document is
 * marked before the click; the click is repeated only when the mark is gone (a new document that
 * still shows the old state), never on the same document, where a lost click is a real failure.
 */
export async function pressToggle(selector: string, want: 'true' | 'false', o: typeof W = W): Promise<void> {
  const mark = `m${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
  const setMark = () => page.eval(`document.documentElement.dataset.e2eMark = ${JSON.stringify(mark)}`, o);
  await setMark();
  await page.click(selector, o);
  let clicks = 1;
  await waitFor(`${selector} aria-pressed=${want}`, async () => {
    if ((await page.attr(selector, 'aria-pressed', o)) === want) return true;
    const same = await page.eval<boolean>(`document.documentElement.dataset.e2eMark === ${JSON.stringify(mark)}`, o);
    if (!same && clicks < 3) {
      console.log(`    (${selector}: the webview's document was replaced after the click; clicking again)`);
      await setMark();
      await page.click(selector, o);
      clicks++;
    }
    return undefined;
  });
}

/** A promise that rejects instead of hanging past ms. */
export function within<T>(ms: number, what: string, p: Thenable<T>): Promise<T> {
  return Promise.race([Promise.resolve(p), new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer in ${ms} ms`)), ms))]);
}

/** Rows of the webview's top table: function and flat text. */
export async function tableRows(): Promise<{ fn: string; flat: string }[]> {
  return page.eval<{ fn: string; flat: string }[]>(
    `[...document.querySelectorAll('#top tbody tr')].map(tr => ({ fn: tr.dataset.function, flat: tr.querySelector('td.flat').textContent }))`, W);
}

export async function applyTheme(id: string, kind: vscode.ColorThemeKind): Promise<void> {
  const cfg = () => vscode.workspace.getConfiguration('workbench');
  for (const candidate of [id, `Default ${id}`]) {
    await cfg().update('colorTheme', candidate, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(`theme ${candidate}`, () => vscode.window.activeColorTheme.kind === kind || undefined, 3000);
      return;
    } catch {
      // try the other spelling of the id
    }
  }
  throw new Error(`theme ${id} did not apply (kind ${vscode.window.activeColorTheme.kind})`);
}
