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
import { accuracyTable, markAllocRateOfRuns, overshootOfRuns, readManifest, reproductionError, shapeAccuracy, whatIfToolchains, type AccuracyRow, type Figure } from '../helpers/whatif';

const DIR = join(ROOT, 'test', 'fixtures', 'whatif');
const TOLERANCE = 0.25;

/**
 * Known misses: "go1.NN/shape/setting" ("*" for every toolchain or every setting) → the
 * figures missed and why. Found on the fixture set of go1.19 and 1.21–1.27 as it stood
 * when the model was last changed. See README, "What the what-if model does not capture".
 */
/**
 * The runs at this setting marked past the goal (per live byte marked) more than twice or less
 * than half as far as the traced run did. The model carries the traced run's overshoot; another
 * run's is not in the trace. The old fixtures (made at load 5–19 on 2 cores) had it from the
 * machine's load; the quiet runs (nice -19) still have it from their own timing: a short runway at
 * a low GOGC, a burst the mark lands in. The test checks it on the runs' own traces, and that the
 * miss goes the way it says: runs that overshot more peak higher (and run fewer cycles) than
 * predicted, runs that overshot less the other way.
 */
const OVERSHOOT = 'the runs at this setting overshot the goal (per live byte marked) more than twice or less than half as much as the traced run, which the model carries';
/** Found on the quiet runs of steady and bursty (nice -19), whose ranges are narrower than the loaded runs' were. */
const DURING = 'at GOGC=200 the peak is three times the marked heap, which is the live heap plus what was allocated while the mark ran: go1.19 steady\'s traced run\'s marks allocated nothing, so the model\'s marks (no faster than the trace\'s) allocate nothing, while the runs at GOGC=200 allocated 0.41–1.10 bytes per ns while marking (checked: more than 1.5 times the trace\'s, with a 0.01 floor) and peaked at 31–40 MB against the model\'s 19 MB';
/** The marks take the trace's own speed and allocate no faster than its marks did (no fit to the cycle count since issue 14's mark-speed change). */
const RUNWAY = 'at GOGC=200 the model triggers 3–5 MiB before the goal (its runway: 3 × what its last marks allocated, 1.6 MiB) where the runs trigger 0.3–1 MiB before it, their marks allocating 0.25–1.25 MiB; so the model runs 9 cycles to the runs\' 7. The runs took half the traced run\'s wall time (a faster mutator, the same marks)';
const MARKS_STILL = 'manyg at GOGC=200: the runs\' marks allocated 0.11–0.26 bytes per ns (most of them 0–0.25 MiB in 7–28 ms: the 320 goroutines wait on assists) where the traced default run\'s allocated 0.47 (checked: under 1/1.5 of it); the model\'s marks allocate at the trace\'s rate, so its marked heaps (11–17 MiB) and the goals three times them are higher than the runs\' (8.8–11 MiB)';
const MANYG_REPRO = 'the model at the trace\'s own settings: its marks that fall between the trace\'s marks run at their mean speed and allocate at up to their 90th-percentile rate, more than the trace\'s marks there did (1.5–2.8 MiB a mark in the trace, 3–3.75 in the model), so its marked heaps are ~1 MiB higher and it runs 2–3 cycles fewer (17 of 19, 15 of 18). Before, a mark speed fitted to the cycle count hid this';
const ONE_SLOW = 'one proc: the traced run\'s marks ran past the goal (0.109 per live byte) where the runs\' did not (checked), and its marks were slow: the one-proc model marks at the trace\'s fastest mark speed, still slower than the one-proc runs, so more is allocated during each mark and the goal above it is higher';
const ONE_CYCLES = 'one proc: 24 cycles predicted, 19 in all three runs (the loaded runs had 19 too, and from the old traced run the model said 18): the one-proc model\'s marks take the quiet traced run\'s fastest mark speed and allocate at its mean rate, which here gives lower goals than the runs reached';
/** Found on cpupar regenerated at nice -19 (quiet runs), with this model. */
const CPUPAR_PEAK = 'go1.23 cpupar at GOGC=200: 8 cycles, so the peak is one mark\'s; two of the three runs\' marks allocated faster (0.69, 0.39 bytes per ns; the third 0.22) than the traced run\'s 0.27, or overshot the goal more (0.070 and 0.115 per live byte against 0.008; the third 0.013), so they peaked at 18.6–21.2 MB against the model\'s 13.0. Not every run, so neither check applies';
const ONE_MARKS = 'one proc, cpupar: the one-proc runs\' marks allocated 0.87–0.93 bytes per ns (checked: over 1.5 times the traced run\'s 0.27) where the one-proc model has nobody else allocate while the lone allocating goroutine assists; its marked heaps and goals are lower, so it runs more cycles (25 against 16) to a lower peak';
const CPUPAR_REPRO = 'the model at the trace\'s own settings runs 25 cycles of go1.19 cpupar\'s 28 (its peak within 5%): like manyg\'s, more than 10% fewer; not looked at further';
const KNOWN: Record<string, { figures: Figure[]; why: string; overshoot?: true; marks?: true }> = {
  'go1.19/cpupar/gogc25': { figures: ['gcCycles'], why: OVERSHOOT, overshoot: true },
  'go1.19/cpupar/default': { figures: ['gcCycles'], why: CPUPAR_REPRO },
  'go1.23/cpupar/gogc200': { figures: ['peakHeapBytes'], why: CPUPAR_PEAK },
  'go1.23/cpupar/procs1': { figures: ['gcCycles', 'peakHeapBytes'], why: ONE_MARKS, marks: true },
  'go1.19/bursty/gogc25': { figures: ['peakHeapBytes'], why: OVERSHOOT, overshoot: true },
  'go1.19/bursty/gogc200': { figures: ['peakHeapBytes'], why: OVERSHOOT, overshoot: true },
  'go1.22/bursty/gogc50': { figures: ['peakHeapBytes'], why: OVERSHOOT, overshoot: true },
  'go1.25/steady/gogc50': { figures: ['gcCycles', 'peakHeapBytes'], why: OVERSHOOT, overshoot: true },
  'go1.25/steady/procs1': { figures: ['peakHeapBytes'], why: ONE_SLOW, overshoot: true },
  'go1.19/steady/gogc200': { figures: ['peakHeapBytes'], why: DURING, marks: true },
  'go1.26/steady/gogc200': { figures: ['gcCycles'], why: RUNWAY },
  'go1.27/manyg/gogc200': { figures: ['peakHeapBytes'], why: MARKS_STILL, marks: true },
  'go1.21/steady/procs1': { figures: ['gcCycles'], why: ONE_CYCLES },
  'go1.23/manyg/default': { figures: ['gcCycles'], why: MANYG_REPRO },
  'go1.26/manyg/default': { figures: ['gcCycles'], why: MANYG_REPRO },
};

