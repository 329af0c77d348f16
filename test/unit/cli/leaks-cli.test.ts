// `golens leaks` as the CLI runs it (cmdLeaks, in process: main.ts maps its errors to
// exit 2) and leakFindingsFromFiles as `golens report` calls it: file kinds from content,
// the JSON contract, the table, and bad input as FormatError / InputError / UsageError.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { UsageError } from '../../../src/cli/args';
import { cmdLeaks } from '../../../src/cli/leaks';
import { leakFindingsFromFiles, readLeakInput } from '../../../src/core/artifacts/leaks';
import { FormatError, InputError, WrongKindError } from '../../../src/core/errors';
import { PPROF_DIR } from '../helpers/fixtures';
import { leakDirs, leakFacts, leakPath, TRACE_DIR, traceDirs } from '../helpers/leakfixtures';

const dir = leakDirs().at(-1)!;
const facts = leakFacts(dir);
const p = (name: string) => leakPath(dir, name);
const tmp = mkdtempSync(join(tmpdir(), 'golens-leaks-'));
const write = (name: string, data: string | Uint8Array) => { const f = join(tmp, name); writeFileSync(f, data); return f; };

function run(...argv: string[]): string {
  let s = '';
  cmdLeaks(argv, (x) => { s += x; });
  return s;
}

const isFormat = (re: RegExp) => (e: unknown) => e instanceof FormatError && re.test(e.message);
const isUsage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);
const isInput = (re: RegExp) => (e: unknown) => e instanceof InputError && re.test(e.message);
const isWrongKind = (re: RegExp) => (e: unknown) => e instanceof WrongKindError && re.test(e.message);

describe('golens leaks --json', () => {
  test('the contract: {"leaks":[{count, reason, blockedAt, createdAt, confidence, pattern?, blockedNs?}], "seen": census}, most goroutines first', () => {
    const got = JSON.parse(run(p('leakprof-1.txt'), p('leakprof-2.txt'), '--json')) as { leaks: Record<string, unknown>[]; seen: Record<string, unknown> };
    assert.deepEqual(Object.keys(got), ['leaks', 'seen']);
    // What the last snapshot held: the planted leaks are its candidates.
    assert.equal(got.seen.parked, got.leaks.reduce((n, r) => n + (r.count as number), 0));
    assert.equal(got.leaks.length, facts.leaks.length);
    const counts = got.leaks.map((r) => r.count as number);
    assert.deepEqual(counts, counts.slice().sort((a, b) => b - a));
    for (const r of got.leaks) {
      assert.deepEqual(Object.keys(r).slice(0, 5), ['count', 'reason', 'blockedAt', 'createdAt', 'confidence']);
      assert.deepEqual(Object.keys(r.blockedAt as object), ['function', 'file', 'line']);
      assert.deepEqual(Object.keys(r.createdAt as object), ['function', 'file', 'line']);
      assert.equal(r.confidence, 'likely');
    }
  });
  test('kinds from content, whatever the file is called; blockedNs from a trace', () => {
    const trace = write('capture.bin', readFileSync(join(TRACE_DIR, traceDirs().at(-1)!, 'trace-leak.trace')));
    const got = JSON.parse(run(trace, '--json')) as { leaks: { blockedNs: number; createdAt: unknown; pattern: string }[] };
    assert.equal(got.leaks.length, 4);
    for (const r of got.leaks) {
      assert.ok(r.blockedNs > 0);
      assert.notEqual(r.createdAt, null);
      assert.ok(r.pattern);
    }
    const prof = write('g.dat', readFileSync(p('leakprof-2.pprof')));
    const fromProfile = JSON.parse(run(prof, '--json')) as { leaks: { createdAt: unknown }[] };
    assert.equal(fromProfile.leaks.length, facts.leaks.length);
    for (const r of fromProfile.leaks) assert.equal(r.createdAt, null);
    const gzDump = write('dump.gz', gzipSync(readFileSync(p('leakprof-2.txt'))));
    assert.equal((JSON.parse(run(gzDump, '--json')) as { leaks: unknown[] }).leaks.length, facts.leaks.length);
  });
  test('no leaks: an empty list, and what was seen', () => {
    const got = JSON.parse(run(join(TRACE_DIR, traceDirs().at(-1)!, 'trace-gc.trace'), '--json')) as { leaks: unknown[]; seen: { parked: number; goroutines: number; main?: unknown } };
    assert.deepEqual(got.leaks, []);
    assert.equal(got.seen.parked, 0);
    assert.equal(got.seen.main, undefined, 'main ran to trace.Stop');
    assert.ok(got.seen.goroutines >= 2, String(got.seen.goroutines));
  });
});

