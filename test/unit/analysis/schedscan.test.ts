// The scheduler report from one scan of the span table in table order is the report from
// walking each goroutine's spans through an index by goroutine, on every committed trace of
// every toolchain (and the sched fixtures); a scan resumed after each generation, as the
// trace editor does while it reads, gives the same report at the end. The saturation figures
// are those of a plain sweep over every event sorted. The near-sorted sort and the merge order
// numbers as the native sort does; the stats of a union of sorted parts are those of the union.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { latencyStats, schedFromModel, statsOfParts, statsOfSortedUnion } from '../../../src/core/analysis/sched';
import { sortedPart } from '../../../src/core/analysis/sortedruns';
import { SchedScan } from '../../../src/core/analysis/schedscan';
import { eachMerged, merge2, sortCounts, sortTimes } from '../../../src/core/analysis/sorttimes';
import { GoState } from '../../../src/core/trace/events';
import { modelCollector, TracePass, replay } from '../../../src/core/runtime/pass';
import type { RuntimeModel } from '../../../src/core/runtime/model';
import type { Replayer } from '../../../src/core/runtime/replay';
import { memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { ROOT, traceFixtures } from '../helpers/fixtures';

const FIX = join(ROOT, 'test', 'fixtures');
const traces = traceFixtures(['trace', 'sched']);

function load(file: string): Uint8Array {
  return new Uint8Array(readFileSync(file));
}

test('there are traces to compare', () => assert.ok(traces.length >= 20, `${traces.length}`));

for (const file of traces) {
  const name = file.slice(FIX.length + 1);
  test(`${name}: the scan's scheduler report is the index's`, () => {
    let model: RuntimeModel;
    try { model = replay(openTrace(memorySource(load(file)))); } catch { return; } // not a trace this reader replays (tested elsewhere)
    const scan = new SchedScan(model).scan();
    assert.equal(scan.unordered, false, 'a goroutine\'s spans close in start order');
    assert.deepEqual(schedFromModel(model, { scan }), schedFromModel(model, { walk: 'index' }));
    assert.deepEqual(schedFromModel(model, { buckets: 7, sites: 3 }), schedFromModel(model, { walk: 'index', buckets: 7, sites: 3 }));
  });
}

/**
 * The report's saturation figures, the plain way: every start and end of a Running or Runnable
 * span as an event, all sorted together, then one sweep (time counted between distinct times).
 */
function saturationByEvents(model: RuntimeModel): { saturatedNs: number; idleWithRunnableNs: number } {
  const t = model.gSpans, ev: [number, number, number][] = [];
  for (let i = 0; i < t.count; i++) {
    const st = t.state(i);
    if (st === GoState.Running) ev.push([t.start(i), 1, 0], [t.end(i), -1, 0]);
    else if (st === GoState.Runnable) ev.push([t.start(i), 0, 1], [t.end(i), 0, -1]);
  }
  ev.sort((x, y) => x[0] - y[0]);
  const gmp = model.gomaxprocs, seen = Math.max(1, model.procs.size);
  const procsAt = (x: number) => { const v = gmp.count ? gmp.at(x) : NaN; return Number.isNaN(v) ? (gmp.count ? gmp.value[0] : seen) : v; };
  let running = 0, runnable = 0, prev = 0, saturatedNs = 0, idleWithRunnableNs = 0;
  for (const [time, dRun, dRbl] of ev) {
    if (time > prev && runnable > 0) { if (running >= procsAt(prev)) saturatedNs += time - prev; else idleWithRunnableNs += time - prev; }
    prev = time; running += dRun; runnable += dRbl;
  }
  return { saturatedNs, idleWithRunnableNs };
}

test('saturation: the sweep over the table in place (or every start and end sorted) is the sweep over all events sorted, on every trace', () => {
  let checked = 0, busy = 0;
  for (const file of traces) {
    let model: RuntimeModel;
    try { model = replay(openTrace(memorySource(load(file)))); } catch { continue; }
    const { saturatedNs, idleWithRunnableNs } = schedFromModel(model).utilization;
    assert.deepEqual({ saturatedNs, idleWithRunnableNs }, saturationByEvents(model), file);
    // Every start and end copied and sorted (a table whose ends are out of time order): the same report.
    assert.deepEqual(schedFromModel(model, { ends: 'sorted' }), schedFromModel(model), file);
    checked++;
    if (saturatedNs > 0 && idleWithRunnableNs > 0) busy++;
  }
  assert.ok(checked >= 20 && busy >= 5, `${checked} traces, ${busy} with both figures`);
});

/**
 * Reads a trace a generation at a time, calling f with the live model after each (what the
 * editor's findings so far see); the steps taken and the finished model.
 */
function eachStep(file: string, f: (model: RuntimeModel, step: number) => void): { steps: number; model: RuntimeModel } {
  let live: Replayer | undefined;
  const pass = new TracePass(openTrace(memorySource(load(file))), { model: (r) => (live = modelCollector(r) as Replayer) });
  let steps = 0;
  while (pass.step()) f(live!.model, steps++);
  return { steps, model: pass.finish().model };
}

test('a scan resumed after each generation gives the whole trace\'s report at the end', () => {
  let checked = 0;
  for (const file of traces.filter((f) => /go1\.2[3-7]/.test(f))) {
    let scan: SchedScan | undefined;
    const { steps, model } = eachStep(file, (live) => {
      scan ??= new SchedScan(live);
      scan.scan();
      schedFromModel(live, { scan });
    });
    assert.equal(scan?.model, model, file);
    assert.deepEqual(schedFromModel(model, { scan }), schedFromModel(model, { walk: 'index' }), file);
    if (steps > 1) checked++;
  }
  assert.ok(checked >= 3, `${checked} traces of several generations`);
});

test('a scan kept across generations reports at each step what a fresh scan of the model so far reports (its waits kept by origin)', () => {
  let checked = 0, groups = 0;
  for (const file of traces.filter((f) => /go1\.2[3-7]/.test(f))) {
    let scan: SchedScan | undefined;
    const { steps } = eachStep(file, (live, step) => {
      scan ??= new SchedScan(live);
      const kept = schedFromModel(live, { scan });
      assert.deepEqual(kept, schedFromModel(live, { scan: new SchedScan(live) }), `${file}, step ${step}`);
      groups = Math.max(groups, kept.worst.length);
    });
    if (steps > 1) checked++;
  }
  assert.ok(checked >= 3 && groups >= 2, `${checked} traces of several generations, at most ${groups} groups`);
});

test('sortTimes and merge2 order as Float64Array.prototype.sort does', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let trial = 0; trial < 3000; trial++) {
    const n = Math.floor(rnd() * 60);
    const a = new Float64Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += rnd() < 0.2 ? -rnd() * 10 : rnd() * 3;
      const r = rnd();
      a[i] = r < 0.03 ? NaN : r < 0.06 ? -0 : r < 0.08 ? Infinity : Math.round(t);
    }
    const want = a.slice().sort();
    assert.deepEqual([...sortTimes(a.slice())], [...want]);
    const cut = Math.floor(rnd() * n), cut2 = Math.floor(rnd() * n);
    const parts = [a.slice(0, Math.min(cut, cut2)), a.slice(Math.min(cut, cut2), Math.max(cut, cut2)), a.slice(Math.max(cut, cut2))].map((p) => p.sort());
    // merge2's general path orders NaN and -0 as the native sort; its plain path only plain values.
    const plainParts = parts.every((p) => p.every((v) => !Number.isNaN(v) && !Object.is(v, -0)));
    assert.deepEqual([...merge2(merge2(parts[0], parts[1], false), parts[2], false)], [...want]);
    if (plainParts) assert.deepEqual([...merge2(parts[0], merge2(parts[1], parts[2], true), true)], [...want]);
    // Many parts (a heap of them), some empty; and the stats of the union without making it.
    const many = Array.from({ length: 1 + Math.floor(rnd() * 9) }, () => [] as number[]);
    for (const v of a) many[Math.floor(rnd() * many.length)].push(v);
    const sortedParts = many.map((p) => Float64Array.from(p).sort());
    const seen: number[] = [];
    eachMerged(sortedParts, (v) => seen.push(v));
    assert.deepEqual(seen, [...want]);
    if (n > 0) assert.deepEqual(statsOfSortedUnion(sortedParts), latencyStats(a));
  }
  assert.deepEqual([...merge2(new Float64Array(0), new Float64Array(0), true)], []);
});

