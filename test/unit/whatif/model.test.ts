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
import { accuracyTable, readManifest, reproductionError, shapeAccuracy, whatIfToolchains, type AccuracyRow, type Figure } from '../helpers/whatif';

const DIR = join(ROOT, 'test', 'fixtures', 'whatif');
const TOLERANCE = 0.25;

/**
 * Known misses: "go1.NN/shape/setting" ("*" for every toolchain or every setting) → the
 * figures missed and why. Found on the fixture set of go1.19 and 1.21–1.27 as it stood
 * when the model was last changed. See README, "What the what-if model does not capture".
 */
const MANYG = 'manyg\'s live heap is the 256 KiB chunks its 320 goroutines hold while they wait to hand a hash to the collector: how many are held at once depends on scheduling and on when each cycle starts, so runs of one setting differ widely (its default runs on go1.27: 3 to 16 cycles) and the model, which keeps the traced run\'s live heap, cannot follow it. With one proc only a few chunks are held at once.';
/** The traced run's overshoot past the goal (measured on its own marks, on a machine at load 5–14) carried to another GOGC: the other runs' marks overshot more or less. */
const OVER = 'the overshoot past the goal that the model carries from the traced run\'s marks (load 5–14 when the fixtures were made) differs from what the runs at this setting had';
const LOW = 'at GOGC=25 cpupar\'s four parallel allocators start the next cycle sooner than the model\'s runway estimate says (more cycles predicted than measured)';
const FEW = 'three cycles measured, four predicted: one cycle is a third at this count';
const ONE = 'with one proc the heap stays nearer the goal than the model\'s (it keeps the two-proc run\'s allocation during the mark, scaled down but not to the measured level)';
const L119 = 'Go 1.19 counts more memory against the limit than later versions (no headroom rule, free heap pages in); the model\'s estimate of it (9 MiB) is from these runs and still short for this shape';
const LIM = 'the memory outside the heap that the limit counts is estimated (4.5 MiB and stacks), not measured: this run\'s was smaller';
const KNOWN: Record<string, { figures: Figure[]; why: string }> = {
  '*/manyg/*': { figures: ['gcCycles', 'peakHeapBytes'], why: MANYG },
  'go1.19/steady/gogc200': { figures: ['peakHeapBytes'], why: OVER },
  'go1.19/steady/memlimit18MiB-gogc100': { figures: ['gcCycles'], why: L119 },
  'go1.19/bursty/memlimit16MiB-gogc100': { figures: ['gcCycles'], why: L119 },
  'go1.19/cpupar/gogc25': { figures: ['gcCycles'], why: LOW },
  'go1.19/cpupar/gogc400': { figures: ['peakHeapBytes'], why: OVER },
  'go1.19/cpupar/memlimit14MiB-gogc100': { figures: ['gcCycles'], why: L119 },
  'go1.21/steady/gogc50': { figures: ['peakHeapBytes'], why: OVER },
  'go1.21/steady/gogc200': { figures: ['peakHeapBytes'], why: OVER },
  'go1.21/steady/gogc400': { figures: ['peakHeapBytes'], why: OVER },
  'go1.21/bursty/procs1': { figures: ['peakHeapBytes'], why: ONE },
  'go1.21/cpupar/gogc25': { figures: ['gcCycles'], why: LOW },
  'go1.24/steady/gogc400': { figures: ['gcCycles'], why: FEW },
  'go1.24/bursty/gogc200': { figures: ['peakHeapBytes'], why: OVER },
  'go1.24/bursty/memlimit16MiB-gogc100': { figures: ['gcCycles'], why: LIM },
  'go1.24/largelive/gogc200': { figures: ['peakHeapBytes'], why: OVER },
  'go1.24/cpupar/procs1': { figures: ['peakHeapBytes'], why: ONE },
  'go1.25/steady/gogc50': { figures: ['peakHeapBytes'], why: OVER },
  'go1.25/cpupar/gogc200': { figures: ['peakHeapBytes'], why: OVER },
  'go1.26/steady/procs1': { figures: ['peakHeapBytes'], why: ONE },
  'go1.26/largelive/gogc200': { figures: ['peakHeapBytes'], why: OVER },
  'go1.22/bursty/gogc50': { figures: ['peakHeapBytes'], why: OVER },
  'go1.22/bursty/gogc200': { figures: ['peakHeapBytes'], why: OVER },
  'go1.22/cpupar/gogc25': { figures: ['peakHeapBytes'], why: OVER },
  'go1.22/cpupar/gogc400': { figures: ['peakHeapBytes'], why: OVER },
  'go1.22/cpupar/memlimit14MiB-gogc100': { figures: ['gcCycles'], why: LIM },
  'go1.22/largelive/gogc25': { figures: ['peakHeapBytes'], why: OVER },
  'go1.23/bursty/memlimit16MiB-gogc100': { figures: ['gcCycles'], why: LIM },
  'go1.23/steady/gogc50': { figures: ['peakHeapBytes'], why: OVER },
  'go1.23/steady/gogc200': { figures: ['peakHeapBytes'], why: OVER },
};

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
      });
    }
  }
  test('accuracy table', () => {
    console.log(`\nWhat-if accuracy: prediction from the default-setting trace against the measured range ('·' inside)\n${accuracyTable(all)}`);
    for (const [k, v] of Object.entries(KNOWN)) console.log(`known: ${k} (${v.figures.join(', ')}): ${v.why}`);
  });
});
