// The server's escape diagnostics (EscapeDiagnostics): untrusted, opening a Go file runs no
// go; trusted, it runs the real toolchain once per burst of events, publishes golens.escape
// diagnostics for the module's files, and clears them when the escapes are gone.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { analyzeModule, EscapeDiagnostics } from '../../../src/server/escapes';
import { ROOT } from '../helpers/fixtures';

const FIX = join(ROOT, 'test', 'fixtures');
const MAIN = join(FIX, 'programs', 'escapes', 'main.go');
const GO = ['1.27', '1.26', '1.25', '1.24', '1.23', '1.22', '1.21', '1.19'].map((v) => `/usr/lib/go-${v}/bin/go`).find((p) => existsSync(p));
const ENV = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' };

function moduleCopy(): { dir: string; main: string } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'golens-srv-esc-')));
  mkdirSync(join(dir, 'escapes'));
  writeFileSync(join(dir, 'go.mod'), readFileSync(join(FIX, 'programs', 'go.mod')));
  writeFileSync(join(dir, 'escapes', 'main.go'), readFileSync(MAIN));
  return { dir, main: join(dir, 'escapes', 'main.go') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('server escape diagnostics', { skip: GO ? false : 'no Go toolchain in /usr/lib/go-1.*' }, () => {
  test('untrusted: no go run, nothing published; trusted: one run per burst, published, then cleared', { timeout: 300_000 }, async () => {
    const { dir, main } = moduleCopy();
    const published: { uri: string; diagnostics: Diagnostic[] }[] = [];
    let enabled = true;
    let showUnmeasured = false;
    const srv = new EscapeDiagnostics({
      settings: async () => ({ enabled, goPath: GO, timeoutMs: 240_000, profiles: [join(FIX, 'escapes', 'go1.27', 'heap.pprof')], showUnmeasured }),
      workspaceFolders: () => [dir],
      publish: (uri, diagnostics) => published.push({ uri, diagnostics }),
      log: () => {}, warn: () => {}, debounceMs: 50, env: ENV,
    });
    srv.touched(main);
    await sleep(500);
    assert.deepEqual(srv.stats(), { trusted: false, goRuns: 0, analyses: 0, lastError: undefined });
    assert.equal(published.length, 0);

    srv.trusted = true;
    for (let i = 0; i < 5; i++) srv.touched(main); // a burst of saves: one run
    for (let i = 0; i < 2400 && srv.stats().analyses === 0; i++) await sleep(100);
    assert.equal(srv.stats().goRuns, 1);
    assert.equal(srv.stats().analyses, 1);
    const uri = pathToFileURL(main).toString();
    const last = published.filter((p) => p.uri === uri).at(-1)!;
    assert.ok(last.diagnostics.length >= 6, `${last.diagnostics.length} diagnostics`);
    for (const d of last.diagnostics) {
      assert.equal(d.code, 'golens.escape');
      assert.match(d.message, / allocated here \(/);
    }

    // Asked to, the escapes with no measured allocation show too (a leaking param, a never-run site).
    showUnmeasured = true;
    srv.touched(main);
    for (let i = 0; i < 2400 && srv.stats().analyses < 2; i++) await sleep(100);
    const every = published.filter((p) => p.uri === uri).at(-1)!.diagnostics;
    assert.ok(every.length > last.diagnostics.length, `${every.length} > ${last.diagnostics.length}`);
    assert.ok(every.some((d) => /^leaking param: p — no allocation measured here — the parameter is kept after the call returns$/.test(d.message)), every.map((d) => d.message).join('\n'));
    showUnmeasured = false;

    // Turned off: every escape diagnostic is cleared at once.
    enabled = false;
    await srv.settingsChanged();
    assert.deepEqual(published.filter((p) => p.uri === uri).at(-1)!.diagnostics, []);
    enabled = true;
    srv.touched(main);
    for (let i = 0; i < 2400 && srv.stats().analyses < 3; i++) await sleep(100);
    assert.ok(published.filter((p) => p.uri === uri).at(-1)!.diagnostics.length >= 6);

    // The escapes are gone (the program no longer has them): the file's diagnostics are cleared.
    writeFileSync(main, 'package main\n\nfunc main() {}\n');
    srv.touched(main);
    for (let i = 0; i < 2400 && srv.stats().analyses < 4; i++) await sleep(100);
    assert.equal(srv.stats().goRuns, 4);
    assert.deepEqual(published.filter((p) => p.uri === uri).at(-1)!.diagnostics, []);
    srv.dispose();
  });

  test('a run past its timeout is stopped and reports nothing', { timeout: 120_000 }, async () => {
    const { dir, main } = moduleCopy();
    writeFileSync(main, readFileSync(main, 'utf8') + `\n// ${Date.now()}\n`);
    const res = await analyzeModule({ go: GO!, moduleDir: dir, profiles: [], timeoutMs: 1, env: ENV });
    assert.equal(res.build.stopped, 'timeout');
    assert.deepEqual(res.hints, []);
  });
});

describe('go runs only in modules inside the workspace', { skip: GO ? false : 'no Go toolchain in /usr/lib/go-1.*' }, () => {
  test('no go.mod in the workspace, one in its parent: no run, said once; a go.mod inside: go runs there, a go.work outside ignored', { timeout: 120_000 }, async () => {
    const parent = realpathSync(mkdtempSync(join(tmpdir(), 'golens-srv-parent-')));
    writeFileSync(join(parent, 'go.mod'), 'module example.com/parent\n\ngo 1.21\n');
    const ws = join(parent, 'ws');
    mkdirSync(join(ws, 'cmd'), { recursive: true });
    const main = join(ws, 'cmd', 'main.go');
    writeFileSync(main, readFileSync(MAIN));
    const logs: string[] = [];
    const srv = new EscapeDiagnostics({
      settings: async () => ({ enabled: true, goPath: GO, timeoutMs: 100_000, profiles: [] }),
      workspaceFolders: () => [ws],
      publish: () => {}, log: (s) => logs.push(s), warn: (s) => logs.push(s), debounceMs: 20, env: ENV,
    });
    srv.trusted = true;
    srv.touched(main);
    srv.touched(main);
    await sleep(300);
    assert.equal(srv.stats().goRuns, 0, 'go never runs in the parent folder');
    const said = logs.filter((l) => /go is not run/.test(l));
    assert.equal(said.length, 1, logs.join('\n'));
    assert.match(said[0], new RegExp(`its go\\.mod \\(${join(parent, 'go.mod').replace(/[.]/g, '\\.')}\\) is outside the workspace folders`));

    // A go.mod inside the workspace: go runs there, and a go.work in the parent (which names
    // a module that does not exist, so go would fail with it) is switched off.
    writeFileSync(join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
    writeFileSync(join(parent, 'go.work'), 'go 1.21\n\nuse ./missing\n');
    srv.touched(main);
    for (let i = 0; i < 1000 && srv.stats().analyses === 0; i++) await sleep(100);
    assert.equal(srv.stats().goRuns, 1);
    assert.equal(srv.stats().lastError, undefined, logs.join('\n'));
    assert.ok(logs.some((l) => l.includes(`./... in ${ws} (GOWORK=off`)), logs.join('\n'));
    srv.dispose();
  });
});

describe('go\'s own messages in the output channel', () => {
  test('every line of each toolchain\'s -m=2 output is a diagnostic or a header; a compile error is kept', async () => {
    const { goMessages } = await import('../../../src/server/escapes');
    const { readdirSync } = await import('node:fs');
    for (const d of readdirSync(join(FIX, 'escapes')).filter((x) => x.startsWith('go1.'))) {
      assert.deepEqual(goMessages(readFileSync(join(FIX, 'escapes', d, 'm2.txt'), 'utf8')), [], d);
    }
    assert.deepEqual(goMessages('# golens.example/fixtures/escapes\nescapes/main.go:3:2: undefined: x\n'), ['escapes/main.go:3:2: undefined: x']);
  });
});
