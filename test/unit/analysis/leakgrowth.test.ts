// The leak growth rule on a real program watched under load (test/fixtures/leakrise, written by
// generate-leakrise.sh): pprofserve's busy lock (four goroutines taking turns at one mutex) is
// never likely, though its waiters sometimes read 2 → 2 → 3; its leak is likely over every run
// of snapshots. Counts are pprof's own (-top cum). A profile and a dump of one round are one
// moment: one count each, not the sum.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeLeaks, leakFindings, type LeakInput, type LeakRow } from '../../../src/core/analysis/leaks';
import { groupMoments, stampTime } from '../../../src/core/analysis/moments';
import { ROOT } from '../helpers/fixtures';
import { leakInput, snapshotSeries } from '../helpers/leakfixtures';

const DIR = join(ROOT, 'test', 'fixtures', 'leakrise');
const V = 'go1.27';
const { names, profiles, dumpNames, cum } = snapshotSeries(DIR, V);

const lockWaits = names.map((_, i) => cum(i, 'sync.(*Mutex).Lock'));
const lockGoroutines = names.map((_, i) => cum(i, 'main.lockLoop'));
const leaked = names.map((_, i) => cum(i, 'main.leakOne'));

const MAIN = join(ROOT, 'test', 'fixtures', 'programs', 'pprofserve', 'main.go');
const GO_LINE = readFileSync(MAIN, 'utf8').split('\n').findIndex((l) => /^\s*go func.*\/\/ golens:go serve-leak/.test(l)) + 1;

const lock = (rows: LeakRow[]) => rows.find((r) => r.blockedAt.function === 'main.lockLoop');
const leak = (rows: LeakRow[]) => rows.find((r) => r.blockedAt.function === 'main.leakOne');
const rises = (xs: number[]) => xs[xs.length - 1] > xs[0] && xs.every((n, i) => i === 0 || n >= xs[i - 1]);

describe('leak growth: a busy lock and a leak (pprofserve, Go 1.27, under load)', () => {
  test('the fixture is what the rule must tell apart', () => {
    assert.equal(names.length, 30);
    // The lock's goroutines are a fixed four; its waiters wander.
    assert.deepEqual([...new Set(lockGoroutines)], [4]);
    assert.ok(new Set(lockWaits).size > 1, String(lockWaits));
    assert.ok(leaked.every((n, i) => i === 0 || n > leaked[i - 1]), String(leaked));
  });

  test('each snapshot alone: the counts pprof shows', () => {
    profiles.forEach((p, i) => {
      const rows = analyzeLeaks([p]);
      assert.equal(lock(rows)?.count ?? 0, lockWaits[i], names[i]);
      assert.equal(leak(rows)!.count, leaked[i], names[i]);
    });
  });

  for (const k of [2, 3, 4, 8]) {
    test(`every run of ${k} snapshots: the leak is likely, the lock never is`, () => {
      let trap = 0;
      for (let i = 0; i + k <= profiles.length; i++) {
        const rows = analyzeLeaks(profiles.slice(i, i + k));
        const want = leaked.slice(i, i + k);
        const l = leak(rows)!;
        assert.deepEqual(l.growth, want);
        assert.equal(l.confidence, 'likely', l.why);
        assert.equal(l.why, `grew ${want.join(' → ')} over ${k} moments`);
        const waits = lockWaits.slice(i, i + k);
        const m = lock(rows);
        if (!m) { assert.equal(waits[k - 1], 0); continue; }
        assert.deepEqual(m.growth, waits);
        assert.equal(m.confidence, 'possible', `${names[i]}: ${m.why}`);
        if (rises(waits)) {
          // What the rule before called likely: never fell and ended higher.
          trap++;
          assert.equal(m.why, `rose ${waits.join(' → ')} over ${k} moments, but the goroutines started in main.lockLoop stayed 4: the same goroutines taking turns (a busy lock or pool), not new ones`);
        }
      }
      if (k <= 4) assert.ok(trap > 0, `no run of ${k} where the lock's waiters rose without falling: regenerate the fixture under load`);
    });
  }

  test('the finding\'s evidence says what was judged', () => {
    const f = leakFindings(analyzeLeaks(profiles.slice(0, 3))).find((x) => x.site?.function === 'main.leakOne')!;
    assert.equal(f.evidence.why, `grew ${leaked.slice(0, 3).join(' → ')} over 3 moments`);
    assert.equal(f.evidence.growth, leaked.slice(0, 3).join(' → '));
  });
});

