// Escape hints over the real compiler output of every toolchain (test/fixtures/escapes/), the
// planted sites of programs/escapes, pprof's bytes per line, the real compiler run through
// the server's code path, the go binary resolution, and the CLI as a spawned process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { allocsByLine, escapeHints, type EscapeHint } from '../../../src/core/analysis/escapes';
import { resolveGoBinary } from '../../../src/core/io/gobuild';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { parseEscapeText } from '../../../src/core/text/escapes';
import { parseGcJson } from '../../../src/core/text/gcjson';
import { moduleResolver, readCompilerOutput } from '../../../src/core/artifacts/escapes';
import { analyzeModule, escapeDiagnostics } from '../../../src/server/escapes';
import { ROOT } from '../helpers/fixtures';

const FIX = join(ROOT, 'test', 'fixtures');
const ESC = join(FIX, 'escapes');
const MODULE = join(FIX, 'programs');
const MAIN = join(MODULE, 'escapes', 'main.go');
const SOURCE = readFileSync(MAIN, 'utf8').split('\n');
const DIRS = readdirSync(ESC).filter((d) => /^go1\.\d+$/.test(d)).sort((a, b) => minor(a) - minor(b));
const resolve = moduleResolver(MODULE, MODULE);

function minor(dir: string): number {
  return Number(/^go1\.(\d+)/.exec(dir)![1]);
}

interface Planted { line: number; kind: string; runs: boolean }

/** The `// golens:escape <kind> [never-runs]` marks of main.go; Go 1.25 on no longer reports make([]T, n). */
function planted(dir: string): Planted[] {
  const out: Planted[] = [];
  SOURCE.forEach((text, i) => {
    const m = /\/\/ golens:escape (\S+)( never-runs)?\s*$/.exec(text);
    if (!m) return;
    if (m[1] === 'non-constant-size' && minor(dir) >= 25) return;
    out.push({ line: i + 1, kind: m[1], runs: !m[2] });
  });
  return out;
}

/** pprof -top -lines -unit=B: flat per main.go line. */
function pprofFlat(dir: string, sampleIndex: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const l of readFileSync(join(ESC, dir, `pprof-${sampleIndex}.txt`), 'utf8').split('\n')) {
    const m = /^\s*(\d+)B?\s.*\sgolens\.example\/fixtures\/escapes\/main\.go:(\d+)$/.exec(l);
    if (m) out.set(Number(m[2]), (out.get(Number(m[2])) ?? 0) + Number(m[1]));
  }
  return out;
}

function jsonRecords(dir: string) {
  return readCompilerOutput(join(ESC, dir, 'json'));
}

function allocs(dir: string) {
  return allocsByLine(decodeProfile(readFileSync(join(ESC, dir, 'heap.pprof'))), (f) => resolve(f) ?? f);
}

