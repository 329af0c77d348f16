// Rebuilds the nested tree d3-flame-graph wants from the columns the host sent.
import type { ViewData } from '../../src/protocol/profile';

export interface FlameNode {
  name: string;
  value: number;
  self: number;
  file: string;
  line: number;
  /** Package class for colouring: user code, the standard library or the runtime. */
  kind: 'user' | 'std' | 'runtime' | 'root';
  children: FlameNode[];
}

export function buildTree(view: ViewData<ArrayBuffer>, rootName: string): FlameNode {
  const parent = new Int32Array(view.tree.parent);
  const frame = new Int32Array(view.tree.frame);
  const line = new Int32Array(view.tree.line);
  const total = new Float64Array(view.tree.total);
  const self = new Float64Array(view.tree.self);
  const nodes: FlameNode[] = new Array(view.treeSize);
  for (let i = 0; i < view.treeSize; i++) {
    const f = frame[i];
    const name = f < 0 ? rootName : view.frameNames[f];
    nodes[i] = {
      name, value: total[i], self: self[i], file: f < 0 ? '' : view.frameFiles[f], line: line[i],
      kind: f < 0 ? 'root' : classify(name), children: [],
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
