// The what-if models on the committed traces of every toolchain: the baseline is gc.ts's own
// measurement, the model at the baseline's settings reproduces it, and the predictions move the
// way the pacer's rules say (more cycles and a smaller heap at a lower GOGC; only the forced
// cycles with GC off); the scheduler replay at the trace's procs takes about the trace's time.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeTraceGc } from '../../../src/core/analysis/gc';
import { predictWhatIf } from '../../../src/core/analysis/whatif';
import { replaySched } from '../../../src/core/analysis/whatif-sched';
import { memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { readFileSync } from 'node:fs';
import { ROOT } from '../helpers/fixtures';
import { inputOf } from '../helpers/whatif';

const TRACES = join(ROOT, 'test', 'fixtures', 'trace');
const VERSIONS = ['go1.19', 'go1.21', 'go1.22', 'go1.23', 'go1.24', 'go1.25', 'go1.26', 'go1.27'].filter((v) => existsSync(join(TRACES, v, 'trace-gc.trace')));

describe('what-if model on trace-gc (3 forced cycles, then allocation with a small live heap)', () => {
  for (const v of VERSIONS) {
    test(v, () => {
      const path = join(TRACES, v, 'trace-gc.trace');
      const inp = inputOf(path);
      const gc = analyzeTraceGc(openTrace(memorySource(readFileSync(path))));
      const r = predictWhatIf(inp, [{ gogc: 50 }, { gogc: 200 }, { gogc: 'off' }, { gogc: 100, memlimit: 12 << 20 }]);
      assert.deepEqual(
        [r.baseline.gcCycles, r.baseline.peakHeapBytes, r.baseline.gcCpuFraction, r.baseline.stwTotalNs, r.baseline.wallNs],
        [gc.cycles, gc.heap.peakInUseBytes, gc.gcCpuFraction, gc.stw.totalNs, gc.durationNs]);
      assert.equal(r.baseline.gogc, 100, r.notes.join('\n'));
      assert.equal(r.baseline.memlimit, null);
      assert.equal(r.baseline.gomaxprocs, gc.gomaxprocs);
      // The model at the trace's own settings: its cycles within ±10% (±1), its peak within ±50% (small heaps: one span is a lot).
      assert.ok(Math.abs(r.model.gcCycles - gc.cycles) <= Math.max(1, 0.1 * gc.cycles), `model ${r.model.gcCycles} cycles, trace ${gc.cycles}`);
      assert.ok(Math.abs(r.model.peakHeapBytes / gc.heap.peakInUseBytes - 1) <= 0.5, `model peak ${r.model.peakHeapBytes}, trace ${gc.heap.peakInUseBytes}`);
      assert.ok(Math.abs(r.model.gcCpuFraction - gc.gcCpuFraction) <= 0.02, `model GC CPU ${r.model.gcCpuFraction}, trace ${gc.gcCpuFraction}`);
      const [g50, g200, off, lim] = r.scenarios;
      assert.ok(g50.gcCycles > r.model.gcCycles && r.model.gcCycles > g200.gcCycles, `cycles at GOGC 50/100/200: ${g50.gcCycles} ${r.model.gcCycles} ${g200.gcCycles}`);
      assert.ok(g50.peakHeapBytes <= r.model.peakHeapBytes * 1.05 && g200.peakHeapBytes >= r.model.peakHeapBytes, `peaks ${g50.peakHeapBytes} ${r.model.peakHeapBytes} ${g200.peakHeapBytes}`);
      // GOGC=off: only the three runtime.GC() calls collect; the heap grows by everything allocated.
      assert.equal(off.gcCycles, gc.forcedCycles);
      assert.ok(off.peakHeapBytes > 50e6, `peak with GC off ${off.peakHeapBytes}`);
      // A 12 MiB limit holds the goal below the GOGC goal: more cycles, a heap under the limit.
      assert.ok(lim.gcCycles >= r.model.gcCycles && lim.peakHeapBytes <= 12 << 20, `limit: ${lim.gcCycles} cycles, peak ${lim.peakHeapBytes}`);
      // The series the view draws: at most 400 heap points, in time order, one cycle per predicted cycle.
      for (const s of [r.model, ...r.scenarios]) {
        assert.ok(s.heap.length > 0 && s.heap.length <= 400);
        assert.ok(s.heap.every((p, i) => i === 0 || p.timeNs >= s.heap[i - 1].timeNs));
        assert.equal(s.cycles.length, s.gcCycles);
      }
    });
  }
});

describe('GOMAXPROCS replay', () => {
  for (const name of ['trace-contention', 'trace-syscall', 'trace-leak']) {
    test(`${name} (go1.27): at the trace's procs it takes about the trace's time; one proc is slower and busier`, () => {
      const inp = inputOf(join(TRACES, 'go1.27', `${name}.trace`));
      const base = replaySched(inp.goroutines, inp.gomaxprocs);
      assert.ok(Math.abs(base.wallNs / inp.durationNs - 1) < 0.25, `replay ${base.wallNs} ns, trace ${inp.durationNs} ns`);
      const one = replaySched(inp.goroutines, 1);
      const many = replaySched(inp.goroutines, 8);
      assert.ok(one.wallNs >= base.wallNs && base.wallNs >= many.wallNs * 0.999, `${one.wallNs} ${base.wallNs} ${many.wallNs}`);
      assert.ok(one.utilisation >= base.utilisation && one.utilisation <= 1.0001);
      assert.ok(one.runnableMeanNs >= base.runnableMeanNs);
    });
  }
});