test('the stats of a union of sorted integer parts (read by selection) are those of the sorted whole', () => {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let trial = 0; trial < 2000; trial++) {
    const n = 1 + Math.floor(rnd() * 200);
    // Waits as a trace has them: integer nanoseconds, many equal, some parts empty; a few trials with a fraction (merged instead).
    const a = Float64Array.from({ length: n }, () => Math.floor(rnd() < 0.3 ? rnd() * 5 : rnd() ** 3 * 1e7) + (trial % 50 === 0 && rnd() < 0.1 ? 0.5 : 0));
    const parts = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => [] as number[]);
    for (const v of a) parts[Math.floor(rnd() * parts.length)].push(v);
    assert.deepEqual(statsOfSortedUnion(parts.map((p) => Float64Array.from(p).sort())), latencyStats(a));
    // Selected or walked, whichever would cost less: either gives the same figures (a fraction is walked whatever is asked).
    for (const how of ['select', 'walk'] as const) assert.deepEqual(statsOfParts(parts.map((p) => sortedPart(Float64Array.from(p).sort())), how), latencyStats(a), how);
  }
});

test('sortCounts orders as Float64Array.prototype.sort does (integers in range by counting passes, the rest natively)', () => {
  let seed = 5;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let trial = 0; trial < 40; trial++) {
    const n = Math.floor(rnd() * 9000);
    const odd = trial % 4 === 0 ? [-1, 0.5, -0, NaN, 2 ** 32, Infinity][trial % 6] : undefined;
    const a = Float64Array.from({ length: n }, () => (odd !== undefined && rnd() < 0.01 ? odd : Math.floor(rnd() < 0.5 ? rnd() * 70000 : rnd() * 2 ** 32)));
    assert.deepEqual([...sortCounts(a.slice())], [...a.slice().sort()]);
    // Every value below 2^11, or 2^22, or a multiple of 2^11 (digits every value shares, not passed over).
    const bound = [2 ** 11, 2 ** 22, 2 ** 32][trial % 3];
    const b = Float64Array.from({ length: n }, () => (trial % 3 === 2 ? 2048 * Math.floor(rnd() * 2 ** 21) : Math.floor(rnd() * bound)));
    assert.deepEqual([...sortCounts(b.slice())], [...b.slice().sort()]);
  }
});

test('the sched fixtures exist', () => assert.ok(existsSync(join(FIX, 'sched'))));
