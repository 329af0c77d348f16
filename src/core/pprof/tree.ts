// The call tree (root → leaf, inline frames expanded) that flame graphs draw. Nodes are
// merged by function name under the same parent; each remembers the source line that
// carried most of its value so a click can open the right place.
import { stackInto, type StackSet } from './stacks';
import { nodeKeys, type Granularity } from './top';

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
}

export interface TreeOptions {
  granularity?: Granularity;
  /** Drop subtrees whose |total| is below this fraction of the root's (0 keeps everything). */
  minFraction?: number;
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
  // Child lookup: key = parent * nodesInKeySpace + key node.
  const children = new Map<number, number>();
  const nk = keys.frame.length + 1;
  // Value per (tree node, line), keyed node × 2^21 + line, to pick each node's dominant line.
  const lineValue = new Map<number, number>();
  const LINES = 2 ** 21;
  const stack = new Uint32Array(set.maxDepth);

  for (let i = 0; i < set.count; i++) {
    const w = set.values[i];
    if (w === 0) continue;
    let cur = 0;
    total[0] += w;
    const depth = stackInto(set, i, stack);
    for (let j = 0; j < depth; j++) {
      const fid = stack[j];
      const key = cur * nk + keys.ofFrame[fid];
      let child = children.get(key);
      if (child === undefined) {
        if (size === cap) {
          cap *= 2;
          parent = grow(parent, cap); frame = grow(frame, cap);
          total = growF(total, cap); self = growF(self, cap);
        }
        child = size++;
        parent[child] = cur;
        frame[child] = fid;
        children.set(key, child);
      }
      total[child] += w;
      const lk = child * LINES + (set.frames[fid].line % LINES);
      lineValue.set(lk, (lineValue.get(lk) ?? 0) + Math.abs(w));
      cur = child;
    }
    self[cur] += w;
  }

  const line = new Int32Array(size);
  const bestValue = new Float64Array(size).fill(-1);
  for (const [key, v] of lineValue) {
    const node = Math.floor(key / LINES);
    const ln = key % LINES;
    if (v > bestValue[node] || (v === bestValue[node] && ln < line[node])) { line[node] = ln; bestValue[node] = v; }
  }
  const tree: CallTree = {
    parent: parent.subarray(0, size), frame: frame.subarray(0, size), line,
    total: total.subarray(0, size), self: self.subarray(0, size), size,
  };
  return opts.minFraction ? prune(tree, opts.minFraction) : tree;
}

/** Removes nodes too small to draw; their value stays in their parent's total. */
export function prune(t: CallTree, minFraction: number): CallTree {
  const limit = Math.abs(t.total[0]) * minFraction;
  const keep = new Int32Array(t.size).fill(-1);
  let n = 0;
  // Parents always precede children, so one forward pass suffices.
  for (let i = 0; i < t.size; i++) {
    if (i === 0 || (keep[t.parent[i]] >= 0 && Math.abs(t.total[i]) >= limit)) keep[i] = n++;
  }
  const out: CallTree = {
    parent: new Int32Array(n), frame: new Int32Array(n), line: new Int32Array(n),
    total: new Float64Array(n), self: new Float64Array(n), size: n,
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

function grow(a: Int32Array, cap: number): Int32Array { const b = new Int32Array(cap); b.set(a); return b; }
function growF(a: Float64Array, cap: number): Float64Array { const b = new Float64Array(cap); b.set(a); return b; }
