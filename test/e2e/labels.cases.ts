// End-to-end cases of the profile editor's Labels view: the Go 1.27 CPU fixture (labels worker
// and stage, set by pprof.Do) grouped by worker has one root per worker value, and its table of
// values shows the numbers `golens tags --json` and `golens top --tagroot --json` print.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cmdTags } from '../../src/cli/tags';
import { cmdTop } from '../../src/cli/top';
import { formatShare } from '../../src/core/format';
import { formatValue } from '../../src/core/pprof/units';
import { page, test } from './agent';
import { GO, openProfile, pressToggle, W, waitFor, ws } from './util';

interface TagsJson { total: number; unit: string; keys: { key: string; total: number; missing: number; rows: { value: string; total: number; samples: number }[] }[] }
interface TopJson { rows: { name: string; flat: number; cum: number }[] }

function cli<T>(cmd: typeof cmdTags, ...argv: string[]): T {
  let out = '';
  cmd(argv, (s) => { out += s; });
  return JSON.parse(out) as T;
}

/** The label table's value rows as the page shows them. */
async function labelRows(): Promise<{ value: string; total: string; share: string; samples: string }[]> {
  return page.eval(`[...document.querySelectorAll('#labels tbody tr.value')].map(tr => ({
    value: tr.dataset.value, total: tr.querySelector('td.total').textContent,
    share: tr.querySelector('td.pct').textContent, samples: tr.querySelector('td.samples').textContent }))`, W);
}

/** Names of the flame graph's boxes one level under its root. */
async function rootFrames(): Promise<string[]> {
  return page.eval<string[]>(`(() => {
    const root = [...document.querySelectorAll('#flame g.frame')].find(g => (g.getAttribute('name') || '').startsWith('all ('));
    const frames = [...document.querySelectorAll('#flame g.frame')];
    const y = (g) => Number((g.getAttribute('transform') || '').match(/translate\\([^,]+,\\s*([-\\d.]+)\\)/)?.[1]);
    const ry = y(root);
    const ys = [...new Set(frames.map(y).filter(v => v !== ry))].sort((a, b) => Math.abs(a - ry) - Math.abs(b - ry));
    return frames.filter(g => y(g) === ys[0]).map(g => g.getAttribute('name'));
  })()`, W);
}

export async function labelCases(): Promise<void> {
  const file = ws('pprof', GO, 'cpu.pprof').fsPath;

  await test('labels: grouped by worker, the flame graph\'s roots are the worker values and the table has golens tags\' numbers', async () => {
    await openProfile('cpu.pprof');
    assert.equal(await page.attr('#labels-toggle', 'aria-pressed', W), 'false');
    await pressToggle('#labels-toggle', 'true');
    await page.select('#label-key', 'worker', W);
    assert.equal(await page.eval<string>(`document.querySelector('#label-at').value`, W), 'root');
    // The keys offered are the profile's.
    assert.deepEqual(await page.eval<string[]>(`[...document.querySelectorAll('#label-key option')].map(o => o.value)`, W), ['stage', 'worker']);

    const tags = cli<TagsJson>(cmdTags, file, '--key', 'worker', '--json');
    const worker = tags.keys[0];
    const want = worker.rows.map((r) => ({ value: r.value, total: formatValue(r.total, tags.unit), share: formatShare(r.total, tags.total), samples: String(r.samples) }));
    const rows = await waitFor('label rows', async () => { const r = await labelRows(); return r.length === want.length ? r : undefined; });
    assert.deepEqual(rows, want);
    // The unlabelled rest is its own row, pprof's "<unknown>" root.
    const missing = await page.text('#labels tbody tr.missing td.total', W);
    assert.equal(missing, formatValue(worker.missing, tags.unit));

    // Roots of the flame graph: pprof -tagroot=worker's frames, with their cum.
    const top = cli<TopJson>(cmdTop, file, '--tagroot', 'worker', '--json');
    const roots = top.rows.filter((r) => r.flat === 0 && ['parse', 'hash', '<unknown>'].includes(r.name));
    assert.equal(roots.length, 3, JSON.stringify(top.rows.slice(0, 5)));
    await waitFor('worker roots', async () => {
      const names = await rootFrames();
      return ['parse', 'hash'].every((n) => names.includes(n)) || undefined;
    });
    for (const r of roots.filter((x) => x.name !== '<unknown>')) {
      const tip = await page.eval<string>(`document.querySelector('#flame g.frame[name="${r.name}"] title').textContent`, W);
      assert.ok(tip.startsWith(`${r.name} — ${formatValue(r.cum, tags.unit)} `), `${r.name}: ${tip}`);
      assert.equal(r.cum, worker.rows.find((x) => x.value === r.name)!.total, `${r.name}: root cum is the label total`);
    }
    // A label frame is a value, not a place in the source: clicking it says so instead of opening "parse:0".
    await page.click('#flame g.frame[name="parse"]', W);
    await waitFor('label frame status', async () => /^"parse" is a value of the label worker, not a place in the source$/.test(await page.text('#status', W)) || undefined);
    await page.screenshot('labels-worker-root');
  });

  await test('labels: sorting by header, at leaf, and the view survives hiding the editor', async () => {
    // Sort by value (a header button, by keyboard).
    await page.press('Enter', { ...W, selector: '#labels th button[data-sort="value"]' });
    await waitFor('label rows by value', async () => (await labelRows()).map((r) => r.value).join() === 'hash,parse' || undefined);
    assert.equal(await page.attr('#labels th:has(button[data-sort="value"])', 'aria-sort', W), 'ascending');
    await page.select('#label-at', 'leaf', W);
    await waitFor('leaf frames', async () => {
      const n = await page.count('#flame g.frame[name="parse"]', W);
      return n > 1 || undefined;
    });
    // Hide the editor behind a text file, then show it again: the page reloads from its state.
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'cpu', 'main.go'));
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('vscode.openWith', ws('pprof', GO, 'cpu.pprof'), 'golens.profile');
    await page.wait('#flame[data-rendered]', { ...W, webviewTitle: 'cpu.pprof', state: 'attached' });
    await waitFor('labels restored', async () => (await page.attr('#labels-toggle', 'aria-pressed', W)) === 'true' || undefined);
    assert.equal(await page.eval<string>(`document.querySelector('#label-key').value`, W), 'worker');
    assert.equal(await page.eval<string>(`document.querySelector('#label-at').value`, W), 'leaf');
    await waitFor('label rows restored', async () => (await labelRows()).map((r) => r.value).join() === 'hash,parse' || undefined);
    await page.screenshot('labels-worker-leaf-restored');
    // Off again: the flame graph loses the label frames.
    await page.click('#labels-toggle', W);
    await waitFor('labels off', async () => (await page.count('#flame g.frame[name="parse"]', W)) === 0 || undefined);
    assert.equal(await page.eval<boolean>(`document.querySelector('#labels-section').hidden`, W), true);
  });
}
