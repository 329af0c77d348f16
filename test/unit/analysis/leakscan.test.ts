// The leaks of a trace from a LeakScan kept up while it was read (resumed after each
// generation, as the trace editor does, and keeping each goroutine's earliest wait at each
// stack instead of walking the table again for revisits) are the leaks of the whole table
// walked at once, on every committed trace this reader replays; and its earliest waits say
// which goroutines blocked at the end had waited at the same stack before, as the table does.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeLeaks, LeakScan } from '../../../src/core/analysis/leaks';
import { modelCollector, TracePass } from '../../../src/core/runtime/pass';
import type { Replayer } from '../../../src/core/runtime/replay';
import { GoState, NONE, memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { ROOT, tracesUnder } from '../helpers/fixtures';

const FIX = join(ROOT, 'test', 'fixtures');

const traces = tracesUnder(FIX).filter((f) => statSync(f).size < 8 << 20);

test('the leaks from a scan kept up while reading are the whole table\'s', () => {
  let compared = 0, withRows = 0, likely = 0, resumed = 0, revisits = 0;
  for (const file of traces) {
    const bytes = new Uint8Array(readFileSync(file));
    let live: Replayer | undefined, reader;
    try { reader = openTrace(memorySource(bytes), { chunkSize: 256 }); } catch { continue; }
    const pass = new TracePass(reader, { model: (r) => (live = modelCollector(r) as Replayer) });
    let scan: LeakScan | undefined, steps = 0;
    try {
      while (pass.step()) { scan ??= new LeakScan(live!.model, { revisits: true }); scan.scan(); steps++; }
    } catch { continue; } // not a trace this reader replays (tested elsewhere)
    const { model } = pass.finish();
    const name = file.slice(FIX.length + 1);
    const want = analyzeLeaks([{ kind: 'trace', source: name, model }]);
    assert.deepEqual(analyzeLeaks([{ kind: 'trace', source: name, model, scan }]), want, name);
    compared++;
    if (want.length) withRows++;
    if (want.some((r) => r.confidence === 'likely')) likely++;
    if (steps > 1) resumed++;
    // Each goroutine still blocked at the end: had it waited at its last run's stack before that run began?
    const t = model.gSpans;
    for (const [g, run] of scan!.scan().runs) {
      if (!run.open || run.stack === NONE || model.goroutines.get(g)?.state !== GoState.Waiting) continue;
      let before = false;
      for (let i = 0; i < t.count && !before; i++) before = t.id(i) === g && t.state(i) === GoState.Waiting && t.stack(i) === run.stack && t.end(i) < run.start;
      const e = scan!.earliestWaitEnd(g, run.stack);
      assert.equal(e !== undefined && e < run.start, before, `${name}: G${g}`);
      if (before) revisits++;
    }
  }
  assert.ok(compared >= 40, `${compared} traces`);
  assert.ok(withRows >= 10, `${withRows} traces with leaks`);
  assert.ok(likely >= 1, `${likely} traces with likely leaks`);
  assert.ok(resumed >= 3, `${resumed} traces read in several steps`);
  assert.ok(revisits >= 3, `${revisits} goroutines blocked at the end where they had waited before`);
});
