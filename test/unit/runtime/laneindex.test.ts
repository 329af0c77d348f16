// The proc and thread indexes made in one walk (LaneIndex) hold what an index of each made on
// its own holds — every proc's and thread's spans on a CPU, in start order — at every step of a
// trace read progressively, and still after one of them was extended on its own, on real traces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import { replay } from '../../../src/core/runtime/pass';
import { LaneIndex, SpanIndex } from '../../../src/core/runtime/queries';
import { GoState, memorySource, NONE } from '../../../src/core/trace/events';
import { ROOT } from '../helpers/fixtures';

function sameIndex(got: SpanIndex, want: SpanIndex, what: string): number {
  assert.deepEqual(got.ids(), want.ids(), `${what}: ids`);
  let spans = 0;
  for (const id of want.ids()) {
    const w = want.spans(id);
    assert.deepEqual(got.spans(id), w, `${what}: spans of ${id}`);
    spans += w.length;
  }
  return spans;
}

for (const [v, name] of [['go1.23', 'trace-contention'], ['go1.27', 'trace-syscall'], ['go1.19', 'trace-gc'], ['go1.21', 'trace-leak']]) {
  test(`${v}/${name}: the proc and thread indexes walked together equal each made alone, at every step`, () => {
    const m = replay(openTraceSource(memorySource(readFileSync(join(ROOT, 'test', 'fixtures', 'trace', v, `${name}.trace`)))));
    const g = m.gSpans;
    const onCpu = (i: number) => g.state(i) === GoState.Running || g.state(i) === GoState.Syscall;
    const alone = (column: 'p' | 'm', n: number) => new SpanIndex(g, column, (i) => (column === 'p' ? g.p(i) : g.m(i)) !== NONE && onCpu(i), n);
    const lanes = new LaneIndex(g, 0);
    const steps = [1, 7, Math.floor(g.count / 3), Math.floor(g.count / 2) + 5, g.count];
    let indexed = 0;
    for (const n of steps) {
      lanes.extend(n);
      indexed = sameIndex(lanes.byP, alone('p', n), `byP after ${n}`) + sameIndex(lanes.byM, alone('m', n), `byM after ${n}`);
    }
    assert.ok(indexed > 0, 'spans on a CPU were indexed');
    // One of them extended on its own: the pair then walks apart, to the same end.
    const apart = new LaneIndex(g, Math.floor(g.count / 4));
    apart.byP.extend(Math.floor(g.count / 2));
    apart.extend(g.count);
    sameIndex(apart.byP, alone('p', g.count), 'byP extended apart');
    sameIndex(apart.byM, alone('m', g.count), 'byM extended apart');
  });
}
