// The trace editor's "What if" panel: the server answers from the input the opening pass
// collected (no second read), exactly as the model does from its own pass over the file; the
// heap it sends is thinned with its peaks kept; the panel's fields read what Go's runtime reads.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { predictWhatIf, whatIfCollector } from '../../../src/core/analysis/whatif';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import { fileSource } from '../../../src/core/io/file';
import { runPass } from '../../../src/core/runtime/pass';
import { TraceStore } from '../../../src/server/traces';
import { thinHeap } from '../../../src/server/whatif';
import { parseGogc, parseMemLimit, parseProcs } from '../../../src/core/analysis/whatif-settings';
import { PACER_STATES, pacerStatesText } from '../../../src/core/analysis/pacerstate';
import { changeLabel, METRICS, OTHER_WAY, parseSettings, settingsText, whatIfColumns } from '../../../webview/trace/whatifsettings';
import { ROOT } from '../helpers/fixtures';

const FILE = join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', 'trace-gc.trace');

/** The model from a pass of its own over the file, as `golens whatif` runs it. */
function direct(settings: Parameters<typeof predictWhatIf>[1], file = FILE) {
  const src = fileSource(file);
  try {
    return predictWhatIf(runPass(openTraceSource(src), { w: whatIfCollector() }).w, settings);
  } finally { src.close(); }
}

test('golens/trace/whatif answers from the opening pass what the model answers from its own pass', async () => {
  const store = new TraceStore();
  const opened = await store.openTrace({ uri: pathToFileURL(FILE).toString() }, () => {});
  if (!opened.ok) throw new Error(opened.error.message);
  const id = opened.summary.id;
  const scenario = { gogc: 200, gomaxprocs: 1 };
  const res = await store.whatIf({ id, settings: scenario });
  if (!res.ok) throw new Error(res.error.message);
  const want = direct([scenario]);
  assert.equal(res.report.scenarios.length, 1);
  assert.deepEqual(res.report.baseline, want.baseline);
  assert.deepEqual(res.report.notes, want.notes);
  assert.equal(res.report.goVersion, want.goVersion);
  for (const [got, exp] of [[res.report.model, want.model], [res.report.scenarios[0], want.scenarios[0]]] as const) {
    for (const m of METRICS) assert.equal(got[m.key], exp[m.key], m.key);
    assert.equal(got.gogc, exp.gogc); assert.equal(got.memlimit, exp.memlimit); assert.equal(got.gomaxprocs, exp.gomaxprocs);
    assert.deepEqual(got.cycles, exp.cycles);
    assert.deepEqual(got.heap, thinHeap(exp.heap, 4096));
  }
  assert.equal(res.report.scenarios[0].gogc, 200);
  assert.equal(res.report.scenarios[0].gomaxprocs, 1);
  // null: the trace's settings and the model at them, no scenario.
  const base = await store.whatIf({ id, settings: null });
  assert.ok(base.ok);
  assert.equal(base.report.scenarios.length, 0);
  assert.deepEqual(base.report.baseline, want.baseline);
  assert.equal((await store.whatIf({ id: 'nope', settings: null })).ok, false);
  store.close(id);
});

test('thinHeap keeps at most max points, in time order, with the highest and lowest heap', () => {
  const { model } = direct([]);
  const heap = model.heap;
  assert.ok(heap.length > 4, `the model's heap has ${heap.length} points`);
  assert.equal(thinHeap(heap, heap.length), heap, 'short enough: as it is');
  for (const max of [4, 8, Math.max(4, heap.length - 2)]) {
    const thin = thinHeap(heap, max);
    assert.ok(thin.length <= max && thin.length >= 2, `${thin.length} ≤ ${max}`);
    for (let i = 1; i < thin.length; i++) assert.ok(thin[i].timeNs >= thin[i - 1].timeNs);
    for (const p of thin) assert.ok(heap.includes(p), 'only the model\'s own points');
    const peak = Math.max(...heap.map((p) => p.inUseBytes)), low = Math.min(...heap.map((p) => p.inUseBytes));
    assert.equal(Math.max(...thin.map((p) => p.inUseBytes)), peak);
    assert.equal(Math.min(...thin.map((p) => p.inUseBytes)), low);
  }
});

