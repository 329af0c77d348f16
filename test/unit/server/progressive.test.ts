// The trace editor's progressive open: a new-format trace is answered after its first
// generation and the rest is read behind; once read, the model, the tiles, the findings and
// the goroutine groups are the ones the whole-file open gives. Old-format traces (not
// generational) and one-generation traces take the whole-file path.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { LaneRef, TraceGrownParams, TraceViewSummary } from '../../../src/protocol/trace';
import { TraceStore } from '../../../src/server/traces';
import { ROOT } from '../helpers/fixtures';

const TRACES = join(ROOT, 'test', 'fixtures', 'trace');

function lanesOf(s: TraceViewSummary, goroutines: number[]): LaneRef[] {
  return [
    { kind: 'gc', id: 0 }, { kind: 'stw', id: 0 }, { kind: 'assist', id: 0 }, { kind: 'sweep', id: 0 }, { kind: 'task', id: 0 }, { kind: 'region', id: 0 },
    ...s.procs.map((id) => ({ kind: 'proc' as const, id })), ...s.threads.map((id) => ({ kind: 'thread' as const, id })),
    ...goroutines.map((id) => ({ kind: 'goroutine' as const, id })),
  ];
}

/** Everything the editor asks of an open trace, for comparing two opens. */
async function everything(store: TraceStore, s: TraceViewSummary) {
  const id = s.id;
  const gs = store.goroutines({ id, query: '', limit: 1000 });
  assert.ok(gs.ok);
  const lanes = lanesOf(s, gs.rows.slice(0, 20).map((r) => r.id));
  const windows = [[0, s.durationNs, 1000], [0, s.durationNs, 100_000], [s.durationNs * 0.4, s.durationNs * 0.45, 2000]];
  const tiles = windows.map(([t0, t1, pixels]) => store.tiles({ id, query: { t0, t1, pixels, lanes, colorBy: 'goroutine', counters: true } }));
  const byFn = store.tiles({ id, query: { t0: 0, t1: s.durationNs, pixels: 500, lanes, colorBy: 'function', counters: false } });
  const spans = [0, 1, 2, 50].map((ref) => store.span({ id, source: 'g', ref }));
  const findings = await store.findingsOf({ id });
  const groups = store.goroutineGroups({ id });
  const slice = store.slice({ id, query: { view: 'time' } });
  const { id: _, decodeMs: __, ...summary } = s;
  return { summary, goroutines: gs, tiles, byFn, spans, findings, groups, slice };
}

async function openWhole(file: string) {
  const store = new TraceStore();
  const res = await store.openTrace({ uri: pathToFileURL(file).toString() }, () => {});
  if (!res.ok) throw new Error(res.error.message);
  return { store, summary: res.summary };
}

/** Opened as the editor does, reading 64 bytes at a time so that a small trace's first generation ends before the file is read. */
async function openProgressive(file: string) {
  const store = new TraceStore({ chunkSize: 64 });
  const grown: TraceGrownParams[] = [];
  const res = await store.openTrace({ uri: pathToFileURL(file).toString(), progressive: true }, () => {}, undefined, (g) => grown.push(g));
  if (!res.ok) throw new Error(res.error.message);
  const first = res.summary;
  // While the rest is read, the tiles of what is on hand are answered.
  const early = store.tiles({ id: first.id, query: { t0: 0, t1: Math.max(1, first.durationNs), pixels: 800, lanes: lanesOf(first, []), colorBy: 'goroutine', counters: true } });
  assert.ok(early.ok, 'tiles while reading');
  await store.loaded(first.id);
  return { store, first, grown };
}

for (const v of ['go1.23', 'go1.27']) {
  test(`${v}/trace-contention (two generations) opened progressively: first the first generation, then what the whole-file open gives`, async () => {
    const file = join(TRACES, v, 'trace-contention.trace');
    const whole = await openWhole(file);
    const prog = await openProgressive(file);
    assert.ok(prog.first.loading, 'answered before the file was read');
    assert.ok(prog.first.loading.fraction > 0 && prog.first.loading.fraction < 1);
    assert.ok(prog.first.events < whole.summary.events, `${prog.first.events} events first, ${whole.summary.events} in all`);
    assert.ok(prog.first.durationNs <= whole.summary.durationNs);
    const last = prog.grown[prog.grown.length - 1];
    assert.equal(last.done, true);
    assert.equal(last.error, undefined);
    assert.equal(prog.grown.filter((g) => g.done).length, 1);
    assert.equal(last.summary.loading, undefined);
    assert.equal(last.summary.id, prog.first.id);
    const want = await everything(whole.store, whole.summary);
    const got = await everything(prog.store, last.summary);
    assert.ok(want.findings.ok && want.findings.findings.length > 0, 'the contention trace has findings');
    assert.deepEqual(got, want);
  });
}

for (const [v, name] of [['go1.19', 'trace-contention'], ['go1.19', 'trace-gc'], ['go1.23', 'trace-gc'], ['go1.27', 'trace-leak']]) {
  test(`${v}/${name} (old format or one generation) opened progressively is read whole, as before`, async () => {
    const file = join(TRACES, v, `${name}.trace`);
    const whole = await openWhole(file);
    const prog = await openProgressive(file);
    assert.equal(prog.first.loading, undefined);
    assert.deepEqual(prog.grown, []);
    assert.deepEqual(await everything(prog.store, prog.first), await everything(whole.store, whole.summary));
  });
}

test('go1.27/trace-contention: a What if asked while the trace is still read waits for the whole file, then answers as the whole-file open does', async () => {
  const file = join(TRACES, 'go1.27', 'trace-contention.trace');
  const whole = await openWhole(file);
  const store = new TraceStore({ chunkSize: 64 });
  const grown: TraceGrownParams[] = [];
  const res = await store.openTrace({ uri: pathToFileURL(file).toString(), progressive: true }, () => {}, undefined, (g) => grown.push(g));
  if (!res.ok) throw new Error(res.error.message);
  assert.ok(res.summary.loading, 'answered before the file was read');
  const settings = { gogc: 200, gomaxprocs: 1 };
  const early = await store.whatIf({ id: res.summary.id, settings });
  assert.ok(grown.some((g) => g.done), 'answered only once the whole file was read');
  const want = await whole.store.whatIf({ id: whole.summary.id, settings });
  assert.ok(want.ok, 'the whole-file open answers');
  assert.deepEqual(early, want);
  // Closed while still reading: told it is not open, not left waiting.
  const again = await store.openTrace({ uri: pathToFileURL(file).toString(), progressive: true }, () => {}, undefined, () => {});
  if (!again.ok) throw new Error(again.error.message);
  const asked = store.whatIf({ id: again.summary.id, settings: null });
  store.close(again.summary.id);
  assert.equal((await asked).ok, false);
});
