// Findings placed from LongestSpans kept up while a trace is read (resumed after each
// generation, as the trace editor does) are placed where a walk over the whole table places
// them: a contention finding at every site a goroutine waited at, a scheduler finding at every
// goroutine's creation site and at none, on every committed new-format trace.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Finding, Site } from '../../../src/core/analysis/finding';
import { userFrame } from '../../../src/core/analysis/frames';
import { locateFinding, LongestSpans } from '../../../src/core/analysis/locate';
import { modelCollector, TracePass } from '../../../src/core/runtime/pass';
import type { Replayer } from '../../../src/core/runtime/replay';
import { GoState, NONE, memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { traceFixtures } from '../helpers/fixtures';

const traces = traceFixtures(['trace', 'sched', 'contention'], /^go1\.2[3-7]$/);

const finding = (kind: 'contention' | 'sched', site: Site | null): Finding => ({ kind, title: '', site, evidence: {}, confidence: 'possible', score: 0, source: '' });

test('findings placed from the longest spans kept while reading are placed as from the whole table', () => {
  let placed = 0, resumed = 0;
  for (const file of traces) {
    let live: Replayer | undefined;
    const pass = new TracePass(openTrace(memorySource(new Uint8Array(readFileSync(file))), { chunkSize: 256 }), { model: (r) => (live = modelCollector(r) as Replayer) });
    let longest: LongestSpans | undefined, steps = 0;
    while (pass.step()) { longest ??= new LongestSpans(live!.model); longest.scan(); steps++; }
    const { model } = pass.finish();
    if (steps > 1) resumed++;
    const t = model.gSpans, sites = new Map<string, Site>();
    for (let i = 0; i < t.count; i++) {
      if (t.state(i) !== GoState.Waiting || t.stack(i) === NONE) continue;
      const f = userFrame(model.stacks.get(t.stack(i)));
      if (f) sites.set(`${f.fn}:${f.file}:${f.line}`, { function: f.fn, file: f.file, line: f.line });
    }
    for (const g of model.goroutines.values()) {
      const f = g.createStack === NONE ? undefined : model.stacks.get(g.createStack)[0];
      if (f) sites.set(`${f.fn}:${f.file}:${f.line}`, { function: f.fn, file: f.file, line: f.line });
    }
    const asked = [finding('sched', null), ...[...sites.values()].flatMap((s) => [finding('contention', s), finding('sched', s)])];
    for (const f of asked) {
      const want = locateFinding(model, undefined, f);
      assert.deepEqual(locateFinding(model, undefined, f, undefined, longest), want, `${file}: ${f.kind} at ${f.site?.function}`);
      if (want) placed++;
    }
  }
  assert.ok(resumed >= 3, `${resumed} traces read in several steps`);
  assert.ok(placed >= 50, `${placed} findings placed`);
});
