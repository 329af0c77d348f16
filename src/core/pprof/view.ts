// What a profile view shows for one query: the pruned call tree as columns with a compact
// frame table, and the top rows. Pure; the server encodes it, the tests check it.
import { defaultSampleIndex, profileKind, type Profile } from './model';
import { labelTables, type LabelKeyTable } from './labeltable';
import { stacks, type Filters, type StackSet } from './stacks';
import { callTree, DRAW_BUDGET, findPath, prune, type CallTree } from './tree';
import { printableName, top, type Granularity, type TopResult } from './top';

// The view's types: src/protocol re-exports them for the server, the host and the webview.
// T is a typed array here, base64 on the LSP pipe and an ArrayBuffer in the webview.
export interface ValueTypeInfo {
  type: string;
  unit: string;
}

export interface ProfileSummary {
  id: string;
  fileName: string;
  kind: string;
  sampleTypes: ValueTypeInfo[];
  defaultSampleIndex: number;
  samples: number;
  timeNanos: number;
  durationNanos: number;
  comments: string[];
  labelKeys: string[];
}

export type { Granularity, LabelKeyTable };

/** The filters of `golens top`, as core defines them (pprof's focus/ignore/hide/show/tagfocus). */
export type ViewFilters = Filters;

export interface ViewQuery {
  sampleIndex: number;
  granularity: Granularity;
  filters: ViewFilters;
  topLimit: number;
  /** Drop flame graph boxes narrower than this fraction of the whole. */
  minFraction: number;
  /** The zoomed frame (function names from the root): under it, minFraction is of its value. */
  zoom?: string[];
  /** Draw a function calling itself directly as one box (deep recursion stays readable). */
  mergeRecursion?: boolean;
  /** A label key whose values the view tabulates (pprof -tags for that key) in ViewData.labels. */
  labelKey?: string;
}

export interface TopRowData {
  function: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
  inline: '' | 'inline' | 'partial-inline';
}

/** Column names of the call tree; each is a typed array (see CallTreeColumns). */
export interface CallTreeColumns<T> {
  parent: T; // Int32Array
  frame: T; // Int32Array: index into frameNames/frameFiles
  line: T; // Int32Array
  total: T; // Float64Array
  self: T; // Float64Array
}

export interface ViewData<T> {
  query: ViewQuery;
  unit: string;
  sampleType: string;
  /** Sum of |value| before filters (pprof's "of N total"). */
  total: number;
  /** Sum of the values the filters kept. */
  shown: number;
  frameNames: string[];
  frameFiles: string[];
  tree: CallTreeColumns<T>;
  treeSize: number;
  /** Call tree nodes left out as too narrow to draw (zooming in asks for them again). */
  pruned?: number;
  /** Levels of frames below the drawing budget's depth, left out (zooming in shows them). */
  deeper?: number;
  top: TopRowData[];
  topCount: number;
  /** The kept samples by value of query.labelKey (empty rows when no kept sample has it). */
  labels?: LabelKeyTable;
}

export type TypedColumns = CallTreeColumns<Int32Array | Float64Array>;

export function summarize(p: Profile, id: string, fileName: string): ProfileSummary {
  const keys = new Set<string>();
  for (const set of p.labelSets) for (const l of set) keys.add(l.key);
  return {
    id, fileName, kind: profileKind(p), sampleTypes: p.sampleTypes.map((t) => ({ ...t })),
    defaultSampleIndex: defaultSampleIndex(p), samples: p.samples.count, timeNanos: p.timeNanos,
    durationNanos: p.durationNanos, comments: p.comments, labelKeys: [...keys].sort(),
  };
}

/**
 * The last sample type and filters asked of each profile, with their whole call tree and
 * top tables: zooming and resizing only prune again, which big profiles need.
 */
interface Prepared {
  key: string;
  set: StackSet;
  tree?: CallTree;
  merged?: CallTree;
  tops: Map<Granularity, TopResult>;
}
const prepared = new WeakMap<Profile, Prepared>();

