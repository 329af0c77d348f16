// A function's sandwich: pprof -peek's numbers for it (flat, cum, callers and callees with
// the call edge weights) and two call trees rooted at it, for flame graphs: its callers
// (nearest caller first, toward main) and its callees. Both trees follow each sample's
// outermost call of the function, so every sample counts once and the roots equal its cum.
import { peek, type PeekEdge } from './peek';
import { stackInto, type StackSet } from './stacks';
import type { CallTreeColumns } from './view';
import { nodeKeys, printableName } from './top';

export interface SandwichTree<T> {
  tree: CallTreeColumns<T>;
  treeSize: number;
  frameNames: string[];
  frameFiles: string[];
}

export interface SandwichData<T> {
  /** The function (printable name at function granularity); '' when the filters leave none of it. */
  function: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
  /** pprof's "of N total" (for percentages). */
  total: number;
  /** pprof -peek's rows for the function. */
  callers: PeekEdge[];
  callees: PeekEdge[];
  callerTree: SandwichTree<T>;
  calleeTree: SandwichTree<T>;
}

/** Sandwich of the function named `fn` (exactly, as golens top prints it); subtrees under minFraction of its cum are left out. */
export function sandwich(set: StackSet, fn: string, minFraction = 0): SandwichData<Int32Array | Float64Array> {
  const keys = nodeKeys(set.frames, 'functions');
  const target = keys.printable.indexOf(fn);
  const entry = target >= 0 ? peek(set, new RegExp(`^${escapeRegExp(fn)}$`)).entries.find((e) => e.name === fn) : undefined;
  const nameOf = (fid: number) => keys.printable[keys.ofFrame[fid]];
  const callers = new TreeBuilder(nameOf);
  const callees = new TreeBuilder(nameOf);
  if (entry) {
    const stack = new Uint32Array(set.maxDepth);
    const path: number[] = [];
    for (let i = 0; i < set.count; i++) {
      const w = set.values[i];
      if (w === 0) continue;
      const depth = stackInto(set, i, stack);
      let at = -1;
      for (let j = 0; j < depth; j++) if (keys.ofFrame[stack[j]] === target) { at = j; break; }
      if (at < 0) continue;
      path.length = 0;
      for (let j = at + 1; j < depth; j++) path.push(stack[j]);
      callees.add(stack[at], path, w);
      path.length = 0;
      for (let j = at - 1; j >= 0; j--) path.push(stack[j]);
      callers.add(stack[at], path, w);
    }
  }
  const f = entry ? set.frames[entry.frame] : undefined;
  return {
    function: entry?.name ?? '', file: f?.file ?? '', line: f?.startLine ?? 0,
    flat: entry?.flat ?? 0, cum: entry?.cum ?? 0, total: set.total,
    callers: entry?.callers ?? [], callees: entry?.callees ?? [],
    callerTree: callers.columns(set, minFraction), calleeTree: callees.columns(set, minFraction),
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A call tree built path by path; children merged by function name under one parent. */
class TreeBuilder {
  private readonly parent: number[] = [-1];
  private readonly frame: number[] = [-1];
  private readonly total: number[] = [0];
  private readonly self: number[] = [0];
  private readonly children: Map<string, number>[] = [new Map()];

  constructor(private readonly nameOf: (frame: number) => string) {}

  /** One sample: `root` is the function's frame, `path` the frames away from it. */
  add(root: number, path: number[], w: number): void {
    if (this.frame[0] < 0) this.frame[0] = root;
    this.total[0] += w;
    let node = 0;
    for (const fid of path) node = this.child(node, fid, w);
    this.self[node] += w;
  }

  private child(p: number, fid: number, w: number): number {
    const name = this.nameOf(fid);
    let c = this.children[p].get(name);
    if (c === undefined) {
      c = this.parent.length;
      this.parent.push(p); this.frame.push(fid); this.total.push(0); this.self.push(0); this.children.push(new Map());
      this.children[p].set(name, c);
    }
    this.total[c] += w;
    return c;
  }

  columns(set: StackSet, minFraction: number): SandwichTree<Int32Array | Float64Array> {
    const root = this.total[0];
    const cut = Math.abs(root) * minFraction;
    // Keep nodes (parents precede children) whose subtree is wide enough, renumbered.
    const keep = new Int32Array(this.parent.length).fill(-1);
    const order: number[] = [];
    for (let i = 0; i < this.parent.length; i++) {
      if (i > 0 && (keep[this.parent[i]] < 0 || Math.abs(this.total[i]) < cut || this.total[i] === 0)) continue;
      keep[i] = order.length;
      order.push(i);
    }
    const n = order.length;
    const parent = new Int32Array(n), frame = new Int32Array(n), line = new Int32Array(n);
    const total = new Float64Array(n), self = new Float64Array(n);
    const frameNames: string[] = [];
    const frameFiles: string[] = [];
    const local = new Map<string, number>();
    for (let k = 0; k < n; k++) {
      const i = order[k];
      parent[k] = i === 0 ? -1 : keep[this.parent[i]];
      total[k] = this.total[i];
      self[k] = this.self[i];
      const fid = this.frame[i];
      if (fid < 0) { frame[k] = -1; continue; }
      const fr = set.frames[fid];
      // The root is the function itself: drawn with its name, not as "all".
      const label = printableName(fr, 'functions');
      const key = `${label}\u0000${fr.file}`;
      let id = local.get(key);
      if (id === undefined) { id = frameNames.length; local.set(key, id); frameNames.push(label); frameFiles.push(fr.file); }
      frame[k] = id;
      line[k] = fr.line;
    }
    return { tree: { parent, frame, line, total, self }, treeSize: n, frameNames, frameFiles };
  }
}
