// End-to-end cases of the comparison panel: real profile pairs opened by the commands, the
// tables against the real `golens diff`, red and green frames, sample type, normalize,
// synced search and zoom, state across hiding the tab, errors, and file content as text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { decodeProfile } from '../../src/core/pprof/decode';
import { sampleIndex } from '../../src/core/pprof/model';
import type { DiffPageApi } from '../../src/protocol/diff';
import type { GoLensApi } from '../../src/extension/main';
import { encodeProfile } from '../unit/helpers/encode';
import { page, test } from './agent';
import { applyTheme, GO, load, waitFor, ws } from './util';

const OLD_GO = 'go1.26';
const TITLE = '↔';
const V = { frame: 'webview' as const, webviewTitle: TITLE, timeoutMs: 20000 };
/** The first paint of a comparison: the one language server may still be busy with earlier work (a large trace's findings take a minute). */
const READY = { ...V, state: 'attached' as const, timeoutMs: 180000 };
/** A view the server computes (sample type, normalize): it answers after whatever it is busy with (go build for escapes, other requests). */
const SERVER_MS = 60000;

interface Row { fn: string; flat: string; cum: string; cells: string[] }
interface CliRow { function: string; flat: { base: number; new: number; delta: number }; cum: { base: number; new: number; delta: number } }

