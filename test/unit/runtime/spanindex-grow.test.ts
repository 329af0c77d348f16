// A SpanIndex extended step by step (as a trace read progressively is) holds, at every step,
// each resource's spans so far sorted by start, ties in the order they closed — the index of
// those spans made at once — on real traces whose proc lanes get spans out of order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import { replay } from '../../../src/core/runtime/pass';
import { SpanIndex } from '../../../src/core/runtime/queries';
import type { SpanTable } from '../../../src/core/runtime/spans';
import { GoState, memorySource, NONE } from '../../../src/core/trace/events';
import { ROOT } from '../helpers/fixtures';

/** Spans < n grouped by a column, each group stably sorted by start. */
function reference(t: SpanTable, n: number, key: (i: number) => number, include: (i: number) => boolean): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!include(i)) continue;
    const k = key(i);
    const list = out.get(k) ?? [];
    list.push(i);
    out.set(k, list);
  }
  for (const list of out.values()) list.sort((a, b) => t.start(a) - t.start(b));
  return out;
}

for (const [v, name] of [['go1.23', 'trace-contention'], ['go1.27', 'trace-syscall'], ['go1.19', 'trace-gc']]) {
  test(`${v}/${name}: an index extended in steps equals the spans so far sorted, at every step`, () => {
    const m = replay(openTraceSource(memorySource(readFileSync(join(ROOT, 'test', 'fixtures', 'trace', v, `${name}.trace`)))));
    const g = m.gSpans;
    const onProc = (i: number) => g.p(i) !== NONE && (g.state(i) === GoState.Running || g.state(i) === GoState.Syscall);
    let displaced = 0, small = 0, large = 0;
    for (const [column, include, key] of [
      ['p', onProc, (i: number) => g.p(i)], ['id', () => true, (i: number) => g.id(i)],
    ] as const) {
      const grown = new SpanIndex(g, column, include, 0);
      const steps = [1, 7, Math.floor(g.count / 3), Math.floor(g.count / 2) + 5, g.count];
      for (const n of steps) {
        grown.extend(n);
        const want = reference(g, n, key, include);
        assert.deepEqual(grown.ids(), [...want.keys()].sort((a, b) => a - b), `ids after ${n} spans`);
        for (const [id, list] of want) {
          assert.deepEqual(grown.spans(id), list, `${column} ${id} after ${n} spans`);
          for (let j = 1; j < list.length; j++) if (list[j] < list[j - 1]) displaced++;
          // A group is a plain array up to 64 spans, a typed array past that: both are checked.
          if (n === g.count) { if (list.length <= 64) small++; else large++; }
        }
      }
      grown.trim();
      const whole = new SpanIndex(g, column, include);
      for (const id of whole.ids()) assert.deepEqual(grown.spans(id, m.end * 0.2, m.end * 0.7), whole.spans(id, m.end * 0.2, m.end * 0.7));
    }
    if (name === 'trace-syscall') assert.ok(displaced > 0, 'syscalls close after spans that began later on their proc');
    assert.ok(small > 0 && large > 0, `${small} groups of up to 64 spans, ${large} of more`);
  });
}
