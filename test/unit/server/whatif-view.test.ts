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
import { changeLabel, METRICS, otherStateLine, parseSettings, settingsText } from '../../../webview/trace/whatifsettings';
import { ROOT } from '../helpers/fixtures';

const FILE = join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', 'trace-gc.trace');

/** The model from a pass of its own over the file, as `golens whatif` runs it. */
function direct(settings: Parameters<typeof predictWhatIf>[1]) {
  const src = fileSource(FILE);
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

test('the panel\'s other-state line: the other steady state\'s figures as the table formats them, none where only one state is possible', () => {
  const r = direct([{ gogc: 50 }, { gogc: 400 }]);
  const [g50, g400] = r.scenarios;
  const o = g50.otherState;
  assert.ok(o, 'GOGC=50 on this trace has the other state');
  const line = otherStateLine(g50, 'Scenario')!;
  assert.match(line, /^Scenario: the GC could also settle the other way \(/);
  assert.match(line, o.pacerState === 'runway' ? /start early/ : /start right at the heap goal/);
  for (const m of METRICS) assert.ok(line.includes(`${m.label} ${m.format(o[m.key])}`), `${m.label} in ${line}`);
  assert.equal(otherStateLine(g400, 'Scenario'), undefined);
});
