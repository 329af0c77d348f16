// End-to-end cases of the call graph view: its nodes and edges in the DOM are `golens graph
// --json`'s, a node's Enter focuses on it through the filter row, and the view (on, zoom,
// focus) survives hiding the tab.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { sampleIndex } from '../../src/core/pprof/model';
import { formatValue } from '../../src/core/pprof/units';
import type { GoLensApi } from '../../src/extension/main';
import { page, test } from './agent';
import { GO, load, openProfile, W, waitFor, ws } from './util';

interface CliGraph {
  unit: string;
  nodes: { id: number; name: string; flat: number; cum: number }[];
  edges: { from: number; to: number; weight: number; residual: boolean; inline: boolean }[];
}
interface DomGraph {
  nodes: { name: string; flat: number; cum: number; text: string[] }[];
  edges: { from: string; to: string; weight: number; residual: boolean; inline: boolean }[];
}

/**
 * The toggle pressed through the button's own click: a pointer click that times out after it
 * landed is retried by the driver, which would press it twice.
 */
async function toggle(o: typeof W): Promise<void> {
  await page.wait('#graph-toggle', o);
  await page.eval(`document.querySelector('#graph-toggle').click()`, o);
}

export async function graphCases(ext: vscode.Extension<GoLensApi>): Promise<void> {
  const H = { ...W, webviewTitle: 'heap.pprof' };
  const cli = join(ext.extensionPath, 'dist', 'cli.js');
  const golensGraph = (file: string, extra: string[]): CliGraph => {
    const r = spawnSync(process.execPath, [cli, 'graph', ws('pprof', GO, file).fsPath, '--json', ...extra],
      { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 30000 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as CliGraph;
  };
  const domGraph = (o: typeof W = W): Promise<DomGraph> => page.eval<DomGraph>(`({
    nodes: [...document.querySelectorAll('#graph-canvas g.node')].map(g => ({ name: g.dataset.name, flat: +g.dataset.flat, cum: +g.dataset.cum, text: [...g.querySelectorAll('text')].map(t => t.textContent) })),
    edges: [...document.querySelectorAll('#graph-canvas g.edge')].map(g => ({ from: g.dataset.from, to: g.dataset.to, weight: +g.dataset.weight, residual: g.dataset.residual === 'true', inline: g.dataset.inline === 'true' })),
  })`, o);
  /** The DOM's graph once it has `n` nodes (a redraw replaces them all at once). */
  const drawn = (want: CliGraph, o: typeof W = W) => waitFor('call graph', async () => {
    const d = await domGraph(o);
    return d.nodes.length === want.nodes.length && d.nodes.every((n) => want.nodes.some((w) => w.name === n.name)) ? d : undefined;
  });
  const same = (d: DomGraph, want: CliGraph, what: string) => {
    const name = new Map(want.nodes.map((n) => [n.id, n.name]));
    const key = (n: { name: string; flat: number; cum: number }) => `${n.name} ${n.flat} ${n.cum}`;
    assert.deepEqual(d.nodes.map(key).sort(), want.nodes.map(key).sort(), `${what}: nodes`);
    const ek = (e: { from: string; to: string; weight: number; residual: boolean; inline: boolean }) => `${e.from} ${e.residual ? '...' : '->'} ${e.to} ${e.weight}${e.inline ? ' inline' : ''}`;
    assert.deepEqual(d.edges.map(ek).sort(), want.edges.map((e) => ek({ ...e, from: name.get(e.from)!, to: name.get(e.to)! })).sort(), `${what}: edges`);
    // The numbers a user reads in each box are the values, as the rest of the editor formats them.
    for (const n of d.nodes) {
      assert.ok(n.text[1].startsWith(n.flat ? formatValue(n.flat, want.unit) + ' (' : '0'), `${n.name}: ${n.text.join(' | ')}`);
      if (n.cum !== n.flat) assert.ok(n.text[2].startsWith(`of ${formatValue(n.cum, want.unit)} (`), `${n.name}: ${n.text.join(' | ')}`);
    }
  };

  await test('the call graph of a CPU profile has golens graph\'s nodes and edges', async () => {
    await openProfile('cpu.pprof');
    const si = sampleIndex(load('cpu.pprof'), 'cpu');
    await page.select('#sample', String(si), W);
    await toggle(W);
    assert.equal(await page.attr('#graph-toggle', 'aria-pressed', W), 'true');
    const want = golensGraph('cpu.pprof', ['--sample', 'cpu']);
    assert.ok(want.nodes.length > 10 && want.edges.length > 10, `${want.nodes.length} nodes, ${want.edges.length} edges`);
    same(await drawn(want), want, 'cpu');
    assert.equal(await page.eval<boolean>(`document.querySelector('#flame-section').hidden`, W), true, 'the graph is in place of the flame graph');
    // Tab order: the heaviest flat first.
    const first = await page.eval<string>(`document.querySelector('#graph-canvas g.node[tabindex="0"]').dataset.name`, W);
    const heaviest = [...want.nodes].sort((a, b) => Math.abs(b.flat) - Math.abs(a.flat))[0];
    assert.equal(first, heaviest.name);
    await page.screenshot('graph-cpu');
  });

  await test('Enter on a node focuses on it (pprof -focus) and the graph is golens graph --focus\'s', async () => {
    await page.eval(`document.querySelector('#graph-canvas g.node[data-name="main.hashBlock"]').focus()`, W);
    await page.press('Enter', { ...W, selector: '#graph-canvas g.node[data-name="main.hashBlock"]' });
    await waitFor('focus filter', async () => (await page.eval<string>(`document.querySelector('#filter-focus').value`, W)) === '^main\\.hashBlock$' || undefined);
    const want = golensGraph('cpu.pprof', ['--sample', 'cpu', '--focus', '^main\\.hashBlock$']);
    const d = await drawn(want);
    same(d, want, 'focused');
    assert.ok(!d.nodes.some((n) => n.name === 'main.parseRecords'), 'the other worker is gone');
    await page.screenshot('graph-cpu-focused');
  });

  await test('the graph, its zoom and its focus survive hiding the tab', async () => {
    await page.press('+', { ...W, selector: '#graph-canvas' });
    await page.press('ArrowLeft', { ...W, selector: '#graph-canvas' });
    const zoom = await page.attr('#graph-canvas', 'data-zoom', W);
    const transform = await page.eval<string>(`document.querySelector('#graph-canvas g.viewport').getAttribute('transform')`, W);
    await new Promise((r) => setTimeout(r, 400)); // the view is saved once it rests
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'cpu', 'main.go'));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    await waitFor('profile hidden', async () => (await page.count('#graph-canvas', { frame: 'webview', webviewTitle: 'cpu.pprof' })) === 0 || undefined);
    await vscode.commands.executeCommand('vscode.openWith', ws('pprof', GO, 'cpu.pprof'), 'golens.profile', vscode.ViewColumn.One);
    await page.wait('#graph-canvas', { ...W, webviewTitle: 'cpu.pprof', state: 'attached' });
    assert.equal(await page.attr('#graph-toggle', 'aria-pressed', W), 'true');
    const want = golensGraph('cpu.pprof', ['--sample', 'cpu', '--focus', '^main\\.hashBlock$']);
    same(await drawn(want), want, 'restored');
    assert.equal(await page.attr('#graph-canvas', 'data-zoom', W), zoom);
    assert.equal(await page.eval<string>(`document.querySelector('#graph-canvas g.viewport').getAttribute('transform')`, W), transform);
    await page.click('#filter-clear', W);
  });

  await test('a heap profile\'s alloc_space graph is golens graph\'s, names as text', async () => {
    await openProfile('heap.pprof');
    const si = sampleIndex(load('heap.pprof'), 'alloc_space');
    await page.select('#sample', String(si), H);
    assert.equal(await page.attr('#graph-toggle', 'aria-pressed', H), 'false', 'a new editor starts with the flame graph');
    await toggle(H);
    const want = golensGraph('heap.pprof', ['--sample', 'alloc_space']);
    const d = await drawn(want, H);
    same(d, want, 'heap');
    assert.equal(await page.count('#graph-canvas g.node foreignObject, #graph-canvas g.node tspan b', H), 0);
    await page.screenshot('graph-heap');
    // Off again: the flame graph is back in its place.
    await toggle(H);
    await waitFor('graph off', async () => (await page.attr('#graph-toggle', 'aria-pressed', H)) === 'false' || undefined);
    assert.equal(await page.eval<boolean>(`document.querySelector('#graph-section').hidden`, H), true);
    assert.equal(await page.eval<boolean>(`document.querySelector('#flame-section').hidden`, H), false);
  });
}
