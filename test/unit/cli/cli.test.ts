// The golens command line as users and scripts run it: a real process, its JSON, its
// exit codes and its one-line errors.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixture, PPROF_DIR, readPprofTop, ROOT, toolchainDirs } from '../helpers/fixtures';

const CLI = join(ROOT, 'dist', 'cli.js');
const dir = toolchainDirs().at(-1)!;
const f = (name: string) => join(PPROF_DIR, dir, name);

function golens(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(...args: string[]) {
  const r = golens(...args, '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout);
}

describe('golens top', () => {
  test('--json carries the contract fields and pprof\'s numbers', () => {
    const got = json('top', f('cpu.pprof'));
    const want = readPprofTop(dir, 'cpu.cpu.top.txt');
    assert.deepEqual(Object.keys(got), ['sampleType', 'unit', 'total', 'rows']);
    assert.equal(got.sampleType, 'cpu');
    assert.equal(got.unit, 'nanoseconds');
    assert.equal(got.total, want.total);
    assert.deepEqual(got.rows.map((r: { function: string; flat: number; cum: number }) => [r.function, r.flat, r.cum]), want.rows.map((r) => [r.name, r.flat, r.cum]));
    // pprof's row name, and its inline mark on exactly the rows pprof marks.
    got.rows.forEach((r: { name: string; inline?: string }, i: number) => {
      assert.deepEqual(Object.keys(r), ['name', 'function', 'file', 'flat', 'cum', ...(want.rows[i].inline ? ['inline'] : [])]);
      assert.equal(r.name, want.rows[i].name);
      assert.equal(r.inline ?? '', want.rows[i].inline);
    });
  });
  test('--sample, --granularity lines and -n', () => {
    const got = json('top', f('heap.pprof'), '--sample', 'alloc_space', '--granularity', 'lines', '-n', '5');
    const want = readPprofTop(dir, 'heap.alloc_space.lines.top.txt');
    assert.equal(got.rows.length, 5);
    assert.equal(got.unit, 'bytes');
    assert.deepEqual(got.rows.map((r: { function: string; file: string; line: number; flat: number }) => `${r.function} ${r.file}:${r.line} ${r.flat}`),
      want.rows.slice(0, 5).map((r) => `${r.name} ${r.flat}`));
  });
  test('--focus, --ignore and --tag as pprof\'s -focus, -ignore and -tagfocus', () => {
    const cases: [string[], string][] = [
      [['--focus', 'hashBlock'], 'cpu.focus-hashBlock.cpu.top.txt'],
      [['--ignore', 'sortPhase'], 'cpu.ignore-sortPhase.cpu.top.txt'],
      [['--tag', 'worker=hash'], 'cpu.tagfocus-worker=hash.cpu.top.txt'],
    ];
    for (const [args, file] of cases) {
      const got = json('top', f('cpu.pprof'), ...args);
      assert.deepEqual(got.rows.map((r: { function: string; flat: number }) => [r.function, r.flat]), readPprofTop(dir, file).rows.map((r) => [r.name, r.flat]), file);
    }
  });
  test('several profiles are merged', () => {
    const one = json('top', f('cpu.pprof'));
    const two = json('top', f('cpu.pprof'), f('cpu.pprof'));
    assert.equal(two.total, one.total * 2);
    assert.deepEqual(two.rows.map((r: { flat: number }) => r.flat), one.rows.map((r: { flat: number }) => r.flat * 2));
  });
  test('human output is pprof\'s table with units', () => {
    const r = golens('top', f('cpu.pprof'), '-n', '3');
    assert.equal(r.code, 0);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines.find((l) => l.startsWith('Showing'))!, /^Showing nodes accounting for [\d.]+m?s, [\d.]+% of [\d.]+m?s total$/);
    assert.match(lines.at(-4)!, /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%$/);
    assert.match(lines.at(-1)!, /^\s+[\d.]+m?s\s+[\d.]+%\s+[\d.]+%\s+[\d.]+m?s\s+[\d.]+%\s+\S+/);
  });
});

describe('golens diff', () => {
  for (const [flag, file] of [[[], 'alloc.diff.alloc_space.top.txt'], [['--normalize'], 'alloc.diff-normalize.alloc_space.top.txt']] as [string[], string][]) {
    test(`deltas equal go tool pprof -top -diff_base ${flag.join(' ')}`, () => {
      const got = json('diff', f('alloc-base.pprof'), f('alloc-new.pprof'), '--sample', 'alloc_space', ...flag);
      const want = readPprofTop(dir, file);
      assert.deepEqual(Object.keys(got), ['sampleType', 'unit', 'baseTotal', 'newTotal', 'rows']);
      assert.equal(got.baseTotal, want.total);
      assert.deepEqual(got.rows.map((r: { function: string; flat: { delta: number }; cum: { delta: number } }) => [r.function, r.flat.delta, r.cum.delta]),
        want.rows.map((r) => [r.name, r.flat, r.cum]));
      for (const r of got.rows) {
        assert.equal(r.flat.delta, r.flat.new - r.flat.base);
        assert.equal(r.cum.delta, r.cum.new - r.cum.base);
      }
    });
  }
  test('incompatible profiles are refused', () => {
    const r = golens('diff', f('cpu.pprof'), f('heap.pprof'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^golens: incompatible profiles: sample types .*\n$/);
  });
});

describe('errors: exit 2 and exactly one line', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'golens-cli-'));
  const write = (name: string, bytes: Uint8Array) => { const p = join(tmp, name); writeFileSync(p, bytes); return p; };
  const gz = fixture(dir, 'cpu.pprof');
  const cases: [string, string[], RegExp][] = [
    ['empty file', ['top', write('empty.pprof', new Uint8Array(0))], /empty file \(at byte 0\)/],
    ['truncated gzip', ['top', write('trunc.pprof', gz.subarray(0, gz.length - 20))], /truncated gzip stream \(at byte \d+\)/],
    ['corrupt bytes', ['top', write('flip.pprof', Uint8Array.from(gz, (b, i) => (i > 30 && i < 90 ? b ^ 0x5a : b)))], /corrupt gzip|truncated gzip/],
    ['not a profile', ['top', write('notes.txt', new TextEncoder().encode('just some notes\n'))], /not a pprof profile|corrupt|invalid/],
    ['a goroutine dump', ['top', f('goroutine.txt')], /text goroutine dump/],
    ['missing file', ['top', join(tmp, 'nope.pprof')], /no such file/],
    ['unknown flag', ['top', f('cpu.pprof'), '--frobnicate'], /unknown flag --frobnicate/],
    ['bad sample type', ['top', f('cpu.pprof'), '--sample', 'bytes'], /sample type "bytes" is not in this profile \(it has samples, cpu\)/],
    ['bad regexp', ['top', f('cpu.pprof'), '--focus', '(unclosed'], /focus: invalid regular expression/],
    ['unknown command', ['frob'], /unknown command "frob"/],
    ['no arguments to top', ['top'], /top needs a profile file/],
  ];
  for (const [name, args, re] of cases) {
    test(name, () => {
      const r = golens(...args);
      assert.equal(r.code, 2, `exit code for ${name}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, re);
      assert.equal(r.stderr.split('\n').length, 2, `one line: ${JSON.stringify(r.stderr)}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }
  test('--help exits 0', () => {
    const r = golens('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /golens top <profile>/);
  });
});

describe('golens trace', () => {
  const TRACES = join(ROOT, 'test', 'fixtures', 'trace');
  const REF = join(ROOT, 'test', 'fixtures', 'go-reference');
  for (const go of ['go1.19', 'go1.21', 'go1.23', 'go1.27']) {
    test(`--json on a ${go} trace: the contract and the reference counts`, () => {
      const exp = JSON.parse(readFileSync(join(TRACES, go, 'trace-gc.expected.json'), 'utf8'));
      const got = json('trace', join(TRACES, go, 'trace-gc.trace'));
      assert.deepEqual(Object.keys(got), ['format', 'durationNs', 'events', 'gomaxprocs', 'goroutinesCreated', 'gcCycles', 'stw', 'generations']);
      assert.deepEqual(Object.keys(got.stw), ['count', 'totalNs']);
      for (const k of ['format', 'durationNs', 'events', 'goroutinesCreated', 'gcCycles']) assert.equal(got[k], exp[k], k);
      assert.equal(got.gomaxprocs, exp.planted.gomaxprocs);
      assert.ok(got.stw.count > 0 && got.stw.totalNs > 0);
    });
  }
  test('human output', () => {
    const r = golens('trace', join(TRACES, 'go1.27', 'trace-leak.trace'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Format: go 1\.26 \(written by Go 1\.26–1\.27; 1 generation\)$/m);
    assert.match(r.stdout, /^Duration: [\d.]+m?s {3}Events: \d+ {3}GOMAXPROCS: \d+$/m);
  });
  const bad: [string, string, RegExp][] = [
    ['an unsupported version', join(REF, 'v1', 'stress_1_9_good'), /unsupported trace version go 1\.9/],
    ['a broken trace', join(REF, 'v2', 'go122-fail-first-gen-first.trace'), /broken trace: generation 1: .* \(at byte \d+\)/],
    ['a profile', f('cpu.pprof'), /not a Go execution trace/],
  ];
  for (const [name, file, re] of bad) {
    test(`${name}: exit 2 and one line`, () => {
      const r = golens('trace', file);
      assert.equal(r.code, 2);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    });
  }
});

describe('golens when the reader of its output has gone', () => {
  test('ends quietly with the status of a Go program killed by SIGPIPE (141), no error line', async () => {
    // The parent closes its end of the stdout pipe at once (what `| head` does once it has its
    // lines): the first write of the report finds no reader.
    const child = spawn(process.execPath, [CLI, 'top', f('cpu.pprof'), '-n', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    assert.equal(stderr, '');
    assert.equal(code, 141);
  });
});
