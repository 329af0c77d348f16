// End-to-end cases of the profile editor: flame graph, top table, sample types, sources, errors.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { defaultSampleIndex, sampleIndex } from '../../src/core/pprof/model';
import { stacks } from '../../src/core/pprof/stacks';
import { top } from '../../src/core/pprof/top';
import { formatValue } from '../../src/core/pprof/units';
import type { GoLensApi } from '../../src/extension/main';
import { encodeProfile } from '../unit/encode';
import { page, test } from './agent';
import { applyTheme, GO, load, openProfile, rendered, tableRows, W, waitFor, ws } from './util';

export async function profileCases(api: vscode.Extension<GoLensApi>): Promise<void> {
  await test('a CPU profile opens as flame graph and top table with golens top\'s numbers', async () => {
    await openProfile('cpu.pprof');
    const p = load('cpu.pprof');
    const si = defaultSampleIndex(p);
    const want = top(stacks(p, si)).rows.slice(0, 8).map((r) => ({ fn: r.function, flat: formatValue(r.flat, 'nanoseconds') }));
    const rows = await waitFor('table rows', async () => { const r = await tableRows(); return r.length ? r : undefined; });
    assert.deepEqual(rows.slice(0, 8), want);
    // The flame graph has the planted functions as boxes, labelled with their names.
    const names = await page.eval<string[]>(`[...document.querySelectorAll('#flame g.frame')].map(g => g.getAttribute('name'))`, W);
    for (const fn of ['main.parseRecords', 'main.parseField', 'main.hashBlock', 'main.mix', 'main.sortPhase']) {
      assert.ok(names.includes(fn), `${fn} not in the flame graph (${names.length} boxes)`);
    }
    // Each box's tooltip names it with its value and share.
    const tip = await page.eval<string>(`document.querySelector('#flame g.frame[name="main.parseRecords"] title').textContent`, W);
    assert.match(tip, /^main\.parseRecords — [\d.]+m?s \([\d.]+%\), self [\d.]+m?s — cpu\/main\.go:\d+$/);
    assert.equal(await page.attr('#sample', 'aria-label', W), 'Sample type');
    assert.equal(await page.eval<string>(`document.querySelector('#sample').value`, W), String(si));
    await page.screenshot('cpu-flame');
  });

  await test('switching the sample type redraws with that type\'s values', async () => {
    const p = load('cpu.pprof');
    await page.select('#sample', '0', W);
    const want = top(stacks(p, 0)).rows.slice(0, 5).map((r) => ({ fn: r.function, flat: formatValue(r.flat, 'count') }));
    const rows = await waitFor('count rows', async () => {
      const r = await tableRows();
      return r.length && r[0].flat === want[0].flat ? r : undefined;
    });
    assert.deepEqual(rows.slice(0, 5), want);
    assert.match(await page.text('#status', W), /^samples:/);
  });

  await test('search highlights matching frames and counts them', async () => {
    await page.fill('#search', 'parse', W);
    const count = await waitFor('match count', async () => (await page.text('#match-count', W)) || undefined);
    assert.match(count, /^\d+ match(es)? · [\d.]+%$/);
    const n = Number(count.split(' ')[0]);
    const boxes = await page.eval<number>(`[...document.querySelectorAll('#flame g.frame')].filter(g => (g.getAttribute('name')||'').toLowerCase().includes('parse')).length`, W);
    assert.equal(n, boxes);
    await page.press('Escape', { ...W, selector: '#search' });
    assert.equal(await page.text('#match-count', W), '');
  });

  await test('clicking a flame frame opens its source at the line that carried it', async () => {
    await page.select('#sample', '1', W);
    await page.wait('#flame g.frame[name="main.parseField"]', W);
    await page.click('#flame g.frame[name="main.parseField"]', W);
    const editor = await waitFor('source editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.path.endsWith('/programs/cpu/main.go')));
    const line = editor.selection.active.line + 1;
    const details = await page.text('#details', W);
    assert.match(details, new RegExp(`main\\.parseField — .* cpu/main\\.go:${line}$`));
    const src = editor.document.getText().split('\n');
    const start = src.findIndex((l) => l.startsWith('func parseField('));
    const end = src.findIndex((l, i) => i > start && l.startsWith('}'));
    assert.ok(line - 1 > start && line - 1 < end, `line ${line} is not inside parseField (${start + 1}–${end + 1})`);
    await page.wait('#status', W);
    assert.match(await page.text('#status', W), /Opened .*main\.go:\d+/);
    await page.screenshot('cpu-source-opened');
  });

  await test('a frame whose source is not in the workspace says so', async () => {
    await page.click('#top tbody tr[data-function="runtime.asyncPreempt"], #top tbody tr[data-function^="runtime."]', W);
    const status = await waitFor('status', async () => { const t = await page.text('#status', W); return /Source not found/.test(t) ? t : undefined; });
    assert.match(status, /^Source not found: runtime\/\S+\.(go|s) is not in this workspace$/);
  });

  await test('clicking a top row opens the function', async () => {
    await openProfile('cpu.pprof');
    await page.click('#top tbody tr[data-function="main.hashBlock"]', W);
    const editor = await waitFor('source editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.path.endsWith('/programs/cpu/main.go')));
    const text = editor.document.lineAt(editor.selection.active.line).text;
    assert.match(text, /^func hashBlock\(/);
  });

  await test('a heap profile shows inuse_space by default and switches to alloc_space', async () => {
    await openProfile('heap.pprof');
    const p = load('heap.pprof');
    assert.equal(await page.eval<string>(`document.querySelector('#sample').selectedOptions[0].textContent`, W), 'inuse_space (bytes)');
    const si = sampleIndex(p, 'alloc_space');
    const before = await page.attr('#flame', 'data-rendered', W);
    await page.select('#sample', String(si), W);
    await rendered(before);
    const want = top(stacks(p, si)).rows.slice(0, 5).map((r) => ({ fn: r.function, flat: formatValue(r.flat, 'bytes') }));
    const rows = await waitFor('alloc_space rows', async () => {
      const r = await tableRows();
      return r.length && r[0].flat === want[0].flat ? r : undefined;
    });
    assert.deepEqual(rows.slice(0, 5), want);
    await page.screenshot('heap-alloc-space');
  });

  await test('the lines granularity lists file:line rows', async () => {
    await page.select('#granularity', 'lines', W);
    await waitFor('line rows', async () => /main\.go:\d+/.test(await page.text('#top tbody tr td.loc', W)) || undefined);
  });

  await test('a truncated profile shows one error in the editor, not a crash', async () => {
    const full = readFileSync(ws('pprof', GO, 'mutex.pprof').fsPath);
    const bad = ws('truncated.pprof');
    writeFileSync(bad.fsPath, full.subarray(0, Math.floor(full.length / 2)));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', bad, 'golens.profile');
    await page.wait('.error', { ...W, webviewTitle: 'truncated.pprof' });
    const text = await page.text('.error', W);
    assert.match(text, /GoLens cannot open truncated\.pprof/);
    assert.match(text, /truncated gzip stream/);
    assert.match(text, /Where: byte \d+/);
    await page.screenshot('error');
  });

  await test('function names from the file are shown as text, never HTML', async () => {
    const p = load('cpu.pprof');
    const evil = '<img src=x onerror="document.title=\'pwned\'">';
    const renamed = { ...p, functions: p.functions.map((f) => (f.name === 'main.parseField' ? { ...f, name: evil } : f.name === 'main.mix' ? { ...f, name: '</script><script>document.title="pwned"</script>' } : f)) };
    const target = ws('evil.pprof');
    writeFileSync(target.fsPath, encodeProfile(renamed));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', target, 'golens.profile');
    await page.wait('#flame g.frame', { ...W, webviewTitle: 'evil.pprof' });
    await page.wait(`#top tbody tr[data-function="${evil.replace(/"/g, '\\"')}"]`, W);
    const imgs = await page.eval<string[]>(`[...document.querySelectorAll('img')].map(i => i.outerHTML + ' in ' + i.parentElement.outerHTML.slice(0, 300))`, W);
    assert.deepEqual(imgs, []);
    const scripts = await page.eval<string[]>(`[...document.querySelectorAll('script')].map(s => (s.getAttribute('src') || 'inline:' + s.textContent.slice(0, 80)) + ' nonce=' + !!s.nonce)`, W);
    // Only our nonce'd bundle and VS Code's own acquireVsCodeApi shim; nothing from the file.
    assert.ok(scripts.every((s) => s.endsWith('/dist/webview/profile.js nonce=true') || s.includes('acquireVsCodeApi')), JSON.stringify(scripts));
    assert.notEqual(await page.eval<string>('document.title', W), 'pwned');
    const names = await page.eval<string[]>(`[...document.querySelectorAll('#top td.name')].map(td => td.firstChild.textContent)`, W);
    assert.ok(names.includes(evil));
  });

  await test('high contrast: the profile view follows the theme', async () => {
    if ((await page.info()).theme !== 'dark') return;
    await openProfile('cpu.pprof');
    await applyTheme('Default High Contrast', vscode.ColorThemeKind.HighContrast);
    await waitFor('hc body class', async () => (await page.eval<string>('document.body.className', W)).includes('vscode-high-contrast') || undefined);
    const bg = await page.eval<string>(`getComputedStyle(document.body).backgroundColor`, W);
    assert.equal(bg, 'rgb(0, 0, 0)');
    await page.screenshot('high-contrast-cpu');
    await applyTheme('Dark Modern', vscode.ColorThemeKind.Dark);
  });

  await test('first paint is measured', async () => {
    const marks = api!.exports?.marks ?? (await api!.activate()).marks;
    const paints = marks.filter((m) => m.name === 'firstPaint');
    assert.ok(paints.length >= 3, `marks: ${JSON.stringify(marks)}`);
    await page.log(`firstPaint ms: ${paints.map((m) => m.ms.toFixed(0)).join(', ')}`);
    console.log(`[golens] first paint (ms): ${paints.map((m) => m.ms.toFixed(0)).join(', ')}`);
  });

}
