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
import { calibrate, stateGap } from '../../../src/core/analysis/whatif-pacer';
import { accuracyTable, inputOf, markAllocRateOfRuns, overshootOfRuns, rangeError, readManifest, reproductionError, shapeAccuracy, stateOfRuns, whatIfToolchains, type AccuracyRow, type Figure } from '../helpers/whatif';

const DIR = join(ROOT, 'test', 'fixtures', 'whatif');
const TOLERANCE = 0.25;
/** The model at the trace's own settings reproduces its cycle count and peak heap within 10%. */
const REPRO = 0.1;

/**
 * Known misses: "go1.NN/shape/setting" ("*" for every toolchain or every setting) → the
 * figures missed and why. Found on the fixture set of go1.19 and 1.21–1.27 as it stood
 * when the model was last changed. See README, "What the what-if model does not capture".
 */
/**
 * The runs at this setting marked past the goal (per live byte marked) more than twice or less
 * than half as far as the traced run did. The model carries the traced run's overshoot; another
 * run's is not in the trace. For three of these four entries the cause is the pacer's state, set by
 * a run's first marks (docs/WHATIF.md, "the pacer's two steady states"): marks that begin within one
 * allocation of the goal allocate nothing and keep the runway at zero, marks with a runway allocate
 * and keep it, and the traced run settled in the other state than the runs at the setting (two of
 * them, where every run did, are checked as STATE as well; go1.19 bursty at GOGC=25's runs are
 * mixed). The fourth, go1.19 cpupar at GOGC=25, is the traced run's own luck: of its three default runs it
 * overshot least (0.008 per live byte against 0.065 and 0.194). The test
 * checks it on the runs' own traces, and that the miss goes the way it says: runs that overshot
 * more peak higher (and run fewer cycles) than predicted, runs that overshot less the other way.
 */
const OVERSHOOT = 'the runs at this setting overshot the goal (per live byte marked) more than twice or less than half as much as the traced run, which the model carries';
/** Found on the quiet runs of steady and bursty (nice -19), whose ranges are narrower than the loaded runs' were. */
const DURING = 'at GOGC=200 the peak is three times the marked heap, which is the live heap plus what was allocated while the mark ran: go1.19 steady\'s traced run\'s marks allocated nothing (the zero state); at GOGC=200 no run can be in it (room for 2.5 allocations), so the model\'s marks allocate at the mutator\'s rate between the traced run\'s marks, but they run at the traced run\'s mark speed (0.10 ns per live byte, the mutator parked) where the runs\' marks took 1.13 (not for fewer procs: they kept 0.74–0.92 procs busy marking, the traced run\'s 0.82, but used 8–14 times its GC CPU per live byte; docs/WHATIF.md, "a runway mark\'s speed from a zero-state trace") and allocated 0.41–1.10 bytes per ns while marking (checked: more than 1.5 times the trace\'s, with a 0.01 floor): the runs peaked at 31–40 MB against the model\'s 23 MB';
/**
 * The runs at this setting all settled in the other steady state than the traced run (read off
 * each run's own marks; docs/WHATIF.md, "the pacer's two steady states"): the model's prediction
 * follows the traced run's state and misses; its other-state prediction (otherState) is checked
 * against the runs' range.
 */
