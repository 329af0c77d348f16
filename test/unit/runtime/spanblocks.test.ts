// Goroutines by state over a window, counted through the span blocks (skipping the blocks none
// of whose spans reach it), equal the counts made walking every span — for windows narrow and
// wide, inside, across and past the trace's ends, and blocks extended in steps — on real traces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import { replay } from '../../../src/core/runtime/pass';
import { goroutinesByState, SpanBlocks } from '../../../src/core/runtime/queries';
import { memorySource } from '../../../src/core/trace/events';
import { ROOT } from '../helpers/fixtures';

for (const [v, name] of [['go1.25', 'trace-gc'], ['go1.22', 'trace-strings'], ['go1.23', 'trace-contention'], ['go1.27', 'trace-syscall'], ['go1.19', 'trace-gc']]) {
  test(`${v}/${name}: goroutines by state through the span blocks equal the walk over every span`, () => {
    const m = replay(openTraceSource(memorySource(readFileSync(join(ROOT, 'test', 'fixtures', 'trace', v, `${name}.trace`)))));
    const g = m.gSpans, end = m.end;
    // Blocks of 16 spans (the fixtures are small) and of the default 1024.
    const small = new SpanBlocks(g, 4), big = new SpanBlocks(g);
    assert.ok(g.count > 8 * 16, `${g.count} spans: several blocks`);
    // Partly covered first (the last block part full), then the query covers the rest.
    small.extend(Math.floor(g.count / 2) + 7);
    const windows: [number, number, number][] = [
      [0, end, 1000], [end * 0.5, end * 0.5 + end / 1000, 3000], [end * 0.25, end * 0.2501, 7], [end * 0.9, end * 1.2, 500],
      [-end * 0.1, end * 0.05, 64], [end * 1.5, end * 2, 100], [-end, -end / 2, 10], [end * 0.3, end * 0.7, 1], [end * 0.999, end, 2],
    ];
    let counted = 0, skipped = 0;
    for (const [t0, t1, buckets] of windows) {
      const want = goroutinesByState(g, t0, t1, buckets);
      assert.deepEqual(goroutinesByState(g, t0, t1, buckets, small), want, `[${t0}, ${t1}) at ${buckets}, blocks of 16`);
      assert.deepEqual(goroutinesByState(g, t0, t1, buckets, big), want, `[${t0}, ${t1}) at ${buckets}, blocks of 1024`);
      for (const r of want) for (const x of r) counted += x;
    }
    assert.ok(counted > 0, 'some goroutines were counted');
    // The narrow window in the middle lies past some block's spans (else nothing was skipped).
    const mid = end * 0.5, first = (t: number) => Math.max(0, Math.ceil((t - mid) / (end / 1000 / 2999)));
    for (let k = 0; k < small.blocks; k++) if (first(small.greatestEnd(k)) <= 0 || first(small.leastStart(k)) >= 3000) skipped++;
    assert.ok(skipped > 0, 'blocks wholly outside the narrow window');
  });
}
