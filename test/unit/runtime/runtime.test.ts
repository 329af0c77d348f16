// The runtime model replays every reference trace without breaking an invariant, and what
// it builds agrees with the reference counts and with itself: goroutine spans tile each
// goroutine's life, running goroutines have threads, counters never go negative.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GoState, NONE, memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { replay } from '../../../src/core/runtime/pass';
import { summarize } from '../../../src/core/runtime/pass';
import { SpanIndex, goroutinesByState, pixelSummary, sampleCounter } from '../../../src/core/runtime/queries';
import { ROOT } from '../helpers/fixtures';

const REF = join(ROOT, 'test', 'fixtures', 'go-reference');
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
      const cycles = Array.from(m.gcCycles.column('id')).filter((begun) => begun === 1).length;
      assert.equal(cycles, exp.gcCycles, 'GC cycles begun in the trace');
      // Each goroutine's spans are ordered, non-overlapping and contiguous.
      const byG = new Map<number, number[]>();
      for (let i = 0; i < m.gSpans.count; i++) {
        assert.ok(m.gSpans.start(i) <= m.gSpans.end(i), `span ${i} ends before it starts`);
        const list = byG.get(m.gSpans.id(i)) ?? [];
        list.push(i);
        byG.set(m.gSpans.id(i), list);
        if (m.gSpans.state(i) === GoState.Running) assert.notEqual(m.gSpans.m(i), NONE, `goroutine ${m.gSpans.id(i)} runs on no thread`);
      }
      for (const [g, list] of byG) {
        list.sort((a, b) => m.gSpans.start(a) - m.gSpans.start(b));
        for (let j = 1; j < list.length; j++) {
          assert.equal(m.gSpans.start(list[j]), m.gSpans.end(list[j - 1]), `goroutine ${g}: gap or overlap between spans`);
        }
      }
      // At most one goroutine runs on a proc, and on a thread, at any time.
      const running = (i: number) => m.gSpans.state(i) === GoState.Running;
      for (const column of ['p', 'm'] as const) {
        const idx = new SpanIndex(m.gSpans, column, running);
        for (const id of idx.ids()) {
          const spans = idx.spans(id);
          for (let j = 1; j < spans.length; j++) {
            assert.ok(m.gSpans.start(spans[j]) >= m.gSpans.end(spans[j - 1]), `two goroutines running on ${column} ${id} at once`);
          }
        }
      }
      // Goroutines by state from the spans equal a direct count at each sampled time.
      const buckets = 7;
      const rows = goroutinesByState(m.gSpans, 0, m.end, buckets);
      for (let b = 0; b < buckets; b++) {
        const t = (m.end * b) / (buckets - 1);
        for (const st of [GoState.Runnable, GoState.Running, GoState.Waiting, GoState.Syscall]) {
          let n = 0;
          for (let i = 0; i < m.gSpans.count; i++) if (m.gSpans.state(i) === st && m.gSpans.start(i) <= t && t < m.gSpans.end(i)) n++;
          assert.equal(rows[st][b], n, `goroutines ${st} at ${t}`);
        }
      }
      // The summary's counts agree with the model built from the same stream.
      const s = summarize(openTrace(memorySource(bytes)));
      assert.equal(s.goroutinesCreated, created);
      assert.equal(s.stw.count, m.stw.count);
    });
  }
});

describe('queries', () => {
  const bytes = readFileSync(join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', 'trace-contention.trace'));
  const m = replay(openTrace(memorySource(bytes)));
  const byG = new SpanIndex(m.gSpans);

  test('spans of a goroutine in a window are exactly those overlapping it', () => {
    const g = byG.ids().find((id) => byG.spans(id).length > 20)!;
    const all = byG.spans(g);
    const t0 = m.gSpans.start(all[5]) + 1, t1 = m.gSpans.end(all[15]) - 1;
    const want = all.filter((i) => m.gSpans.end(i) > t0 && m.gSpans.start(i) < t1);
    assert.deepEqual(byG.spans(g, t0, t1), want);
    assert.deepEqual(byG.spans(g, m.end + 1, m.end + 2), []);
  });

  test('per-pixel summaries: busy fraction in [0, 1], total busy time preserved', () => {
    const procs = new SpanIndex(m.gSpans, 'p', (i) => m.gSpans.state(i) === GoState.Running);
    for (const p of procs.ids()) {
      for (const pixels of [10, 333, 2000]) {
        const s = pixelSummary(procs, p, 0, m.end, pixels, () => true, (i) => m.gSpans.id(i));
        let busy = 0;
        for (let px = 0; px < pixels; px++) { assert.ok(s.busy[px] >= 0 && s.busy[px] <= 1 + 1e-9); busy += s.busy[px]; }
        let truth = 0;
        for (const i of procs.spans(p)) truth += m.gSpans.end(i) - m.gSpans.start(i);
        assert.ok(Math.abs(busy * (m.end / pixels) - truth) <= truth * 1e-6 + 1, `proc ${p} at ${pixels} px`);
        for (let px = 0; px < pixels; px++) if (s.busy[px] > 0) assert.ok(m.goroutines.has(s.dominant[px]));
      }
    }
  });

  test('syscall spans say which thread (and proc) they tied up', () => {
    const sys = readFileSync(join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', 'trace-syscall.trace'));
    const ms = replay(openTrace(memorySource(sys)));
    const spans = [];
    for (let i = 0; i < ms.gSpans.count; i++) if (ms.gSpans.state(i) === GoState.Syscall) spans.push(i);
    assert.ok(spans.length >= 5, `${spans.length} syscall spans`);
    for (const i of spans) assert.notEqual(ms.gSpans.m(i), NONE, 'a syscall has a thread');
    const onProcs = new SpanIndex(ms.gSpans, 'p', (i) => ms.gSpans.state(i) === GoState.Syscall && ms.gSpans.p(i) !== NONE);
    assert.ok(onProcs.ids().length >= 1, 'syscalls are attributed to procs');
  });

  test('counters sampled over time', () => {
    const g = sampleCounter(m.gomaxprocs, 0, m.end, 5);
    assert.equal(g[4], m.gomaxprocs.last);
  });
});