/** The escape's subject starts at its column (bytes; main.go is ASCII); a call (make) is placed at its '(' as the compiler does. */
function assertColumn(h: EscapeHint): void {
  const subject = (/^(?:moved to heap|leaking param(?: content)?): (.+)$/.exec(h.compiler) ?? /^(.+) escapes to heap$/.exec(h.compiler))![1];
  const text = SOURCE[h.line - 1];
  const call = /^(\w+)\(/.exec(subject);
  if (call) {
    assert.equal(text.slice(h.column - 1 - call[1].length, h.column), `${call[1]}(`, `${h.line}:${h.column} is the ( of ${call[1]}: ${text}`);
    return;
  }
  const head = subject === 'func literal' ? 'func' : /^[&*]?[\w.]+/.exec(subject)![0];
  assert.ok(text.slice(h.column - 1).startsWith(head), `${h.line}:${h.column} starts with ${head}: ${text}`);
}

describe('escape hints over every toolchain\'s compiler output', () => {
  for (const dir of DIRS) {
    test(`${dir}: -json gives exactly the planted sites, kinds, columns and flows`, () => {
      const { hints } = escapeHints(jsonRecords(dir), { resolve, all: true });
      const want = planted(dir);
      assert.deepEqual(hints.map((h) => [h.line, h.kind]).sort((a, b) => (a[0] as number) - (b[0] as number)), want.map((p) => [p.line, p.kind]));
      for (const h of hints) {
        assert.equal(h.file, MAIN);
        assertColumn(h);
        assert.ok(h.flow.length >= 1, `${h.line}: has a flow`);
        assert.match(h.flow[0].text, /^flow: .+ ← .+$/);
        for (const s of h.flow) assert.equal(s.file, MAIN);
      }
      const p = hints.find((h) => h.kind === 'returned' && h.line === want.find((w) => w.kind === 'returned' && w.runs)!.line)!;
      assert.equal(p.compiler, 'moved to heap: p');
      assert.deepEqual(p.flow.map((s) => s.text), ['flow: ~r0 ← &p', 'from &p (address-of)', 'from return &p (return)']);
      assert.deepEqual(p.flow.map((s) => [s.line, s.column]), [[p.line + 1, 9], [p.line + 1, 9], [p.line + 1, 2]]);
      assert.equal(hints.find((h) => h.kind === 'leaking-param')!.compiler, 'leaking param: p');
      assert.equal(hints.find((h) => h.kind === 'interface')!.compiler, 'v escapes to heap');
    });

    test(`${dir}: -m=2 text gives the same hints as -json`, () => {
      const fromText = escapeHints(parseEscapeText(readFileSync(join(ESC, dir, 'm2.txt'), 'utf8')), { resolve, all: true }).hints;
      const fromJson = escapeHints(jsonRecords(dir), { resolve, all: true }).hints;
      const shape = (hs: EscapeHint[]) => hs.map((h) => ({ line: h.line, column: h.column, kind: h.kind, compiler: h.compiler, flow: h.flow.map((s) => `${s.line}:${s.column} ${s.text}`) }));
      assert.deepEqual(shape(fromText), shape(fromJson));
    });

    test(`${dir}: bytes and objects per hint are pprof's flat per line; unmeasured escapes hidden unless asked`, () => {
      const a = allocs(dir);
      const bytes = pprofFlat(dir, 'alloc_space');
      const objects = pprofFlat(dir, 'alloc_objects');
      const shown = escapeHints(jsonRecords(dir), { resolve, allocs: a });
      const want = planted(dir);
      assert.deepEqual(shown.hints.map((h) => h.line).sort((x, y) => x - y), want.filter((p) => p.runs && p.kind !== 'leaking-param').map((p) => p.line));
      assert.equal(shown.hidden, want.length - shown.hints.length);
      for (const h of shown.hints) {
        assert.equal(h.allocBytes, bytes.get(h.line), `bytes at line ${h.line}`);
        assert.equal(h.allocObjects, objects.get(h.line), `objects at line ${h.line}`);
        assert.ok(h.allocBytes > 0);
        assert.equal(h.share, h.allocBytes / a.totalBytes);
      }
      for (let i = 1; i < shown.hints.length; i++) assert.ok(shown.hints[i - 1].allocBytes >= shown.hints[i].allocBytes, 'sorted by bytes');
      const all = escapeHints(jsonRecords(dir), { resolve, allocs: a, all: true });
      assert.equal(all.hints.length, want.length);
      assert.ok(all.hints.filter((h) => h.allocBytes === 0).every((h) => !want.find((p) => p.line === h.line)!.runs || h.kind === 'leaking-param'));
      const p = shown.hints.find((h) => h.compiler === 'moved to heap: p')!;
      assert.match(p.message, /^moved to heap: p — \d+(\.\d)? kB allocated here \(\d+\.\d+%\) — returned as a pointer$/);
    });
  }
});

describe('compiler output parsers: bad input', () => {
  test('a -json file that is not the format: one FormatError with the line', () => {
    assert.throws(() => parseGcJson('{"version":0,"package":"main","gc_version":"go1.27","file":"a.go"}\nnot json\n', 'x.json'), /x\.json: line 2 is not JSON/);
    assert.throws(() => parseGcJson('{"hello":1}\n', 'x.json'), /x\.json: no compiler -json header on line 1/);
    assert.throws(() => parseGcJson('', 'x.json'), /x\.json: empty file/);
  });
  test('text that is not compiler output is rejected; a truncated -m=2 text still parses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'golens-esc-'));
    writeFileSync(join(dir, 'x.txt'), 'hello world\n');
    assert.throws(() => readCompilerOutput(join(dir, 'x.txt')), /not compiler output/);
    const text = readFileSync(join(ESC, 'go1.27', 'm2.txt'), 'utf8');
    const cut = parseEscapeText(text.slice(0, Math.floor(text.length / 2)));
    assert.ok(cut.length > 0 && cut.length < parseEscapeText(text).length);
  });
});

