// What the comparison panel shows for one query: both profiles' call trees, the
// differential tree (the new tree, each node paired with the base's value at the same call
// path) and golens diff's rows split into regressions and improvements. Pure.
import { diff, normalizeRatios } from './diff';
import type { Profile } from './model';
import { stacks, type Frame, type StackSet } from './stacks';
import { printableName } from './top';
import { callTree, prune, type CallTree } from './tree';
import { compactFrames, type CallTreeColumns } from './view';

export interface DiffQuery {
  sampleIndex: number;
  /** pprof -normalize: scale the new profile so that its total equals the base's. */
  normalize: boolean;
  /** Rows per table (regressions, improvements). */
  topLimit: number;
  /** Drop flame graph boxes narrower than this fraction of the whole. */
  minFraction: number;
}

/** One call tree for a flame graph, with its compact frame table. */
export interface FlameData<T> {
  tree: CallTreeColumns<T>;
  treeSize: number;
  frameNames: string[];
  frameFiles: string[];
  /** Sum of |value| of the profile for this sample type (scaled when normalized). */
  total: number;
}

/** The differential tree: the new profile's tree (scaled when normalized) and, per node, the base's value at the same call path. */
export interface DiffFlameData<T> extends FlameData<T> {
  baseValue: T; // Float64Array
}

/** A row of `golens diff --json`, with the file for opening the source. */
export interface DiffRowData {
  function: string;
  file: string;
  line: number;
  flat: { base: number; new: number; delta: number };
  cum: { base: number; new: number; delta: number };
}

export interface DiffViewData<T> {
  query: DiffQuery;
  sampleType: string;
  unit: string;
  /** golens diff's totals: the base total is the 100% of every percentage. */
  baseTotal: number;
  newTotal: number;
  /** The new profile's scale factor (1 unless normalized). */
  ratio: number;
  base: FlameData<T>;
  next: FlameData<T>;
  diff: DiffFlameData<T>;
  /** Rows that grew (flat Δ > 0, or flat Δ = 0 and cum Δ > 0), in golens diff's order. */
  regressions: DiffRowData[];
  /** Rows that shrank, in golens diff's order. */
  improvements: DiffRowData[];
  regressionCount: number;
  improvementCount: number;
}

type Col = Int32Array | Float64Array;

/**
 * Call trees kept between queries of one comparison (keyed by side, sample type and pruning),
 * so that toggling normalize rebuilds only the scaled tree. Any Map-like store will do.
 */
export interface TreeCache {
  get(key: string): CallTree | undefined;
  set(key: string, tree: CallTree): unknown;
}

export function diffView(base: Profile, next: Profile, q: DiffQuery, cache?: TreeCache): DiffViewData<Col> {
  const tree = (key: string, build: () => CallTree): CallTree => {
    let t = cache?.get(key);
    if (!t) { t = build(); cache?.set(key, t); }
    return t;
  };
  const si = q.sampleIndex;
  const res = diff(base, next, { sampleIndex: si, normalize: q.normalize });
  const ratio = q.normalize ? normalizeRatios(base, next)[si] : 1;
  const baseSet = stacks(base, si);
  const nextSet = stacks(next, si);
  const scaledSet = ratio === 1 ? nextSet : stacks(next, si, {}, ratio);

  const baseFull = tree(`base ${si}`, () => callTree(baseSet));
  // Unscaled, the differential tree is the new profile's own tree: build it once.
  const nextTree = tree(`new ${si} ${q.minFraction}`, () => callTree(nextSet, { minFraction: q.minFraction }));
  const diffTree = ratio === 1 ? nextTree : callTree(scaledSet, { minFraction: q.minFraction });
  const diffFlame: DiffFlameData<Col> = { ...flame(diffTree, scaledSet), baseValue: valuesAtSamePath(diffTree, scaledSet.frames, baseFull, baseSet.frames) };

  const starts = startLines(nextSet.frames, baseSet.frames);
  const rows = res.rows.map((r): DiffRowData => ({
    function: r.function, file: r.file, line: starts.get(`${r.function}\u0000${r.file}`) ?? 0, flat: { ...r.flat }, cum: { ...r.cum },
  }));
  const regressions = rows.filter(grew);
  const improvements = rows.filter((r) => !grew(r));
  const st = next.sampleTypes[si];
  return {
    query: q, sampleType: st.type, unit: st.unit, baseTotal: res.baseTotal, newTotal: res.newTotal, ratio,
    base: flame(q.minFraction ? prune(baseFull, q.minFraction) : baseFull, baseSet),
    next: flame(nextTree, nextSet),
    diff: diffFlame,
    regressions: regressions.slice(0, q.topLimit), improvements: improvements.slice(0, q.topLimit),
    regressionCount: regressions.length, improvementCount: improvements.length,
  };
}

/** A row grew when its flat value grew, or its flat value stayed and its cum grew. */
export function grew(r: { flat: { delta: number }; cum: { delta: number } }): boolean {
  return r.flat.delta > 0 || (r.flat.delta === 0 && r.cum.delta > 0);
}

/**
 * Per node of `tree`: the value of `other` at the same call path (function names from the
 * root), 0 where `other` has no such path. Paths compare as golens diff compares functions.
 */
export function valuesAtSamePath(tree: CallTree, frames: Frame[], other: CallTree, otherFrames: Frame[]): Float64Array {
  const key = (parent: number, f: Frame) => `${parent}\u0000${printableName(f, 'functions')}`;
  const children = new Map<string, number>();
  for (let i = 1; i < other.size; i++) children.set(key(other.parent[i], otherFrames[other.frame[i]]), i);
  const match = new Int32Array(tree.size).fill(-1);
  const out = new Float64Array(tree.size);
  match[0] = 0;
  out[0] = other.size > 0 ? other.total[0] : 0;
  for (let i = 1; i < tree.size; i++) {
    const pm = match[tree.parent[i]];
    if (pm < 0) continue;
    const m = children.get(key(pm, frames[tree.frame[i]]));
    if (m === undefined) continue;
    match[i] = m;
    out[i] = other.total[m];
  }
  return out;
}

/** The tree as columns with a compact (function, file) table, as the profile view sends it. */
function flame(tree: CallTree, set: StackSet): FlameData<Col> {
  const { frame, frameNames, frameFiles } = compactFrames(tree, set);
  return {
    tree: { parent: tree.parent, frame, line: tree.line, total: tree.total, self: tree.self },
    treeSize: tree.size, frameNames, frameFiles, total: set.total,
  };
}

/** Where each (function, file) starts, for opening the source from a row; the new profile wins. */
function startLines(...frameLists: Frame[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const frames of frameLists) {
    for (const f of frames) {
      const k = `${f.name}\u0000${f.file}`;
      if (!m.has(k)) m.set(k, f.startLine);
    }
  }
  return m;
}
