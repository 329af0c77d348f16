// pprof's -top straight from streamed (packed) samples when nothing filters them: one walk over
// the bytes with typed arrays, every location's frames resolved to node ids once, no stack set
// and no per-sample objects. The same rows as top(stacks(p, si), g); anything filtered or not
// packed goes that general way.
import type { Profile } from './model';
import { frameTable, stacks, type Filters } from './stacks';
import { compareTop, EDGE_FRACTION, nodeKeys, printableName, top, type Granularity, type TopResult, type TopRow } from './top';

/** top(stacks(p, si, filters), g), by the packed walk when it applies. */
export function topOf(p: Profile, si: number, filters: Filters = {}, g: Granularity = 'functions'): TopResult {
  return p.samples.packed && unfiltered(filters) ? topPacked(p, si, g) : top(stacks(p, si, filters), g);
}

function unfiltered(f: Filters): boolean {
  return !f.focus && !f.ignore && !f.hide && !f.show
    && !f.tagFocus?.length && !f.tagIgnore?.length
    && !f.tagRoot?.some((k) => k !== '') && !f.tagLeaf?.some((k) => k !== '');
}

/** Where the last varint read ended. */
let end = 0;

function varint(bytes: Uint8Array, p: number): number {
  let b = bytes[p++];
  if (b < 0x80) { end = p; return b; }
  let v = b & 0x7f;
  for (let mul = 128; ; mul *= 128) {
    b = bytes[p++];
    v += (b & 0x7f) * mul;
    if (b < 0x80) break;
  }
  end = p;
  return v;
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

/** The unfiltered top of packed samples (p.samples.packed must be set). */
export function topPacked(p: Profile, si: number, g: Granularity): TopResult {
  const packed = p.samples.packed!;
  const { frames, byLocation } = frameTable(p);
  const keys = nodeKeys(frames, g);
  const n = keys.frame.length;
  const nl = byLocation.length;

  // Per location: its frames' nodes root→leaf in nodes[start[l] .. start[l + 1]), and the
  // edges inside it (inlined calls) in inner[innerStart[l] .. innerStart[l + 1]).
  const start = new Uint32Array(nl + 1);
  for (let l = 0; l < nl; l++) start[l + 1] = start[l] + byLocation[l].length;
  const nodes = new Int32Array(start[nl]);
  const edges = new EdgeIds(n);
  const innerStart = new Uint32Array(nl + 1);
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
  const innerIds = Int32Array.from(inner);

  // Edges matter only for the inline marks: a node's mark is not '' only when some inlined call
  // reaches it, so calls into other nodes are not weighed at all.
  const watched = new Uint8Array(n);
  for (let e = 0; e < edges.from.length; e++) watched[edges.to[e]] = 1;
  // Per location: its outermost and innermost frame's node; `one` is the node of a location of
  // one frame (most are), -1 for an inlined chain.
  const first = new Int32Array(nl), last = new Int32Array(nl), one = new Int32Array(nl);
  for (let l = 0; l < nl; l++) {
    first[l] = nodes[start[l]]; last[l] = nodes[start[l + 1] - 1];
    one[l] = start[l + 1] - start[l] === 1 ? first[l] : -1;
  }

  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n); // the sample (+1) that last added to cum
  let weight = new Float64Array(Math.max(16, edges.from.length * 2));
  let edgeSeen = new Int32Array(weight.length);
  let regular = new Uint8Array(weight.length);
  const path = new Uint32Array(Math.max(1, packed.maxDepth));
  const bytes = packed.bytes;
  const k = packed.k;
  let total = 0, kept = 0;
  let at = 0;
  for (let i = 0; i < p.samples.count; i++) {
    // count, location indices leaf first, k values, label set
    let m = bytes[at];
    if (m < 0x80) at++; else { m = varint(bytes, at); at = end; }
    for (let j = 0; j < m; j++) {
      const b = bytes[at];
      if (b < 0x80) { path[j] = b - 1; at++; } else { path[j] = varint(bytes, at) - 1; at = end; }
    }
    for (let j = 0; j < si; j++) while (bytes[at++] >= 0x80);
    const w = varint(bytes, at);
    at = end;
    for (let j = si + 1; j <= k; j++) while (bytes[at++] >= 0x80); // the other values and the label set
    total += Math.abs(w);
    if (w === 0) continue;
    kept += w;
    if (m === 0) continue;
    const stamp = i + 1;
    flat[last[path[0]]] += w;
    let child = -1;
    for (let j = 0; j < m; j++) {
      const l = path[j];
      const node = one[l];
      if (node >= 0 && (child < 0 || watched[child] === 0 || child === node)) {
        // The common frame: one node, no call to weigh.
        if (seen[node] !== stamp) { seen[node] = stamp; cum[node] += w; }
        child = node;
        continue;
      }
      const inner = last[l];
      if (child >= 0 && watched[child] === 1 && child !== inner) {
        // A call from this location's innermost frame to the next location's outermost: never inlined.
        const e = edges.id(inner, child);
        if (e >= weight.length) {
          const grow = <T extends Float64Array | Int32Array | Uint8Array>(x: T, make: (c: number) => T) => { const y = make(x.length * 2); y.set(x as never); return y; };
          weight = grow(weight, (c) => new Float64Array(c));
          edgeSeen = grow(edgeSeen, (c) => new Int32Array(c));
          regular = grow(regular, (c) => new Uint8Array(c));
        }
        if (edgeSeen[e] !== stamp) { edgeSeen[e] = stamp; weight[e] += w; }
        regular[e] = 1;
      }
      if (node >= 0) {
        if (seen[inner] !== stamp) { seen[inner] = stamp; cum[inner] += w; }
      } else {
        for (let q = start[l], qe = start[l + 1]; q < qe; q++) {
          const node = nodes[q];
          if (seen[node] !== stamp) { seen[node] = stamp; cum[node] += w; }
        }
        for (let q = innerStart[l], qe = innerStart[l + 1]; q < qe; q++) {
          const e = innerIds[q];
          if (edgeSeen[e] !== stamp) { edgeSeen[e] = stamp; weight[e] += w; }
        }
      }
      child = first[l];
    }
  }

  const cutoff = Math.abs(Math.trunc(kept * EDGE_FRACTION));
  const inEdges = new Uint8Array(n); // bit 1: an inlined in-edge, bit 2: a regular one
  for (let e = 0; e < edges.from.length; e++) {
    // An edge no kept sample walked is not in the graph (as in top's table).
    if (edgeSeen[e] !== 0 && Math.abs(weight[e]) >= cutoff) inEdges[edges.to[e]] |= regular[e] ? 2 : 1;
  }
  const rows: TopRow[] = [];
  for (let id = 0; id < n; id++) {
    if (seen[id] === 0 || (flat[id] === 0 && cum[id] === 0)) continue;
    const f = frames[keys.frame[id]];
    const row: TopRow = {
      function: printableName(f, 'functions'), file: f.file, flat: flat[id], cum: cum[id], frame: keys.frame[id],
      inline: inEdges[id] === 1 ? 'inline' : inEdges[id] === 3 ? 'partial-inline' : '',
      printable: keys.printable[id],
    };
    if (g === 'lines') row.line = f.line;
    rows.push(row);
  }
  rows.sort((x, y) => compareTop(x, y, x.printable, y.printable));
  return { total, rows };
}
