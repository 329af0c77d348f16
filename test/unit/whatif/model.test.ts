// The what-if model judged against real runs (test/fixtures/whatif, generate-whatif.sh): from
// each shape's default-setting trace (GOGC=100, no limit, GOMAXPROCS=2), every toolchain,
// the model must reproduce that trace, and its prediction for every other setting must fall
// within ±25% of the range the real runs at that setting measured (min×0.75 … max×1.25) for
// GC cycles and peak heap. The accuracy table (GC cycles, peak heap, GC CPU, STW, wall time;
// '·' inside the measured range, else how far outside) is printed. Cases the model misses
// are listed in KNOWN with the reason; nothing is loosened silently.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers/fixtures';
import { accuracyTable, overshootOfRuns, readManifest, reproductionError, shapeAccuracy, whatIfToolchains, type AccuracyRow, type Figure } from '../helpers/whatif';

const DIR = join(ROOT, 'test', 'fixtures', 'whatif');
const TOLERANCE = 0.25;

/**
 * Known misses: "go1.NN/shape/setting" ("*" for every toolchain or every setting) → the
 * figures missed and why. Found on the fixture set of go1.19 and 1.21–1.27 as it stood
 * when the model was last changed. See README, "What the what-if model does not capture".
 */
const MANYG = 'manyg at GOGC 200/400 (the shape made reproducible: 320 goroutines with their own buffers, at most two 256 KiB chunks in flight): the model fits its mark speed to the traced default run\'s cycle count (on go1.22 ten times the marks\' own mean), so at a higher GOGC its marks run longer and allocate more than the runs\' did: a higher peak (on go1.25 also fewer cycles) predicted than measured. A likely cause, not a proven one.';
const MANYG_ONE = 'manyg with one proc: 320 goroutines, the collector and the marks share one proc, and the measured heap stays within a few MiB of its 5 MiB of buffers plus the goal; the model\'s one-proc mark allocates at the two-proc run\'s average rate, more than one proc lets manyg\'s jobs allocate while a mark runs: a higher peak (on go1.26 fewer cycles) predicted than measured.';
/**
 * The traced run and the runs at this setting had differently loaded machines (the fixtures were
 * made at load 5–19 on 2 cores): their marks ran past the goal by more than twice (or less than
 * half) what the traced run's did, per live byte marked. The model carries the traced run's
 * overshoot; another run's load is not in the trace. The test checks this on the runs' own traces.
 */
const LOAD = 'the runs at this setting overshot the goal (per live byte marked) more than twice or less than half as much as the traced run: a differently loaded machine, which the traced run cannot show';
const LOW = 'at GOGC=25 cpupar\'s four parallel allocators start the next cycle sooner than the model\'s runway estimate says (more cycles predicted than measured); the runs\' overshoot is within 2× of the trace\'s, so not load';
const FEWMARKS = 'few cycles, so the peak is one mark\'s: the model\'s mark allocated more during the parallel phase (3.9 MB) than the runs\' marks did (1.1–1.9 MB), and GOGC=400 makes the next goal five times the marked heap';
const DURING = 'the traced run\'s marks allocated 2.75 MB each while they ran (marked heap 10.3 MB), the runs at GOGC=200 1.0–1.8 MB (8.3–9.3 MB): a slower mark on a loaded machine, tripled by GOGC=200 into the goal (their overshoots per live byte are within 2×, so the load check does not catch it)';
const L119 = 'Go 1.19 counts ~10 MiB outside the heap against the limit (no headroom rule, free pages in); with the goal within 1–2 MiB of the live heap the cycle count swings by half for 0.5 MiB of that estimate';
const KNOWN: Record<string, { figures: Figure[]; why: string; load?: true }> = {
  'go1.19/manyg/gogc400': { figures: ['peakHeapBytes'], why: MANYG },
  'go1.22/manyg/gogc200': { figures: ['peakHeapBytes'], why: MANYG },
  'go1.22/manyg/procs1': { figures: ['peakHeapBytes'], why: MANYG_ONE },
  'go1.24/manyg/procs1': { figures: ['peakHeapBytes'], why: MANYG_ONE },
  'go1.25/manyg/gogc200': { figures: ['gcCycles', 'peakHeapBytes'], why: MANYG },
  'go1.25/manyg/procs1': { figures: ['peakHeapBytes'], why: MANYG_ONE },
  'go1.26/manyg/procs1': { figures: ['gcCycles'], why: MANYG_ONE },
  'go1.19/steady/gogc200': { figures: ['peakHeapBytes'], why: LOAD, load: true },
  'go1.19/bursty/memlimit16MiB-gogc100': { figures: ['gcCycles'], why: L119 },
  'go1.19/cpupar/gogc25': { figures: ['gcCycles'], why: LOW },
  'go1.21/steady/gogc50': { figures: ['peakHeapBytes'], why: LOAD, load: true },
  'go1.21/steady/gogc200': { figures: ['peakHeapBytes'], why: LOAD, load: true },
  'go1.21/steady/gogc400': { figures: ['peakHeapBytes'], why: LOAD, load: true },
  'go1.21/bursty/gogc25': { figures: ['gcCycles'], why: LOAD, load: true },
  'go1.22/bursty/gogc50': { figures: ['peakHeapBytes'], why: LOAD, load: true },
  'go1.22/bursty/gogc200': { figures: ['peakHeapBytes'], why: LOAD, load: true },
  'go1.22/cpupar/gogc400': { figures: ['peakHeapBytes'], why: FEWMARKS },
  'go1.23/steady/gogc50': { figures: ['peakHeapBytes'], why: LOAD, load: true },
  'go1.23/steady/gogc200': { figures: ['peakHeapBytes'], why: DURING },
  'go1.24/steady/gogc400': { figures: ['gcCycles'], why: LOAD, load: true },
  'go1.24/bursty/gogc200': { figures: ['peakHeapBytes'], why: LOAD, load: true },
  'go1.25/steady/gogc50': { figures: ['gcCycles', 'peakHeapBytes'], why: LOAD, load: true },
  'go1.25/cpupar/gogc200': { figures: ['peakHeapBytes'], why: LOAD, load: true },
  'go1.26/largelive/gogc200': { figures: ['peakHeapBytes'], why: LOAD, load: true },
};