describe('leak growth: a profile and a dump of one moment are one step', () => {
  const n = dumpNames.length;
  const dumps = dumpNames.map((f) => leakInput(join(DIR, V, f)));
  // The dump was taken just after the profile, before the next round's: under load a few more had leaked by then.
  const dumpLeaked = dumpNames.map((f) => readFileSync(join(DIR, V, f), 'utf8').match(/^main\.leakOne\(/gm)?.length ?? 0);

  test('the dumps are the first rounds, named as the profiles', () => {
    assert.equal(n, 6);
    assert.deepEqual(dumpNames.map((f) => f.replace(/\.txt$/, '')), names.slice(0, n).map((f) => f.replace(/\.pprof$/, '')));
    assert.ok(dumpLeaked.every((d, i) => d >= leaked[i] && d <= leaked[i + 1]), `${dumpLeaked} vs ${leaked}`);
  });

  const orders: [string, LeakInput[]][] = [
    ['profile, dump, profile, dump…', profiles.slice(0, n).flatMap((p, i) => [p, dumps[i]])],
    ['the profiles, then the dumps', [...profiles.slice(0, n), ...dumps]],
    ['the dumps newest first, then the profiles', [...dumps.slice().reverse(), ...profiles.slice(0, n)]],
  ];
  for (const [what, inputs] of orders) {
    test(what, () => {
      const rows = analyzeLeaks(inputs);
      const l = leak(rows)!;
      const want = leaked.slice(0, n).map((c, i) => Math.max(c, dumpLeaked[i]));
      assert.deepEqual(l.growth, want, 'one count per moment, the larger of the two captures');
      assert.equal(l.confidence, 'likely');
      assert.equal(l.why, `grew ${want.join(' → ')} over ${n} moments`);
      assert.equal(l.sources.length, 2 * n);
      assert.deepEqual(l.createdAt, { function: 'main.leakBatch', file: 'golens.example/fixtures/pprofserve/main.go', line: GO_LINE }, 'from the dumps');
      const m = lock(rows);
      if (m) assert.equal(m.confidence, 'possible', m.why);
    });
  }

  test('moments: names that differ by the format\'s extension, or the same exact time', () => {
    const src = (f: string) => join(DIR, V, f);
    assert.equal(stampTime(src(dumpNames[0])), Date.UTC(2026, 11, 3, 9, 22, 44) * 1e6);
    assert.equal(stampTime('leakprof-1.txt'), undefined);
    const ms = groupMoments([
      { source: 'a/leakprof-2.pprof', time: 20 }, { source: 'a/leakprof-1.txt' }, { source: 'a/leakprof-1.pprof', time: 10 },
      { source: 'a/leakprof-2.txt' }, { source: 'a/x.pprof', time: 20 },
    ]);
    assert.deepEqual(ms.map((m) => m.map((s) => s.source)), [
      ['a/leakprof-1.txt', 'a/leakprof-1.pprof'],
      ['a/leakprof-2.pprof', 'a/leakprof-2.txt', 'a/x.pprof'],
    ]);
    // The same file twice is two moments (no time: the order given).
    assert.deepEqual(groupMoments([{ source: 'b.txt' }, { source: 'b.pprof', time: 5 }, { source: 'b.txt' }]).map((m) => m.length), [2, 1]);
    // Stamps are to the second: two watch rounds in one second stay two moments.
    const two = groupMoments([{ source: src(dumpNames[0]), time: stampTime(dumpNames[0]), coarse: true }, { source: src(dumpNames[1]), time: stampTime(dumpNames[1]), coarse: true }]);
    assert.equal(two.length, 2);
  });
});
