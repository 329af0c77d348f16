// The what-if fixtures (test/fixtures/whatif/go1.NN/<shape>/<setting>-<run>.trace.gz and each
// toolchain's manifest.json of measured ranges) and the model's predictions against them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { calibrate, type PacerState } from '../../../src/core/analysis/whatif-pacer';
import { predictWhatIf, whatIfCollector, type WhatIfInput, type WhatIfReport, type WhatIfResult, type WhatIfSettings } from '../../../src/core/analysis/whatif';
import { runPass } from '../../../src/core/runtime/pass';
import { memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';

export const FIGURES = ['gcCycles', 'peakHeapBytes', 'gcCpuFraction', 'stwTotalNs', 'wallNs'] as const;
export type Figure = typeof FIGURES[number];
export interface Range { min: number; max: number }
export interface SettingRange extends WhatIfSettings { name: string; runs: number; trace: Record<Figure, Range> }
export interface WhatIfManifest { goVersion: string; ranges: Record<string, Record<string, SettingRange>> }

/** The toolchain directories (go1.NN) under a what-if fixtures root, oldest first. */
export function whatIfToolchains(root: string): string[] {
  return existsSync(root) ? readdirSync(root).filter((d) => /^go1\.\d+$/.test(d)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))) : [];
}

export function readManifest(root: string, tc: string): WhatIfManifest {
  return JSON.parse(readFileSync(join(root, tc, 'manifest.json'), 'utf8')) as WhatIfManifest;
}

/** The model's input from one trace file (gzipped or not), through the trace pass's collector. */
export function inputOf(path: string): WhatIfInput {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return runPass(openTrace(memorySource(bytes)), { w: whatIfCollector() }).w;
}

/** How far a prediction is outside the measured range, relative to the nearer bound (0: inside). */
export function rangeError(pred: number, r: Range): number {
  if (pred >= r.min && pred <= r.max) return 0;
  const b = pred < r.min ? r.min : r.max;
  if (b === 0) return pred === 0 ? 0 : Infinity;
  return (pred - b) / b;
}

export interface AccuracyRow {
  toolchain: string; shape: string; setting: string;
  predicted: Record<Figure, number>;
  range: Record<Figure, Range>;
  /** Relative distance outside the range per figure (0 inside). */
  error: Record<Figure, number>;
}

/** Predicts every setting of a shape from its default-setting trace (run 1) and compares with the ranges. */
export function shapeAccuracy(root: string, tc: string, shape: string, m: WhatIfManifest): { report: WhatIfReport; rows: AccuracyRow[] } {
  const settings = m.ranges[shape];
  const names = Object.keys(settings);
  const inp = inputOf(join(root, tc, shape, existsSync(join(root, tc, shape, 'default-1.trace.gz')) ? 'default-1.trace.gz' : 'default-1.trace'));
  const report = predictWhatIf(inp, names.map((n) => ({ gogc: settings[n].gogc, memlimit: settings[n].memlimit, gomaxprocs: settings[n].gomaxprocs })));
  const rows = names.map((name, i) => {
    const p = report.scenarios[i];
    const r = settings[name].trace;
    const predicted = Object.fromEntries(FIGURES.map((f) => [f, p[f]])) as Record<Figure, number>;
    const error = Object.fromEntries(FIGURES.map((f) => [f, rangeError(p[f], r[f])])) as Record<Figure, number>;
    return { toolchain: tc, shape, setting: name, predicted, range: r, error };
  });
  return { report, rows };
}

/**
 * How far past the goal the marks ran, per live byte marked (the model's calibration), in the
 * shape's default-setting trace (run 1) and in each run at `setting`: what a loaded machine changes.
 */
export function overshootOfRuns(root: string, tc: string, shape: string, setting: string): { trace: number; runs: number[] } {
  const file = (name: string) => {
    const f = join(root, tc, shape, `${name}.trace.gz`);
    return existsSync(f) ? f : join(root, tc, shape, `${name}.trace`);
  };
  const of = (name: string) => calibrate(inputOf(file(name))).overshootPerLive;
  const runs: number[] = [];
  for (let r = 1; existsSync(file(`${setting}-${r}`)); r++) runs.push(of(`${setting}-${r}`));
  return { trace: of('default-1'), runs };
}

/**
 * How fast the marks allocated (bytes per ns, the model's calibration: the 90th percentile over a
 * trace's marks) in the shape's default-setting trace (run 1) and in each run at `setting`.
 */
export function markAllocRateOfRuns(root: string, tc: string, shape: string, setting: string): { trace: number; runs: number[] } {
  const of = (name: string) => calibrate(inputOf(join(root, tc, shape, `${name}.trace.gz`))).markAllocRate;
  const runs: number[] = [];
  for (let r = 1; existsSync(join(root, tc, shape, `${setting}-${r}.trace.gz`)); r++) runs.push(of(`${setting}-${r}`));
  return { trace: of('default-1'), runs };
}

/** The model at the baseline's settings against the baseline's own figures: relative errors. */
export function reproductionError(b: WhatIfResult, m: WhatIfResult): Record<Figure, number> {
  return Object.fromEntries(FIGURES.map((f) => [f, b[f] === 0 ? (m[f] === 0 ? 0 : Infinity) : (m[f] - b[f]) / b[f]])) as Record<Figure, number>;
}

const pct = (e: number) => (e === 0 ? '·' : `${e > 0 ? '+' : ''}${Math.round(e * 100)}%`);

/** The accuracy table: per toolchain, shape and setting, each figure's error outside the range ('·' inside). */
export function accuracyTable(rows: AccuracyRow[]): string {
  const L = [`${'toolchain'.padEnd(9)} ${'shape'.padEnd(9)} ${'setting'.padEnd(24)} ${FIGURES.map((f) => f.padStart(14)).join('')}`];
  for (const r of rows) L.push(`${r.toolchain.padEnd(9)} ${r.shape.padEnd(9)} ${r.setting.padEnd(24)} ${FIGURES.map((f) => pct(r.error[f]).padStart(14)).join('')}`);
  const inside = (f: Figure, tol: number) => rows.filter((r) => Math.abs(r.error[f]) <= tol).length;
  L.push('');
  for (const f of FIGURES) L.push(`${f.padEnd(14)} within the range: ${inside(f, 0)}/${rows.length}, ±10%: ${inside(f, 0.1)}/${rows.length}, ±25%: ${inside(f, 0.25)}/${rows.length}`);
  return L.join('\n');
}

/**
 * The pacer's steady state of each run at `setting` (the model's reading of a trace's own marks,
 * calibrate().state: null where its marks cannot tell).
 */
export function stateOfRuns(root: string, tc: string, shape: string, setting: string): (PacerState | null)[] {
  const out: (PacerState | null)[] = [];
  for (let r = 1; existsSync(join(root, tc, shape, `${setting}-${r}.trace.gz`)); r++) out.push(calibrate(inputOf(join(root, tc, shape, `${setting}-${r}.trace.gz`))).state);
  return out;
}