test('the panel\'s fields read GOGC, GOMEMLIMIT and GOMAXPROCS as Go does', () => {
  assert.deepEqual(parseGogc(' 200 '), { ok: true, value: 200 });
  assert.deepEqual(parseGogc('OFF'), { ok: true, value: 'off' });
  // As Go reads them (test/unit/analysis/whatif-settings.test.ts checks against the runtime): 0 is a
  // setting, below 0 is off, and anything up to 2^31-1 is taken.
  assert.deepEqual(parseGogc('0'), { ok: true, value: 0 });
  assert.deepEqual(parseGogc('-1'), { ok: true, value: 'off' });
  assert.deepEqual(parseGogc('1000001'), { ok: true, value: 1000001 });
  for (const bad of ['', '1.5', 'abc', '100%', '2147483648']) assert.equal(parseGogc(bad).ok, false, bad);
  assert.deepEqual(parseMemLimit(''), { ok: true, value: null });
  assert.deepEqual(parseMemLimit('none'), { ok: true, value: null });
  assert.deepEqual(parseMemLimit('512MiB'), { ok: true, value: 512 * 2 ** 20 });
  assert.deepEqual(parseMemLimit('1.5 GiB'), { ok: true, value: 1.5 * 2 ** 30 });
  assert.deepEqual(parseMemLimit('64 MB'), { ok: true, value: 64e6 }, 'decimal MB, as golens whatif --memlimit reads it');
  assert.deepEqual(parseMemLimit('800000000'), { ok: true, value: 8e8 });
  assert.deepEqual(parseMemLimit('0'), { ok: true, value: 0 }, 'Go takes a limit of 0');
  for (const bad of ['-5MiB', '12 parsecs', 'MiB', '1e9', '8388608TiB']) assert.equal(parseMemLimit(bad).ok, false, bad);
  assert.deepEqual(parseProcs('1'), { ok: true, value: 1 });
  for (const bad of ['0', '', '2.5', '99999']) assert.equal(parseProcs(bad).ok, false, bad);
  const bad = parseSettings({ gogc: '100', memlimit: 'lots', gomaxprocs: '4' });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.field, 'memlimit');
  // What the fields show parses back to the same settings.
  for (const s of [{ gogc: 100, memlimit: null, gomaxprocs: 8 }, { gogc: 'off' as const, memlimit: 512 * 2 ** 20, gomaxprocs: 1 }, { gogc: 50, memlimit: 123456789, gomaxprocs: 2 }]) {
    assert.deepEqual(parseSettings(settingsText(s)), { ok: true, value: s });
  }
});

test('the change column is signed and against the model at the trace\'s settings', () => {
  assert.equal(changeLabel(50, 100), '−50.0%');
  assert.equal(changeLabel(103, 100), '+3.00%');
  assert.equal(changeLabel(7, 7), '0%');
  assert.equal(changeLabel(5, 0), '—');
});

test('the panel\'s other-state column: beside Scenario where a run could settle in either steady state, with the other state\'s figures and its own change; none where only one is possible', () => {
  const r = direct([{ gogc: 50 }]);
  const g50 = r.scenarios[0];
  const o = g50.otherState;
  assert.ok(o, 'GOGC=50 on this trace has the other state');
  const { columns, states } = whatIfColumns(r);
  assert.deepEqual(columns.map((c) => c.key), ['baseline', 'model', 'scenario', 'change', 'other', 'other-change']);
  const other = columns.find((c) => c.key === 'other')!;
  assert.equal(other.label, OTHER_WAY);
  // The scenario's settings, the other state's figures, and a change against the model as the Scenario's.
  assert.deepEqual([other.of!.gogc, other.of!.memlimit, other.of!.gomaxprocs], [g50.gogc, g50.memlimit, g50.gomaxprocs]);
  for (const m of METRICS) assert.equal(other.of![m.key], o[m.key], m.key);
  assert.notEqual(o.peakHeapBytes, g50.peakHeapBytes, 'the two states differ at GOGC=50');
  const change = columns.find((c) => c.key === 'other-change')!;
  assert.equal(change.change, true);
  assert.equal(change.of, other.of);
  // The line under the table: core's words for both states, the traced run's named, the column's state said.
  assert.ok(states, 'a line names the two states');
  assert.ok(r.model.pacerState);
  assert.ok(states.startsWith(pacerStatesText(r.model.pacerState)), states);
  assert.notEqual(o.pacerState, r.model.pacerState);
  assert.ok(states.endsWith(`shows it with ${PACER_STATES[o.pacerState].name}.`), states);
  assert.ok(other.title.includes(PACER_STATES[o.pacerState].how), other.title);
  // GOGC=400: only one state is possible (room over two allocations), and none at the trace's own settings here.
  const g400 = direct([{ gogc: 400 }]);
  assert.equal(g400.scenarios[0].otherState, undefined);
  assert.equal(g400.model.otherState, undefined);
  assert.deepEqual(whatIfColumns(g400).columns.map((c) => c.key), ['baseline', 'model', 'scenario', 'change']);
  assert.equal(whatIfColumns(g400).states, undefined);
});

test('the panel\'s other-state column without a scenario that has one: the model\'s at the trace\'s settings, said so', () => {
  // go1.21's trace-gc run could have settled either way at its own settings.
  const file = join(ROOT, 'test', 'fixtures', 'trace', 'go1.21', 'trace-gc.trace');
  for (const settings of [[], [{ gogc: 400 }]]) {
    const r = direct(settings, file);
    const o = r.model.otherState;
    assert.ok(o, 'the model at go1.21 trace-gc\'s own settings has the other state');
    if (r.scenarios[0]) assert.equal(r.scenarios[0].otherState, undefined, 'GOGC=400: one state only');
    const { columns, states } = whatIfColumns(r);
    assert.deepEqual(columns.map((c) => c.key), ['baseline', 'model', 'scenario', 'change', 'other', 'other-change']);
    const other = columns.find((c) => c.key === 'other')!;
    assert.match(other.label, /^At the trace's settings, if the GC settles the other way$/);
    assert.deepEqual([other.of!.gogc, other.of!.memlimit, other.of!.gomaxprocs], [r.model.gogc, r.model.memlimit, r.model.gomaxprocs]);
    for (const m of METRICS) assert.equal(other.of![m.key], o[m.key], m.key);
    assert.match(states ?? '', /Model follows the trace's run/);
  }
});