/** Overshoot per live byte below 1% of the live heap is noise: compared with that floor added. */
const OVER_FLOOR = 0.01;

function known(tc: string, shape: string, setting: string): { figures: Figure[]; why: string } | undefined {
  return KNOWN[`${tc}/${shape}/${setting}`] ?? KNOWN[`*/${shape}/${setting}`] ?? KNOWN[`*/${shape}/*`];
}

const toolchains = whatIfToolchains(DIR);

describe('what-if model against measured runs', { skip: toolchains.length ? false : 'no what-if fixtures (test/fixtures/whatif) in this tree' }, () => {
  const all: AccuracyRow[] = [];
  for (const tc of toolchains) {
    const m = readManifest(DIR, tc);
    for (const shape of Object.keys(m.ranges).sort()) {
      test(`${tc} ${shape}`, () => {
        const { report, rows } = shapeAccuracy(DIR, tc, shape, m);
        all.push(...rows);
        // The model at the trace's own settings reproduces the trace.
        assert.equal(report.baseline.gogc, 100, report.notes.join('\n'));
        assert.equal(report.baseline.memlimit, null, report.notes.join('\n'));
        assert.equal(report.baseline.gomaxprocs, 2);
        const e = reproductionError(report.baseline, report.model);
        const kd = known(tc, shape, 'default');
        assert.ok(kd?.figures.includes('gcCycles') || Math.abs(report.model.gcCycles - report.baseline.gcCycles) <= Math.max(1, 0.1 * report.baseline.gcCycles),
          `model ${report.model.gcCycles} cycles, trace ${report.baseline.gcCycles}`);
        assert.ok(kd?.figures.includes('peakHeapBytes') || Math.abs(e.peakHeapBytes) <= TOLERANCE, `model peak ${report.model.peakHeapBytes}, trace ${report.baseline.peakHeapBytes}`);
        assert.ok(Math.abs(report.model.gcCpuFraction - report.baseline.gcCpuFraction) <= 0.02, `model GC CPU ${report.model.gcCpuFraction}, trace ${report.baseline.gcCpuFraction}`);
        const misses: string[] = [];
        for (const r of rows) {
          const k = known(tc, shape, r.setting);
          for (const f of ['gcCycles', 'peakHeapBytes'] as const) {
            if (Math.abs(r.error[f]) <= TOLERANCE || k?.figures.includes(f)) continue;
            misses.push(`${r.setting} ${f}: predicted ${r.predicted[f]}, measured ${r.range[f].min}…${r.range[f].max} (${Math.round(r.error[f] * 100)}% outside)`);
          }
        }
        assert.deepEqual(misses, [], `${tc} ${shape}:\n${misses.join('\n')}`);
        // A miss excused as load must show it: every run at the setting overshot more than twice,
        // or every one less than half, what the traced run did.
        for (const r of rows) {
          const k = KNOWN[`${tc}/${shape}/${r.setting}`];
          if (!k) continue;
          // An excuse no longer needed is dropped, not kept.
          for (const f of k.figures) assert.ok(Math.abs(r.error[f]) > TOLERANCE, `${tc}/${shape}/${r.setting} ${f} is in KNOWN but now within ±25%: remove it`);
          if (!k.load) continue;
          const o = overshootOfRuns(DIR, tc, shape, r.setting);
          const ratio = o.runs.map((x) => (x + OVER_FLOOR) / (o.trace + OVER_FLOOR));
          assert.ok(ratio.length > 0 && (ratio.every((x) => x > 2) || ratio.every((x) => x < 0.5)),
            `${tc} ${shape} ${r.setting} is excused as load, but the runs' overshoot ${o.runs.map((x) => x.toFixed(3)).join(', ')} is within 2× of the trace's ${o.trace.toFixed(3)}`);
        }
      });
    }
  }
  test('accuracy table', () => {
    console.log(`\nWhat-if accuracy: prediction from the default-setting trace against the measured range ('·' inside)\n${accuracyTable(all)}`);
    for (const [k, v] of Object.entries(KNOWN)) console.log(`known: ${k} (${v.figures.join(', ')}): ${v.why}`);
  });
});
