// Goroutines by state over a window, counted through the span blocks (skipping the blocks none
// of whose spans reach it), equal the counts made walking every span — for windows narrow and
// wide, inside, across and past the trace's ends, and blocks extended in steps — on real traces; and the counts read a
// chunk's columns in place equal those read span by span through the accessors, across chunks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import { replay } from '../../../src/core/runtime/pass';
import { goroutinesByState, SpanBlocks } from '../../../src/core/runtime/queries';
import { SpanTable } from '../../../src/core/runtime/spans';
import { GoState, memorySource } from '../../../src/core/trace/events';
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

/** Goroutines by state as span-by-span accessor reads count them (what goroutinesByState did before it read a chunk's columns in place). */
function byStateThroughAccessors(g: SpanTable, t0: number, t1: number, buckets: number): Float64Array[] {
  const step = buckets > 1 ? (t1 - t0) / (buckets - 1) : 1;
  const rows = Array.from({ length: GoState.Syscall + 1 }, () => new Float64Array(buckets + 1));
  const first = (t: number) => Math.max(0, Math.ceil((t - t0) / step));
  for (let i = 0; i < g.count; i++) {
    const st = g.state(i);
    if (st < GoState.Runnable) continue;
    const a = first(g.start(i)), b = Math.min(buckets, first(g.end(i)));
    if (a >= b) continue;
    rows[st][a] += 1;
    rows[st][b] -= 1;
  }
  for (const r of rows) for (let j = 1; j <= buckets; j++) r[j] += r[j - 1];
  return rows.map((r) => r.subarray(0, buckets));
}

for (const [v, name] of [['go1.23', 'trace-contention'], ['go1.27', 'trace-syscall'], ['go1.25', 'trace-gc']]) {
  test(`${v}/${name}: goroutines by state read in place, across chunks, equal the accessors' count (the whole-trace overview too)`, () => {
    const m = replay(openTraceSource(memorySource(readFileSync(join(ROOT, 'test', 'fixtures', 'trace', v, `${name}.trace`)))));
    const g = m.gSpans, end = m.end;
    // The trace's spans again and again, each copy later by the trace's length, until they fill three chunks (2^16 spans each).
    const big = new SpanTable({ withG: true });
    for (let k = 0; big.count < 140_000; k++) {
      for (let i = 0; i < g.count; i++) big.push(g.id(i), g.start(i) + k * end, g.end(i) + k * end, g.state(i), g.p(i), g.m(i), g.g(i), g.reason(i), g.stack(i));
    }
    const bigEnd = Math.ceil(big.count / g.count) * end;
    for (const [t, e] of [[g, end], [big, bigEnd]] as const) {
      const windows: [number, number, number][] = [
        [0, e, 1 << 16], [0, e, 1000], [e * 0.5, e * 0.5 + e / 1000, 3000], [e * 0.9, e * 1.2, 500], [-e * 0.1, e * 0.05, 64], [e * 0.3, e * 0.7, 1],
      ];
      let counted = 0;
      for (const [t0, t1, buckets] of windows) {
        const want = byStateThroughAccessors(t, t0, t1, buckets);
        assert.deepEqual(goroutinesByState(t, t0, t1, buckets), want, `${t.count} spans, [${t0}, ${t1}) at ${buckets}`);
        assert.deepEqual(goroutinesByState(t, t0, t1, buckets, new SpanBlocks(t)), want, `${t.count} spans, [${t0}, ${t1}) at ${buckets}, through blocks`);
        for (const r of want) for (const x of r) counted += x;
      }
      assert.ok(counted > 0, 'some goroutines were counted');
    }
    assert.ok(big.count > 2 << 16, `${big.count} spans: into a third chunk`);
  });
}
