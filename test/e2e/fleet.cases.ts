// End-to-end cases of "Open from Pyroscope…": a local server speaking Pyroscope's Connect API
// (the unit tests' helper), driven through the real pickers; the merged profile opens with
// golens top's numbers of the same bytes, and two time ranges open as the comparison.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cmdTop } from '../../src/cli/top';
import { formatValue } from '../../src/core/pprof/units';
import { startFleetServer, type FleetServer } from '../unit/helpers/fleetserver';
import { page, test } from './agent';
import { tableRows, W, waitFor } from './util';

const Q = '.quick-input-widget';
const MEM = 'memory:alloc_space:bytes:space:bytes';

async function title(re: RegExp): Promise<void> {
  await waitFor(`quick input ${re}`, async () => (await page.count(`${Q} .quick-input-title`, 'workbench')) > 0 && re.test(await page.text(`${Q} .quick-input-title`, 'workbench')) || undefined);
}

/** Types into the open quick pick or input box and accepts with Enter. */
async function enter(re: RegExp, value: string): Promise<void> {
  await title(re);
  await page.fill(`${Q} .quick-input-box input`, value, 'workbench');
  await page.press('Enter', { frame: 'workbench', selector: `${Q} .quick-input-box input` });
}

/** Filters the open quick pick by `filter` and clicks the row whose label contains `label`. */
async function choose(re: RegExp, filter: string, label: string): Promise<void> {
  await title(re);
  await page.fill(`${Q} .quick-input-box input`, filter, 'workbench');
  const row = `${Q} .monaco-list-row[aria-label*="${label}"]`;
  await page.wait(row, 'workbench');
  await page.click(row, 'workbench');
}

function golensTop(file: string): { fn: string; flat: string }[] {
  let out = '';
  cmdTop([file, '--json', '-n', '8'], (s) => { out += s; });
  const j = JSON.parse(out) as { unit: string; rows: { function: string; flat: number }[] };
  return j.rows.map((r) => ({ fn: r.function, flat: formatValue(r.flat, j.unit) }));
}

export async function fleetCases(): Promise<void> {
  let server: FleetServer | undefined;
  try {
    server = await startFleetServer();
    const url = server.url;

    await test('fleet: Open from Pyroscope… picks server, type, service and range; the merged profile opens with golens top\'s numbers', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const opened = vscode.commands.executeCommand<vscode.Uri[] | undefined>('golens.openFromPyroscope');
      await enter(/Open from Pyroscope — server/, url);
      await choose(/profile type/, 'alloc_space', MEM);
      await title(/label selector/);
      // Prefilled from LabelValues with the first service.
      assert.equal(await page.eval<string>(`document.querySelector('${Q} .quick-input-box input').value`, 'workbench'), '{service_name="checkout"}');
      await enter(/label selector/, '{service_name="ledger"}');
      await title(/time range/);
      await page.screenshot('fleet-range-pick');
      await choose(/time range/, 'Last hour', 'Last hour');
      const uris = await opened;
      assert.equal(uris?.length, 1);
      const file = uris![0].fsPath;
      assert.match(vscode.workspace.asRelativePath(uris![0]), /^\.golens\/captures\/127\.0\.0\.1_\d+\/\d{8}T\d{6}Z-memory\.alloc_space\.pprof$/);
      const req = server!.requests.at(-1)!;
      assert.equal(req.method, 'SelectMergeProfile');
      assert.equal(req.fields.profileTypeID, MEM);
      assert.equal(req.fields.labelSelector, '{service_name="ledger"}');
      assert.equal((req.fields.end as number) - (req.fields.start as number), 3_600_000);
      const name = file.split('/').pop()!;
      await page.wait('#flame[data-rendered]', { ...W, webviewTitle: name, state: 'attached' });
      const want = golensTop(file);
      const rows = await waitFor('table rows', async () => { const r = await tableRows(); return r.length ? r : undefined; });
      assert.deepEqual(rows.slice(0, want.length), want);
      assert.match(await page.text('#status', W), /^alloc_space: /);
      await page.screenshot('fleet-pyroscope-profile');
    });

    await test('fleet: Compare two time ranges… fetches both and opens the comparison (ledger 45 min ago against 10 min ago)', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const opened = vscode.commands.executeCommand<vscode.Uri[] | undefined>('golens.openFromPyroscope');
      // The server is remembered: offered first.
      await title(/server/);
      await page.wait(`${Q} .monaco-list-row[aria-label*="${url}"]`, 'workbench');
      await page.click(`${Q} .monaco-list-row[aria-label*="${url}"]`, 'workbench');
      await choose(/profile type/, 'alloc_space', MEM);
      await enter(/label selector/, '{service_name="ledger"}');
      await choose(/time range/, 'Compare', 'Compare two time ranges');
      await choose(/compare/, 'Custom', 'Custom ranges');
      await enter(/base \(before\)/, 'now-1h, now-30m');
      await enter(/new \(after\)/, 'now-30m, now');
      const uris = await opened;
      assert.equal(uris?.length, 2);
      const V = { frame: 'webview' as const, webviewTitle: '↔', timeoutMs: 60000 };
      await page.wait('#flame-diff[data-rendered]', { ...V, state: 'attached' });
      // The two ranges hold alloc-base.pprof and alloc-new.pprof: the diff cases' numbers.
      await waitFor('diff status', async () => /^alloc_space: base 2\.40MB, new 4\.31MB; /.test(await page.text('#status', V)) || undefined, 60000);
      await page.screenshot('fleet-compare');
    });

    await test('fleet: a server error is one notification line', async () => {
      server!.failNext = { code: 'unauthenticated', message: 'no org id', method: 'ProfileTypes' };
      const opened = vscode.commands.executeCommand<vscode.Uri[] | undefined>('golens.openFromPyroscope');
      await title(/server/);
      await page.click(`${Q} .monaco-list-row[aria-label*="${url}"]`, 'workbench');
      assert.equal(await opened, undefined);
      // Read in the notification centre: a toast may have hidden itself already.
      await vscode.commands.executeCommand('notifications.showList');
      const msg = '.notifications-center .notification-list-item-message';
      await waitFor('error notification', async () => (await page.texts(msg, 'workbench')).some((t) => /^GoLens: 127\.0\.0\.1:\d+ ProfileTypes: unauthenticated: no org id$/.test(t)) || undefined);
      await page.screenshot('fleet-error');
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('notifications.hideList');
    });
  } finally {
    await server?.stop();
  }
}
