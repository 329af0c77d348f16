// pprof -diff_base: the base profile negated and merged with the new one, percentages
// against the base total; -normalize first scales the new profile so that, for every
// sample type, its total equals the base's (profile.Normalize, rounding as ScaleN).
import { FormatError } from '../errors';
import type { Profile } from './model';
import { stacks, type Filters } from './stacks';
import { compareTop, top, type Granularity, type TopRow } from './top';

export interface DiffOptions {
  sampleIndex: number;
  normalize?: boolean;
  granularity?: Granularity;
  filters?: Filters;
}

export interface DiffRow {
  /** pprof's printable name of the row (its identity at the granularity), as -top prints it. */
  name: string;
  function: string;
  file: string;
  line?: number;
  flat: { base: number; new: number; delta: number };
  cum: { base: number; new: number; delta: number };
}

export interface DiffResult {
  /** Sum of |value| in the base: the 100% of every percentage. */
  baseTotal: number;
  newTotal: number;
  rows: DiffRow[];
}

/** Throws unless the two profiles can be compared (same sample types and period type), as pprof requires. */
export function checkCompatible(base: Profile, next: Profile): void {
  const sig = (p: Profile) => p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(',');
  if (sig(base) !== sig(next)) {
    throw new FormatError(`incompatible profiles: sample types [${sig(base)}] vs [${sig(next)}]`, undefined, 'compare profiles of the same kind');
  }
  const pt = (p: Profile) => (p.periodType ? `${p.periodType.type}/${p.periodType.unit}` : '');
  if (pt(base) !== pt(next)) {
    throw new FormatError(`incompatible profiles: period type ${pt(base) || 'none'} vs ${pt(next) || 'none'}`, undefined, 'compare profiles of the same kind');
  }
}

/** Per sample type: base total / new total (0 when the new total is 0), as profile.Normalize. */
export function normalizeRatios(base: Profile, next: Profile): number[] {
  const k = base.sampleTypes.length;
  const sum = (p: Profile) => {
    const t = new Array<number>(k).fill(0);
    for (let i = 0; i < p.samples.count; i++) for (let j = 0; j < k; j++) t[j] += p.samples.values[i * k + j];
    return t;
  };
  const b = sum(base), n = sum(next);
  return b.map((bv, j) => (n[j] === 0 ? 0 : bv / n[j]));
}

export function diff(base: Profile, next: Profile, opts: DiffOptions): DiffResult {
  checkCompatible(base, next);
  const g = opts.granularity ?? 'functions';
  const ratio = opts.normalize ? normalizeRatios(base, next)[opts.sampleIndex] : 1;
  const b = top(stacks(base, opts.sampleIndex, opts.filters), g);
  const n = top(stacks(next, opts.sampleIndex, opts.filters, ratio), g);

  const rows = new Map<string, DiffRow>();
  const add = (r: TopRow, side: 'base' | 'new') => {
    const key = r.printable;
    let d = rows.get(key);
    if (!d) {
      d = { name: key, function: r.function, file: r.file, flat: { base: 0, new: 0, delta: 0 }, cum: { base: 0, new: 0, delta: 0 } };
      if (g === 'lines') d.line = r.line;
      rows.set(key, d);
    }
    d.flat[side] += r.flat;
    d.cum[side] += r.cum;
  };
  for (const r of b.rows) add(r, 'base');
  for (const r of n.rows) add(r, 'new');
  const out: DiffRow[] = [];
  for (const d of rows.values()) {
    d.flat.delta = d.flat.new - d.flat.base;
    d.cum.delta = d.cum.new - d.cum.base;
    if (d.flat.delta !== 0 || d.cum.delta !== 0) out.push(d);
  }
  out.sort((x, y) => compareTop({ flat: x.flat.delta, cum: x.cum.delta }, { flat: y.flat.delta, cum: y.cum.delta }, x.name, y.name));
  return { baseTotal: b.total, newTotal: n.total, rows: out };
}