describe('golens leaks (table)', () => {
  test('one row per site with confidence, blocking and creation sites, and the patterns\' advice', () => {
    const out = run(p('leakprof-1.pprof'), p('leakprof-2.txt'));
    const lines = out.split('\n');
    assert.match(lines[0], /^Files: .*leakprof-1\.pprof, .*leakprof-2\.txt$/);
    assert.match(lines[1], /^30 goroutines at 5 leak sites \(30 likely\)$/);
    assert.match(lines[3], /^Goroutines +Confidence +Reason +Blocked at +Created at +Blocked for +Pattern$/);
    assert.match(lines[4], /^ *10 \(5→10\) +likely +chan receive +main\.waitFor leakprof\/main\.go:\d+ +main\.startNamed leakprof\/main\.go:\d+ +- +missing-cancel$/);
    for (const l of facts.leaks) assert.ok(out.includes(`${l.blockFunction} leakprof/main.go:${l.blockLine}`), l.marker);
    assert.match(out, /\nsend-after-timeout: .*buffer of 1/);
  });
  test('nothing parked', () => {
    assert.match(run(join(TRACE_DIR, traceDirs().at(-1)!, 'trace-gc.trace')), /\nNo goroutine leaks/);
  });
});

describe('bad input', () => {
  test('broken files: FormatError naming the file', () => {
    const truncatedGz = write('trunc.pprof', readFileSync(p('leakprof-2.pprof')).subarray(0, 200));
    assert.throws(() => run(truncatedGz), isFormat(/trunc\.pprof: truncated gzip stream/));
    const hello = write('hello.txt', 'hello world\n');
    assert.throws(() => run(hello), isFormat(/hello\.txt: not a goroutine dump, a pprof profile or an execution trace/));
    // A debug=1 goroutine profile is read as pprof reads it, but its runtime frames (why a
    // goroutine waits) are unnamed: leaks says so; a broken one names its line.
    const debug1 = write('debug1.txt', 'goroutine profile: total 2\n2 @ 0x43 0x44\n#\t0x43\tmain.f+0x1\t/x.go:3\n');
    const input = readLeakInput(debug1);
    assert.equal(input.kind, 'other');
    assert.match(input.kind === 'other' ? input.error.message : '', /debug1\.txt: a debug=1 goroutine profile leaves out the runtime frames/);
    assert.throws(() => run(write('debug1-bad.txt', 'goroutine profile: total 2\n2 @ main.f\n')), isFormat(/debug1-bad\.txt: debug=1 count profile, line 2: malformed sample/));
    assert.throws(() => run(write('empty', '')), isFormat(/empty: empty file/));
    const trace = readFileSync(join(TRACE_DIR, traceDirs().at(-1)!, 'trace-leak.trace'));
    assert.throws(() => run(write('cut.trace', trace.subarray(0, trace.length >> 1))), (e: unknown) => e instanceof FormatError && /cut\.trace: /.test(e.message));
    assert.throws(() => run(write('bin', new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2]))), (e: unknown) => e instanceof FormatError);
  });
  test('usage: no file, a directory, a missing file, an unknown flag, a profile without goroutines', () => {
    assert.throws(() => run(), isUsage(/at least one file/));
    assert.throws(() => run(tmp), isInput(/is a directory/));
    assert.throws(() => run(join(tmp, 'nope')), isInput(/nope: no such file/));
    assert.throws(() => run(p('leakprof-1.pprof'), '--md'), isUsage(/unknown flag --md/));
    const cpu = join(PPROF_DIR, 'go1.27', 'cpu.pprof');
    assert.throws(() => run(cpu), isWrongKind(/cpu\.pprof: a cpu profile holds no goroutines/));
    assert.equal(readLeakInput(cpu).kind, 'other');
  });
});

describe('leakFindingsFromFiles (for golens report)', () => {
  test('findings for the files that hold goroutines; other profiles skipped', () => {
    const fs = leakFindingsFromFiles([join(PPROF_DIR, 'go1.27', 'cpu.pprof'), join(PPROF_DIR, 'go1.27', 'heap.pprof'), p('leakprof-2.txt')]);
    assert.equal(fs.length, facts.leaks.length);
    for (const f of fs) {
      assert.equal(f.kind, 'leak');
      assert.equal(f.confidence, 'possible');
      assert.ok(f.source.endsWith('leakprof-2.txt'));
    }
    assert.deepEqual(leakFindingsFromFiles([join(PPROF_DIR, 'go1.27', 'cpu.pprof')]), []);
  });
  test('text that is not a dump (a gctrace or schedtrace log) is skipped; broken files still throw', () => {
    assert.deepEqual(leakFindingsFromFiles([write('gctrace.log', 'gc 1 @0.012s 2%: 0.010+1.2+0.003 ms clock, 0.041+0.2/1.1/0.5+0.012 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P\n')]), []);
    assert.deepEqual(leakFindingsFromFiles([write('debug1.txt', 'goroutine profile: total 2\n')]), []);
    const truncatedGz = write('trunc2.pprof', readFileSync(p('leakprof-2.pprof')).subarray(0, 200));
    assert.throws(() => leakFindingsFromFiles([truncatedGz]), isFormat(/trunc2\.pprof: truncated gzip stream/));
    const trace = readFileSync(join(TRACE_DIR, traceDirs().at(-1)!, 'trace-leak.trace'));
    assert.throws(() => leakFindingsFromFiles([write('cut2.trace', trace.subarray(0, trace.length >> 1))]), (e: unknown) => e instanceof FormatError);
  });
});
