// pprof's -top straight from streamed (packed) samples when nothing filters them: one walk over
// the bytes with typed arrays, every location's frames resolved to node ids once, no stack set
// and no per-sample objects. The same rows as top(stacks(p, si), g); anything filtered or not
// packed goes that general way.
import type { Profile } from './model';
import { readVarint, varintAt, varintEnd } from './packed';
import { frameTable, stacks, type Filters } from './stacks';
import { EDGE_FRACTION, nodeKeys, top, topRows, type Granularity, type TopResult } from './top';

/** top(stacks(p, si, filters), g), by the packed walk when it applies. */
export function topOf(p: Profile, si: number, filters: Filters = {}, g: Granularity = 'functions'): TopResult {
  return p.samples.packed && unfiltered(filters) ? topPacked(p, si, g) : top(stacks(p, si, filters), g);
}

/** No filter of any kind: the top of every sample as it is. */
export function unfiltered(f: Filters): boolean {
  return !f.focus && !f.ignore && !f.hide && !f.show
    && !f.tagFocus?.length && !f.tagIgnore?.length
    && !f.tagRoot?.some((k) => k !== '') && !f.tagLeaf?.some((k) => k !== '');
}

/** Call edges by dense id, keyed by (caller node, callee node): a flat table when small, else a hash. */
class EdgeIds {
  private readonly dense: Int32Array | undefined;
  private readonly map = new Map<number, number>();
  from: number[] = [];
  to: number[] = [];
  constructor(private readonly n: number) {
    if (n * n <= 1 << 22) this.dense = new Int32Array(n * n).fill(-1);
  }
  id(from: number, to: number): number {
    const key = from * this.n + to;
    let e = this.dense ? this.dense[key] : (this.map.get(key) ?? -1);
    if (e < 0) {
      e = this.from.length;
      this.from.push(from); this.to.push(to);
      if (this.dense) this.dense[key] = e; else this.map.set(key, e);
    }
    return e;
  }
}

/**
 * An unfiltered top, sample by sample: every location's frames are resolved to node ids once;
 * a sample is its location ids (index + 1, leaf first) and its value. No per-sample objects.
 */
export class TopWalk {
  private readonly frames;
  private readonly keys;
  private readonly nl: number;
  /** Per location id: its frames' nodes root→leaf in nodes[start[id - 1] .. start[id]). */
  private readonly start: Uint32Array;
  private readonly nodes: Int32Array;
  private readonly edges: EdgeIds;
  /** Per location id: the ids of the edges inside it (inlined calls), in innerIds[innerStart[id - 1] .. innerStart[id]). */
  private readonly innerStart: Uint32Array;
  private readonly innerIds: Int32Array;
  /** Nodes some inlined call reaches: only calls into them are weighed (see below). */
  private readonly watched: Uint8Array;
  /** Per location id: its outermost and innermost frame's node; `one`: the node of a one-frame location, -1 for an inlined chain. */
  private readonly first: Int32Array;
  private readonly last: Int32Array;
  private readonly one: Int32Array;
  private readonly flat: Float64Array;
  private readonly cum: Float64Array;
  /** Per node: the sample (+1) that last added to cum. */
  private readonly seen: Int32Array;
  private weight: Float64Array;
  private edgeSeen: Int32Array;
  private regular: Uint8Array;
  private samples = 0;
  private total = 0;
  private kept = 0;

  constructor(p: Profile, private readonly g: Granularity) {
    const { frames, byLocation } = frameTable(p);
    const keys = nodeKeys(frames, g);
    this.frames = frames;
    this.keys = keys;
    const n = keys.frame.length;
    const nl = this.nl = byLocation.length;
    // Index 0 stands for location id 1: ids are checked against nl as they come.
    const start = this.start = new Uint32Array(nl + 1);
    for (let l = 0; l < nl; l++) start[l + 1] = start[l] + byLocation[l].length;
    const nodes = this.nodes = new Int32Array(start[nl]);
    const edges = this.edges = new EdgeIds(n);
    const innerStart = this.innerStart = new Uint32Array(nl + 1);
    const inner: number[] = [];
    for (let l = 0; l < nl; l++) {
      const lf = byLocation[l];
      let parent = -1;
      for (let q = 0; q < lf.length; q++) {
        const node = keys.ofFrame[lf[q]];
        nodes[start[l] + q] = node;
        if (parent >= 0 && parent !== node) inner.push(edges.id(parent, node));
        parent = node;
      }
      innerStart[l + 1] = inner.length;
    }
    this.innerIds = Int32Array.from(inner);
    // Edges matter only for the inline marks: a node's mark is not '' only when some inlined
    // call reaches it, so calls into other nodes are not weighed at all.
    this.watched = new Uint8Array(n);
    for (let e = 0; e < edges.from.length; e++) this.watched[edges.to[e]] = 1;
    this.first = new Int32Array(nl); this.last = new Int32Array(nl); this.one = new Int32Array(nl);
    for (let l = 0; l < nl; l++) {
      this.first[l] = nodes[start[l]]; this.last[l] = nodes[start[l + 1] - 1];
      this.one[l] = start[l + 1] - start[l] === 1 ? this.first[l] : -1;
    }
    this.flat = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.seen = new Int32Array(n);
    this.weight = new Float64Array(Math.max(16, edges.from.length * 2));
    this.edgeSeen = new Int32Array(this.weight.length);
    this.regular = new Uint8Array(this.weight.length);
  }