const STATE = 'the runs at this setting all settled in the pacer\'s other steady state than the traced run; the prediction follows the traced run\'s, the other-state prediction is checked against the runs';
const KNOWN: Record<string, { figures: Figure[]; why: string; overshoot?: true; marks?: true; state?: true }> = {
  'go1.19/cpupar/gogc25': { figures: ['gcCycles'], why: OVERSHOOT, overshoot: true },
  'go1.19/bursty/gogc25': { figures: ['peakHeapBytes'], why: OVERSHOOT, overshoot: true },
  'go1.22/bursty/gogc50': { figures: ['peakHeapBytes'], why: `${OVERSHOOT}; ${STATE}`, overshoot: true, state: true },
  'go1.25/steady/gogc50': { figures: ['gcCycles', 'peakHeapBytes'], why: `${OVERSHOOT}; ${STATE}`, overshoot: true, state: true },
  'go1.19/steady/gogc200': { figures: ['peakHeapBytes'], why: DURING, marks: true },
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
  /** Settings whose runs all settled in the other state than the traced run, where the model gives both: figures within ±25% in the traced run's state and in the other. */
  const otherTally = { settings: 0, traced: 0, other: 0, traced10: 0, other10: 0 };
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
        assert.ok(kd?.figures.includes('gcCycles') || Math.abs(report.model.gcCycles - report.baseline.gcCycles) <= Math.max(1, REPRO * report.baseline.gcCycles),
          `model ${report.model.gcCycles} cycles, trace ${report.baseline.gcCycles}`);
        assert.ok(kd?.figures.includes('peakHeapBytes') || Math.abs(e.peakHeapBytes) <= REPRO, `model peak ${report.model.peakHeapBytes}, trace ${report.baseline.peakHeapBytes} (${Math.round(e.peakHeapBytes * 100)}%)`);
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
        // The pacer's two steady states, on the runs' own traces. Where the room the 61/64 trigger
        // bound leaves is over two allocations no run is in the zero state, and the model predicts
        // the runway state and no other; where every run settled in the state the traced run was
        // not in, the model gives that state.
        const inp = inputOf(join(DIR, tc, shape, 'default-1.trace.gz'));
        const c = calibrate(inp);
        if (c.state) {
          report.scenarios.forEach((sc, i) => {
            const r = rows[i], set = m.ranges[shape][r.setting];
            if (set.gomaxprocs === 1) return;
            const gap = stateGap(inp, c, set);
            const runs = stateOfRuns(DIR, tc, shape, r.setting);
            if (gap > 2) {
              assert.ok(!runs.includes('zero'), `${tc} ${shape} ${r.setting}: room for ${gap.toFixed(2)} allocations, yet a run settled in the zero state (${runs.join(', ')})`);
              if (r.setting !== 'default') assert.equal(sc.pacerState, 'runway', `${tc} ${shape} ${r.setting}: room for ${gap.toFixed(2)} allocations, predicted in the ${sc.pacerState} state`);
              assert.equal(sc.otherState, undefined, `${tc} ${shape} ${r.setting}: room for ${gap.toFixed(2)} allocations, yet another state given`);
            }
            const theirs = runs[0];
            if (!theirs || runs.some((x) => x !== theirs) || theirs === c.state) return;
            assert.ok(sc.pacerState === theirs || sc.otherState?.pacerState === theirs,
              `${tc} ${shape} ${r.setting}: every run settled in the ${theirs} state, the model gives ${sc.pacerState}${sc.otherState ? ` and ${sc.otherState.pacerState}` : ''} (room for ${gap.toFixed(2)} allocations)`);
            if (!sc.otherState) return;
            const within = (x: { gcCycles: number; peakHeapBytes: number }, tol = TOLERANCE) => (['gcCycles', 'peakHeapBytes'] as const).every((f) => Math.abs(rangeError(x[f], r.range[f])) <= tol);
            otherTally.settings++;
            if (within(sc)) otherTally.traced++;
            if (within(sc.otherState)) otherTally.other++;
            if (within(sc, 0.1)) otherTally.traced10++;
            if (within(sc.otherState, 0.1)) otherTally.other10++;
            const k = KNOWN[`${tc}/${shape}/${r.setting}`];
            if (!k?.state) return;
            for (const f of k.figures) {
              const e = rangeError(sc.otherState[f], r.range[f]);
              assert.ok(Math.abs(e) <= TOLERANCE, `${tc} ${shape} ${r.setting}: the runs settled in the ${theirs} state, whose prediction misses ${f} by ${Math.round(e * 100)}%`);
            }
          });
        }
        for (const [key, k] of Object.entries(KNOWN)) {
          if (!k.state || !key.startsWith(`${tc}/${shape}/`)) continue;
          // Excused by the state: every run at the setting settled in the other state than the traced run's.
          const runs = stateOfRuns(DIR, tc, shape, key.split('/')[2]);
          assert.ok(runs.length > 0 && c.state !== null && runs.every((x) => x !== null && x !== c.state), `${key} is excused by the pacer's state, but its runs were in ${runs.join(', ')} and the traced run in ${c.state}`);
        }
        // A miss excused as overshoot must show it: every run at the setting overshot more than
        // twice, or every one less than half, what the traced run did, and the miss goes that way.
        for (const r of rows) {
          const k = KNOWN[`${tc}/${shape}/${r.setting}`];
          if (!k) continue;
          // An excuse no longer needed is dropped, not kept.
          // (The default setting's entry excuses the reproduction of the traced run itself.)
          const stillMisses = (f: Figure) => r.setting !== 'default' ? Math.abs(r.error[f]) > TOLERANCE
            : f === 'gcCycles' ? Math.abs(report.model.gcCycles - report.baseline.gcCycles) > Math.max(1, REPRO * report.baseline.gcCycles) : Math.abs(e[f]) > REPRO;
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
    console.log(`The pacer's other state: of ${otherTally.settings} settings whose runs all settled in the other state than the traced run, GC cycles and peak heap within ±10% / ±25% in the traced run's state: ${otherTally.traced10} / ${otherTally.traced}, in the other (otherState): ${otherTally.other10} / ${otherTally.other}`);
  });
});
