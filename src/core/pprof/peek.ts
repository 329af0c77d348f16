// pprof's -peek: for every node whose printable name a regexp matches, its callers and callees
// with the call edge weights. -peek never trims (no node or edge fraction), so every node and
// every edge of the graph counts; a node's calls to itself (recursion) are not edges.
import { stackInto, type StackSet } from './stacks';
import { compareTop, nodeKeys, printableName, type Granularity } from './top';
import { compareGo } from './utf8';

export interface PeekEdge {
  /** The caller's (or callee's) printable name at the granularity. */
  name: string;
  /** The weight of the call edge: the samples whose stack has this call, each once. */
  value: number;
  /** True when every call on this edge was inlined into its caller. */
  inline: boolean;
}

export interface PeekEntry {
  /** The node's printable name (function, or "function file:line" at -lines). */
  name: string;
  function: string;
  file: string;
  line?: number;
  flat: number;
  cum: number;
  /** Callers heaviest first, as pprof prints them. */
  callers: PeekEdge[];
  /** Callees heaviest first. */
  callees: PeekEdge[];
  /** A representative frame id of the node (for opening its source). */
  frame: number;
}

export interface PeekResult {
  /** pprof's "of N total". */
  total: number;
  /** Sum of every node's flat: pprof's "Showing nodes accounting for". */
  shown: number;
  /** The smallest non-zero |flat| (else |cum|) of any node: what pprof picks the unit from. */
  minValue: number;
  /** Matching nodes in pprof's order (flat, then name, then cum). */
  entries: PeekEntry[];
}

interface Edge { w: number; inline: boolean; seen: number }

/** Callers and callees of the nodes whose printable name `re` matches (unanchored, as Go's MatchString). */
export function peek(set: StackSet, re: RegExp, granularity: Granularity = 'functions'): PeekResult {
  const keys = nodeKeys(set.frames, granularity);
  const n = keys.frame.length;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  const ins: Map<number, Edge>[] = Array.from({ length: n }, () => new Map());
  const outs: Map<number, Edge>[] = Array.from({ length: n }, () => new Map());
  const stack = new Uint32Array(set.maxDepth);
  const inlinedAt = new Uint8Array(set.maxDepth);
  for (let i = 0; i < set.count; i++) {
    const w = set.values[i];
    if (w === 0) continue;
    const depth = stackInto(set, i, stack, inlinedAt);
    let parent = -1;
    for (let j = 0; j < depth; j++) {
      const node = keys.ofFrame[stack[j]];
      if (seen[node] !== i) { seen[node] = i; cum[node] += w; }
      if (parent >= 0 && parent !== node) {
        const inline = inlinedAt[j] === 1;
        let e = outs[parent].get(node);
        if (!e) { e = { w: 0, inline, seen: -1 }; outs[parent].set(node, e); ins[node].set(parent, e); }
        if (e.seen !== i) { e.seen = i; e.w += w; }
        if (!inline) e.inline = false;
      }
      parent = node;
    }
    if (parent >= 0) flat[parent] += w;
  }

  let shown = 0;
  let minValue = 0;
  const entries: PeekEntry[] = [];
  for (let id = 0; id < n; id++) {
    if (flat[id] === 0 && cum[id] === 0) continue;
    shown += flat[id];
    const v = Math.abs(flat[id]) || Math.abs(cum[id]);
    if (v > 0 && (minValue === 0 || v < minValue)) minValue = v;
    const name = keys.printable[id];
    re.lastIndex = 0;
    if (!re.test(name)) continue;
    const f = set.frames[keys.frame[id]];
    const entry: PeekEntry = {
      name, function: printableName(f, 'functions'), file: f.file, flat: flat[id], cum: cum[id],
      callers: edgeList(ins[id], keys.printable), callees: edgeList(outs[id], keys.printable),
      frame: keys.frame[id],
    };
    if (granularity === 'lines') entry.line = f.line;
    entries.push(entry);
  }
  entries.sort((x, y) => compareTop(x, y, x.name, y.name));
  return { total: set.total, shown, minValue, entries };
}

/** One side's edges in pprof's edge order: |weight| descending, then the other end's name. */
function edgeList(edges: Map<number, Edge>, names: string[]): PeekEdge[] {
  const list = [...edges].map(([other, e]) => ({ name: names[other], value: e.w, inline: e.inline }));
  // pprof breaks ties by source then destination name; one of the two is always this node.
  return list.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || compareGo(a.name, b.name));
}
