// End-to-end cases of legacy profiles in the profile editor: a Go debug=1 heap profile and
// the pre-protobuf binary CPU and contention profiles open like any profile, and the top
// table shows the numbers `go tool pprof -top` printed for them (test/fixtures/legacy).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { formatValue } from '../../src/core/pprof/units';
import { page, test } from './agent';
import { tableRows, W, waitFor, ws } from './util';

/** pprof's -top rows and total from an expectation file (exact units). */
function pprofTop(file: string): { total: number; rows: { name: string; flat: number }[] } {
  const lines = readFileSync(ws('legacy', 'expected', file).fsPath, 'utf8').split('\n');
  const total = Number(/ of (-?\d+)(?:ns|us|B)? total/.exec(lines.find((l) => l.startsWith('Showing nodes'))!)![1]);
  const start = lines.findIndex((l) => /^\s+flat\s+flat%/.test(l));
  const rows = lines.slice(start + 1).filter((l) => l.trim()).map((l) => {
    const m = /^\s*(-?\d+)(?:ns|us|B)?\s+\S+%\s+\S+%\s+-?\d+(?:ns|us|B)?\s+\S+%  (.*)$/.exec(l)!;
    return { flat: Number(m[1]), name: m[2] };
  });
  return { total, rows };
}

async function openLegacy(...path: string[]): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('vscode.openWith', ws('legacy', ...path), 'golens.profile');
  await page.wait('#flame[data-rendered]', { ...W, webviewTitle: path[path.length - 1], state: 'attached' });
}

async function sameAsPprof(expected: string, unit: string, shot: string, names = false): Promise<void> {
  const want = pprofTop(expected);
  const rows = await waitFor('table rows', async () => { const r = await tableRows(); return r.length ? r : undefined; });
  assert.deepEqual(rows.map((r) => r.flat), want.rows.map((r) => formatValue(r.flat, unit)));
  if (names) assert.deepEqual(rows.map((r) => r.fn), want.rows.map((r) => r.name.replace(/ \((partial-)?inline\)$/, '')));
  const status = await page.text('#status', W);
  assert.ok(status.includes(formatValue(want.total, unit)), `status ${JSON.stringify(status)} names the total ${formatValue(want.total, unit)}`);
  await page.screenshot(shot);
}

/** The editor's sample type and its unit, from the picker ("inuse_space (bytes)"). */
async function selectedSample(): Promise<{ type: string; unit: string }> {
  const text = await page.eval<string>(`document.querySelector('#sample option:checked').textContent`, W);
  const m = /^(\S+) \((.+)\)$/.exec(text);
  assert.ok(m, `sample picker says ${JSON.stringify(text)}`);
  return { type: m[1], unit: m[2] };
}

// pprof's own legacy test data, one file per family the Go text ones don't cover: C++ heapz,
// growthz, contentionz and threadz, Java cpu, heap and contention, Go's pre-protobuf thread profile.
const FAMILIES = ['cppbench.heap', 'cppbench.growth', 'cppbench.contention', 'cppbench.thread', 'java.cpu', 'java.heap', 'java.contention', 'go.godoc.thread'];

export async function legacyCases(): Promise<void> {
  for (const name of FAMILIES) {
    await test(`legacy ${name} opens in the profile editor with pprof's numbers for its default sample type`, async () => {
      await openLegacy('pprof-testdata', name);
      const { type, unit } = await selectedSample();
      await sameAsPprof(`pprof-testdata__${name}.${type}.functions.top.txt`, unit, `legacy-${name.replace(/\./g, '-')}`);
    });
  }

  // Go's debug=1 text carries its symbols (`#` lines): the editor shows what pprof shows for the
  // protobuf profile the same run wrote beside it (a stable pair, see legacy/pairs.json).
  await test('a Go debug=1 heap profile opens with the names and numbers of its protobuf twin', async () => {
    await openLegacy('go1.27', 'heap.debug1.txt');
    assert.equal(await page.eval<string>(`document.querySelector('#sample option:checked').textContent`, W), 'inuse_space (bytes)');
    await sameAsPprof('go1.27__heap.before.pb.gz.inuse_space.functions.top.txt', 'bytes', 'legacy-heap', true);
  });

  await test('a legacy binary CPU profile (gperftools) opens with pprof\'s numbers', async () => {
    await openLegacy('pprof-testdata', 'cppbench.cpu');
    await sameAsPprof('pprof-testdata__cppbench.cpu.cpu.functions.top.txt', 'nanoseconds', 'legacy-cpu');
  });

  await test('a Go debug=1 block profile opens with the names and numbers of its protobuf twin', async () => {
    await openLegacy('go1.27', 'block.debug1.txt');
    await sameAsPprof('go1.27__block.before.pb.gz.delay.functions.top.txt', 'nanoseconds', 'legacy-block', true);
  });
}
