// `golens whatif` as scripts run it: the JSON contract (exactly eight keys in the baseline; the
// same eight first in the model and each scenario, then only the pacer's state), the crossed lists, memory-limit units, the default set, and one-line errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gcFrom } from '../../../src/core/artifacts/gc';
import { ROOT } from '../helpers/fixtures';

const CLI = join(ROOT, 'dist', 'cli.js');
const TRACE = join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', 'trace-gc.trace');
const KEYS = ['gogc', 'memlimit', 'gomaxprocs', 'gcCycles', 'peakHeapBytes', 'gcCpuFraction', 'stwTotalNs', 'wallNs'];
/** What a prediction (the model, a scenario) may add after the eight: the pacer's state, and the other state where a run could settle in either. */
const EXTRA = ['pacerState', 'otherState'];
const FIGURES = KEYS.slice(3);

/** The eight keys first and in order, then only the documented extras (a prediction's, not the baseline's). */
function predictionKeys(o: Record<string, unknown>): void {
  const k = Object.keys(o);
  assert.deepEqual(k.slice(0, KEYS.length), KEYS);
  for (const x of k.slice(KEYS.length)) assert.ok(EXTRA.includes(x), `unexpected key ${x}`);
}

function golens(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(...args: string[]) {
  const r = golens('whatif', TRACE, ...args, '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as { baseline: Record<string, unknown>; scenarios: Record<string, unknown>[]; model: Record<string, unknown>; notes: string[] };
}

describe('golens whatif', () => {
  test('--json: the baseline is what golens gc --json measures, with exactly the eight keys', () => {
    const j = json('--gogc', '200');
    assert.deepEqual(Object.keys(j.baseline), KEYS);
    predictionKeys(j.model);
    const gc = gcFrom(TRACE);
    assert.equal(j.baseline.gcCycles, gc.cycles);
    assert.equal(j.baseline.peakHeapBytes, gc.heap.peakInUseBytes);
    assert.equal(j.baseline.gcCpuFraction, gc.gcCpuFraction);
    assert.equal(j.baseline.stwTotalNs, gc.stw.totalNs);
    assert.equal(j.baseline.wallNs, gc.durationNs);
    assert.equal(j.baseline.gomaxprocs, 2);
    assert.equal(j.baseline.gogc, 100);
    assert.equal(j.baseline.memlimit, null);
    assert.ok(j.notes.some((n) => /GOGC=100 inferred/.test(n)), j.notes.join('\n'));
  });

  test('lists are crossed; an axis not given stays at the baseline; units and off are read', () => {
    const j = json('--gogc', '50,off', '--memlimit', '512MiB,1GB', '--gomaxprocs', '1');
    assert.equal(j.scenarios.length, 4);
    for (const s of j.scenarios) predictionKeys(s);
    assert.deepEqual(j.scenarios.map((s) => [s.gogc, s.memlimit, s.gomaxprocs]), [
      [50, 512 * 2 ** 20, 1], [50, 1e9, 1], ['off', 512 * 2 ** 20, 1], ['off', 1e9, 1],
    ]);
    const only = json('--memlimit', '64MiB');
    assert.deepEqual(only.scenarios.map((s) => [s.gogc, s.memlimit, s.gomaxprocs]), [[100, 64 * 2 ** 20, 2]]);
  });

  test('no flags: GOGC 50, 200 and off, and half and double the procs', () => {
    const j = json();
    assert.deepEqual(j.scenarios.map((s) => [s.gogc, s.gomaxprocs]), [[50, 2], [200, 2], ['off', 2], [100, 1], [100, 4]]);
  });

  test('the text form: a table, baseline first, with changes in %', () => {
    const r = golens('whatif', TRACE, '--gogc', '200');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    // The trace's format and who writes it: the pacer rules are that format's release's.
    const tc = TRACE.match(/go1\.(\d+)/)![1];
    assert.match(lines[0], new RegExp(`^File: .* \\(go 1\\.\\d+ trace, written by Go [\\d.–]*${tc}\\)$`));
    assert.match(lines.find((l) => l.startsWith('baseline')) ?? '', /^baseline \(trace\)\s+100\s+none\s+2\s+\d+/);
    assert.match(lines.find((l) => l.startsWith('what if')) ?? '', /^what if\s+200\s+none\s+2\s+\d+ \([+-][\d.]+%\)/);
  });

  test('the pacer\'s two steady states: the other one where a run could settle in either, none where it cannot', () => {
    // This trace's run had no runway (its marks began within one allocation of the goal). At
    // GOGC=50 the room the trigger bound leaves is under two allocations: either state, the
    // trace's predicted and the other beside it. At GOGC=400 it is over two: the runway state only.
    const j = json('--gogc', '50,400');
    assert.equal(j.model.pacerState, 'zero');
    const [g50, g400] = j.scenarios;
    assert.equal(g50.pacerState, 'zero');
    const o = g50.otherState as Record<string, unknown>;
    assert.ok(o, 'GOGC=50 has the other state');
    assert.deepEqual(Object.keys(o), ['pacerState', ...FIGURES]);
    assert.equal(o.pacerState, 'runway');
    for (const f of FIGURES) assert.ok(typeof o[f] === 'number' && Number.isFinite(o[f]) && (o[f] as number) >= 0, f);
    // With a runway the marks allocate while they run: they mark more, so the peak is higher.
    assert.ok((o.peakHeapBytes as number) > (g50.peakHeapBytes as number), `${String(o.peakHeapBytes)} vs ${String(g50.peakHeapBytes)}`);
    assert.equal(g400.pacerState, 'runway');
    assert.equal(g400.otherState, undefined);
    const text = golens('whatif', TRACE, '--gogc', '50,400').stdout;
    assert.match(text, /^ {2}GOGC=50, memory limit none, GOMAXPROCS=2, a runway: \d+ GC cycles/m);
    assert.doesNotMatch(text, /GOGC=400, memory limit/);
  });

  test('bad flags: one clear line, exit 2', () => {
    for (const [args, what] of [
      [['--gogc', 'lots'], /--gogc needs a whole percentage/],
      [['--gogc', '50,,100'], /--gogc needs a comma-separated list/],
      [['--memlimit', '12 parsecs'], /--memlimit needs a size such as/],
      [['--gomaxprocs', '0'], /--gomaxprocs needs a whole number/],
      [['--gomaxprocs'], /--gomaxprocs needs a value/],
      [['--procs', '2'], /unknown flag --procs/],
    ] as [string[], RegExp][]) {
      const r = golens('whatif', TRACE, ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      const lines = r.stderr.split('\n').filter((l) => l);
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], what);
    }
    const prof = golens('whatif', join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'cpu.pprof'));
    assert.equal(prof.code, 2);
    assert.match(prof.stderr, /^golens: .*cpu\.pprof: .*not an execution trace/);
  });
});
