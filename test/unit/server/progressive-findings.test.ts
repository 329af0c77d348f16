// Findings as they are ready: a real trace opened progressively (read 64 bytes at a time, so
// a small trace's generations arrive one after the other) tells its findings so far — what
// can be judged from the run read so far: contention, GC pressure, scheduler latency, never
// a leak — before it is fully read, each covering less than the whole run; then its final
// findings once, the same as the whole-file open's and as the findings request's. The
// collectors' reports so far leave them as they were: finishing afterwards gives what
// finishing alone gives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TraceContention } from '../../../src/core/analysis/contention';
import { gcUseCollector } from '../../../src/core/analysis/gc';
import type { GcUseCollector } from '../../../src/core/analysis/gcuse';
import type { RuntimeModel } from '../../../src/core/runtime/model';
import { modelCollector, TracePass } from '../../../src/core/runtime/pass';
import type { Replayer } from '../../../src/core/runtime/replay';
import { memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import type { TraceFindingsGrownParams, TraceGrownParams } from '../../../src/protocol/trace';
import { TraceStore } from '../../../src/server/traces';
import { ROOT } from '../helpers/fixtures';

const TRACES = join(ROOT, 'test', 'fixtures', 'trace');

type Told = { grown: TraceGrownParams } | { found: TraceFindingsGrownParams };

// trace-contention is the committed trace of two generations (go1.22 on); the others have one.
for (const [v, name] of ['go1.22', 'go1.23', 'go1.24', 'go1.25', 'go1.26', 'go1.27'].map((v) => [v, 'trace-contention'])) {
  test(`${v}/${name} opened progressively: findings so far before the end, then the whole-file open's findings`, async () => {
    const uri = pathToFileURL(join(TRACES, v, `${name}.trace`)).toString();
    const whole = new TraceStore();
    const w = await whole.openTrace({ uri }, () => {});
    assert.ok(w.ok);
    const want = await whole.findingsOf({ id: w.summary.id });
    assert.ok(want.ok);

    const store = new TraceStore({ chunkSize: 64 });
    const told: Told[] = [];
    let final!: () => void;
    const finalTold = new Promise<void>((r) => { final = r; });
    const res = await store.openTrace({ uri, progressive: true }, () => {}, undefined, (grown) => told.push({ grown }),
      (found) => { told.push({ found }); if (found.findings.final) final(); });
    assert.ok(res.ok);
    assert.ok(res.summary.loading, 'answered before the file was read');
    await finalTold;
    const asked = await store.findingsOf({ id: res.summary.id });
    assert.ok(asked.ok);

    const done = told.findIndex((t) => 'grown' in t && t.grown.done);
    assert.ok(done > 0, 'fully read');
    const found = told.flatMap((t) => ('found' in t ? [t.found] : []));
    const before = told.slice(0, done).flatMap((t) => ('found' in t ? [t.found] : []));
    assert.ok(before.length >= 1, 'findings so far were told while the trace was read');
    for (const f of before) {
      assert.equal(f.id, res.summary.id);
      assert.equal(f.findings.final, false);
      assert.ok(f.findings.throughNs < w.summary.durationNs, `${f.findings.throughNs} ns of ${w.summary.durationNs}`);
      assert.ok(f.findings.fraction > 0 && f.findings.fraction < 1);
      assert.ok(f.findings.findings.every((x) => x.kind !== 'leak'), 'no leak is judged before the end');
    }
    // Covering more and more of the run.
    for (let i = 1; i < before.length; i++) assert.ok(before[i].findings.throughNs >= before[i - 1].findings.throughNs);
    const last = found[found.length - 1];
    assert.equal(found.filter((f) => f.findings.final).length, 1, 'one final message');
    assert.equal(last.findings.final, true);
    assert.equal(last.findings.fraction, 1);
    assert.equal(last.findings.throughNs, w.summary.durationNs);
    assert.deepEqual(last.findings.findings, want.findings);
    assert.deepEqual(asked.findings, want.findings);
    // The contention is under way from the start: it is seen before the end.
    assert.ok(before.some((f) => f.findings.findings.some((x) => x.kind === 'contention')), JSON.stringify(before.map((f) => f.findings.findings.map((x) => x.title))));
  });
}

test('go1.27/trace-leak (one generation) opened progressively is read whole: no findings so far, its findings when asked', async () => {
  const uri = pathToFileURL(join(TRACES, 'go1.27', 'trace-leak.trace')).toString();
  const store = new TraceStore({ chunkSize: 64 });
  const found: TraceFindingsGrownParams[] = [];
  const res = await store.openTrace({ uri, progressive: true }, () => {}, undefined, () => {}, (f) => found.push(f));
  assert.ok(res.ok);
  assert.equal(res.summary.loading, undefined);
  const asked = await store.findingsOf({ id: res.summary.id });
  assert.ok(asked.ok && asked.findings.some((x) => x.kind === 'leak'), 'the leak trace has its leak finding');
  assert.deepEqual(found, []);
});

test('the contention report so far at a time is the report finished at that time', () => {
  let open = 0;
  for (const file of [join(TRACES, 'go1.27', 'trace-contention.trace'), join(TRACES, 'go1.27', 'trace-leak.trace'), join(TRACES, 'go1.27', 'trace-gc.trace')]) {
    const bytes = new Uint8Array(readFileSync(file));
    // The collector after k steps of the pass (a small chunk size: several steps a trace).
    const upTo = (k: number) => {
      let c!: TraceContention;
      const pass = new TracePass(openTrace(memorySource(bytes), { chunkSize: 4096 }), { contention: (r) => (c = new TraceContention(r.strings, r.stacks)) });
      let steps = 0;
      while (steps < k && pass.step()) steps++;
      return { c, steps };
    };
    for (let k = 1; ; k++) {
      const { c, steps } = upTo(k);
      const soFar = c.snapshot(1e12);
      const done = upTo(k).c.finish(1e12);
      assert.deepEqual(soFar, done, `${file} after ${k} steps`);
      open += [...done.sites, ...done.channels].filter((x) => (x.unreleased ?? 0) > 0).length;
      if (steps < k) break;
    }
  }
  assert.ok(open > 0, 'some report closed waits still open');
});

test('the contention reports so far of one collector, each after the last (their convoys swept on from the last report), are the reports finished at those times; finished after them, the same as finished alone', () => {
  let reports = 0, open = 0;
  for (const file of [join(TRACES, 'go1.27', 'trace-contention.trace'), join(TRACES, 'go1.23', 'trace-contention.trace'), join(TRACES, 'go1.27', 'trace-leak.trace'), join(TRACES, 'go1.27', 'trace-gc.trace')]) {
    const bytes = new Uint8Array(readFileSync(file));
    const passOf = () => {
      const x: { c?: TraceContention; m?: RuntimeModel } = {};
      // Slices of 64 events: many reports a trace, waits open across them.
      const pass = new TracePass(openTrace(memorySource(bytes), { sliceEvents: 64 }), {
        model: (r) => { const rep = modelCollector(r) as Replayer; x.m = rep.model; return rep; }, contention: (r) => (x.c = new TraceContention(r.strings, r.stacks)),
      });
      return { pass, c: x.c!, m: x.m! };
    };
    // The collector finished after k steps, at `end`.
    const finishedAt = (k: number, end: number) => {
      const { pass, c } = passOf();
      for (let steps = 0; steps < k && pass.step(); steps++);
      return c.finish(end);
    };
    const { pass, c, m } = passOf();
    for (let k = 1; pass.step(); k++) {
      // At the last event read (as the editor asks), and far past it.
      for (const end of [m.end, 1e12]) {
        const soFar = c.snapshot(end);
        const done = finishedAt(k, end);
        assert.deepEqual(soFar, done, `${file} after ${k} steps, at ${end}`);
        reports++;
        open += [...done.sites, ...done.channels].filter((x) => (x.unreleased ?? 0) > 0).length;
      }
    }
    // Finished after all those reports (sweeping on from them), as finished alone.
    assert.deepEqual(c.finish(m.end), finishedAt(Infinity, m.end), `${file} finished`);
  }
  assert.ok(reports > 20, `${reports} reports`);
  assert.ok(open > 0, 'some report closed waits still open');
});

test('the contention and GC use reports so far leave the collectors as they were', () => {
  const bytes = new Uint8Array(readFileSync(join(TRACES, 'go1.27', 'trace-contention.trace')));
  const finish = (peek: boolean) => {
    let c!: TraceContention, u!: GcUseCollector;
    const pass = new TracePass(openTrace(memorySource(bytes)), {
      contention: (r) => (c = new TraceContention(r.strings, r.stacks)), use: (r) => (u = gcUseCollector()(r) as GcUseCollector),
    });
    let last = 0;
    while (pass.step()) {
      if (!peek) continue;
      const a = c.snapshot(1e12), b = u.snapshot(1e12);
      // Made twice in a row, the same: nothing was closed for good.
      assert.deepEqual(c.snapshot(1e12), a);
      assert.deepEqual(u.snapshot(1e12), b);
      last++;
    }
    return { ...pass.finish(), peeks: last };
  };
  const plain = finish(false), peeked = finish(true);
  assert.ok(peeked.peeks > 1);
  assert.deepEqual(peeked.contention, plain.contention);
  assert.deepEqual(peeked.use, plain.use);
  assert.ok(plain.contention.sites.length + plain.contention.channels.length > 0);
});