describe('the go binary GoLens runs', () => {
  const ws = realpathSync(mkdtempSync(join(tmpdir(), 'golens-ws-')));
  const outside = realpathSync(mkdtempSync(join(tmpdir(), 'golens-go-')));
  const fake = (dir: string) => { mkdirSync(join(dir, 'bin'), { recursive: true }); const p = join(dir, 'bin', 'go'); writeFileSync(p, '#!/bin/sh\nexit 0\n'); chmodSync(p, 0o755); return p; };
  const planted = fake(ws);
  const real = fake(outside);
  test('a go inside a workspace folder is never chosen, from PATH or the setting', () => {
    const viaPath = resolveGoBinary({ env: { PATH: [join(ws, 'bin'), join(outside, 'bin')].join(':') }, workspaceFolders: [ws] });
    assert.deepEqual(viaPath, { path: real, via: 'PATH' });
    const only = resolveGoBinary({ env: { PATH: join(ws, 'bin') }, workspaceFolders: [ws] });
    assert.ok('error' in only && /refusing to run .*inside a workspace folder/.test(only.error), JSON.stringify(only));
    const setting = resolveGoBinary({ setting: planted, env: { PATH: join(outside, 'bin') }, workspaceFolders: [ws] });
    assert.ok('error' in setting && /refusing/.test(setting.error));
    const goroot = resolveGoBinary({ env: { PATH: '', GOROOT: ws }, workspaceFolders: [ws] });
    assert.ok('error' in goroot && /refusing/.test(goroot.error));
  });
  test('relative PATH entries are ignored; the setting must be absolute', () => {
    assert.ok('error' in resolveGoBinary({ env: { PATH: '.:bin' }, workspaceFolders: [] }));
    assert.ok('error' in resolveGoBinary({ setting: 'bin/go', env: {}, workspaceFolders: [] }));
    assert.deepEqual(resolveGoBinary({ setting: real, env: {}, workspaceFolders: [ws] }), { path: real, via: 'setting' });
  });
});

/** An installed toolchain, newest first. */
function installedGo(): string | undefined {
  for (const v of ['1.27', '1.26', '1.25', '1.24', '1.23', '1.22', '1.21', '1.19']) {
    const p = `/usr/lib/go-${v}/bin/go`;
    if (existsSync(p)) return p;
  }
  return undefined;
}

describe('the real compiler through the server\'s code path', () => {
  const go = installedGo();
  test('go build -gcflags=-m=2 on the fixture module gives the planted sites with pprof\'s bytes', { skip: go ? false : 'no Go toolchain in /usr/lib/go-1.*', timeout: 600_000 }, async () => {
    // A copy of the module with only the escapes program: the build stays short.
    const mod = realpathSync(mkdtempSync(join(tmpdir(), 'golens-esc-mod-')));
    mkdirSync(join(mod, 'escapes'));
    writeFileSync(join(mod, 'go.mod'), readFileSync(join(MODULE, 'go.mod')));
    writeFileSync(join(mod, 'escapes', 'main.go'), readFileSync(MAIN));
    const version = /go1\.(\d+)/.exec(spawnSync(go!, ['version'], { encoding: 'utf8' }).stdout)![0];
    const dir = DIRS.includes(version) ? version : DIRS.at(-1)!;
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' };
    const t0 = Date.now();
    const res = await analyzeModule({ go: go!, moduleDir: mod, profiles: [join(ESC, dir, 'heap.pprof')], timeoutMs: 300_000, env });
    console.log(`go build -gcflags=-m=2 ./... (${version}): ${res.build.ms} ms; analysis ${Date.now() - t0} ms`);
    assert.equal(res.build.exitCode, 0, res.build.text.slice(0, 2000));
    const bytes = pprofFlat(dir, 'alloc_space');
    const want = planted(version).filter((p) => p.runs && p.kind !== 'leaking-param');
    assert.deepEqual(res.hints.map((h) => [h.line, h.kind]).sort((a, b) => (a[0] as number) - (b[0] as number)), want.map((p) => [p.line, p.kind]));
    for (const h of res.hints) {
      assert.equal(h.file, join(mod, 'escapes', 'main.go'));
      assert.equal(h.allocBytes, bytes.get(h.line));
    }
    // A second run hits the build cache and still reports (go replays cached -m output).
    const again = await analyzeModule({ go: go!, moduleDir: mod, profiles: [join(ESC, dir, 'heap.pprof')], timeoutMs: 300_000, env });
    console.log(`cached rebuild: ${again.build.ms} ms`);
    assert.deepEqual(again.hints.map((h) => h.message), res.hints.map((h) => h.message));
    // The diagnostics the editor gets: one-based positions become zero-based, code golens.escape.
    const diags = [...escapeDiagnostics(res.hints).values()].flat();
    assert.equal(diags.length, res.hints.length);
    for (const d of diags) {
      assert.equal(d.code, 'golens.escape');
      assert.equal(d.severity, 3);
      assert.ok(d.relatedInformation!.length >= 2);
    }
    // Cancelled: the go process group is killed and nothing is reported.
    const ctl = new AbortController();
    writeFileSync(join(mod, 'escapes', 'main.go'), readFileSync(MAIN, 'utf8') + '\n// changed\n');
    const p = analyzeModule({ go: go!, moduleDir: mod, profiles: [], timeoutMs: 300_000, env, signal: ctl.signal });
    ctl.abort();
    const stopped = await p;
    assert.equal(stopped.build.stopped, 'cancelled');
    assert.deepEqual(stopped.hints, []);
  });
});

