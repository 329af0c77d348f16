// Goroutine analysis against go tool trace's own Goroutines pages (/goroutines and
// /goroutine?name=…, read by test/fixtures/generate-goroutines.sh): on every committed trace,
// the same groups, counts and ids, and for every goroutine the same total, execution,
// scheduler wait, blocked by reason, syscall, unknown and special-range times — to the
// nanosecond, which is what Go's pages print (time.Duration's String is exact).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assistNs, blockByKind, blockKind, type GoroutineStat } from '../../../src/core/analysis/goroutines';
import { goroutinesFrom } from '../../../src/core/artifacts/goroutines';
import { ROOT } from '../helpers/fixtures';

const REF = join(ROOT, 'test', 'fixtures', 'goroutines');
const TRACES = join(ROOT, 'test', 'fixtures', 'trace');

interface RefGoroutine { id: number; total: number; stats: Record<string, number>; ranges: Record<string, number> }
interface RefGroup { name: string; count: number; execTime: number; goroutines: RefGoroutine[] }

/** Go's "non-overlapping stats" of a goroutine, named as its page names the columns. */
function goStats(g: GoroutineStat): Record<string, number> {
  const out: Record<string, number> = {
    'Execution time': g.execNs, 'Sched wait time': g.schedWaitNs, 'Syscall execution time': g.syscallNs,
    'Block time (syscall)': g.syscallBlockNs, 'Unknown time': g.unknownNs,
  };
  for (const [reason, ns] of Object.entries(g.blockNs)) out[`Block time (${reason})`] = (out[`Block time (${reason})`] ?? 0) + ns;
  return out;
}

const cases = readdirSync(REF).filter((d) => /^go1\.\d+$/.test(d)).flatMap((dir) =>
  readdirSync(join(REF, dir)).filter((f) => f.endsWith('.json')).map((f) => ({ dir, name: f.replace(/\.json$/, '') })));

test('there is a reference for every committed trace', () => {
  assert.ok(cases.length >= 30, `${cases.length} references`);
  for (const { dir, name } of cases) assert.ok(existsSync(join(TRACES, dir, `${name}.trace`)), `${dir}/${name}`);
});

for (const { dir, name } of cases) {
  test(`goroutines of ${dir}/${name} equal go tool trace's pages`, () => {
    const ref = JSON.parse(readFileSync(join(REF, dir, `${name}.json`), 'utf8')) as { groups: RefGroup[] };
    const r = goroutinesFrom(join(TRACES, dir, `${name}.trace`));
    assert.deepEqual(r.groups.map((g) => g.startFunction).sort(), ref.groups.map((g) => g.name).sort(), 'groups');
    const byId = new Map(r.goroutines.map((g) => [g.id, g]));
    for (const rg of ref.groups) {
      const ours = r.groups.find((g) => g.startFunction === rg.name)!;
      assert.equal(ours.count, rg.count, `${rg.name}: count`);
      assert.equal(ours.execNs, rg.execTime, `${rg.name}: execution time`);
      assert.deepEqual(ours.ids, rg.goroutines.map((g) => g.id), `${rg.name}: goroutine ids`);
      for (const want of rg.goroutines) {
        const g = byId.get(want.id)!;
        assert.equal(g.startFunction, rg.name);
        assert.equal(g.totalNs, want.total, `G${want.id} total`);
        // Go's page lists the union of the group's stats; a goroutine without one shows 0s.
        const got = goStats(g);
        for (const [stat, ns] of Object.entries(want.stats)) assert.equal(got[stat] ?? 0, ns, `G${want.id} ${stat}`);
        for (const [stat, ns] of Object.entries(got)) assert.ok(stat in want.stats || ns === 0, `G${want.id} ${stat} not on Go's page`);
        // Ranges: Go lists only goroutines with any range time, with the group's range names.
        for (const [range, ns] of Object.entries(want.ranges)) assert.equal(g.rangeNs[range] ?? 0, ns, `G${want.id} ${range}`);
        if (Object.keys(want.ranges).length === 0) assert.ok(Object.values(g.rangeNs).every((v) => v === 0), `G${want.id} has range time Go does not show`);
      }
    }
    // The groups are ordered as Go orders them: by execution time, most first.
    for (let i = 1; i < r.groups.length; i++) assert.ok(r.groups[i - 1].execNs >= r.groups[i].execNs);
    assert.equal(r.totalExecNs, r.goroutines.reduce((a, g) => a + g.execNs, 0));
  });
}

test('block reasons fall into the table\'s kinds; sums keep every nanosecond', () => {
  assert.equal(blockKind('chan receive'), 'chan');
  assert.equal(blockKind('select'), 'chan');
  assert.equal(blockKind('sync.(*Cond).Wait'), 'sync');
  assert.equal(blockKind('network'), 'net');
  assert.equal(blockKind('GC mark assist wait for work'), 'other');
  const r = goroutinesFrom(join(TRACES, 'go1.27', 'trace-gc.trace'));
  for (const g of r.groups) {
    const kinds = blockByKind(g);
    assert.equal(Object.values(kinds).reduce((a, b) => a + b, 0), Object.values(g.blockNs).reduce((a, b) => a + b, 0));
  }
  // The GC trace's allocating goroutines assist the GC.
  assert.ok(r.goroutines.some((g) => assistNs(g) > 0), 'some mark assist time');
});