function prepare(p: Profile, sampleIndex: number, filters: Filters): Prepared {
  const key = JSON.stringify([sampleIndex, filters]);
  let c = prepared.get(p);
  if (!c || c.key !== key) {
    c = { key, set: stacks(p, sampleIndex, filters), tops: new Map() };
    prepared.set(p, c);
  }
  return c;
}

/** The kept samples for a view's sample type and filters (shared with its views). */
export function viewStacks(p: Profile, sampleIndex: number, filters: Filters): StackSet {
  return prepare(p, sampleIndex, filters).set;
}

export function profileView(p: Profile, query: ViewQuery): ViewData<Int32Array | Float64Array> {
  const c = prepare(p, query.sampleIndex, query.filters);
  const set = c.set;
  const full = query.mergeRecursion
    ? c.merged ?? (c.merged = callTree(set, { collapseRecursion: true }))
    : c.tree ?? (c.tree = callTree(set));
  let tree = full;
  if (query.minFraction || needsBudget(full)) {
    const detail = query.zoom?.length ? findPath(full, (i) => flameName(set.frames[full.frame[i]]), query.zoom) : -1;
    tree = prune(full, query.minFraction, detail);
  }
  let t = c.tops.get(query.granularity);
  if (!t) { t = top(set, query.granularity); c.tops.set(query.granularity, t); }

  const { frame, frameNames, frameFiles } = compactFrames(tree, set);
  let shown = 0;
  for (let i = 0; i < set.count; i++) shown += set.values[i];
  const rows: TopRowData[] = t.rows.slice(0, query.topLimit).map((r) => ({
    function: r.function, file: r.file, line: query.granularity === 'lines' ? r.line ?? 0 : set.frames[r.frame].startLine,
    flat: r.flat, cum: r.cum, inline: r.inline,
  }));
  const st = p.sampleTypes[query.sampleIndex];
  return {
    query, unit: st.unit, sampleType: st.type, total: t.total, shown, frameNames, frameFiles,
    tree: { parent: tree.parent, frame, line: tree.line, total: tree.total, self: tree.self },
    treeSize: tree.size, pruned: tree.dropped ?? 0, deeper: tree.deeper ?? 0, top: rows, topCount: t.rows.length,
    ...(query.labelKey !== undefined ? { labels: labelTables(set, 'minimum', query.labelKey).keys[0] ?? { key: query.labelKey, total: 0, missing: shown, rows: [] } } : {}),
  };
}

/** Whether a whole tree is over the drawing budget (then it is pruned even when no width limit is asked). */
function needsBudget(t: CallTree): boolean {
  if (t.size > DRAW_BUDGET.maxNodes) return true;
  const depth = new Int32Array(t.size);
  for (let i = 1; i < t.size; i++) if ((depth[i] = depth[t.parent[i]] + 1) > DRAW_BUDGET.maxDepth) return true;
  return false;
}

/** A flame graph box's name: pprof's name at function granularity (the tree's grouping). */
export function flameName(f: StackSet['frames'][number]): string {
  return printableName(f, 'functions');
}

/**
 * The frames a call tree uses, renumbered into a compact table of (function, file) for the
 * webview; each node's line travels in its own column. `name` picks a frame's label.
 */
export function compactFrames(tree: CallTree, set: StackSet, name: (f: StackSet['frames'][number]) => string = flameName):
  { frame: Int32Array; frameNames: string[]; frameFiles: string[] } {
  const local = new Map<string, number>();
  const frameNames: string[] = [];
  const frameFiles: string[] = [];
  const frame = new Int32Array(tree.size);
  for (let i = 0; i < tree.size; i++) {
    const f = tree.frame[i];
    if (f < 0) { frame[i] = -1; continue; }
    const fr = set.frames[f];
    const label = name(fr);
    const key = `${label}\u0000${fr.file}`;
    let id = local.get(key);
    if (id === undefined) { id = frameNames.length; local.set(key, id); frameNames.push(label); frameFiles.push(fr.file); }
    frame[i] = id;
  }
  return { frame, frameNames, frameFiles };
}
