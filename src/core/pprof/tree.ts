// The call tree (root → leaf, inline frames expanded) that flame graphs draw. Nodes are
// merged by function name under the same parent; each remembers the source line that
// carried most of its value so a click can open the right place.
import { stackInto, type StackSet } from './stacks';
import { nodeKeys, printableName, type Granularity } from './top';

export interface CallTree {
  /** Parent node per node; node 0 is the root (the whole profile), parent -1. */
  parent: Int32Array;
  /** Representative frame per node (index into frames). */
  frame: Int32Array;
  /** The line within the node's function that carried the most value. */
  line: Int32Array;
  /** Cumulative (total) and self values. */
  total: Float64Array;
  self: Float64Array;
  size: number;
  /** Nodes prune removed (absent: not pruned). */
  dropped?: number;
  /** Levels of frames below the depth budget that prune left out (0: none). */
  deeper?: number;
}

/**
 * What one view of a call tree may draw: a stack a million frames deep, or a million boxes,
 * freezes any renderer. Depth counts from the zoomed node, so zooming in shows what is deeper.
 */
export interface DrawBudget {
  maxDepth: number;
  maxNodes: number;
}
export const DRAW_BUDGET: DrawBudget = { maxDepth: 256, maxNodes: 20_000 };

export interface TreeOptions {
  granularity?: Granularity;
  /** Drop subtrees whose |total| is below this fraction of the root's (0 keeps everything). */
  minFraction?: number;
  /** Function names from the root to a zoomed node: under it, minFraction is of its total. */
  zoom?: string[];
  /**
   * Merge a function calling itself directly into one node, as pprof's call graph does (no
   * self edges): deep recursion draws as one box instead of one per call.
   */
  collapseRecursion?: boolean;
}

/** The node reached from the root through these function names, or -1. */
export function findPath(t: CallTree, names: (node: number) => string, path: string[]): number {
  if (path.length === 0) return 0;
  // Matched depth per node (parents precede children): -1 off the path.
  const depth = new Int32Array(t.size).fill(-1);
  depth[0] = 0;
  for (let i = 1; i < t.size; i++) {
    const d = depth[t.parent[i]];
    if (d < 0 || d >= path.length || names(i) !== path[d]) continue;
    depth[i] = d + 1;
    if (d + 1 === path.length) return i;
  }
  return -1;
}

