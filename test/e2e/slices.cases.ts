// End-to-end cases of the trace editor's time slices: a trace with CPU samples opens; a
// range chosen without zooming (the view's range, then an alt-drag) draws the CPU flame graph
// of that range, whose total and top boxes equal `golens slice --json` for the same range;
// a goroutine's "Where it spent its time" draws its states, whose totals equal the CLI's.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { cmdSlice } from '../../src/cli/slice';
import { page, test } from './agent';
import { GO, waitFor, ws } from './util';

const NAME = 'trace-syscall.trace';
const T = { frame: 'webview' as const, webviewTitle: NAME, timeoutMs: 30000 };

interface SliceJson { total: number; tree: { names: string[]; nodes: [number, number, number, number][] } }

/** `golens slice <trace> ARGS --json`, as the CLI prints it. */
function cli(...args: string[]): SliceJson {
  let s = '';
  cmdSlice([ws('trace', GO, NAME).fsPath, ...args, '--json'], (x) => { s += x; });
  return JSON.parse(s);
}

/** The root's children, [name, total], largest first (as the panel lists them). */
function roots(j: SliceJson): [string, number][] {
  return j.tree.nodes.filter((n) => n[0] === 0).map((n): [string, number] => [j.tree.names[n[1]], n[2]]).sort((a, b) => b[1] - a[1]);
}

async function drawn(before: string | null): Promise<{ total: number; roots: [string, number][] }> {
  await waitFor('slice flame', async () => {
    const r = await page.attr('#slices .slice-flame', 'data-rendered', T);
    return r !== null && r !== before ? r : undefined;
  }, 30000);
  return {
    total: Number(await page.attr('#slices .slice-flame', 'data-total', T)),
    roots: JSON.parse((await page.attr('#slices .slice-flame', 'data-roots', T)) ?? '[]'),
  };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

export async function sliceCases(): Promise<void> {
  await test('a range chosen without zooming draws its CPU flame graph, equal to golens slice', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', ws('trace', GO, NAME), 'golens.trace');
    await page.wait('#timeline[data-first-paint]', { ...T, state: 'attached' });
    // Keyboard: the view's range (the whole trace once fitted).
    await page.press('f', { ...T, selector: '#timeline' });
    await page.click('[data-testid="slice-from-view"]', T);
    const before = await page.attr('#slices .slice-flame', 'data-rendered', T);
    await page.press('Enter', { ...T, selector: '[data-testid="slice-cpu"]' });
    const whole = await drawn(before);
    const all = cli();
    assert.ok(all.total > 0, 'the fixture has CPU samples');
    assert.equal(whole.total, all.total);
    assert.deepEqual(whole.roots, roots(all));
    // Alt-drag over the middle half of the plot: the view stays, the range is chosen.
    const view0 = await page.attr('#timeline', 'data-view', T);
    await page.eval<void>(`(() => { const c = document.querySelector('#timeline'); const b = c.getBoundingClientRect();
      const [a, z] = c.dataset.view.split('-').map(Number); const x0 = 120 + (b.width - 120) * 0.25, x1 = 120 + (b.width - 120) * 0.75;
      const opt = (x) => ({ clientX: b.left + x, clientY: b.top + 60, bubbles: true, pointerId: 1, button: 0, isPrimary: true, altKey: true });
      c.dispatchEvent(new PointerEvent('pointerdown', opt(x0))); c.dispatchEvent(new PointerEvent('pointermove', opt((x0 + x1) / 2)));
      c.dispatchEvent(new PointerEvent('pointermove', opt(x1))); c.dispatchEvent(new PointerEvent('pointerup', opt(x1)));
    })()`, T);
    assert.equal(await page.attr('#timeline', 'data-view', T), view0, 'alt-drag does not zoom');
    // The chosen range as the page holds it (ns), to ask the CLI the same.
    const range = await waitFor('range', async () => {
      const [from, to] = ((await page.attr('#slices', 'data-range', T)) ?? '').split('-').map(Number);
      return to > from ? { from, to } : undefined;
    });
    const b2 = await page.attr('#slices .slice-flame', 'data-rendered', T);
    await page.click('[data-testid="slice-cpu"]', T);
    const part = await drawn(b2);
    const want = cli('--from', `${range.from}ns`, '--to', `${range.to}ns`);
    assert.equal(part.total, want.total);
    assert.deepEqual(part.roots, roots(want));
    assert.ok(part.total <= whole.total);
    await page.screenshot('slices-range');
  });

  await test("a goroutine's time flame graph: its states' totals equal golens slice --view time --goroutine", async () => {
    await page.fill('#g-search', 'main.main.func', T);
    await page.wait('#results .goroutine', T);
    const g = await page.eval<string>(`document.querySelector('#results .goroutine').dataset.g`, T);
    await page.click(`#results .goroutine[data-g="${g}"]`, T);
    // Click along its lane until the details name it.
    const lane = await waitFor('pinned lane', async () => {
      const raw = (await page.attr('#timeline', 'data-lanes', T)) ?? '';
      const hit = raw.split(' ').find((s) => s.startsWith(`goroutine:${g}:`));
      return hit ? Number(hit.split(':')[2]) : undefined;
    });
    const width = await page.eval<number>(`document.querySelector('#timeline').clientWidth`, T);
    for (let i = 0; i < 40; i++) {
      await page.click('#timeline', { ...T, position: { x: 125 + Math.round(((width - 130) * i) / 40), y: lane + 8 } });
      if ((await page.count('[data-testid="time-flame-goroutine"]', T)) > 0) break;
    }
    const before = await page.attr('#slices .slice-flame', 'data-rendered', T);
    await page.click('[data-testid="time-flame-goroutine"]', T);
    const got = await drawn(before);
    const want = cli('--view', 'time', '--goroutine', g);
    assert.ok(close(got.total, want.total), `${got.total} vs ${want.total}`);
    const w = roots(want);
    assert.deepEqual(got.roots.map((x) => x[0]), w.map((x) => x[0]));
    got.roots.forEach((x, i) => assert.ok(close(x[1], w[i][1]), `${x[0]}: ${x[1]} vs ${w[i][1]}`));
    assert.ok(w.some((x) => x[0] === '[running]') && w.some((x) => x[0].startsWith('[blocked') || x[0] === '[syscall]'), w.map((x) => x[0]).join());
    assert.match(await page.text('#slices .slice-title', T), new RegExp(`G${g}`));
    await page.screenshot('slices-goroutine');
  });

  await test('the chosen range and the last flame graph survive hiding the tab', async () => {
    const range = await page.attr('#slices', 'data-range', T);
    assert.ok(range, 'a range is chosen');
    const title = await page.text('#slices .slice-title', T);
    const shown = await drawn(null);
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'cpu', 'main.go'));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await waitFor('trace hidden', async () => (await page.count('#slices', { ...T, timeoutMs: 2000 })) === 0 || undefined);
    await vscode.commands.executeCommand('vscode.openWith', ws('trace', GO, NAME), 'golens.trace');
    await page.wait('#timeline[data-first-paint]', { ...T, state: 'attached' });
    const again = await drawn(null);
    assert.equal(await page.attr('#slices', 'data-range', T), range);
    assert.equal(await page.text('#slices .slice-title', T), title);
    assert.ok(close(again.total, shown.total), `${again.total} vs ${shown.total}`);
    assert.deepEqual(again.roots.map((x) => x[0]), shown.roots.map((x) => x[0]));
  });
}
