// End-to-end cases of the trace timeline: a real trace from the fixtures opens as lanes on a
// canvas; wheel, buttons, drag and keys move the view; clicking a span gives its details;
// findings jump to their moment and line. With a large trace present (the benchmark's), first
// paint and the frame rate while panning are measured and printed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { page, test } from './agent';
import { GO, waitFor, ws } from './util';

const NAME = 'trace-contention.trace';
const T = { frame: 'webview' as const, webviewTitle: NAME, timeoutMs: 30000 };

interface LaneBox { key: string; y: number; h: number }

async function lanes(opts = T): Promise<LaneBox[]> {
  const raw = (await page.attr('#timeline', 'data-lanes', opts)) ?? '';
  return raw.split(' ').filter(Boolean).map((s) => { const [kind, id, y, h] = s.split(':'); return { key: `${kind}:${id}`, y: Number(y), h: Number(h) }; });
}

async function viewOf(opts = T): Promise<[number, number]> {
  const v = (await page.attr('#timeline', 'data-view', opts)) ?? '0-0';
  const [a, b] = v.split('-').map(Number);
  return [a, b];
}

async function renderedAfter(before: string | null, opts = T): Promise<void> {
  await waitFor('timeline redraw', async () => {
    const now = await page.attr('#timeline', 'data-rendered', opts);
    return now !== null && now !== before ? now : undefined;
  });
}

