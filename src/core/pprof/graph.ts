// pprof's call graph (the -dot / web view) at function granularity, pruned as pprof prunes
// it: nodes under -nodefraction of the total are dropped (their calls become residual edges
// over them), the -nodecount most "interesting" nodes are kept (pprof's entropy order, tags
// counting as nodes), edges under -edgefraction are dropped, then residual edges that another
// path already explains. Learned from pprof's internal/graph and internal/report.
import { labelsOf, stackInto, type StackSet } from './stacks';
import { nodeKeys, type NodeKeys } from './top';
import { compareGo } from './utf8';

export interface GraphOptions {
  /** pprof -nodefraction: nodes whose |cum| is under this share of the total are dropped (0.005). */
  nodeFraction?: number;
  /** pprof -edgefraction: edges lighter than this share of the total are dropped (0.001). */
  edgeFraction?: number;
  /** pprof -nodecount: at most this many nodes (tags count too, as in pprof's dot); 0 = no limit (80). */
  nodeCount?: number;
}

export const GRAPH_DEFAULTS: Required<GraphOptions> = { nodeFraction: 0.005, edgeFraction: 0.001, nodeCount: 80 };

export interface GraphNode {
  /** 1-based, in pprof's order: the N<id> of its dot output. */
  id: number;
  /** pprof's printable name. */
  name: string;
  flat: number;
  cum: number;
  /** A representative frame (StackSet.frames index) for opening the source. */
  frame: number;
}

export interface GraphEdge {
  from: number;
  to: number;
  weight: number;
  /** The call goes through nodes that were dropped (pprof draws it dotted, "..."). */
  residual: boolean;
  /** Every call along it was inlined into the caller. */
  inline: boolean;
}

export interface CallGraph {
  /** pprof's "of N total": every sample before filtering; percentages are of this. */
  total: number;
  /** Sum of flat over the shown nodes ("Showing nodes accounting for …"). */
  shown: number;
  nodes: GraphNode[];
  /** In pprof's order: heaviest first, then by the names of the ends. */
  edges: GraphEdge[];
  /** Nodes dropped by -nodefraction, and how many remained before -nodecount. */
  droppedNodes: number;
  nodesBeforeCount: number;
  droppedEdges: number;
}

interface Edge { src: number; dst: number; w: number; residual: boolean; inline: boolean }
interface Tag { flat: number; cum: number }

/** One built graph: per node (NodeKeys id) its values, edges both ways and tags. */
interface Built {
  nodes: number[];
  flat: Float64Array;
  cum: Float64Array;
  inOf: Map<number, Edge>[];
  outOf: Map<number, Edge>[];
  tags: Map<string, Tag>[];
}

export function callGraph(set: StackSet, opts: GraphOptions = {}): CallGraph {
  const o = { ...GRAPH_DEFAULTS, ...opts };
  const keys = nodeKeys(set.frames, 'functions');
  const name = (n: number) => keys.printable[n];

  let g = build(set, keys, null);
  let totalValue = 0;
  for (const n of g.nodes) totalValue += g.flat[n];
  const nodeCutoff = Math.abs(Math.trunc(totalValue * o.nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalValue * o.edgeFraction));

  let droppedNodes = 0;
  if (nodeCutoff > 0) {
    const kept = g.nodes.filter((n) => Math.abs(g.cum[n]) >= nodeCutoff);
    if (kept.length !== g.nodes.length) {
      droppedNodes = g.nodes.length - kept.length;
      g = build(set, keys, keepSet(keys, kept));
    }
  }
  const nodesBeforeCount = g.nodes.length;

  sortByEntropy(g, keys);
  if (o.nodeCount > 0) {
    trimTags(g, nodeCutoff);
    trimEdges(g, edgeCutoff);
    const top = selectTop(g, o.nodeCount);
    if (top.length !== g.nodes.length) {
      g = build(set, keys, keepSet(keys, top));
      sortByEntropy(g, keys);
    }
  }
  const droppedEdges = trimEdges(g, edgeCutoff);
  removeRedundantEdges(g, name);

  const id = new Map<number, number>();
  const nodes: GraphNode[] = g.nodes.map((n, i) => {
    id.set(n, i + 1);
    return { id: i + 1, name: name(n), flat: g.flat[n], cum: g.cum[n], frame: keys.frame[n] };
  });
  const all: Edge[] = [];
  for (const n of g.nodes) for (const e of g.outOf[n].values()) if (id.has(e.dst)) all.push(e);
  all.sort((a, b) => compareEdges(a, b, name));
  let shown = 0;
  for (const n of nodes) shown += n.flat;
  return {
    total: set.total, shown, nodes,
    edges: all.map((e) => ({ from: id.get(e.src)!, to: id.get(e.dst)!, weight: e.w, residual: e.residual, inline: e.inline })),
    droppedNodes, nodesBeforeCount, droppedEdges,
  };
}

