// End-to-end cases of "GoLens: Capture from Running Program…" against a real Go service
// (pprofserve, started here): the pickers driven through the real quick input, the progress
// notification's Cancel, the saved file opened in its editor, the one-line error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { formatValue } from '../../src/core/pprof/units';
import { startPprofServer, type PprofServer } from '../unit/helpers/pprofserve';
import { page, test } from './agent';
import { W, waitFor, ws } from './util';

const QI = '.quick-input-widget';

/** Waits for the quick input titled like `title`, types `value` and picks the row whose label starts with `label`. */
async function pick(title: RegExp, value: string, label: string): Promise<void> {
  await waitFor(`quick input ${title}`, async () => title.test(await page.text(`${QI} .quick-input-title`, 'workbench').catch(() => '')) || undefined, 20000);
  await page.fill(`${QI} .quick-input-box input`, value, 'workbench');
  const row = `${QI} .monaco-list-row[aria-label^="${label}"]`;
  await page.wait(row, 'workbench');
  await page.click(row, 'workbench');
}

/** The capture files saved for that server, newest last. */
function captures(server: PprofServer): string[] {
  const dir = ws('.golens', 'captures', new URL(server.url).host.replace(':', '_')).fsPath;
  return existsSync(dir) ? readdirSync(dir).sort().map((f) => join(dir, f)) : [];
}

// The smoke-test driver mode the suite runs in shows no toasts; the notification center
// lists the same notifications (progress with its Cancel button, errors).
const CENTER = '.notifications-center';

async function notification(re: RegExp): Promise<string> {
  await vscode.commands.executeCommand('notifications.showList');
  return waitFor(`notification ${re}`, async () => {
    const t = await page.texts(`${CENTER} .notification-list-item-message`, 'workbench');
    return t.find((s) => re.test(s));
  }, 30000);
}

export async function captureCases(ext: vscode.Extension<unknown>): Promise<void> {
  const cli = join(ext.extensionPath, 'dist', 'cli.js');
  let server: PprofServer | undefined;
  try {
    server = await startPprofServer();
  } catch (e) {
    await test('capture: pprofserve starts', async () => { throw e; });
    return;
  }
  const s = server;
  try {
    await test('capture: a heap profile through the pickers opens in the profile editor with golens top\'s numbers', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const done = vscode.commands.executeCommand<string | undefined>('golens.capture');
      await pick(/^GoLens: Capture from Running Program$/, s.url, s.url);
      await waitFor('kind pick', async () => /which profile\?/.test(await page.text(`${QI} .quick-input-title`, 'workbench')) || undefined);
      await page.screenshot('capture-kind-pick');
      await pick(/which profile\?/, 'heap', 'heap');
      const file = await done;
      assert.ok(file && existsSync(file), `saved ${file}`);
      assert.match(basename(file), /^\d{8}T\d{6}Z-heap\.pprof$/);
      assert.deepEqual(captures(s), [file]);
      await page.wait('#flame[data-rendered]', { ...W, webviewTitle: basename(file), state: 'attached' });
      const r = spawnSync(process.execPath, [cli, 'top', file, '--json', '-n', '3'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 30000 });
      assert.equal(r.status, 0, r.stderr);
      const want = JSON.parse(r.stdout) as { unit: string; rows: { function: string; flat: number }[] };
      const first = `#top tbody tr[data-function="${want.rows[0].function}"] td.flat`;
      assert.equal(await page.text(first, { ...W, webviewTitle: basename(file) }), formatValue(want.rows[0].flat, want.unit));
      await page.screenshot('capture-heap');
    });

    await test('capture: a CPU profile for the duration typed into the box (the remembered address offered first)', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const done = vscode.commands.executeCommand<string | undefined>('golens.capture');
      await waitFor('address pick', async () => /Capture from Running Program$/.test(await page.text(`${QI} .quick-input-title`, 'workbench')) || undefined);
      const recent = `${QI} .monaco-list-row[aria-label^="${s.url}"]`;
      await page.wait(recent, 'workbench');
      await page.click(recent, 'workbench');
      await pick(/which profile\?/, 'cpu', 'cpu');
      await waitFor('seconds box', async () => /how long to record the CPU profile\?/.test(await page.text(`${QI} .quick-input-title`, 'workbench')) || undefined);
      assert.equal(await page.eval<string>(`document.querySelector('${QI} .quick-input-box input').value`, 'workbench'), '30');
      await page.fill(`${QI} .quick-input-box input`, '1', 'workbench');
      await page.press('Enter', { frame: 'workbench', selector: `${QI} .quick-input-box input` });
      const file = await done;
      assert.ok(file && /-cpu\.pprof$/.test(file), String(file));
      await page.wait('#flame[data-rendered]', { ...W, webviewTitle: basename(file), state: 'attached' });
      await page.wait('#flame g.frame[name="main.hashLoop"]', { ...W, webviewTitle: basename(file), state: 'attached' });
      await page.screenshot('capture-cpu');
    });

    await test('capture: a trace opens in the trace editor', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const file = await vscode.commands.executeCommand<string | undefined>('golens.capture', { address: `${s.url}/debug/pprof/`, kind: 'trace', seconds: 1 });
      assert.ok(file && /-trace\.trace$/.test(file), String(file));
      await page.wait('#timeline[data-rendered]', { frame: 'webview', webviewTitle: basename(file), timeoutMs: 60000, state: 'attached' });
      await page.screenshot('capture-trace');
    });

    await test('capture: Cancel on the progress notification aborts the request and leaves no file', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const before = captures(s);
      const t0 = Date.now();
      const done = vscode.commands.executeCommand<string | undefined>('golens.capture', { address: s.url, kind: 'cpu', seconds: 20 });
      await notification(/recording \d+ of 20 s/);
      await page.screenshot('capture-progress');
      const cancel = `${CENTER} .notification-list-item .monaco-button:has-text("Cancel")`;
      if ((await page.count(cancel, 'workbench')) === 0) {
        // A collapsed row shows its buttons once expanded.
        await page.click(`${CENTER} .notification-list-item .codicon-notifications-expand`, 'workbench');
      }
      await page.click(cancel, 'workbench');
      assert.equal(await done, undefined);
      assert.ok(Date.now() - t0 < 15000, `cancelled after ${Date.now() - t0} ms`);
      assert.deepEqual(captures(s), before);
      const dir = ws('.golens', 'captures', new URL(s.url).host.replace(':', '_')).fsPath;
      assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.')), [], 'no temporary file');
      await vscode.commands.executeCommand('notifications.hideList');
    });

    await test('capture: an address that answers with an HTML page is one error line', async () => {
      await vscode.commands.executeCommand('notifications.clearAll');
      const before = captures(s);
      const file = await vscode.commands.executeCommand<string | undefined>('golens.capture', { address: `${s.url}/html/`, kind: 'heap' });
      assert.equal(file, undefined);
      const msg = await notification(/HTML page/);
      assert.equal(msg, `GoLens: ${new URL(s.url).host} answered with an HTML page, not a profile (a login or proxy page?)`);
      assert.deepEqual(captures(s), before);
      await page.screenshot('capture-html-error');
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    });
  } finally {
    await s.stop();
  }
}
