// Rebuilds the nested tree d3-flame-graph wants from the call tree columns the host sent
// (a profile's, either side of a comparison's, or the differential tree with base values).
import type { CallTreeColumns } from '../../../src/protocol/profile';

export interface FlameNode {
  name: string;
  value: number;
  self: number;
  /** The base's value at the same call path (differential tree only; else equals value). */
  base: number;
  file: string;
  line: number;
  /** Package class for colouring: user code, the standard library or the runtime. */
  kind: 'user' | 'std' | 'runtime' | 'root';
  children: FlameNode[];
}

export interface FlameColumns {
  tree: CallTreeColumns<ArrayBuffer>;
  treeSize: number;
  frameNames: string[];
  frameFiles: string[];
}

export function buildFlameTree(f: FlameColumns, rootName: string, baseValue?: ArrayBuffer): FlameNode {
  const parent = new Int32Array(f.tree.parent);
  const frame = new Int32Array(f.tree.frame);
  const line = new Int32Array(f.tree.line);
  const total = new Float64Array(f.tree.total);
  const self = new Float64Array(f.tree.self);
  const base = baseValue ? new Float64Array(baseValue) : total;
  const nodes: FlameNode[] = new Array(f.treeSize);
  for (let i = 0; i < f.treeSize; i++) {
    const fr = frame[i];
    const name = fr < 0 ? rootName : f.frameNames[fr];
    nodes[i] = {
      name, value: total[i], self: self[i], base: base[i], file: fr < 0 ? '' : f.frameFiles[fr], line: line[i],
      kind: fr < 0 ? 'root' : classify(name), children: [],
    };
    if (i > 0) nodes[parent[i]].children.push(nodes[i]);
  }
  return nodes[0];
}

export function classify(name: string): FlameNode['kind'] {
  // The runtime proper, not runtime/pprof or runtime/trace (ordinary library packages).
  if (/^runtime\.|^internal\/runtime\/|^runtime\/internal\//.test(name)) return 'runtime';
  // The package path ends at the first dot after the last slash; standard library
  // packages have no dot in their first path element (golang.org/x/... and modules do).
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  const first = (dot >= 0 ? name.slice(0, dot) : name).split('/')[0];
  if (first === 'main' || first.includes('.')) return 'user';
  return 'std';
}

/** Frames below the root whose name holds `term` (lower case). */
export function countMatches(n: FlameNode | undefined, term: string): number {
  if (!n) return 0;
  let c = n.kind !== 'root' && n.name.toLowerCase().includes(term) ? 1 : 0;
  for (const ch of n.children) c += countMatches(ch, term);
  return c;
}

/** Levels below the root, without recursion (stacks can be hundreds deep). */
export function depthOf(root: FlameNode): number {
  let max = 0;
  const todo: [FlameNode, number][] = [[root, 0]];
  for (let e = todo.pop(); e; e = todo.pop()) {
    if (e[1] > max) max = e[1];
    for (const c of e[0].children) todo.push([c, e[1] + 1]);
  }
  return max;
}
