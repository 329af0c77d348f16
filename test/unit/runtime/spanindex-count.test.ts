// SpanIndex.count and each, which a zoomed-out tile uses instead of listing the spans: on
// every lane of real traces and windows of every width, they agree with spans().
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import { replay } from '../../../src/core/runtime/pass';
import { SpanIndex } from '../../../src/core/runtime/queries';
import { memorySource } from '../../../src/core/trace/events';
import { ROOT } from '../helpers/fixtures';

for (const [v, name] of [['go1.19', 'trace-gc'], ['go1.23', 'trace-contention'], ['go1.27', 'trace-syscall']]) {
  test(`${v}/${name}: count and each agree with spans on every lane and window`, () => {
    const m = replay(openTraceSource(memorySource(readFileSync(join(ROOT, 'test', 'fixtures', 'trace', v, `${name}.trace`)))));
    const g = m.gSpans;
    let checked = 0;
    for (const index of [new SpanIndex(g), new SpanIndex(g, 'p', (i) => g.p(i) >= 0 && g.state(i) === 3)]) {
      for (const id of index.ids()) {
        for (const [a, b] of [[-Infinity, Infinity], [0, m.end], [m.end * 0.3, m.end * 0.31], [m.end * 0.5, m.end * 0.5 + 1000], [m.end + 1, m.end + 2]]) {
          const want = index.spans(id, a, b);
          const got: number[] = [];
          index.each(id, a, b, (s) => got.push(s));
          assert.deepEqual(got, want);
          assert.equal(index.count(id, a, b), want.length);
          checked += want.length;
        }
      }
    }
    assert.ok(checked > 0);
  });
}