export async function diffCases(ext: vscode.Extension<GoLensApi>): Promise<void> {
  const api = await ext.activate();
  // What the page sent the host (requests and notifications), by method.
  type Sent = { type: 'view'; query: DiffPageApi['requests']['view']['params'] } | { type: 'mark'; name: string; ms: number } | { type: 'ready' | 'openSource' | 'zoom' };
  const messages = (): Sent[] => api.diff.messages.flatMap((m) => (m.kind === 'reply' ? [] : [
    (m.method === 'view' ? { type: 'view', query: m.params } : m.method === 'mark' ? { type: 'mark', ...(m.params as object) } : { type: m.method }) as Sent,
  ]));
  const cli = join(ext.extensionPath, 'dist', 'cli.js');

  /** `golens diff` as a user runs it: its --json rows and its text table's cells, row for row. */
  function golensDiff(base: vscode.Uri, next: vscode.Uri, sample: string, normalize: boolean): { json: { baseTotal: number; rows: CliRow[] }; cells: string[][] } {
    const args = [cli, 'diff', base.fsPath, next.fsPath, '--sample', sample, ...(normalize ? ['--normalize'] : [])];
    const run = (extra: string[]) => {
      const r = spawnSync(process.execPath, [...args, ...extra], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 30000 });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const json = JSON.parse(run(['--json']));
    const lines = run([]).split('\n');
    const start = lines.findIndex((l) => /^\s+flat Δ/.test(l)) + 1;
    const cells = lines.slice(start).filter((l) => l.trim()).map((l) => {
      const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s\s(.*)$/.exec(l);
      assert.ok(m, `cannot read golens diff line ${JSON.stringify(l)}`);
      return m.slice(1);
    });
    assert.equal(cells.length, json.rows.length);
    return { json, cells };
  }

  const grew = (r: CliRow) => r.flat.delta > 0 || (r.flat.delta === 0 && r.cum.delta > 0);

  async function rows(table: 'regressions' | 'improvements'): Promise<Row[]> {
    return page.eval<Row[]>(`[...document.querySelectorAll('#${table} tbody tr')].map(tr => ({ fn: tr.dataset.function, flat: tr.dataset.flat, cum: tr.dataset.cum, cells: [...tr.querySelectorAll('td')].map(td => td.textContent) }))`, V);
  }

  /** Both tables equal golens diff for this sample type (and normalize): numbers and text. */
  async function assertTablesEqualCli(base: vscode.Uri, next: vscode.Uri, sample: string, normalize: boolean): Promise<number> {
    const want = golensDiff(base, next, sample, normalize);
    const expect = (keep: (r: CliRow) => boolean) => want.json.rows.flatMap((r, i) => keep(r) ? [{
      fn: r.function, flat: `${r.flat.base},${r.flat.new},${r.flat.delta}`, cum: `${r.cum.base},${r.cum.new},${r.cum.delta}`,
      cells: [...want.cells[i].slice(0, 6), want.cells[i][6]],
    }] : []);
    const reg = expect(grew), imp = expect((r) => !grew(r));
    // The tables show at most golens.profile.topRows rows each (200 by default).
    assert.deepEqual(await rows('regressions'), reg.slice(0, 200));
    assert.deepEqual(await rows('improvements'), imp.slice(0, 200));
    return want.json.rows.length;
  }

  async function rendered(sel: string, before: string | null): Promise<void> {
    await waitFor(`${sel} redraw`, async () => {
      const now = await page.attr(sel, 'data-rendered', V);
      return now !== null && now !== before ? now : undefined;
    }, SERVER_MS);
  }

  async function status(re: RegExp): Promise<string> {
    return waitFor(`status ${re}`, async () => { const t = await page.text('#status', V); return re.test(t) ? t : undefined; }, SERVER_MS);
  }

  async function openCompare(base: vscode.Uri, next: vscode.Uri, command = 'golens.compareProfiles'): Promise<vscode.WebviewPanel | undefined> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const args = command === 'golens.compareProfiles' ? [base, next] : [base, [base, next]];
    return vscode.commands.executeCommand<vscode.WebviewPanel | undefined>(command, ...args);
  }

  /**
   * Clicks the Normalize checkbox and waits until it shows the new state. Once (dark run, right
   * after the escape cases) a click left it unchanged with no error: then Space toggles it,
   * and the run log says so.
   */
  async function toggleNormalize(): Promise<void> {
    const checked = () => page.eval<boolean>(`document.querySelector('#normalize').checked`, V);
    const want = !(await checked());
    await page.click('#normalize', V);
    try {
      await waitFor('normalize toggled', async () => (await checked()) === want || undefined, 5000);
    } catch {
      await page.log(`normalize: the click left the checkbox ${want ? 'unchecked' : 'checked'}; pressing Space`);
      await page.press(' ', { ...V, selector: '#normalize' });
      await waitFor('normalize toggled by keyboard', async () => (await checked()) === want || undefined, 5000);
    }
  }

  const fill = (sel: string) => page.eval<string>(`document.querySelector(${JSON.stringify(sel)})?.getAttribute('fill') ?? ''`, V);
  const rgb = (s: string) => (/rgb\((\d+), (\d+), (\d+)\)/.exec(s) ?? []).slice(1).map(Number);

  const allocBase = ws('pprof', GO, 'alloc-base.pprof');
  const allocNew = ws('pprof', GO, 'alloc-new.pprof');

  await test('diff: Compare Profiles opens base and new side by side and the differential graph', async () => {
    await openCompare(allocBase, allocNew);
    await page.wait('#flame-diff[data-rendered]', READY);
    const p = load('alloc-new.pprof');
    const si = sampleIndex(p, 'alloc_space');
    await page.select('#sample', String(si), V);
    await status(/^alloc_space: base /);
    for (const side of ['#flame-base', '#flame-new', '#flame-diff']) await page.wait(`${side} g.frame[name="main.allocRecords"]`, V);
    assert.match(await page.text('#head-base', V), /^Base: alloc-base\.pprof — [\d.]+MB$/);
    assert.match(await page.text('#head-new', V), /^New: alloc-new\.pprof — [\d.]+MB$/);
    // The differential graph is as wide as the new profile: its root is the new total.
    const rootTitle = await page.eval<string>(`document.querySelector('#flame-diff g.frame title').textContent`, V);
    assert.match(rootTitle, /^all \(alloc_space\) — new 4\.31MB, base 2\.40MB, Δ \+1\.91MB, \+79\.4%$/);
    const n = await assertTablesEqualCli(allocBase, allocNew, 'alloc_space', false);
    assert.ok(n > 5);
    assert.equal((await rows('regressions'))[0].fn, 'main.allocRecords');
    await page.screenshot('diff-alloc-space');
  });

  await test('diff: a grown frame is red, a shrunk one green', async () => {
    const grown = rgb(await fill('#flame-diff g.frame[name="main.allocRecords"] rect'));
    assert.equal(grown.length, 3);
    assert.ok(grown[0] > grown[1] + 40 && grown[0] > grown[2] + 40, `main.allocRecords fill rgb(${grown})`);
    // Unchanged in absolute bytes: neutral (grey, no channel dominating).
    const same = rgb(await fill('#flame-diff g.frame[name="main.buildTree"] rect'));
    assert.ok(Math.max(...same) - Math.min(...same) < 12, `main.buildTree fill rgb(${same})`);
    // The side graphs keep the profile palette: the same frame is not red there.
    assert.notEqual(await fill('#flame-new g.frame[name="main.allocRecords"] rect'), await fill('#flame-diff g.frame[name="main.allocRecords"] rect'));
  });

  await test('diff: the normalize toggle changes the numbers as golens diff --normalize does', async () => {
    const before = await page.attr('#flame-diff', 'data-rendered', V);
    const sent = messages().length;
    await toggleNormalize();
    await status(/scaled by 0\.5574/);
    await rendered('#flame-diff', before);
    const q = messages().slice(sent).find((m) => m.type === 'view');
    assert.ok(q && q.type === 'view' && q.query.normalize === true, JSON.stringify(messages().slice(sent)));
    await assertTablesEqualCli(allocBase, allocNew, 'alloc_space', true);
    assert.ok((await rows('improvements')).some((r) => r.fn === 'main.newBuf'));
    // Normalized, the buffers' share shrank: green; the records' path still grew: red.
    const shrunk = rgb(await fill('#flame-diff g.frame[name="main.newBuf"] rect'));
    assert.ok(shrunk[1] > shrunk[0] + 20 && shrunk[1] > shrunk[2] + 20, `main.newBuf fill rgb(${shrunk})`);
    const grown = rgb(await fill('#flame-diff g.frame[name="main.allocRecords"] rect'));
    assert.ok(grown[0] > grown[1] + 20 && grown[0] > grown[2] + 20, `main.allocRecords fill rgb(${grown})`);
    // The root: the same total by construction (a few bytes of rounding), so neutral.
    const root = rgb(await fill('#flame-diff g.frame rect'));
    assert.ok(Math.max(...root) - Math.min(...root) < 12, `root fill rgb(${root})`);
    await page.screenshot('diff-alloc-space-normalized');
    await toggleNormalize();
    await status(/^alloc_space: base [^;]+MB; /);
    await assertTablesEqualCli(allocBase, allocNew, 'alloc_space', false);
  });

  await test('diff: alloc_objects, absolute and normalized, equal golens diff', async () => {
    const p = load('alloc-new.pprof');
    await page.select('#sample', String(sampleIndex(p, 'alloc_objects')), V);
    await status(/^alloc_objects: base 23608, new 63607; /);
    await assertTablesEqualCli(allocBase, allocNew, 'alloc_objects', false);
    const top = (await rows('regressions'))[0];
    assert.deepEqual(top.cells, ['+40000', '+169.43%', '20001', '60001', '+40000', '+169.43%', 'main.allocRecords']);
    await toggleNormalize();
    await status(/^alloc_objects: .*scaled by/);
    await assertTablesEqualCli(allocBase, allocNew, 'alloc_objects', true);
    await toggleNormalize();
    await status(/^alloc_objects: base 23608, new 63607; /);
  });

  await test('diff: search marks matches in both profiles', async () => {
    await page.fill('#search', 'allocrecords', V);
    const count = await waitFor('match count', async () => (await page.text('#match-count', V)) || undefined);
    assert.equal(count, 'base 1 · new 1 matches');
    const hl = await page.eval<string>(`getComputedStyle(document.body.appendChild(Object.assign(document.createElement('span'), { className: 'color-probe c-highlight' }))).color`, V);
    for (const side of ['#flame-base', '#flame-new', '#flame-diff']) {
      const f = await fill(`${side} g.frame[name="main.allocRecords"] rect`);
      assert.equal(f, hl, `${side} highlight`);
    }
    await page.press('Escape', { ...V, selector: '#search' });
    assert.equal(await page.text('#match-count', V), '');
  });

  await test('diff: clicking a frame zooms all three graphs to the same function path', async () => {
    const sent = messages().length;
    await page.click('#flame-base g.frame[name="main.allocRecords"]', V);
    const path = 'runtime.main › main.main › main.allocRecords';
    for (const side of ['#flame-base', '#flame-new', '#flame-diff']) {
      await waitFor(`${side} zoom`, async () => (await page.attr(side, 'data-zoom', V)) === path || undefined);
    }
    // The zoom stays in the page (its saved state): the host has nothing to do with it.
    assert.equal(messages().slice(sent).find((m) => m.type === 'zoom'), undefined);
    // Zoomed: main.allocRecords fills each graph's width; its siblings are gone.
    await waitFor('zoomed widths', async () => {
      const w = await page.eval<number[][]>(`['#flame-base', '#flame-new', '#flame-diff'].map(s => {
        const svg = document.querySelector(s + ' svg'); const r = document.querySelector(s + ' g.frame[name="main.allocRecords"] rect');
        return [Number(r.getAttribute('width')), Number(svg.getAttribute('width'))]; })`, V);
      return w.every(([a, b]) => Math.abs(a - b) < 1) || undefined;
    });
    assert.equal(await page.count('#flame-new g.frame[name="main.buildTree"]', V), 0);
    await page.screenshot('diff-zoomed');
    // Keyboard: Escape zooms all the way out everywhere.
    await page.press('Escape', V);
    for (const side of ['#flame-base', '#flame-new', '#flame-diff']) {
      await waitFor(`${side} unzoom`, async () => (await page.attr(side, 'data-zoom', V)) === '' || undefined);
    }
    await page.wait('#flame-new g.frame[name="main.buildTree"]', V);
    // Keyboard: a frame takes focus, Enter zooms all three graphs there.
    await page.press('Enter', { ...V, selector: '#flame-diff g.frame[name="main.allocBuffers"]' });
    for (const side of ['#flame-base', '#flame-new', '#flame-diff']) {
      await waitFor(`${side} keyboard zoom`, async () => (await page.attr(side, 'data-zoom', V)) === 'runtime.main › main.main › main.allocBuffers' || undefined);
    }
    await page.click('#reset', V);
    await waitFor('reset', async () => (await page.attr('#flame-base', 'data-zoom', V)) === '' || undefined);
  });

  await test('diff: a table row opens the function\'s source', async () => {
    await page.click('#regressions tbody tr[data-function="main.allocRecords"]', V);
    const editor = await waitFor('source editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.path.endsWith('/programs/alloc/main.go')));
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /^func allocRecords\(/);
    await status(/^Opened programs\/alloc\/main\.go:\d+$/);
  });

  await test('diff: sample type, normalize, search and zoom survive hiding and showing the tab', async () => {
    const panel = await openCompare(allocBase, allocNew);
    await page.wait('#flame-diff[data-rendered]', READY);
    const p = load('alloc-new.pprof');
    const si = String(sampleIndex(p, 'alloc_objects'));
    await page.select('#sample', si, V);
    await toggleNormalize();
    await status(/^alloc_objects: .*scaled by/);
    await page.wait('#flame-diff g.frame[name="main.allocRecords"]', V);
    await page.click('#flame-diff g.frame[name="main.allocRecords"]', V);
    await waitFor('zoom', async () => (await page.attr('#flame-new', 'data-zoom', V))?.endsWith('main.allocRecords') || undefined);
    await page.fill('#search', 'main.', V);
    const readies = messages().filter((m) => m.type === 'ready').length;
    // Hide the panel behind a text editor in the same group, then show it again.
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'alloc', 'main.go'));
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: panel?.viewColumn });
    await waitFor('panel hidden', () => (panel && !panel.visible) || undefined);
    panel!.reveal();
    // Shown again, the page reloads (no retainContextWhenHidden) and restores from getState.
    await waitFor('page reloaded', () => messages().filter((m) => m.type === 'ready').length > readies || undefined);
    await page.wait('#flame-diff[data-rendered]', READY);
    assert.equal(await page.eval<string>(`document.querySelector('#sample').value`, V), si);
    assert.equal(await page.eval<boolean>(`document.querySelector('#normalize').checked`, V), true);
    assert.equal(await page.eval<string>(`document.querySelector('#search').value`, V), 'main.');
    await status(/^alloc_objects: .*scaled by/);
    for (const side of ['#flame-base', '#flame-new', '#flame-diff']) {
      await waitFor(`${side} zoom restored`, async () => (await page.attr(side, 'data-zoom', V)) === 'runtime.main › main.main › main.allocRecords' || undefined);
    }
    assert.match(await page.text('#match-count', V), /^base \d+ · new \d+ matches$/);
    await assertTablesEqualCli(allocBase, allocNew, 'alloc_objects', true);
    await page.screenshot('diff-restored');
  });

  await test('diff: Compare Selected Profiles from the explorer\'s multi-selection', async () => {
    const pkg = ext.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const item = pkg.contributes.menus['explorer/context'].find((m) => m.command === 'golens.compareWithSelected');
    assert.ok(item?.when?.includes('listMultiSelection'), JSON.stringify(item));
    const base = ws('pprof', OLD_GO, 'mutex.pprof'), next = ws('pprof', GO, 'mutex.pprof');
    await openCompare(base, next, 'golens.compareWithSelected');
    await page.wait('#flame-diff[data-rendered]', READY);
    await status(/^delay: /);
    assert.match(await page.text('#head-base', V), /^Base: go1\.26\/mutex\.pprof — [\d.]+m?s$/);
    assert.match(await page.text('#head-new', V), /^New: go1\.27\/mutex\.pprof — [\d.]+m?s$/);
    await assertTablesEqualCli(base, next, 'delay', false);
    assert.equal((await rows('regressions'))[0].fn, 'sync.(*Mutex).Unlock');
    assert.equal((await rows('improvements'))[0].fn, 'sync.(*RWMutex).Unlock');
    await page.screenshot('diff-mutex');
  });

  await test('diff: the profile editor\'s title bar compares the open profile with another', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', allocBase, 'golens.profile');
    await page.wait('#flame[data-rendered]', { frame: 'webview', webviewTitle: 'alloc-base.pprof', timeoutMs: 20000, state: 'attached' });
    await page.click('.editor-actions .action-label[aria-label^="Compare Profiles"]', 'workbench');
    await waitFor('new-profile pick', async () => /Compare with alloc-base\.pprof: choose the new \(after\) profile/.test(await page.text('.quick-input-widget .quick-input-title', 'workbench')) || undefined);
    await page.fill('.quick-input-widget .quick-input-box input', 'alloc-new.pprof', 'workbench');
    const row = `.quick-input-widget .monaco-list-row[aria-label*="alloc-new.pprof"][aria-label*="${GO}"]`;
    await page.wait(row, 'workbench');
    await page.click(row, 'workbench');
    await page.wait('#flame-diff[data-rendered]', READY);
    assert.match(await page.text('#head-base', V), /^Base: alloc-base\.pprof/);
    await status(/^alloc_space: base 2\.40MB, new 4\.31MB; /);
  });

  await test('diff: Compare Profiles… with no arguments asks for the base, then the new profile', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const opened = vscode.commands.executeCommand<vscode.WebviewPanel | undefined>('golens.compareProfiles');
    const pick = async (name: string) => {
      await page.wait('.quick-input-widget .quick-input-box input', 'workbench');
      await page.fill('.quick-input-widget .quick-input-box input', name, 'workbench');
      const row = `.quick-input-widget .monaco-list-row[aria-label*="${name}"][aria-label*="${GO}"]`;
      await page.wait(row, 'workbench');
      await page.click(row, 'workbench');
    };
    await pick('alloc-base.pprof');
    await waitFor('second pick', async () => /choose the new \(after\) profile/.test(await page.text('.quick-input-widget .quick-input-title', 'workbench')) || undefined);
    await pick('alloc-new.pprof');
    const panel = await opened;
    assert.equal(panel?.title, 'alloc-base.pprof ↔ alloc-new.pprof');
    await page.wait('#flame-diff[data-rendered]', READY);
    await status(/^alloc_space: base 2\.40MB, new 4\.31MB; /);
  });

  await test('diff: the explorer\'s context menu on two selected profiles compares them', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Two neighbours in the explorer's list (it only renders the rows in view).
    const base = ws('pprof', GO, 'alloc-base.pprof'), next = ws('pprof', GO, 'alloc-new.pprof');
    await vscode.commands.executeCommand('revealInExplorer', next);
    const row = (name: string) => `.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`;
    await page.click(row('alloc-base.pprof'), 'workbench');
    // The click opens alloc-base.pprof, and the explorer reveals the opened file: let that
    // settle before extending the selection, or the reveal replaces it.
    await page.wait('#flame[data-rendered]', { frame: 'webview', webviewTitle: 'alloc-base.pprof', timeoutMs: 20000, state: 'attached' });
    const selected = () => page.eval<string[]>(`[...document.querySelectorAll('.explorer-folders-view .monaco-list-row[aria-selected="true"]')].map(r => r.getAttribute('aria-label'))`, 'workbench');
    await waitFor('alloc-base selected', async () => (await selected()).some((l) => l.startsWith('alloc-base.pprof')) || undefined);
    await page.click(row('alloc-new.pprof'), { frame: 'workbench', modifiers: ['ControlOrMeta'] });
    await waitFor('two profiles selected', async () => {
      const s = await selected();
      return (s.length === 2 && s.some((l) => l.startsWith('alloc-base.pprof')) && s.some((l) => l.startsWith('alloc-new.pprof'))) || undefined;
    });
    await page.click(row('alloc-new.pprof'), { frame: 'workbench', button: 'right' });
    const item = '.context-view .monaco-menu .action-item:has(.action-label:text-is("Compare Selected Profiles"))';
    await page.wait(item, 'workbench');
    await page.screenshot('diff-explorer-menu');
    await page.click(item, 'workbench');
    // The explorer passes the selection in the order it was made: the first is the base.
    await page.wait('#flame-diff[data-rendered]', READY);
    assert.match(await page.text('#head-base', V), /^Base: alloc-base\.pprof/);
    assert.match(await page.text('#head-new', V), /^New: alloc-new\.pprof/);
    await status(/^alloc_space: /);
    await assertTablesEqualCli(base, next, 'alloc_space', false);
  });

  for (const [kind, sample] of [['cpu', 'cpu'], ['block', 'delay'], ['goroutine', 'goroutine']]) {
    await test(`diff: ${kind} profiles from two toolchains (${OLD_GO} → ${GO})`, async () => {
      const base = ws('pprof', OLD_GO, `${kind}.pprof`), next = ws('pprof', GO, `${kind}.pprof`);
      await openCompare(base, next);
      await page.wait('#flame-diff[data-rendered]', READY);
      await status(new RegExp(`^${sample}: `));
      const n = await assertTablesEqualCli(base, next, sample, false);
      if (kind === 'goroutine') {
        // The same program's goroutines: nothing changed, and the panel says so.
        assert.equal(n, 0);
        assert.deepEqual(await page.texts('.diff-table .count', V), ['none', 'none']);
      } else {
        assert.ok(n > 0);
      }
      // Each Δ is red when it grew and green when it shrank, whichever table it is in.
      const signs = await page.eval<string[]>(`[...document.querySelectorAll('.diff-table td.flat-delta, .diff-table td.cum-delta')].map(td => td.textContent[0] + td.className)`, V);
      for (const sg of signs) assert.match(sg, /^(\+.*grew|-.*shrank|0[a-z-]+ ?)$/, sg);
      if (kind === 'cpu') {
        assert.ok(signs.some((sg) => sg.startsWith('+')) && signs.some((sg) => sg.startsWith('-')));
        const p = decodeProfile(await vscode.workspace.fs.readFile(next));
        assert.equal(await page.eval<string>(`document.querySelector('#sample').value`, V), String(sampleIndex(p, undefined)));
        await page.screenshot('diff-cpu');
      }
    });
  }

  await test('diff: profiles of different kinds show one clear error', async () => {
    await openCompare(ws('pprof', GO, 'cpu.pprof'), ws('pprof', GO, 'heap.pprof'));
    await page.wait('.error', READY);
    const text = await page.text('.error', V);
    assert.match(text, /GoLens cannot compare cpu\.pprof ↔ heap\.pprof/);
    assert.match(text, /cpu\.pprof \(cpu profile\) and heap\.pprof \(heap profile\): incompatible profiles: sample types \[samples\/count,cpu\/nanoseconds\] vs \[alloc_objects\/count,/);
    assert.match(text, /Hint: compare profiles of the same kind/);
    assert.equal(await page.count('.error', V), 1);
    assert.equal(await page.count('svg', V), 0);
    await page.screenshot('diff-error');
  });

  await test('diff: function names from the files are shown as text, never HTML', async () => {
    const evil = '<img src=x onerror="document.title=\'pwned\'">';
    const evil2 = '</script><script>document.title="pwned"</script>';
    const rename = (name: string) => {
      const p = load(name);
      return encodeProfile({ ...p, functions: p.functions.map((f) => (f.name === 'main.allocRecords' ? { ...f, name: evil } : f.name === 'main.newBuf' ? { ...f, name: evil2 } : f)) });
    };
    const b = ws('evil-base.pprof'), n = ws('evil-new.pprof');
    writeFileSync(b.fsPath, rename('alloc-base.pprof'));
    writeFileSync(n.fsPath, rename('alloc-new.pprof'));
    await openCompare(b, n);
    await page.wait('#flame-diff g.frame', READY);
    await toggleNormalize();
    await status(/scaled by/);
    await page.wait(`#regressions tbody tr[data-function="${evil.replace(/"/g, '\\"')}"]`, V);
    await page.wait(`#improvements tbody tr[data-function="${evil2.replace(/"/g, '\\"')}"]`, V);
    const imgs = await page.eval<string[]>(`[...document.querySelectorAll('img')].map(i => i.outerHTML)`, V);
    assert.deepEqual(imgs, []);
    const scripts = await page.eval<string[]>(`[...document.querySelectorAll('script')].map(s => (s.getAttribute('src') || 'inline:' + s.textContent.slice(0, 80)) + ' nonce=' + !!s.nonce)`, V);
    assert.ok(scripts.every((s) => s.endsWith('/dist/webview/diff.js nonce=true') || s.includes('acquireVsCodeApi')), JSON.stringify(scripts));
    assert.notEqual(await page.eval<string>('document.title', V), 'pwned');
    const names = await page.eval<string[]>(`[...document.querySelectorAll('.diff-table td.name')].map(td => td.textContent)`, V);
    assert.ok(names.includes(evil) && names.includes(evil2), JSON.stringify(names));
    for (const side of ['#flame-base', '#flame-new', '#flame-diff']) {
      const labels = await page.eval<string[]>(`[...document.querySelectorAll('${side} g.frame')].map(g => g.getAttribute('name'))`, V);
      assert.ok(labels.includes(evil), side);
    }
    const csp = await page.eval<string>(`document.querySelector('meta[http-equiv="Content-Security-Policy"]').content`, V);
    assert.match(csp, /script-src 'nonce-[^']+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  await test('diff: high contrast follows the theme', async () => {
    if ((await page.info()).theme !== 'dark') return;
    await openCompare(allocBase, allocNew);
    await page.wait('#flame-diff[data-rendered]', READY);
    await page.wait('#flame-diff g.frame[name="main.allocRecords"]', V);
    const dark = await fill('#flame-diff g.frame[name="main.allocRecords"] rect');
    await applyTheme('Default High Contrast', vscode.ColorThemeKind.HighContrast);
    await waitFor('hc body class', async () => (await page.eval<string>('document.body.className', V)).includes('vscode-high-contrast') || undefined);
    assert.equal(await page.eval<string>(`getComputedStyle(document.body).backgroundColor`, V), 'rgb(0, 0, 0)');
    // The SVG fills are recomputed from the new theme's colours; still red.
    const hc = await waitFor('hc fills', async () => { const f = await fill('#flame-diff g.frame[name="main.allocRecords"] rect'); return f !== dark ? f : undefined; });
    const [r, g, b] = rgb(hc);
    assert.ok(r > g + 20 && r > b + 20, hc);
    await page.screenshot('high-contrast-diff');
    await applyTheme('Dark Modern', vscode.ColorThemeKind.Dark);
  });

  await test('diff: first paint is measured', async () => {
    const paints = messages().flatMap((m) => (m.type === 'mark' && m.name === 'diffFirstPaint' ? [m.ms] : []));
    assert.ok(paints.length >= 8, JSON.stringify(paints));
    console.log(`[golens] diff first paint (ms): ${paints.map((ms) => ms.toFixed(0)).join(', ')}`);
    await page.log(`diff first paint ms: ${paints.map((ms) => ms.toFixed(0)).join(', ')}`);
  });

  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
