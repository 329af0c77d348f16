// `golens diff` on two traces: every number is the one the single-trace command prints for
// that file (golens trace/sched/gc/contention --json), the planted difference (programs/
// tracediff run with -contend) ranks first, a trace against itself differs nowhere, and
// old-format and new-format traces compare.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { cmdContention } from '../../../src/cli/contention';
import { cmdGc } from '../../../src/cli/gc';
import { cmdSched } from '../../../src/cli/sched';
import { cmdDiff } from '../../../src/cli/diff';
import { cmdTrace } from '../../../src/cli/trace';
import { ROOT } from '../helpers/fixtures';

const DIR = join(ROOT, 'test', 'fixtures', 'tracediff');
const DIRS = ['go1.21', 'go1.22', 'go1.27'];
const f = (dir: string, name: string) => join(DIR, dir, name);

interface Row {
  rank: number; id: string; group: string; metric: string; unit: string; base: number | null; new: number | null;
  delta: number; relative: number | null; impact: number | null;
  site?: { kind: string; function: string; file: string; baseLines: number[]; newLines: number[]; matchedBy: string; baseCount: number; newCount: number };
}

// The commands in this process (main.ts runs itself when bundled into a test).
const COMMANDS: Record<string, (argv: string[], out: (s: string) => void) => void> = {
  diff: cmdDiff, trace: cmdTrace, sched: cmdSched, gc: cmdGc, contention: cmdContention,
};

function run(cmd: string, ...argv: string[]): string {
  let out = '';
  COMMANDS[cmd](argv, (s) => { out += s; });
  return out;
}

function json(cmd: string, ...argv: string[]) {
  return JSON.parse(run(cmd, ...argv, '--json'));
}

