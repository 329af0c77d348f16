// End-to-end cases of "GoLens: Watch Goroutines…": a real Go service (pprofserve, built from
// the workspace's programs/pprofserve) watched through the real pickers; the chart's table
// against `golens leaks --json` over the snapshots the watch saved; the leak lens on the
// `go func` line marked `golens:go serve-leak` while it runs; Stop.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GoLensApi } from '../../src/extension/main';
import { startClients, startPprofServer, type Clients, type PprofServer } from '../unit/helpers/pprofserve';
import { page, test } from './agent';
import { waitFor, within, ws } from './util';

const V = { frame: 'webview' as const, webviewTitle: 'Goroutines of', timeoutMs: 30000 };

export async function watchCases(ext: vscode.Extension<GoLensApi>): Promise<void> {
  const api = await ext.activate();
  const cli = join(ext.extensionPath, 'dist', 'cli.js');
  let server: PprofServer | undefined;
  let clients: Clients | undefined;
  try {
    server = await startPprofServer();
    const url = server.url;
    // Four keep-alive clients that stay connected and idle: the page says what the census says of them.
    clients = startClients(`${url}/status/200/`, { every: '100ms', max: 4, poll: '0' });
    await test('watch goroutines: the leak grows in the live chart, gets a lens on its go statement, and Stop stops it', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const doc = await vscode.workspace.openTextDocument(ws('programs', 'pprofserve', 'main.go'));
      await vscode.window.showTextDocument(doc);
      const goLine = doc.getText().split('\n').findIndex((l) => /^\s*go func.*\/\/ golens:go serve-leak/.test(l)) + 1;
      assert.ok(goLine > 0);
      void vscode.commands.executeCommand('golens.watchGoroutines');
      const choose = async (title: RegExp, value: string) => {
        // The first pick may wait for the extension to activate: a missing title is "not yet".
        await waitFor(`pick ${title}`, async () => title.test(await page.text('.quick-input-widget .quick-input-title', { frame: 'workbench', timeoutMs: 2000 }).catch(() => '')) || undefined, 30000);
        await page.fill('.quick-input-widget .quick-input-box input', value, 'workbench');
        await page.wait(`.quick-input-widget .monaco-list-row[aria-label*="${value}"]`, 'workbench');
        await page.press('Enter', { frame: 'workbench', selector: '.quick-input-widget .quick-input-box input' });
      };
      await choose(/^Watch Goroutines: the program/, url);
      await choose(/^Watch Goroutines: a snapshot every…/, '500ms');
      // A minute: under a loaded CI the steps before Stop can take longer than a short watch lasts.
      await choose(/^Watch Goroutines: a snapshot every 500ms, for…/, '60s');
      await page.wait('#sites tbody tr', V);
      const leakRow = '#sites tbody tr[data-key*="main.leakOne"]';
      // Four snapshots in the chart: the group has grown in the page.
      await waitFor('four snapshots of main.leakOne', async () => ((await page.text(`${leakRow} .growth`, V)).split(' → ').length >= 4 ? true : undefined), 30000);
      assert.match(await page.text(`${leakRow} .site`, V), new RegExp(`^main\\.leakOne \\(main\\.go:\\d+\\) ← go main\\.go:${goLine}$`));
      assert.equal(await page.count('#chart polyline', V), await page.count('#sites tbody tr', V));
      // The idle clients' connections: the census' line, not a row of the table.
      await waitFor('the open connections line', async () => /^Open connections: [1-9]\d* HTTP connections? waits? for (its|their) clients? .*, \d+ goroutines? in all: not leaked while (it is|they are) open\.$/.test(await page.text('#connections', V)) || undefined, 30000);
      assert.equal(await page.count('#sites tbody tr[data-key*="net/http."]', V), 0);
      // While it runs, the language server's lens on the go statement says how it grew.
      const lens = await waitFor('the watch lens', async () => {
        const all = await within(5000, 'code lens request', vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri));
        return (all ?? []).find((l) => l.command?.command === 'golens.showLeak' && l.range.start.line + 1 === goLine);
      }, 30000);
      assert.match(lens.command!.title, /^⚠ \d+ goroutines leaked here \(likely\) — blocked on chan send at main\.go:\d+ \(\d{3}-.*-goroutine\.pprof/);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(goLine - 1, 4));
      assert.match(hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n'), /growth over \d+ moments: \d+( → \d+){1,}/);
      // Before it ends, the verdict so far: the leak's row says it is growing, marked as not final.
      await waitFor('the verdict so far', async () => /^likely so far: grew \d+( → \d+)+ over \d+ moments$/.test(await page.text(`${leakRow} .verdict`, V)) || undefined, 30000);
      assert.equal(await page.attr('#app', 'data-verdicts', V), 'so-far');
      assert.match(await page.text('#status', V), /^Watching: snapshot \d+ of 121 · \d+ groups? growing so far$/);
      // The keyboard reaches the table: a focused row picks out its line.
      await page.eval(`document.querySelector('${leakRow}').focus()`, V);
      await page.wait('#chart polyline.focused', V);
      await page.screenshot('watch-running');
      // The button's own click (Playwright's pointer click once timed out in CI although the watch stopped).
      assert.equal(await page.eval<boolean>(`(() => { const b = document.querySelector('#stop'); if (!b || b.disabled) return false; b.click(); return true; })()`, V), true, 'Stop is there and enabled while the watch runs');
      await page.wait('#app[data-done="stopped"]', V);
      assert.equal(await page.attr('#app', 'data-verdicts', V), 'final');
      // The serve-leak group is among those leaking (its row's verdict, below); on a loaded machine
      // the contended mutex's waiters can also grow across a few snapshots and be called likely.
      assert.match(await page.text('#status', V), /^Stopped after \d+ snapshots: \d+ groups? likely or proven leaking/);
      const growth = (await page.text(`${leakRow} .growth`, V)).split(' → ').map(Number);
      assert.match(await page.text(`${leakRow} .verdict`, V), /^likely: grew /);
      // The same numbers from golens leaks over the snapshots the watch saved.
      const dir = api.watch.folders.at(-1)!;
      const files = readdirSync(dir).sort().map((f) => join(dir, f));
      assert.equal(files.length, growth.length);
      const r = spawnSync(process.execPath, [cli, 'leaks', ...files, '--json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 30000 });
      assert.equal(r.status, 0, r.stderr);
      const row = (JSON.parse(r.stdout) as { leaks: { blockedAt: { function: string }; growth: number[]; confidence: string; goLine: number }[] }).leaks.find((l) => l.blockedAt.function === 'main.leakOne')!;
      assert.deepEqual(growth, row.growth);
      assert.equal(row.confidence, 'likely');
      assert.equal(row.goLine, goLine);
      // Stopped means stopped: no snapshot comes after.
      await new Promise((res) => setTimeout(res, 1500));
      assert.equal(readdirSync(dir).length, files.length);
      assert.equal((await page.text(`${leakRow} .growth`, V)).split(' → ').length, growth.length);
      await page.screenshot('watch-stopped');
      // Closing the panel takes its lenses with it.
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const doc2 = await vscode.workspace.openTextDocument(ws('programs', 'pprofserve', 'main.go'));
      await waitFor('the watch lens gone', async () => {
        const all = await within(5000, 'code lens request', vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc2.uri));
        return (all ?? []).some((l) => l.command?.command === 'golens.showLeak') ? undefined : true;
      }, 30000);
    });
    await test('watch goroutines: an unreachable address says so in one line', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      void vscode.commands.executeCommand('golens.watchGoroutines');
      const choose = async (title: RegExp, value: string) => {
        // The first pick may wait for the extension to activate: a missing title is "not yet".
        await waitFor(`pick ${title}`, async () => title.test(await page.text('.quick-input-widget .quick-input-title', { frame: 'workbench', timeoutMs: 2000 }).catch(() => '')) || undefined, 30000);
        await page.fill('.quick-input-widget .quick-input-box input', value, 'workbench');
        await page.wait(`.quick-input-widget .monaco-list-row[aria-label*="${value}"]`, 'workbench');
        await page.press('Enter', { frame: 'workbench', selector: '.quick-input-widget .quick-input-box input' });
      };
      await choose(/^Watch Goroutines: the program/, '127.0.0.1:1');
      await choose(/^Watch Goroutines: a snapshot every…/, '1s');
      await choose(/^Watch Goroutines: a snapshot every 1s, for…/, '10s');
      await page.wait('#app[data-done="stopped"]', V);
      assert.match(await page.text('#status', V), /^The watch failed: goroutine snapshot: cannot reach 127\.0\.0\.1:1: connection refused \(is the program running and serving net\/http\/pprof there\?\)$/);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  } finally {
    await clients?.stop();
    await server?.stop();
  }
}