/** Overshoot per live byte below 1% of the live heap is noise: compared with that floor added. */
const OVER_FLOOR = 0.01;
/** Marks allocating under 0.01 bytes per ns (10 MB/s) allocate next to nothing: compared with that floor added. */
const RATE_FLOOR = 0.01;

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
        // A miss excused as overshoot must show it: every run at the setting overshot more than
        // twice, or every one less than half, what the traced run did, and the miss goes that way.
        for (const r of rows) {
          const k = KNOWN[`${tc}/${shape}/${r.setting}`];
          if (!k) continue;
          // An excuse no longer needed is dropped, not kept.
          // (The default setting's entry excuses the reproduction of the traced run itself.)
          const stillMisses = (f: Figure) => r.setting !== 'default' ? Math.abs(r.error[f]) > TOLERANCE
            : f === 'gcCycles' ? Math.abs(report.model.gcCycles - report.baseline.gcCycles) > Math.max(1, 0.1 * report.baseline.gcCycles) : Math.abs(e[f]) > TOLERANCE;
          for (const f of k.figures) assert.ok(stillMisses(f), `${tc}/${shape}/${r.setting} ${f} is in KNOWN but now within ±25%: remove it`);
          if (k.marks) {
            // Excused as the marks' allocation: every run's marks allocated more than 1.5 times as
            // fast as the traced run's, or every one less than 1/1.5, and the peak misses that way.
            const a = markAllocRateOfRuns(DIR, tc, shape, r.setting);
            const q = a.runs.map((x) => (x + RATE_FLOOR) / (a.trace + RATE_FLOOR));
            const faster = q.length > 0 && q.every((x) => x > 1.5), slower = q.length > 0 && q.every((x) => x < 1 / 1.5);
            assert.ok(faster || slower, `${tc} ${shape} ${r.setting} is excused by its marks' allocation, but the runs' ${a.runs.map((x) => x.toFixed(3)).join(', ')} B/ns are within 1.5× of the trace's ${a.trace.toFixed(3)}`);
            assert.equal(r.error.peakHeapBytes < 0, faster, `${tc} ${shape} ${r.setting}: the peak miss goes against the marks' allocation`);
          }
          if (!k.overshoot) continue;
          const o = overshootOfRuns(DIR, tc, shape, r.setting);
          const ratio = o.runs.map((x) => (x + OVER_FLOOR) / (o.trace + OVER_FLOOR));
          const more = ratio.length > 0 && ratio.every((x) => x > 2), less = ratio.length > 0 && ratio.every((x) => x < 0.5);
          assert.ok(more || less,
            `${tc} ${shape} ${r.setting} is excused as overshoot, but the runs' overshoot ${o.runs.map((x) => x.toFixed(3)).join(', ')} is within 2× of the trace's ${o.trace.toFixed(3)}`);
          // More overshoot: a higher peak and marked heap (so fewer cycles) than the model's.
          if (k.figures.includes('peakHeapBytes')) assert.equal(r.error.peakHeapBytes < 0, more, `${tc} ${shape} ${r.setting}: the peak miss goes against the overshoot`);
          if (k.figures.includes('gcCycles')) assert.equal(r.error.gcCycles > 0, more, `${tc} ${shape} ${r.setting}: the cycles miss goes against the overshoot`);
        }
      });
    }
  }
  test('accuracy table', () => {
    console.log(`\nWhat-if accuracy: prediction from the default-setting trace against the measured range ('·' inside)\n${accuracyTable(all)}`);
    for (const [k, v] of Object.entries(KNOWN)) console.log(`known: ${k} (${v.figures.join(', ')}): ${v.why}`);
  });
});
