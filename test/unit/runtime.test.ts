// The runtime model replays every reference trace without breaking an invariant, and what
// it builds agrees with the reference counts and with itself: goroutine spans tile each
// goroutine's life, running goroutines have threads, counters never go negative.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GoState, NONE, memorySource } from '../../src/core/trace/events';
import { openTrace } from '../../src/core/trace/open';
import { replay } from '../../src/core/runtime/replay';
import { summarize } from '../../src/core/trace/summary';
import { ROOT } from './fixtures';

const REF = join(ROOT, '..', 'shared', 'testdata', 'go-reference');
const expected = JSON.parse(readFileSync(join(REF, 'expected.json'), 'utf8')) as Record<string, { ok: boolean; goroutinesCreated?: number; gcCycles?: number }>;

function refFiles(): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  for (const dir of ['v1', 'v2']) {
    for (const f of readdirSync(join(REF, dir))) {
      const key = f.replace(/\.trace$/, '');
      const exp = expected[key] ?? expected[f];
      if (exp?.ok) out.push({ name: f, path: join(REF, dir, f) });
    }
  }
  return out;
}

describe('runtime model on the reference traces', () => {
  for (const { name, path } of refFiles()) {
    test(name, () => {
      const bytes = readFileSync(path);
      const m = replay(openTrace(memorySource(bytes)));
      const exp = expected[name.replace(/\.trace$/, '')] ?? expected[name];
      const created = [...m.goroutines.values()].filter((g) => !Number.isNaN(g.createdAt)).length;
      assert.equal(created, exp.goroutinesCreated, 'goroutines created');
      const cycles = Array.from(m.gcCycles.id.subarray(0, m.gcCycles.count)).filter((begun) => begun === 1).length;
      assert.equal(cycles, exp.gcCycles, 'GC cycles begun in the trace');
      // Each goroutine's spans are ordered, non-overlapping and contiguous.
      const byG = new Map<number, number[]>();
      for (let i = 0; i < m.gSpans.count; i++) {
        assert.ok(m.gSpans.start[i] <= m.gSpans.end[i], `span ${i} ends before it starts`);
        const list = byG.get(m.gSpans.id[i]) ?? [];
        list.push(i);
        byG.set(m.gSpans.id[i], list);
        if (m.gSpans.state[i] === GoState.Running) assert.notEqual(m.gSpans.m[i], NONE, `goroutine ${m.gSpans.id[i]} runs on no thread`);
      }
      for (const [g, list] of byG) {
        list.sort((a, b) => m.gSpans.start[a] - m.gSpans.start[b]);
        for (let j = 1; j < list.length; j++) {
          assert.equal(m.gSpans.start[list[j]], m.gSpans.end[list[j - 1]], `goroutine ${g}: gap or overlap between spans`);
        }
      }
      for (const c of m.goroutinesByState) for (let i = 0; i < c.count; i++) assert.ok(c.value[i] >= 0, 'negative goroutine count');
      // The summary's counts agree with the model built from the same stream.
      const s = summarize(openTrace(memorySource(bytes)));
      assert.equal(s.goroutinesCreated, created);
      assert.equal(s.stw.count, m.stw.count);
    });
  }
});