function keepSet(keys: NodeKeys, nodes: number[]): Uint8Array {
  const k = new Uint8Array(keys.frame.length);
  for (const n of nodes) k[n] = 1;
  return k;
}

/**
 * Walks every kept sample root→leaf: cum once per node per sample, an edge once per pair per
 * sample, flat on the leaf. A frame of a dropped node makes the next edge residual; a sample
 * whose leaf was dropped gives no flat to anyone. A node calling itself adds no edge.
 */
function build(set: StackSet, keys: NodeKeys, kept: Uint8Array | null): Built {
  const k = keys.frame.length;
  const flat = new Float64Array(k);
  const cum = new Float64Array(k);
  const seen = new Int32Array(k).fill(-1);
  const inOf: Map<number, Edge>[] = new Array(k);
  const outOf: Map<number, Edge>[] = new Array(k);
  const tags: Map<string, Tag>[] = new Array(k);
  const stack = new Uint32Array(set.maxDepth);
  const inl = new Uint8Array(set.maxDepth);
  const seenEdge = new Set<number>();
  for (let x = 0; x < set.count; x++) {
    const w = set.values[x];
    if (w === 0) continue;
    const depth = stackInto(set, x, stack, inl);
    const tagKeys = sampleTags(labelsOf(set, x));
    seenEdge.clear();
    let parent = -1;
    let residual = false;
    for (let j = 0; j < depth; j++) {
      const n = keys.ofFrame[stack[j]];
      if (kept && !kept[n]) { residual = true; continue; }
      if (seen[n] !== x) {
        seen[n] = x;
        cum[n] += w;
        addTags(tags, n, tagKeys, w, false);
      }
      if (parent >= 0 && n !== parent) {
        const key = parent * k + n;
        if (!seenEdge.has(key)) {
          seenEdge.add(key);
          const inline = inl[j] === 1;
          const out = (outOf[parent] ??= new Map());
          const e = out.get(n);
          if (e) {
            e.w += w;
            if (residual) e.residual = true;
            if (!inline) e.inline = false;
          } else {
            const ne: Edge = { src: parent, dst: n, w, residual, inline };
            out.set(n, ne);
            (inOf[n] ??= new Map()).set(parent, ne);
          }
        }
      }
      parent = n;
      residual = false;
    }
    if (parent >= 0 && !residual) {
      flat[parent] += w;
      addTags(tags, parent, tagKeys, w, true);
    }
  }
  const nodes: number[] = [];
  for (let n = 0; n < k; n++) {
    if (flat[n] === 0 && cum[n] === 0) continue;
    nodes.push(n);
    inOf[n] ??= new Map();
    outOf[n] ??= new Map();
    tags[n] ??= new Map();
  }
  return { nodes, flat, cum, inOf, outOf, tags };
}

/**
 * pprof's node tags for a sample: its string labels as one tag ("k:v" sorted, joined by a
 * literal \n), and each value of its numeric "bytes" label (the only numeric label kept).
 */
function sampleTags(labels: { key: string; str?: string; num?: number }[]): string[] {
  if (labels.length === 0) return [];
  const strs: string[] = [];
  const nums: number[] = [];
  for (const l of labels) {
    if (l.str !== undefined) strs.push(`${l.key}:${l.str}`);
    else if (l.key === 'bytes' && l.num !== undefined) nums.push(l.num);
  }
  strs.sort((a, b) => compareGo(a, b));
  const joined = strs.join('\\n');
  const out = joined ? ['s\u0000' + joined] : [];
  for (const v of nums) out.push(`n\u0000${joined}\u0000${v}`);
  return out;
}

function addTags(tags: Map<string, Tag>[], n: number, keys: string[], w: number, flat: boolean): void {
  if (keys.length === 0) return;
  const m = (tags[n] ??= new Map());
  for (const key of keys) {
    let t = m.get(key);
    if (!t) { t = { flat: 0, cum: 0 }; m.set(key, t); }
    if (flat) t.flat += w; else t.cum += w;
  }
}

function trimTags(g: Built, cutoff: number): void {
  for (const n of g.nodes) {
    for (const [key, t] of g.tags[n]) if (Math.abs(t.flat) < cutoff && Math.abs(t.cum) < cutoff) g.tags[n].delete(key);
  }
}

