// The saturation swept as a trace is read: a scan that sweeps its spans as it walks them, resumed
// after each generation as the trace editor does, gives at the end the report (without a
// timeline) of the whole table swept at once, on every committed trace of go1.23 on; the sweep
// advanced through a real table at times no later span starts before gives the whole sweep's
// sums; a span that starts before what was swept breaks it rather than giving other sums.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SaturationSweep } from '../../../src/core/analysis/saturation';
import { schedFromModel } from '../../../src/core/analysis/sched';
import { gomaxprocsAt, SchedScan } from '../../../src/core/analysis/schedscan';
import { modelCollector, replay, TracePass } from '../../../src/core/runtime/pass';
import type { Replayer } from '../../../src/core/runtime/replay';
import { GoState, memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { traceFixtures } from '../helpers/fixtures';

const traces = traceFixtures(['trace', 'sched'], /^go1\.2[3-7]$/);

const load = (file: string) => new Uint8Array(readFileSync(file));

test('there are new-format traces to sweep', () => assert.ok(traces.length >= 10, `${traces.length}`));

test('a sweeping scan resumed after each generation gives the whole table\'s report at the end', () => {
  let resumed = 0, saturated = 0;
  for (const file of traces) {
    let live: Replayer | undefined;
    // Small reads: the generations come one after the other, as in the editor.
    const pass = new TracePass(openTrace(memorySource(load(file)), { chunkSize: 256 }), { model: (r) => (live = modelCollector(r) as Replayer) });
    let scan: SchedScan | undefined;
    let steps = 0;
    while (pass.step()) {
      scan ??= new SchedScan(live!.model, { sweep: true });
      scan.scan();
      // A report so far sweeps what is pending without taking it.
      const soFar = schedFromModel(live!.model, { scan, timeline: false });
      assert.equal(soFar.timeline.length, 0);
      steps++;
    }
    const { model } = pass.finish();
    assert.ok(scan, file);
    scan.scan();
    assert.equal(scan.saturation?.broken, false, `${file}: spans close after what was swept`);
    const whole = schedFromModel(model, { walk: 'index' });
    const got = schedFromModel(model, { scan, timeline: false });
    assert.deepEqual(got, { ...whole, timeline: [] }, file);
    if (steps > 1) resumed++;
    if (whole.utilization.saturatedNs > 0 || whole.utilization.idleWithRunnableNs > 0) saturated++;
  }
  assert.ok(resumed >= 3, `${resumed} traces read in several steps`);
  assert.ok(saturated >= 3, `${saturated} traces with runnable goroutines`);
});

test('advanced at times no later span starts before, the sweep gives the whole sweep\'s sums; a span before what was swept breaks it', () => {
  let checked = 0;
  for (const file of traces) {
    const model = replay(openTrace(memorySource(load(file))));
    const t = model.gSpans, procsAt = gomaxprocsAt(model);
    const rows: number[] = [];
    for (let i = 0; i < t.count; i++) if (t.state(i) === GoState.Running || t.state(i) === GoState.Runnable) rows.push(i);
    if (rows.length < 10) continue;
    // The least start from each span on: no span after it starts before.
    const after = new Float64Array(rows.length + 1).fill(Infinity);
    for (let k = rows.length - 1; k >= 0; k--) after[k] = Math.min(after[k + 1], t.start(rows[k]));
    const sweep = new SaturationSweep();
    const every = Math.max(1, Math.floor(rows.length / 7));
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      sweep.add(t.state(i) === GoState.Running, t.start(i), t.end(i));
      if (k % every === every - 1) sweep.advance(after[k + 1], procsAt);
    }
    const whole = schedFromModel(model, { walk: 'index' }).utilization;
    assert.equal(sweep.broken, false, file);
    assert.deepEqual(sweep.totals(procsAt), { saturatedNs: whole.saturatedNs, idleWithRunnableNs: whole.idleWithRunnableNs }, file);
    // Swept to the end, a span that starts before the last time swept cannot be placed.
    sweep.advance(Infinity, procsAt);
    sweep.add(true, t.start(rows[0]) - 1, t.end(rows[0]));
    assert.equal(sweep.broken, true, file);
    checked++;
  }
  assert.ok(checked >= 5, `${checked}`);
});
