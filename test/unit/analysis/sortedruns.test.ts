// The runnable→running waits of every committed trace (every toolchain, and the sched fixtures),
// added to sorted runs in batches as a trace being read adds them: after every batch the runs
// are few (each at least twice the next), hold exactly the values added, each knows its sum, and
// the stats read off them (by selection or by walking them in order) are those of all the values
// sorted at once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { latencyStats, runnableWaits, statsOfParts } from '../../../src/core/analysis/sched';
import { SortedRuns } from '../../../src/core/analysis/sortedruns';
import { sortCounts } from '../../../src/core/analysis/sorttimes';
import type { RuntimeModel } from '../../../src/core/runtime/model';
import { replay } from '../../../src/core/runtime/pass';
import { memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { traceFixtures } from '../helpers/fixtures';

const traces = traceFixtures(['trace', 'sched']);

test('sorted runs of every trace\'s waits, added in batches, give the stats of the waits sorted at once', () => {
  let checked = 0, manyRuns = 0, selected = 0;
  for (const file of traces) {
    let model: RuntimeModel;
    try { model = replay(openTrace(memorySource(new Uint8Array(readFileSync(file))))); } catch { continue; } // not a trace this reader replays (tested elsewhere)
    // Every goroutine's waits one after the other, in the order the scan finds them.
    const all = [...runnableWaits(model).values()].flat();
    if (all.length < 2) continue;
    const runs = new SortedRuns();
    let at = 0, batches = 0, seed = 3;
    while (at < all.length) {
      // Batches of uneven sizes, a share of what is left (from a twentieth to two thirds), so runs pile up and merge.
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const size = Math.max(1, Math.floor((all.length - at) * (0.05 + 0.62 * seed / 2 ** 31)));
      const added = all.slice(0, at + size);
      runs.add(sortCounts(Float64Array.from(all.slice(at, at + size))));
      at += size;
      batches++;
      const rs = runs.runs;
      assert.equal(runs.count, added.length, file);
      assert.ok(rs.length <= Math.floor(Math.log2(added.length)) + 1, `${file}: ${rs.length} runs of ${added.length} values`);
      for (let k = 1; k < rs.length; k++) assert.ok(rs[k - 1].values.length >= 2 * rs[k].values.length, `${file}: run ${k - 1} is at least twice run ${k}`);
      for (const r of rs) {
        let sum = 0, abs = 0;
        for (let i = 0; i < r.values.length; i++) { sum += r.values[i]; abs += Math.abs(r.values[i]); if (i) assert.ok(r.values[i - 1] <= r.values[i], `${file}: a run is sorted`); }
        assert.ok(r.integers && r.plain, file);
        assert.equal(r.sum, sum, file);
        assert.equal(r.abs, abs, file);
      }
      assert.deepEqual([...rs.flatMap((r) => [...r.values])].sort((x, y) => x - y), added.slice().sort((x, y) => x - y), file);
      const want = latencyStats(Float64Array.from(added));
      for (const how of ['cheaper', 'select', 'walk'] as const) assert.deepEqual(statsOfParts(rs, how), want, `${file} (${how}) after ${batches} batches`);
      if (rs.length >= 3) manyRuns++;
    }
    if (all.length >= 10_000) selected++;
    checked++;
  }
  assert.ok(checked >= 20, `${checked} traces with waits`);
  assert.ok(manyRuns >= 20, `${manyRuns} times three runs or more`);
  assert.ok(selected >= 1, `${selected} traces with 10,000 waits or more`);
});