function trimEdges(g: Built, cutoff: number): number {
  let dropped = 0;
  for (const n of g.nodes) {
    for (const [src, e] of g.inOf[n]) {
      if (Math.abs(e.w) < cutoff) {
        g.inOf[n].delete(src);
        g.outOf[src]?.delete(n);
        dropped++;
      }
    }
  }
  return dropped;
}

/** pprof's visual selection: nodes in order, each costing 1 plus its tags with flat (at most 4). */
function selectTop(g: Built, max: number): number[] {
  let count = 0;
  let take = max;
  for (let i = 0; i < g.nodes.length; i++) {
    let tags = 0;
    for (const t of g.tags[g.nodes[i]].values()) if (t.flat !== 0) tags++;
    count += Math.min(tags, MAX_NODELETS) + 1;
    if (count >= max) { take = i + 1; break; }
  }
  return g.nodes.slice(0, Math.min(take, g.nodes.length));
}

const MAX_NODELETS = 4;

/** pprof's EntropyOrder: nodes whose calls branch or end rank above pass-through ones. */
function sortByEntropy(g: Built, keys: NodeKeys): void {
  const score = new Map<number, number>();
  for (const n of g.nodes) score.set(n, entropyScore(g, n));
  g.nodes.sort((a, b) => {
    const sa = Math.abs(score.get(a)!), sb = Math.abs(score.get(b)!);
    if (sa !== sb) return sb - sa;
    const na = keys.printable[a], nb = keys.printable[b];
    if (na !== nb) return compareGo(na, nb);
    const fa = Math.abs(g.flat[a]), fb = Math.abs(g.flat[b]);
    if (fa !== fb) return fb - fa;
    return keys.frame[a] - keys.frame[b];
  });
}

function entropyScore(g: Built, n: number): number {
  let score = 0;
  score += g.inOf[n].size === 0 ? 1 : edgeEntropy(g.inOf[n], 0);
  score += g.outOf[n].size === 0 ? 1 : edgeEntropy(g.outOf[n], g.flat[n]);
  return Math.trunc(score * g.cum[n]) + g.flat[n];
}

function edgeEntropy(edges: Map<number, Edge>, self: number): number {
  let total = self;
  for (const e of edges.values()) if (e.w > 0) total += Math.abs(e.w);
  if (total === 0) return 0;
  let score = 0;
  for (const e of edges.values()) {
    const f = Math.abs(e.w) / total;
    score += -f * log2(f);
  }
  if (self > 0) {
    const f = Math.abs(self) / total;
    score += -f * log2(f);
  }
  return score;
}

/** Go's math.Log2 (frexp, then ln × log2 e), so entropy scores round as pprof's do. */
function log2(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log2(x);
  let exp = Math.floor(Math.log2(x)) + 1;
  let frac = x / Math.pow(2, exp);
  if (frac >= 1) { frac /= 2; exp++; } else if (frac < 0.5) { frac *= 2; exp--; }
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * Math.LOG2E + exp;
}

/** Heaviest first (by |weight| when weights differ), then source name, then destination name. */
function compareEdges(a: Edge, b: Edge, name: (n: number) => string): number {
  if (a.w !== b.w) return Math.abs(b.w) - Math.abs(a.w);
  const sa = name(a.src), sb = name(b.src);
  if (sa !== sb) return compareGo(sa, sb);
  return compareGo(name(a.dst), name(b.dst));
}

/**
 * Drops residual edges whose destination the source reaches another way, lightest first,
 * walking nodes from the last; a node's in-edges stop at the first non-residual one.
 */
function removeRedundantEdges(g: Built, name: (n: number) => string): void {
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i];
    const ins = [...g.inOf[n].values()].sort((a, b) => compareEdges(a, b, name));
    for (let j = ins.length - 1; j >= 0; j--) {
      const e = ins[j];
      if (!e.residual) break;
      if (reachableWithout(g, e)) {
        g.outOf[e.src].delete(e.dst);
        g.inOf[e.dst].delete(e.src);
      }
    }
  }
}

function reachableWithout(g: Built, e: Edge): boolean {
  const seen = new Set<number>([e.dst]);
  const queue = [e.dst];
  for (let q = 0; q < queue.length; q++) {
    for (const ie of g.inOf[queue[q]]?.values() ?? []) {
      if (ie === e || seen.has(ie.src)) continue;
      if (ie.src === e.src) return true;
      seen.add(ie.src);
      queue.push(ie.src);
    }
  }
  return false;
}
