// End-to-end cases of the "profile" lenses on tests and benchmarks: the lenses on benchme's
// _test.go, a click that runs go test with profiles under a progress notification and opens
// the CPU profile with the benchmark in its top table, a second run that offers the diff
// against the first, and (in the driver's untrusted run) a lens that runs nothing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { GoLensApi } from '../../src/extension/main';
import type { ProfileTestArgs } from '../../src/protocol/lenses';
import { page, test } from './agent';
import { GO, tableRows, waitFor, within, ws } from './util';

const TEST_FILE = () => ws('programs', 'benchme', 'benchme_test.go');
const PKG = 'golens.example/fixtures/benchme';
/** The first go test in a fresh VS Code builds the testing package: allow for it. */
const RUN_MS = 240000;
// The smoke-test mode the suite runs in shows no toasts: the notification center lists the
// same notifications (the progress with its Cancel button, messages with their buttons).
const CENTER = '.notifications-center';

async function notification(text: string, ms = 30000): Promise<string> {
  await vscode.commands.executeCommand('notifications.showList');
  const item = `${CENTER} .notification-list-item:has-text("${text}")`;
  await page.wait(item, { timeoutMs: ms });
  return item;
}

async function profileLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return waitFor('profile lenses', async () => {
    const all = await within(30000, 'code lens request', vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri));
    const mine = (all ?? []).filter((l) => l.command?.command === 'golens.profileTest');
    return mine.length >= 6 ? mine : undefined;
  }, 90000);
}

async function openTestFile(): Promise<{ doc: vscode.TextDocument; lenses: vscode.CodeLens[] }> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const doc = await vscode.workspace.openTextDocument(TEST_FILE());
  const editor = await vscode.window.showTextDocument(doc);
  editor.revealRange(new vscode.Range(0, 0, 0, 0), vscode.TextEditorRevealType.AtTop);
  return { doc, lenses: await profileLenses(doc) };
}

/** Clicks the lens with exactly that text on the line of `func <name>`, as a user does. */
async function clickLens(doc: vscode.TextDocument, name: string, text: string): Promise<void> {
  const line = doc.getText().split('\n').findIndex((l) => l.startsWith(`func ${name}(`));
  vscode.window.activeTextEditor!.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
  // The lens decorations of the visible lines, in order; the one above func <name> is found by its neighbours' args.
  const texts = await waitFor('lens texts', async () => {
    const t = (await page.texts('.codelens-decoration a', 'workbench')).map((s) => s.trim());
    return t.filter((s) => s === 'profile').length >= 3 ? t : undefined;
  });
  const order = ['BenchmarkChecksum', 'BenchmarkRender', 'TestRender'];
  const nth = texts.findIndex((s, i) => s === text && texts.slice(0, i + 1).filter((x) => x === text).length === order.indexOf(name) + 1);
  assert.ok(nth >= 0, texts.join(' | '));
  await page.click('.codelens-decoration a', { nth });
}