/** The real process, for exit codes and stderr. */
function golens(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8', timeout: 30000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** What the single-trace commands print for one file. */
function single(path: string) {
  const c = json('contention', path);
  return { trace: json('trace', path), sched: json('sched', path), gc: json('gc', path), sites: [...c.sites, ...c.channels] };
}

/** The value a metric row must carry, read from the single-trace commands' JSON. */
function expected(id: string, s: ReturnType<typeof single>): number | null {
  switch (id) {
    case 'wall': return s.trace.durationNs;
    case 'goroutines': return s.trace.goroutinesCreated;
    case 'sched.total': return s.sched.latency?.totalNs ?? null;
    case 'sched.p50': return s.sched.latency?.p50Ns ?? null;
    case 'sched.p90': return s.sched.latency?.p90Ns ?? null;
    case 'sched.p99': return s.sched.latency?.p99Ns ?? null;
    case 'sched.max': return s.sched.latency?.maxNs ?? null;
    case 'gc.cycles': return s.gc.cycles;
    case 'gc.cpu': return s.gc.gcCpuFraction;
    case 'gc.stw.total': return s.gc.stw.totalNs;
    case 'gc.stw.max': return s.gc.stw.maxNs;
    case 'gc.heap.peak': return s.gc.heap.peakInUseBytes;
    default: throw new Error(`no expectation for ${id}`);
  }
}

/** A site's wait and count summed over the contention command's rows at those lines. */
function siteTotals(sites: { kind: string; waiter: { function: string; file: string; line: number } | null; waitNs: number; count: number }[], kind: string, fn: string, file: string, lines: number[]) {
  const at = sites.filter((x) => x.kind === kind && (x.waiter?.function ?? '') === fn && (x.waiter?.file ?? '') === file && lines.includes(x.waiter?.line ?? 0));
  return { waitNs: at.reduce((t, x) => t + x.waitNs, 0), count: at.reduce((t, x) => t + x.count, 0), n: at.length };
}

function checkAgainstSingles(got: { rows: Row[] }, a: ReturnType<typeof single>, b: ReturnType<typeof single>) {
  for (const r of got.rows) {
    if (!r.site) {
      assert.equal(r.base, expected(r.id, a), `${r.id} base`);
      assert.equal(r.new, expected(r.id, b), `${r.id} new`);
      assert.equal(r.delta, (r.new ?? 0) - (r.base ?? 0), `${r.id} delta`);
      continue;
    }
    const s = r.site;
    const ta = siteTotals(a.sites, s.kind, s.function, s.file, s.baseLines), tb = siteTotals(b.sites, s.kind, s.function, s.file, s.newLines);
    assert.equal(ta.n, s.baseLines.length, `${r.id}: base lines found`);
    assert.equal(tb.n, s.newLines.length, `${r.id}: new lines found`);
    assert.equal(r.base, s.baseLines.length ? ta.waitNs : null, `${r.id} base wait`);
    assert.equal(r.new, s.newLines.length ? tb.waitNs : null, `${r.id} new wait`);
    assert.equal(s.baseCount, ta.count, `${r.id} base count`);
    assert.equal(s.newCount, tb.count, `${r.id} new count`);
  }
  // Every site of either trace is in the diff.
  const distinct = (l: typeof a.sites) => new Set(l.map((x) => `${x.kind} ${x.waiter?.function} ${x.waiter?.file} ${x.waiter?.line}`)).size;
  assert.equal(got.rows.reduce((t, r) => t + (r.site?.baseLines.length ?? 0), 0), distinct(a.sites));
  assert.equal(got.rows.reduce((t, r) => t + (r.site?.newLines.length ?? 0), 0), distinct(b.sites));
  const wait = (l: typeof a.sites) => l.reduce((t, x) => t + x.waitNs, 0);
  assert.equal(got.rows.filter((r) => r.site).reduce((t, r) => t + (r.base ?? 0), 0), wait(a.sites));
  assert.equal(got.rows.filter((r) => r.site).reduce((t, r) => t + (r.new ?? 0), 0), wait(b.sites));
}

describe('golens diff <trace> <trace>', () => {
  for (const dir of DIRS) {
    test(`${dir}: each number is the single-trace commands' number for that file`, () => {
      const got = json('diff', f(dir, 'base.trace'), f(dir, 'new.trace'));
      assert.deepEqual(Object.keys(got), ['kind', 'base', 'new', 'wallNs', 'changed', 'rows']);
      assert.equal(got.kind, 'trace diff');
      const a = single(f(dir, 'base.trace')), b = single(f(dir, 'new.trace'));
      assert.equal(got.wallNs, Math.max(a.trace.durationNs, b.trace.durationNs));
      assert.equal(got.base.format, a.trace.format);
      checkAgainstSingles(got, a, b);
      // Ranks are 1…n in order; impacts of time rows never rise down the ranking.
      got.rows.forEach((r: Row, i: number) => assert.equal(r.rank, i + 1));
      const timed = got.rows.filter((r: Row) => r.impact !== null && r.impact > 0).map((r: Row) => r.impact!);
      assert.deepEqual(timed, [...timed].sort((x, y) => y - x));
    });

    test(`${dir}: the planted lock contention ranks first`, () => {
      const got = json('diff', f(dir, 'base.trace'), f(dir, 'new.trace'));
      const top: Row = got.rows[0];
      assert.equal(top.group, 'blocking');
      assert.equal(top.site!.kind, 'mutex');
      assert.equal(top.site!.function, 'main.work');
      assert.equal(top.site!.file, 'golens.example/fixtures/tracediff/main.go');
      // The `mu.Lock() // lock` line of the program.
      const src = readFileSync(join(ROOT, 'test', 'fixtures', 'programs', 'tracediff', 'main.go'), 'utf8').split('\n');
      assert.deepEqual(top.site!.newLines, [src.findIndex((l) => l.includes('mu.Lock() // lock')) + 1]);
      assert.equal(top.site!.matchedBy, 'new only');
      assert.equal(top.base, null);
      assert.ok(top.new! > 0 && top.relative === null);
      const facts = JSON.parse(readFileSync(f(dir, 'facts.json'), 'utf8'));
      if (facts.syncBlocksInMainWork !== undefined) {
        // Go's reference reader (`go tool trace -d=parsed`) saw this many sync blocks in
        // main.work; each is one mutex wait, but a block still open at the trace's end is not.
        assert.ok(top.site!.newCount <= facts.syncBlocksInMainWork && top.site!.newCount >= facts.syncBlocksInMainWork - 1,
          `${top.site!.newCount} waits vs ${facts.syncBlocksInMainWork} sync blocks`);
      }
    });
  }

  test('a trace against itself differs nowhere', () => {
    for (const dir of DIRS) {
      const got = json('diff', f(dir, 'new.trace'), f(dir, 'new.trace'));
      assert.equal(got.changed, 0, dir);
      assert.ok(got.rows.length > 12);
      for (const r of got.rows as Row[]) {
        assert.equal(r.delta, 0, `${dir} ${r.id}`);
        assert.equal(r.base, r.new);
        assert.ok(r.relative === 0 && (r.impact === null || r.impact === 0));
        if (r.site) assert.equal(r.site.matchedBy, 'line');
      }
    }
  });

  test('an old-format trace against a new-format one', () => {
    const got = json('diff', f('go1.21', 'base.trace'), f('go1.27', 'new.trace'));
    assert.equal(got.base.format, 'go 1.21');
    assert.equal(got.new.format, single(f('go1.27', 'new.trace')).trace.format);
    assert.notEqual(got.base.format, got.new.format);
    checkAgainstSingles(got, single(f('go1.21', 'base.trace')), single(f('go1.27', 'new.trace')));
    assert.equal(got.rows[0].site?.function, 'main.work');
    // The channel phase is the same program on both sides: matched by line.
    assert.ok(got.rows.some((r: Row) => r.site?.kind === 'chan send' && r.site.function === 'main.produce' && r.site.matchedBy === 'line' && r.site.baseCount === 50 && r.site.newCount === 50));
  });

  test('sites whose lines moved are matched by function (a copy of the program with one line more)', () => {
    for (const dir of DIRS) {
      const got = json('diff', f(dir, 'new.trace'), f(dir, 'moved.trace'));
      checkAgainstSingles(got, single(f(dir, 'new.trace')), single(f(dir, 'moved.trace')));
      const sites = (got.rows as Row[]).filter((r) => r.site);
      assert.ok(sites.length >= 4, dir);
      for (const r of sites) {
        // Every site is below the inserted line: each moved down by one and paired by function.
        assert.equal(r.site!.matchedBy, 'function', `${dir} ${r.id}`);
        assert.deepEqual(r.site!.newLines, r.site!.baseLines.map((l) => l + 1), `${dir} ${r.id}`);
        assert.ok(r.id.endsWith('\u0000*'));
      }
      const mutex = sites.find((r) => r.site!.kind === 'mutex' && r.site!.function === 'main.work')!;
      assert.equal(mutex.site!.baseCount, mutex.site!.newCount, dir);
    }
  });

  test('the text form ranks the same rows', () => {
    const lines = run('diff', f('go1.27', 'base.trace'), f('go1.27', 'new.trace')).split('\n');
    const first = lines.find((l) => /^\s+1 /.test(l))!;
    assert.match(first, /mutex wait: main\.work \(main\.go:\d+\) 0→\d+ waits {2}\[new only\]/);
  });

  test('a trace and a profile: one line saying which is which, exit 2', () => {
    const prof = join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'cpu.pprof');
    for (const args of [[f('go1.27', 'base.trace'), prof], [prof, f('go1.27', 'base.trace')]]) {
      const r = golens('diff', ...args);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.equal(r.err.trim().split('\n').length, 1);
      assert.match(r.err, /^golens: cannot compare an execution trace \(.*base\.trace\) with a profile \(.*cpu\.pprof\); give two traces/);
    }
  });
});
