// End-to-end cases of the escape-analysis diagnostics: in a trusted workspace the user's go
// runs and programs/escapes/main.go gets `golens.escape` diagnostics at the planted lines,
// ranked by the committed heap profile; in an untrusted one (the driver's extra run) no go
// is run at all.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { GoLensApi } from '../../src/extension/main';
import { formatBytes } from '../../src/core/format';
import { page, test } from './agent';
import { GO, waitFor, within, ws } from './util';

const MAIN = () => ws('programs', 'escapes', 'main.go');

function escapeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'golens.escape');
}

/** The toolchain the fixtures were made with, installed where the brief's machines have it. */
function installedGo(): string | undefined {
  const v = GO.replace(/^go/, '');
  for (const p of [`/usr/lib/go-${v}/bin/go`]) if (existsSync(p)) return p;
  return undefined;
}

export async function escapeCases(): Promise<void> {
  await test('escape diagnostics sit on the planted lines with pprof\'s bytes and the flow', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const go = installedGo();
    assert.ok(go, `no /usr/lib/go-${GO.replace(/^go/, '')}/bin/go: the E2E machine needs the toolchain the fixtures came from`);
    const cfg = vscode.workspace.getConfiguration('golens');
    await within(10000, 'goPath update', cfg.update('goPath', go, vscode.ConfigurationTarget.Global));
    await within(10000, 'artifacts update', cfg.update('artifacts', [`escapes/${GO}/heap.pprof`], vscode.ConfigurationTarget.Workspace));
    const source = readFileSync(MAIN().fsPath, 'utf8').split('\n');
    // Planted sites the loop runs (a never-runs site and the leaking param allocate nothing: hidden).
    const planted = source.flatMap((t, i) => {
      const m = /\/\/ golens:escape (\S+)( never-runs)?\s*$/.exec(t);
      if (!m || m[2] || m[1] === 'leaking-param' || (m[1] === 'non-constant-size' && Number(GO.slice(4)) >= 25)) return [];
      return [{ line: i + 1, kind: m[1] }];
    });
    const bytes = new Map<number, number>();
    for (const l of readFileSync(ws('escapes', GO, 'pprof-alloc_space.txt').fsPath, 'utf8').split('\n')) {
      const m = /^\s*(\d+)B\s.*escapes\/main\.go:(\d+)$/.exec(l);
      if (m) bytes.set(Number(m[2]), Number(m[1]));
    }
    const doc = await vscode.workspace.openTextDocument(MAIN());
    await vscode.window.showTextDocument(doc);
    // go build of the whole fixture module: seconds with a warm build cache, longer when cold.
    const diags = await waitFor('golens.escape diagnostics', () => {
      const d = escapeDiagnostics(doc.uri);
      return d.length >= planted.length ? d : undefined;
    }, 240_000);
    assert.deepEqual(diags.map((d) => d.range.start.line + 1).sort((a, b) => a - b), planted.map((p) => p.line));
    for (const d of diags) {
      const line = d.range.start.line + 1;
      assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
      assert.match(d.message, new RegExp(`^.+ — ${formatBytes(bytes.get(line)!).replace('.', '\\.')} allocated here \\((\\d+\\.\\d+|<0\\.01)%\\) — .+$`), d.message);
      assert.ok((d.relatedInformation ?? []).length >= 2, `line ${line} has its flow`);
    }
    const p = diags.find((d) => d.message.startsWith('moved to heap: p'))!;
    assert.match(p.message, /^moved to heap: p — \d+\.\d kB allocated here \(1\.27%\) — returned as a pointer$/);
    assert.deepEqual(p.relatedInformation!.slice(0, 3).map((r) => r.message), ['flow: ~r0 ← &p', 'from &p (address-of)', 'from return &p (return)']);
    assert.equal(p.relatedInformation![2].location.range.start.line + 1, p.range.start.line + 2);
    // Show them as a user sees them: the editor and the Problems panel.
    const shown = await vscode.window.showTextDocument(doc);
    shown.revealRange(new vscode.Range(40, 0, 40, 0), vscode.TextEditorRevealType.AtTop);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await page.wait('.markers-panel .monaco-list-row', { timeoutMs: 10000, state: 'visible' });
    // Move the pointer off the list so no tooltip covers the flow.
    await page.hover('.monaco-editor .view-lines', { timeoutMs: 5000 }).catch(() => {});
    await new Promise((r) => setTimeout(r, 800));
    await page.screenshot('escape-diagnostics');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
}

/**
 * The driver's untrusted run (workspace trust on, folder not trusted): opening a Go file must
 * not run go. Checked three ways: no diagnostics, the server's own counter, and the `go` shim
 * the driver put first on PATH, which records any invocation.
 */
export async function untrustedCases(api: vscode.Extension<GoLensApi>): Promise<void> {
  await test('untrusted workspace: opening a Go file runs no go and shows no escape diagnostics', async () => {
    assert.equal(process.env.GOLENS_E2E_UNTRUSTED, '1', 'the driver started this run as the untrusted one');
    assert.equal(vscode.workspace.isTrusted, false, 'the folder is not trusted');
    const shimLog = process.env.GOLENS_E2E_GO_SHIM_LOG;
    assert.ok(shimLog, 'the driver put a go shim on PATH');
    const exports = api.isActive ? api.exports : await api.activate();
    // The go the server would run, were it to run one, is the driver's shim.
    assert.equal(vscode.workspace.getConfiguration('golens').get('goPath'), join(dirname(shimLog!), 'go-shim', 'go'));
    await within(10000, 'artifacts update', vscode.workspace.getConfiguration('golens').update('artifacts', [`escapes/${GO}/heap.pprof`], vscode.ConfigurationTarget.Workspace));
    const doc = await vscode.workspace.openTextDocument(MAIN());
    await vscode.window.showTextDocument(doc);
    // A trusted run starts go well within this (debounce 0.4 s); also save once.
    await doc.save();
    await new Promise((r) => setTimeout(r, 6000));
    const stats = await within(10000, 'escape stats', exports.escapeStats());
    assert.equal(stats.trusted, false);
    assert.equal(stats.goRuns, 0);
    assert.deepEqual(escapeDiagnostics(doc.uri), []);
    assert.equal(existsSync(shimLog!), false, `the go shim was run: ${existsSync(shimLog!) ? readFileSync(shimLog!, 'utf8') : ''}`);
  });
}

/**
 * Still in the untrusted run: the user grants trust (the Workspace Trust editor's Trust button),
 * the extension tells the server, and the next Go file opened runs go — here the driver's shim,
 * which records the call. This also shows the shim would have caught a run before.
 */
export async function trustGrantedCases(api: vscode.Extension<GoLensApi>): Promise<void> {
  await test('granting trust lets the next opened Go file run go (the shim records it)', async () => {
    const shimLog = process.env.GOLENS_E2E_GO_SHIM_LOG!;
    const exports = api.isActive ? api.exports : await api.activate();
    await vscode.commands.executeCommand('workbench.trust.manage');
    await page.click('.workspace-trust-editor .monaco-button:has-text("Trust")', { timeoutMs: 15000 });
    await waitFor('workspace trust', () => vscode.workspace.isTrusted || undefined, 15000);
    await waitFor('server told of trust', async () => ((await exports.escapeStats()).trusted ? true : undefined), 15000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const other = await vscode.workspace.openTextDocument(ws('programs', 'alloc', 'main.go'));
    await vscode.window.showTextDocument(other);
    await waitFor('the go shim to be run', () => (existsSync(shimLog) ? true : undefined), 30000);
    assert.match(readFileSync(shimLog, 'utf8'), /^go build -gcflags=-m=2 -o \S+\/ \.\/\.\.\.$/m);
    const stats = await exports.escapeStats();
    assert.ok(stats.goRuns >= 1, JSON.stringify(stats));
  });
}