export async function benchCases(ext: vscode.Extension<GoLensApi>): Promise<void> {
  const api = await ext.activate();
  const go = `/usr/lib/go-${GO.replace(/^go/, '')}/bin/go`;

  await test('profile lenses sit on benchme_test.go\'s tests and benchmarks', async () => {
    assert.ok(existsSync(go), `${go} is needed to run go test`);
    await within(10000, 'goPath update', vscode.workspace.getConfiguration('golens').update('goPath', go, vscode.ConfigurationTarget.Global));
    const { doc, lenses } = await openTestFile();
    const got = lenses.map((l) => { const a = l.command!.arguments![0] as ProfileTestArgs; return `${l.range.start.line + 1}:${a.name}:${a.kind}:${a.trace ? 'trace' : ''}:${l.command!.title}`; });
    const lines = doc.getText().split('\n');
    const want = ['BenchmarkChecksum', 'BenchmarkRender', 'TestRender'].flatMap((n) => {
      const line = lines.findIndex((l) => l.startsWith(`func ${n}(`)) + 1;
      const kind = n.startsWith('Test') ? 'test' : 'benchmark';
      return [`${line}:${n}:${kind}::$(pulse) profile`, `${line}:${n}:${kind}:trace:profile with trace`];
    });
    assert.deepEqual(got, want);
    assert.ok(lenses.every((l) => (l.command!.arguments![0] as ProfileTestArgs).file === TEST_FILE().fsPath));
    await page.wait('.codelens-decoration', { timeoutMs: 10000, state: 'attached' });
    await page.screenshot('bench-lenses');
  });

  await test('the profile lens runs the benchmark and opens its CPU profile with the benchmark in the top table', async () => {
    const { doc } = await openTestFile();
    const before = api.bench.runs.length;
    await clickLens(doc, 'BenchmarkChecksum', 'profile');
    // The cancellable progress notification while go test runs.
    const progress = await notification('profiling BenchmarkChecksum');
    assert.ok(await page.count(`${progress} .monaco-button:has-text("Cancel")`) > 0, 'the progress can be cancelled');
    await page.screenshot('bench-progress');
    const run = await waitFor('the run', () => api.bench.runs[before], RUN_MS);
    await vscode.commands.executeCommand('notifications.hideList');
    assert.equal(run.refused, undefined, run.refused);
    assert.equal(run.ok, true);
    assert.equal(run.comparison, undefined, 'a first run has nothing to compare with');
    assert.match(run.runDir!, new RegExp(`^${ws('.golens', 'runs', 'BenchmarkChecksum').fsPath}/\\d{8}T\\d{6}Z$`));
    assert.equal(run.cpu, join(run.runDir!, 'cpu.pprof'));
    for (const f of ['cpu.pprof', 'mem.pprof', 'output.txt', 'run.json']) assert.ok(existsSync(join(run.runDir!, f)), f);
    assert.match(readFileSync(join(run.runDir!, 'output.txt'), 'utf8'), /^BenchmarkChecksum(-\d+)?\s+\d+\s+[\d.]+ ns\/op/m);
    const P = { frame: 'webview' as const, webviewTitle: 'cpu.pprof', timeoutMs: 30000 };
    await page.wait('#flame[data-rendered]', { ...P, state: 'attached' });
    const rows = await waitFor('top rows', async () => { const r = await tableRows(); return r.length ? r : undefined; });
    const fns = rows.map((r) => r.fn);
    assert.ok(fns.includes(`${PKG}.BenchmarkChecksum`), fns.join(', '));
    assert.ok(fns.includes(`${PKG}.Checksum`), fns.join(', '));
    // go test's output went to the GoLens output channel as it came.
    await waitFor('output in the log', () => /go test: BenchmarkChecksum/.test(readFileSync(api.logFile.fsPath, 'utf8')) || undefined, 10000);
    await page.screenshot('bench-profile');
  });

  await test('a second run offers the comparison with the last run; its button opens the diff', async () => {
    const { lenses } = await openTestFile();
    const before = api.bench.runs.length;
    const lens = lenses.find((l) => { const a = l.command!.arguments![0] as ProfileTestArgs; return a.name === 'BenchmarkChecksum' && !a.trace; })!;
    const p = vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const run = await waitFor('the second run', () => api.bench.runs[before], RUN_MS);
    await p;
    assert.equal(run.ok, true, run.refused);
    assert.match(run.comparison ?? '', /^compared with the last run: [+\u2212±][\d.]+% cpu/);
    assert.equal(dirname(run.previousCpu!), api.bench.runs[before - 1].runDir);
    const item = await notification('compared with the last run');
    const text = await page.text(`${item} .notification-list-item-message`);
    assert.ok(text.includes(run.comparison!), `${text} vs ${run.comparison}`);
    await page.screenshot('bench-compare');
    await page.click(`${item} .monaco-button:has-text("Show Diff")`);
    await vscode.commands.executeCommand('notifications.hideList');
    await page.wait('#flame-diff[data-rendered]', { frame: 'webview', webviewTitle: '↔', state: 'attached', timeoutMs: 120000 });
    await page.screenshot('bench-diff');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    // Later areas list the workspace's profiles: leave none of these behind.
    rmSync(ws('.golens').fsPath, { recursive: true, force: true });
  });
}

/** The driver's untrusted run: the lens is there, but running it says why not and runs no go. */
export async function benchUntrustedCases(ext: vscode.Extension<GoLensApi>): Promise<void> {
  await test('untrusted workspace: the profile lens runs nothing and says why', async () => {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const shimLog = process.env.GOLENS_E2E_GO_SHIM_LOG!;
    const { lenses } = await openTestFile();
    const before = api.bench.runs.length;
    const lens = lenses.find((l) => (l.command!.arguments![0] as ProfileTestArgs).name === 'BenchmarkChecksum')!;
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    const run = api.bench.runs[before];
    assert.match(run?.refused ?? '', /only in a trusted workspace/);
    await notification('only in a trusted workspace', 10000);
    await page.screenshot('bench-untrusted');
    await vscode.commands.executeCommand('notifications.hideList');
    assert.equal(existsSync(ws('.golens').fsPath), false, 'no run directory');
    assert.equal(existsSync(shimLog), false, 'no go was run');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
}
