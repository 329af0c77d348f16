// A snapshot of a growing model (the trace editor's progressive open) counts the goroutines by
// state from the spans it indexed, not from those the replay added to the shared span table
// since: asked after the read went on, an older snapshot's counters (the whole-trace overview
// and zoomed windows through the span blocks) equal those of the model replayed from scratch
// up to that snapshot's point (the trace read in slices of a few hundred events); the timeline of the finished model equals a whole replay's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import type { RuntimeModel } from '../../../src/core/runtime/model';
import { modelCollector, replay, TracePass } from '../../../src/core/runtime/pass';
import type { Replayer } from '../../../src/core/runtime/replay';
import { Timeline, type CounterTile } from '../../../src/core/runtime/timeline';
import { memorySource } from '../../../src/core/trace/events';
import { ROOT } from '../helpers/fixtures';

/** Events per slice the reader hands out (a generation in several slices, as a large trace's is): many snapshots of a small trace. */
const SLICE = 400;

/** A pass of the replay alone over the file, with its model (growing in place as it steps). */
function pass(bytes: Buffer): { pass: TracePass<{ model: typeof modelCollector }>; model: () => RuntimeModel } {
  let live: Replayer | undefined;
  const p = new TracePass(openTraceSource(memorySource(bytes), { sliceEvents: SLICE }), { model: (r) => (live = modelCollector(r) as Replayer) });
  return { pass: p, model: () => live!.model };
}

/** A snapshot as the progressive open makes it: the model's end frozen, the previous snapshot's indexes extended. */
const snapshot = (model: RuntimeModel, previous?: Timeline) => new Timeline({ ...model, end: model.end }, previous, true);

/** The counters over the whole extent (read off the overview) and over a narrow window (counted through the span blocks). */
function counters(tl: Timeline): CounterTile[] {
  const end = tl.model.end;
  return [tl.counters(0, end, 1000), tl.counters(end * 0.4, end * 0.45, 2000), tl.counters(end * 0.9, end, 3000)];
}

for (const [v, name] of [['go1.25', 'trace-gc'], ['go1.22', 'trace-strings'], ['go1.26', 'trace-gc'], ['go1.27', 'trace-gc'], ['go1.23', 'trace-contention']]) {
  test(`${v}/${name}: an older snapshot's counters are those of the model replayed up to it, after the read went on`, () => {
    const bytes = readFileSync(join(ROOT, 'test', 'fixtures', 'trace', v, `${name}.trace`));
    const live = pass(bytes);
    const snaps: { steps: number; tl: Timeline; spans: number }[] = [];
    let steps = 0, tl: Timeline | undefined;
    while (live.pass.step()) {
      steps++;
      tl = snapshot(live.model(), tl);
      snaps.push({ steps, tl, spans: live.model().gSpans.count });
    }
    const total = live.model().gSpans.count;
    // Snapshots that later spans were added after (else nothing here could go wrong).
    const older = snaps.filter((s) => s.spans > 0 && s.spans < total);
    assert.ok(older.length >= 2, `${snaps.length} snapshots, ${older.length} with spans added after them`);
    let differed = 0;
    for (const s of older) {
      // The same trace replayed afresh, stopped at the same step.
      const fresh = pass(bytes);
      for (let k = 0; k < s.steps; k++) assert.ok(fresh.pass.step());
      assert.equal(fresh.model().gSpans.count, s.spans, 'the replay is the same up to there');
      const want = counters(snapshot(fresh.model()));
      assert.deepEqual(counters(s.tl), want, `the snapshot after step ${s.steps} of ${steps} (${s.spans} of ${total} spans)`);
      // Counting every span of the table now would differ: spans closed later began before this snapshot's end.
      const now = counters(new Timeline({ ...live.model(), end: s.tl.model.end }, undefined, true));
      if (JSON.stringify(now.map((c) => [...c.waiting, ...c.runnable, ...c.running, ...c.syscall])) !==
        JSON.stringify(want.map((c) => [...c.waiting, ...c.runnable, ...c.running, ...c.syscall]))) differed++;
    }
    assert.ok(differed > 0, 'some older snapshot had spans added after it that it must not count');
    // Finished: the timeline over the finished model (extending the last snapshot's indexes) is the whole replay's.
    const { model } = live.pass.finish();
    const whole = replay(openTraceSource(memorySource(bytes)));
    assert.deepEqual(counters(new Timeline(model, tl)), counters(new Timeline(whole)));
  });
}