describe('golens escapes (spawned)', () => {
  const CLI = join(ROOT, 'dist', 'cli.js');
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'escapes', ...args], { encoding: 'utf8', timeout: 60000, env: { ...process.env, PATH: '/nonexistent' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const dir = 'go1.27';
  test('--json: the contract, sorted by allocBytes, one-based, pprof\'s bytes', () => {
    const r = run(join(MODULE, 'escapes'), '--compiler-output', join(ESC, dir, 'json'), '--profile', join(ESC, dir, 'heap.pprof'), '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const got = JSON.parse(r.stdout) as { hints: (EscapeHint & { flow: { file: string; line: number; column: number; text: string }[] })[]; hidden: number };
    const bytes = pprofFlat(dir, 'alloc_space');
    assert.ok(got.hints.length > 0);
    for (const h of got.hints) {
      assert.deepEqual(Object.keys(h).slice(0, 8), ['file', 'line', 'column', 'kind', 'message', 'allocBytes', 'allocObjects', 'flow']);
      assert.equal(h.file, MAIN);
      assert.equal(h.allocBytes, bytes.get(h.line));
      assert.ok(h.line >= 1 && h.column >= 1);
    }
    assert.deepEqual(got.hints.map((h) => h.allocBytes), got.hints.map((h) => h.allocBytes).sort((a, b) => b - a));
    assert.equal(got.hidden, 2);
    const all = JSON.parse(run(join(MODULE, 'escapes'), '--compiler-output', join(ESC, dir, 'm2.txt'), '--profile', join(ESC, dir, 'heap.pprof'), '--json', '--all').stdout);
    assert.equal(all.hints.length, planted(dir).length);
  });
  test('text output names the sites, why and the fix', () => {
    const r = run(join(MODULE, 'escapes'), '--compiler-output', join(ESC, dir, 'm2.txt'), '--profile', join(ESC, dir, 'heap.pprof'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /escapes\/main\.go:85:13 {2}make\(\[\]int64, 20000\) escapes to heap — too large for the stack/);
    assert.match(r.stdout, /fix: /);
  });
  test('bad input: exit 2 and one line', () => {
    const cases: [string[], RegExp][] = [
      [[join(MODULE, 'nope')], /no such directory/],
      [[MAIN], /not a directory/],
      [[join(MODULE, 'escapes'), '--compiler-output', MAIN], /not compiler output/],
      [[join(MODULE, 'escapes'), '--compiler-output', join(ESC, dir, 'json'), '--profile', join(FIX, 'pprof', 'go1.27', 'cpu.pprof')], /cpu profile: the profile has no alloc_space sample type/],
      [[join(MODULE, 'escapes')], /no go found on PATH/],
    ];
    for (const [args, re] of cases) {
      const r = run(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
