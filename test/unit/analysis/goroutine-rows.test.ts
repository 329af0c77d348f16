// The goroutine collector keeps every goroutine as a row of typed columns and sums the groups
// from the rows; the report's goroutines are made from the rows only when asked. On every
// committed trace (the what-if fixtures' many-goroutines shape grows the rows past their first
// capacity), the groups are what goroutineReport sums from those goroutines, and the goroutines
// are an ordinary part of the report: listed, made once, in JSON.
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { goroutineReport } from '../../../src/core/analysis/goroutines';
import { goroutinesFrom } from '../../../src/core/artifacts/goroutines';
import { manyGTraces, ROOT, traceFixtures } from '../helpers/fixtures';


const files = [...traceFixtures(['trace']), ...manyGTraces()];

test('there are traces, and some with more goroutines than the rows first hold', () => {
  assert.ok(files.length >= 30, `${files.length} traces`);
  const most = Math.max(...files.map((f) => goroutinesFrom(f).goroutines.length));
  assert.ok(most > 256, `at most ${most} goroutines in a trace`);
});

for (const f of files) {
  test(`goroutine rows of ${relative(join(ROOT, 'test', 'fixtures'), f)}: groups summed as from the goroutines`, () => {
    const r = goroutinesFrom(f);
    assert.ok(Object.keys(r).includes('goroutines'), 'the goroutines are listed');
    const gs = r.goroutines;
    assert.equal(r.goroutines, gs, 'made once');
    assert.ok(gs.length > 0);
    for (let i = 1; i < gs.length; i++) assert.ok(gs[i - 1].id < gs[i].id, 'by id');
    // The groups and total summed from the rows are those summed from the goroutines.
    const fromStats = goroutineReport(gs);
    assert.deepEqual(r.groups, fromStats.groups);
    assert.equal(r.totalExecNs, fromStats.totalExecNs);
    assert.equal(r.groups.reduce((a, g) => a + g.count, 0), gs.length);
    // In JSON as any other field, in the same order of keys as goroutineReport's.
    assert.equal(JSON.stringify(r), JSON.stringify(fromStats));
  });
}
