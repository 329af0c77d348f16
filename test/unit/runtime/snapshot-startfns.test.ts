// A snapshot of a growing model (the trace editor's progressive open) takes the start functions
// of the goroutines met since the last snapshot only (resuming where it stopped in the model's
// map of goroutines): at every snapshot, every goroutine of the model so far has the start
// function of its start stack, and the functions' numbering (what colouring by function keys on)
// is the same as a timeline of the finished model made at once. The trace read in slices of a
// few hundred events (many snapshots), on committed traces and the many-goroutines shape.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import type { RuntimeModel } from '../../../src/core/runtime/model';
import { modelCollector, replay, TracePass } from '../../../src/core/runtime/pass';
import type { Replayer } from '../../../src/core/runtime/replay';
import { Timeline } from '../../../src/core/runtime/timeline';
import { memorySource, NONE } from '../../../src/core/trace/events';
import { manyGTraces, ROOT } from '../helpers/fixtures';

const FIX = join(ROOT, 'test', 'fixtures');


const files = [
  ...[['go1.22', 'trace-strings'], ['go1.23', 'trace-contention']].map(([v, n]) => join(FIX, 'trace', v, `${n}.trace`)),
  ...manyGTraces(),
];

/** A goroutine's start function as the model says it (its start stack's outermost frame). */
function startFnOf(model: RuntimeModel, stack: number): string {
  if (stack === NONE) return '';
  const frames = model.stacks.get(stack);
  return frames.length ? frames[frames.length - 1].fn : '';
}

for (const file of files) {
  test(`${file.slice(FIX.length + 1)}: each snapshot knows the start function of every goroutine met so far`, () => {
    const raw = readFileSync(file);
    const bytes = new Uint8Array(file.endsWith('.gz') ? gunzipSync(raw) : raw);
    let live: Replayer | undefined;
    const pass = new TracePass(openTraceSource(memorySource(bytes), { sliceEvents: 300 }), { model: (r) => (live = modelCollector(r) as Replayer) });
    let tl: Timeline | undefined, snaps = 0, grewBetween = 0, last = 0;
    while (pass.step()) {
      const m = live!.model;
      tl = new Timeline({ ...m, end: m.end }, tl, true);
      snaps++;
      if (m.goroutines.size > last && last > 0) grewBetween++;
      last = m.goroutines.size;
      for (const g of m.goroutines.values()) assert.equal(tl.startFunction(g.id), startFnOf(m, g.startStack), `G${g.id} after step ${snaps}`);
    }
    const { model } = pass.finish();
    const done = new Timeline(model, tl);
    const whole = new Timeline(replay(openTraceSource(memorySource(bytes))));
    assert.deepEqual(done.functions, whole.functions, 'the functions numbered as at once');
    for (const g of model.goroutines.values()) assert.equal(done.startFunction(g.id), whole.startFunction(g.id));
    assert.ok(snaps > 3 && grewBetween > 1, `${snaps} snapshots, goroutines met between ${grewBetween} of them`);
  });
}