export async function traceCases(): Promise<void> {
  const exp = JSON.parse(readFileSync(ws('trace', GO, 'trace-contention.expected.json').fsPath, 'utf8'));
  const lockLine: number = exp.planted.lines.find((l: { marker: string }) => l.marker === 'lock').line;

  await test('a trace opens as a timeline with P, M, GC lanes and its findings', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', ws('trace', GO, NAME), 'golens.trace');
    await page.wait('#timeline[data-first-paint]', { ...T, state: 'attached' });
    const meta = await page.text('.toolbar .meta', T);
    assert.match(meta, new RegExp(`${exp.events.toLocaleString('en-US')} events`));
    // The header's format and the releases that write it: Go 1.27 writes go 1.26.
    assert.match(meta, /^go 1\.26 trace \(Go 1\.26–1\.27\) · /);
    const boxes = await lanes();
    const keys = boxes.map((b) => b.key);
    for (const k of ['gc:0', 'stw:0', 'assist:0', 'sweep:0']) assert.ok(keys.includes(k), `${k} in ${keys.join(' ')}`);
    assert.ok(keys.some((k) => k.startsWith('proc:')) && keys.some((k) => k.startsWith('thread:')), keys.join(' '));
    // The canvas drew pixels in the proc lanes: not the background everywhere.
    const proc = boxes.find((b) => b.key.startsWith('proc:'))!;
    const painted = await page.eval<number>(`(() => { const c = document.querySelector('#timeline'); const d = devicePixelRatio;
      const img = c.getContext('2d').getImageData(130 * d, ${proc.y + 4} * d, c.width - 140 * d, 1).data; const bg = [img[0], img[1], img[2]];
      let n = 0; for (let i = 0; i < img.length; i += 4) if (Math.abs(img[i] - bg[0]) + Math.abs(img[i+1] - bg[1]) + Math.abs(img[i+2] - bg[2]) > 30) n++; return n; })()`, T);
    assert.ok(painted > 0, 'proc lane is empty');
    // The final findings (not the ones so far of a trace still being read).
    await page.wait('#findings:not(.so-far) .finding', T);
    const findings = await page.texts('#findings .finding .text', T);
    assert.ok(findings.some((f) => /lock|mutex|Lock/i.test(f)), findings.join(' | '));
    await page.screenshot('trace-timeline');
  });

  await test('wheel zooms at the pointer, buttons and keys zoom and fit, drag pans', async () => {
    const [a0, b0] = await viewOf();
    const before = await page.attr('#timeline', 'data-rendered', T);
    // Wheel up at 3/4 of the plot: the time under the pointer stays put.
    const at = await page.eval<{ x: number; t: number }>(`(() => { const c = document.querySelector('#timeline'); const r = c.getBoundingClientRect();
      const x = 120 + (r.width - 120) * 0.75; const [a, b] = c.dataset.view.split('-').map(Number);
      c.dispatchEvent(new WheelEvent('wheel', { deltaY: -400, clientX: r.left + x, clientY: r.top + 60, bubbles: true, cancelable: true }));
      return { x, t: a + (b - a) * 0.75 }; })()`, T);
    await renderedAfter(before);
    const [a1, b1] = await viewOf();
    assert.ok(b1 - a1 < (b0 - a0) * 0.6, `zoomed ${b0 - a0} → ${b1 - a1}`);
    const tUnder = a1 + (b1 - a1) * 0.75;
    assert.ok(Math.abs(tUnder - at.t) <= (b1 - a1) * 0.01, `pointer time moved: ${at.t} → ${tUnder}`);
    // Drag right by 200 px: earlier times come into view.
    const box = (await lanes()).find((b) => b.key.startsWith('proc:'))!;
    const r2 = await page.attr('#timeline', 'data-rendered', T);
    await page.eval<void>(`(() => { const c = document.querySelector('#timeline'); const r = c.getBoundingClientRect();
      const y = r.top + ${box.y + 5}; const opt = (x) => ({ clientX: r.left + x, clientY: y, bubbles: true, pointerId: 1, button: 0, isPrimary: true });
      c.dispatchEvent(new PointerEvent('pointerdown', opt(700))); c.dispatchEvent(new PointerEvent('pointermove', opt(800)));
      c.dispatchEvent(new PointerEvent('pointermove', opt(900))); c.dispatchEvent(new PointerEvent('pointerup', opt(900))); })()`, T);
    await renderedAfter(r2);
    const [a2, b2] = await viewOf();
    assert.ok(a2 < a1 || a1 === 0, `drag did not pan: ${a1} → ${a2}`);
    assert.ok(Math.abs((b2 - a2) - (b1 - a1)) <= 2, 'drag changed the zoom');
    // The + and − buttons, then F fits the whole trace.
    await page.click('#zoom-in', T);
    await waitFor('zoom in', async () => { const [a, b] = await viewOf(); return b - a < (b2 - a2) * 0.6 || undefined; });
    await page.click('#zoom-out', T);
    await page.press('f', { ...T, selector: '#timeline' });
    await waitFor('fit', async () => { const [a, b] = await viewOf(); return (a === 0 && Math.abs(b - exp.durationNs) <= 1) || undefined; });
  });

  await test('search finds goroutines; clicking a wait shows who unblocked it, and frames open the source', async () => {
    await page.fill('#g-search', 'main.main.func', T);
    await page.wait('#results .goroutine', T);
    const rows = await page.eval<{ g: string; text: string }[]>(`[...document.querySelectorAll('#results .goroutine')].map(b => ({ g: b.dataset.g, text: b.textContent }))`, T);
    // The four mutex workers share one closure.
    const byFn = new Map<string, string[]>();
    for (const r of rows) { const fn = r.text.split(' ')[1]; byFn.set(fn, [...(byFn.get(fn) ?? []), r.g]); }
    const workers = [...byFn.values()].find((g) => g.length === 4);
    assert.ok(workers, rows.map((r) => r.text).join(' | '));
    await page.click(`#results .goroutine[data-g="${workers[0]}"]`, T);
    const lane = await waitFor('pinned lane', async () => (await lanes()).find((b) => b.key === `goroutine:${workers[0]}`));
    // Walk the pinned lane until a click lands on a sync wait (a Lock).
    const width = await page.eval<number>(`document.querySelector('#timeline').clientWidth`, T);
    let found = '';
    for (let i = 0; i < 60 && !found; i++) {
      const x = 125 + Math.round(((width - 130) * i) / 60);
      await page.click('#timeline', { ...T, position: { x, y: lane.y + 8 } });
      const text = await waitFor('details', async () => (await page.text('#span-details', T)) || undefined);
      if (/waiting \(sync\)/.test(text) && /Unblocked by/.test(text)) found = text;
    }
    assert.ok(found, 'no Lock wait with a waker found along the worker\'s lane');
    assert.match(found, new RegExp(`G${workers[0]} waiting \\(sync\\)`));
    await page.screenshot('trace-details');
    // The first frame of the stack opens main.go at the Lock line.
    await page.click(`#span-details .stack .frame-link[title$="main.go:${lockLine}"]`, T);
    const editor = await waitFor('source', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.path.endsWith('/programs/trace-contention/main.go')));
    await waitFor('lock line', () => editor.selection.active.line === lockLine - 1 || undefined);
    assert.match(editor.document.lineAt(lockLine - 1).text, /Lock\(\)/);
  });

  await test('a finding jumps to its moment on the timeline and to its line', async () => {
    await page.click('#findings .finding.contention', T);
    await page.wait('#span-details h2', T);
    const [a, b] = await viewOf();
    assert.ok(b - a < exp.durationNs, 'the view did not zoom to the finding');
    const pinned = (await lanes()).filter((l) => l.key.startsWith('goroutine:'));
    assert.ok(pinned.length >= 1);
    assert.match(await page.text('#span-details h2', T), /^G\d+ waiting \(sync\)$/);
    await page.screenshot('trace-finding');
  });

  await test('the timeline keeps its window when the tab is hidden and shown again', async () => {
    const [a, b] = await viewOf();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ws('programs', 'trace-contention', 'main.go')), { viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('vscode.openWith', ws('trace', GO, NAME), 'golens.trace', { viewColumn: vscode.ViewColumn.One });
    await page.wait('#timeline[data-first-paint]', { ...T, state: 'attached' });
    const [a2, b2] = await viewOf();
    assert.ok(Math.abs(a2 - a) <= 1 && Math.abs(b2 - b) <= 1, `view ${a}-${b} came back as ${a2}-${b2}`);
  });

  await test('a file that is not a trace shows one error in the editor', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Through the "Reopen Editor With…" registration, which takes any file.
    await vscode.commands.executeCommand('vscode.openWith', ws('pprof', GO, 'cpu.pprof'), 'golens.trace.any');
    await page.wait('.error', { frame: 'webview', webviewTitle: 'cpu.pprof', timeoutMs: 20000 });
    const text = await page.text('.error', { frame: 'webview', webviewTitle: 'cpu.pprof' });
    assert.match(text, /GoLens cannot open cpu\.pprof/);
  });

  // The large trace (the benchmark's, see test/bench/trace.mjs) when this machine has one.
  const big = process.env.GOLENS_E2E_BIG_TRACE ?? join(vscode.extensions.getExtension('golens.golens')!.extensionPath, '.cache', 'bench', 'pipeline-big.trace');
  // A measurement, not a check: only where the trace is (make it with test/bench), in one theme.
  if (existsSync(big) && (await page.info()).theme === 'dark') await test('large trace: first paint and frame rate while panning are measured', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const mb = statSync(big).size / 1e6;
    const name = big.split('/').pop()!;
    const B = { frame: 'webview' as const, webviewTitle: name, timeoutMs: 180000 };
    const t0 = Date.now();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(big), 'golens.trace');
    await page.wait('#timeline[data-first-paint]', { ...B, state: 'attached' });
    const open = Date.now() - t0;
    const paint = Number(await page.attr('#timeline', 'data-first-paint', B));
    // Hold D for two seconds: the view pans every frame.
    await page.eval<void>(`(() => { const c = document.querySelector('#timeline'); c.focus(); c.dispatchEvent(new KeyboardEvent('keydown', { key: 'w', bubbles: true })); })()`, B);
    await new Promise((r) => setTimeout(r, 1500));
    await page.eval<void>(`(() => { const c = document.querySelector('#timeline'); c.dispatchEvent(new KeyboardEvent('keyup', { key: 'w', bubbles: true })); c.dispatchEvent(new KeyboardEvent('keydown', { key: 'd', bubbles: true })); })()`, B);
    await new Promise((r) => setTimeout(r, 2000));
    await page.eval<void>(`document.querySelector('#timeline').dispatchEvent(new KeyboardEvent('keyup', { key: 'd', bubbles: true }))`, B);
    const fps = Number(await waitFor('pan fps', async () => (await page.attr('#timeline', 'data-pan-fps', B)) ?? undefined));
    const p95 = Number(await page.attr('#timeline', 'data-pan-draw-p95', B));
    const line = `large trace ${name} (${mb.toFixed(0)} MB): open to first paint ${open} ms (webview ${paint} ms); panning ${fps.toFixed(1)} frames/s, draw p95 ${p95.toFixed(1)} ms`;
    console.log(`[golens] ${line}`);
    await page.log(line);
    await page.screenshot('trace-large');
    assert.ok(fps > 0);
  });
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