export function callTree(set: StackSet, opts: TreeOptions = {}): CallTree {
  const keys = nodeKeys(set.frames, opts.granularity ?? 'functions');
  let cap = 1024;
  let parent: Int32Array = new Int32Array(cap);
  let frame: Int32Array = new Int32Array(cap);
  let total: Float64Array = new Float64Array(cap);
  let self: Float64Array = new Float64Array(cap);
  parent[0] = -1;
  frame[0] = -1;
  let size = 1;
  // Child lookup: an open-addressing table of node ids hashed by (parent, key node); on
  // big profiles this is most of the work, and a Map of numbers is several times slower.
  let nodeKey: Int32Array = new Int32Array(cap);
  let mask = 4095;
  let slots = new Int32Array(mask + 1).fill(-1);
  const hash = (p: number, k: number) => {
    // murmur3's finalizer over both ints: the low bits (the table index) depend on all of them.
    let h = Math.imul(p, 0x9e3779b1) ^ k;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  // Value per (tree node, line), to pick each node's dominant line. Most nodes see one or
  // two lines: they live in columns; further lines of a node go to a small map (a Map keyed by
  // node × line would hash doubles millions of times on big profiles).
  let firstLine: Int32Array = new Int32Array(cap).fill(-1);
  let firstValue: Float64Array = new Float64Array(cap);
  let secondLine: Int32Array = new Int32Array(cap).fill(-1);
  let secondValue: Float64Array = new Float64Array(cap);
  const moreLines = new Map<number, Map<number, number>>();
  const stack = new Uint32Array(set.maxDepth);

  for (let i = 0; i < set.count; i++) {
    const w = set.values[i];
    if (w === 0) continue;
    let cur = 0;
    total[0] += w;
    const depth = stackInto(set, i, stack);
    const collapse = opts.collapseRecursion === true;
    for (let j = 0; j < depth; j++) {
      const fid = stack[j];
      const k = keys.ofFrame[fid];
      if (collapse && cur !== 0 && nodeKey[cur] === k) continue;
      let h = hash(cur, k) & mask;
      let child: number;
      while ((child = slots[h]) >= 0 && !(parent[child] === cur && nodeKey[child] === k)) h = (h + 1) & mask;
      if (child < 0) {
        if (size === cap) {
          cap *= 2;
          parent = grow(parent, cap); frame = grow(frame, cap); nodeKey = grow(nodeKey, cap);
          total = growF(total, cap); self = growF(self, cap);
          firstLine = grow(firstLine, cap, -1); firstValue = growF(firstValue, cap);
          secondLine = grow(secondLine, cap, -1); secondValue = growF(secondValue, cap);
        }
        child = size++;
        parent[child] = cur;
        frame[child] = fid;
        nodeKey[child] = k;
        slots[h] = child;
        if (size * 2 > mask) {
          mask = mask * 2 + 1;
          slots = new Int32Array(mask + 1).fill(-1);
          for (let n = 1; n < size; n++) {
            let q = hash(parent[n], nodeKey[n]) & mask;
            while (slots[q] >= 0) q = (q + 1) & mask;
            slots[q] = n;
          }
        }
      }
      total[child] += w;
      const ln = set.frames[fid].line;
      if (firstLine[child] === ln) firstValue[child] += Math.abs(w);
      else if (firstLine[child] < 0) { firstLine[child] = ln; firstValue[child] = Math.abs(w); }
      else if (secondLine[child] === ln) secondValue[child] += Math.abs(w);
      else if (secondLine[child] < 0) { secondLine[child] = ln; secondValue[child] = Math.abs(w); }
      else {
        let m = moreLines.get(child);
        if (!m) { m = new Map(); moreLines.set(child, m); }
        m.set(ln, (m.get(ln) ?? 0) + Math.abs(w));
      }
      cur = child;
    }
    self[cur] += w;
  }

  const line = new Int32Array(size);
  // The line with the most value; on a tie the lower line.
  for (let n = 1; n < size; n++) {
    if (firstLine[n] < 0) continue;
    let best = firstValue[n];
    line[n] = firstLine[n];
    const consider = (ln: number, v: number) => { if (v > best || (v === best && ln < line[n])) { line[n] = ln; best = v; } };
    if (secondLine[n] >= 0) consider(secondLine[n], secondValue[n]);
    const m = moreLines.get(n);
    if (m) for (const [ln, v] of m) consider(ln, v);
  }
  const tree: CallTree = {
    parent: parent.subarray(0, size), frame: frame.subarray(0, size), line,
    total: total.subarray(0, size), self: self.subarray(0, size), size,
  };
  if (!opts.minFraction) return tree;
  const detail = opts.zoom?.length ? findPath(tree, (i) => printableName(set.frames[tree.frame[i]], 'functions'), opts.zoom) : -1;
  return prune(tree, opts.minFraction, detail);
}

/**
 * Removes nodes too small to draw; their value stays in their parent's total. Under
 * `detail` (a node zoomed into), the limit is that fraction of the node's own total.
 * Then the budget: nothing deeper than maxDepth levels below the zoomed node (or the root),
 * and at most maxNodes nodes, the widest kept.
 */
export function prune(t: CallTree, minFraction: number, detail = -1, budget: DrawBudget = DRAW_BUDGET): CallTree {
  const limit = Math.abs(t.total[0]) * minFraction;
  const detailLimit = detail > 0 ? Math.abs(t.total[detail]) * minFraction : limit;
  const keep = new Int32Array(t.size).fill(-1);
  const under = new Uint8Array(detail > 0 ? t.size : 0);
  const depth = new Int32Array(t.size);
  // Levels are counted from the zoomed node; the path above it is always drawn.
  const base = detail > 0 ? depthOf(t, detail) : 0;
  let deepest = 0;
  let n = 0;
  // Parents always precede children, so one forward pass suffices.
  for (let i = 0; i < t.size; i++) {
    if (i > 0) depth[i] = depth[t.parent[i]] + 1;
    if (detail > 0 && (i === detail || (i > 0 && under[t.parent[i]]))) under[i] = 1;
    const min = detail > 0 && under[i] ? detailLimit : limit;
    if (i === 0) { keep[i] = n++; continue; }
    if (keep[t.parent[i]] < 0 && !(depth[t.parent[i]] > base + budget.maxDepth)) continue;
    if (Math.abs(t.total[i]) < min) continue;
    if (depth[i] > base + budget.maxDepth) {
      // Wide enough, but below the budget: count how far the hidden part goes.
      deepest = Math.max(deepest, depth[i] - base - budget.maxDepth);
      continue;
    }
    if (keep[t.parent[i]] >= 0) keep[i] = n++;
  }
  if (n > budget.maxNodes) n = keepWidest(t, keep, budget.maxNodes);
  const out: CallTree = {
    parent: new Int32Array(n), frame: new Int32Array(n), line: new Int32Array(n),
    total: new Float64Array(n), self: new Float64Array(n), size: n, dropped: t.size - n, deeper: deepest,
  };
  for (let i = 0; i < t.size; i++) {
    const k = keep[i];
    if (k < 0) continue;
    out.parent[k] = i === 0 ? -1 : keep[t.parent[i]];
    out.frame[k] = t.frame[i];
    out.line[k] = t.line[i];
    out.total[k] = t.total[i];
    out.self[k] = t.self[i];
  }
  return out;
}

function depthOf(t: CallTree, node: number): number {
  let d = 0;
  for (let i = node; i > 0; i = t.parent[i]) d++;
  return d;
}

/**
 * Narrows `keep` (node → new index, -1 dropped) to the `max` widest kept nodes, parents
 * first (a child is never wider than its parent in a profile, and ties go to the earlier
 * node, so the kept set stays connected); returns how many are kept.
 */
function keepWidest(t: CallTree, keep: Int32Array, max: number): number {
  const widths: number[] = [];
  for (let i = 1; i < t.size; i++) if (keep[i] >= 0) widths.push(Math.abs(t.total[i]));
  widths.sort((a, b) => b - a);
  const cut = widths[max - 2] ?? 0;
  let atCut = max - 1 - widths.filter((w) => w > cut).length;
  let n = 1;
  for (let i = 1; i < t.size; i++) {
    if (keep[i] < 0) continue;
    const w = Math.abs(t.total[i]);
    const ok = keep[t.parent[i]] >= 0 && (w > cut || (w === cut && atCut-- > 0));
    keep[i] = ok ? n++ : -1;
  }
  return n;
}

function grow(a: Int32Array, cap: number, fill = 0): Int32Array { const b = new Int32Array(cap); if (fill) b.fill(fill, a.length); b.set(a); return b; }
function growF(a: Float64Array, cap: number): Float64Array { const b = new Float64Array(cap); b.set(a); return b; }
