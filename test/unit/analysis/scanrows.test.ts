// The scans the trace editor keeps up while a trace is read (scheduler, leaks, longest spans)
// keep one row per goroutine in a Float64Array by a dense slot (SlotRows). Read a generation at
// a time and walked together after each, as the editor does, every goroutine's row says what
// that goroutine's own spans in the finished table say: its last run of Waiting spans, its
// earliest end of a Waiting span at each stack, its longest Runnable span, and where it was seen
// (the same as a scan of the whole table at once). On every committed trace this reader replays
// and the what-if fixtures' many-goroutines shape (past the rows' first capacity, 256).
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { scanTogether } from '../../../src/core/analysis/jointscan';
import { LeakScan } from '../../../src/core/analysis/leaks';
import { LongestSpans } from '../../../src/core/analysis/locate';
import { SchedScan } from '../../../src/core/analysis/schedscan';
import { modelCollector, TracePass } from '../../../src/core/runtime/pass';
import type { Replayer } from '../../../src/core/runtime/replay';
import { GoState, NONE, memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { manyGTraces, ROOT, tracesUnder } from '../helpers/fixtures';

const FIX = join(ROOT, 'test', 'fixtures');


const files = [...tracesUnder(FIX).filter((f) => statSync(f).size < 8 << 20), ...manyGTraces()];

test('each goroutine\'s row in the scans kept up while reading says what its spans in the table say', () => {
  let compared = 0, resumed = 0, most = 0, waited = 0, runnable = 0;
  for (const file of files) {
    const raw = readFileSync(file);
    const bytes = new Uint8Array(file.endsWith('.gz') ? gunzipSync(raw) : raw);
    let live: Replayer | undefined, reader;
    try { reader = openTrace(memorySource(bytes), { chunkSize: 256 }); } catch { continue; }
    const pass = new TracePass(reader, { model: (r) => (live = modelCollector(r) as Replayer) });
    let scans: [SchedScan, LeakScan, LongestSpans] | undefined, steps = 0;
    try {
      while (pass.step()) {
        scans ??= [new SchedScan(live!.model), new LeakScan(live!.model, { revisits: true }), new LongestSpans(live!.model)];
        scanTogether(...scans);
        steps++;
      }
    } catch { continue; } // not a trace this reader replays (tested elsewhere)
    const { model } = pass.finish();
    const name = file.slice(FIX.length + 1);
    const [sched, leak, longest] = scans!;
    scanTogether(sched, leak, longest);
    compared++;
    if (steps > 1) resumed++;

    // Each goroutine's spans in table order, from the finished table.
    const t = model.gSpans;
    const byG = new Map<number, number[]>();
    for (let i = 0; i < t.count; i++) {
      let l = byG.get(t.id(i));
      if (!l) byG.set(t.id(i), (l = []));
      l.push(i);
    }
    most = Math.max(most, leak.runs.size);
    assert.equal(leak.runs.size, byG.size, `${name}: a row for each goroutine with spans`);
    assert.deepEqual([...leak.runs].map(([g]) => g), [...byG.keys()], `${name}: rows in the order goroutines were first met`);
    const whole = new SchedScan(model).scan();
    for (const [g, spans] of byG) {
      // Its last run of Waiting spans: contiguous, open when its last span is Waiting.
      const last = spans[spans.length - 1];
      const run = leak.runs.get(g)!;
      assert.equal(run.open, t.state(last) === GoState.Waiting, `${name}: G${g} run open`);
      if (run.open) {
        let k = spans.length - 1;
        while (k > 0 && t.state(spans[k - 1]) === GoState.Waiting && t.end(spans[k - 1]) === t.start(spans[k])) k--;
        assert.equal(run.start, t.start(spans[k]), `${name}: G${g} run start`);
        assert.equal(run.end, t.end(last), `${name}: G${g} run end`);
        assert.equal(run.first, k === 0, `${name}: G${g} run from its first span`);
      }
      // Its earliest end of a Waiting span at each stack.
      const earliest = new Map<number, number>();
      for (const i of spans) {
        if (t.state(i) !== GoState.Waiting) continue;
        const e = earliest.get(t.stack(i));
        if (e === undefined || t.end(i) < e) earliest.set(t.stack(i), t.end(i));
      }
      for (const [stack, e] of earliest) assert.equal(leak.earliestWaitEnd(g, stack), e, `${name}: G${g} earliest wait at ${stack}`);
      assert.equal(leak.earliestWaitEnd(g, NONE - 1), undefined);
      if (earliest.size) waited++;
      // Its longest Runnable span (the first in the table of those as long).
      let best = -1, bestLen = -1;
      for (const i of spans) if (t.state(i) === GoState.Runnable && t.end(i) - t.start(i) > bestLen) { best = i; bestLen = t.end(i) - t.start(i); }
      assert.equal(longest.longest(GoState.Runnable, (x) => x === g), best, `${name}: G${g} longest Runnable span`);
      if (best >= 0) runnable++;
      // Where it was seen: as a scan of the whole table at once says.
      assert.deepEqual(sched.seen(g), whole.seen(g), `${name}: G${g} seen`);
    }
    assert.equal(leak.runs.get(-2), undefined);
    assert.deepEqual(sched.syscallsByStack(), whole.syscallsByStack(), `${name}: syscalls by stack`);
  }
  assert.ok(compared >= 40, `${compared} traces`);
  assert.ok(resumed >= 3, `${resumed} traces read in several steps`);
  assert.ok(most > 256, `at most ${most} goroutines in a trace`);
  assert.ok(waited >= 100 && runnable >= 100, `${waited} goroutines that waited, ${runnable} that were runnable`);
});