  /** Adds one sample: ids[0 .. m) are its location ids leaf first. False for an id that names no location. */
  add(ids: Uint32Array, m: number, w: number): boolean {
    const stamp = this.begin(w);
    if (w === 0) {
      // Not counted, but its ids are still checked: a dangling one is the ordinary decoder's to report.
      for (let j = 0; j < m; j++) if (ids[j] < 1 || ids[j] > this.nl) return false;
      return true;
    }
    if (m === 0) return true;
    const nl = this.nl;
    let child = -1;
    for (let j = 0; j < m; j++) {
      const l = ids[j] - 1;
      if (l >= nl || l < 0) return false;
      child = this.step(l, child, w, stamp);
    }
    this.flat[this.last[ids[0] - 1]] += w;
    return true;
  }

  /**
   * Adds one sample whose location ids are the varints buf[from .. to), leaf first (a profile's
   * packed field, read in place). False for an id that names no location or a malformed varint.
   */
  addPacked(buf: Uint8Array, from: number, to: number, w: number): boolean {
    const stamp = this.begin(w);
    const nl = this.nl;
    if (w === 0) {
      // Not counted, but its ids are still checked: a dangling one is the ordinary decoder's to report.
      for (let q = from; q < to;) {
        const id = readVarint(buf, q, to) ?? 0;
        if (id < 1 || id > nl) return false;
        q = varintEnd;
      }
      return true;
    }
    let child = -1, leaf = -1;
    for (let q = from; q < to;) {
      let id = buf[q];
      if (id < 0x80) q++; else { id = readVarint(buf, q, to) ?? 0; q = varintEnd; }
      const l = id - 1;
      if (l >= nl || l < 0) return false;
      child = this.step(l, child, w, stamp);
      if (leaf < 0) leaf = l;
    }
    if (leaf >= 0) this.flat[this.last[leaf]] += w;
    return true;
  }

  /** A new sample of weight w: its stamp. */
  private begin(w: number): number {
    this.total += Math.abs(w);
    this.kept += w;
    return ++this.samples;
  }

  /** Location l (index) of the current sample, under `child`'s location; returns its outermost node. */
  private step(l: number, child: number, w: number, stamp: number): number {
    const node = this.one[l];
    if (node >= 0 && (child < 0 || this.watched[child] === 0 || child === node)) {
      // The common frame: one node, no call to weigh.
      if (this.seen[node] !== stamp) { this.seen[node] = stamp; this.cum[node] += w; }
      return node;
    }
    return this.frame(l, child, w, stamp);
  }

  /** The rest of add for location l (index) under `child`'s location; returns its outermost node. */
  private frame(l: number, child: number, w: number, stamp: number): number {
    const inner = this.last[l];
    if (child >= 0 && this.watched[child] === 1 && child !== inner) {
      // A call from this location's innermost frame to the next location's outermost: never inlined.
      const e = this.edges.id(inner, child);
      if (e >= this.weight.length) this.growEdges();
      if (this.edgeSeen[e] !== stamp) { this.edgeSeen[e] = stamp; this.weight[e] += w; }
      this.regular[e] = 1;
    }
    const { seen, cum, nodes, edgeSeen, weight, innerIds } = this;
    for (let q = this.start[l], qe = this.start[l + 1]; q < qe; q++) {
      const node = nodes[q];
      if (seen[node] !== stamp) { seen[node] = stamp; cum[node] += w; }
    }
    for (let q = this.innerStart[l], qe = this.innerStart[l + 1]; q < qe; q++) {
      const e = innerIds[q];
      if (edgeSeen[e] !== stamp) { edgeSeen[e] = stamp; weight[e] += w; }
    }
    return this.first[l];
  }

  private growEdges(): void {
    const c = this.weight.length * 2;
    const weight = new Float64Array(c), edgeSeen = new Int32Array(c), regular = new Uint8Array(c);
    weight.set(this.weight); edgeSeen.set(this.edgeSeen); regular.set(this.regular);
    this.weight = weight; this.edgeSeen = edgeSeen; this.regular = regular;
  }

  /** The rows, as top() gives them. */
  result(): TopResult {
    const { keys, frames, flat, cum, seen, g } = this;
    const n = keys.frame.length;
    const cutoff = Math.abs(Math.trunc(this.kept * EDGE_FRACTION));
    const inEdges = new Uint8Array(n); // bit 1: an inlined in-edge, bit 2: a regular one
    for (let e = 0; e < this.edges.from.length; e++) {
      // An edge no kept sample walked is not in the graph (as in top's table).
      if (this.edgeSeen[e] !== 0 && Math.abs(this.weight[e]) >= cutoff) inEdges[this.edges.to[e]] |= this.regular[e] ? 2 : 1;
    }
    return { total: this.total, rows: topRows(frames, keys, g, seen, flat, cum, inEdges) };
  }
}

/** The unfiltered top of packed samples (p.samples.packed must be set). */
export function topPacked(p: Profile, si: number, g: Granularity): TopResult {
  const packed = p.samples.packed!;
  const walk = new TopWalk(p, g);
  const path = new Uint32Array(Math.max(1, packed.maxDepth));
  const bytes = packed.bytes;
  const k = packed.k;
  let at = 0;
  for (let i = 0; i < p.samples.count; i++) {
    // count, location ids leaf first, k values, label set
    let m = bytes[at];
    if (m < 0x80) at++; else { m = varintAt(bytes, at); at = varintEnd; }
    for (let j = 0; j < m; j++) {
      const b = bytes[at];
      if (b < 0x80) { path[j] = b; at++; } else { path[j] = varintAt(bytes, at); at = varintEnd; }
    }
    for (let j = 0; j < si; j++) while (bytes[at++] >= 0x80);
    const w = varintAt(bytes, at);
    at = varintEnd;
    for (let j = si + 1; j <= k; j++) while (bytes[at++] >= 0x80); // the other values and the label set
    walk.add(path, m, w);
  }
  return walk.result();
}
