// pprof's -top: nodes at function or line granularity, flat (leaf) and cum (anywhere in
// the stack, once per sample), ordered by |flat|, then printable name, then |cum|.
import { EdgeTable } from './edgetable';
import { stackInto, type Frame, type StackSet } from './stacks';
import { compareGo } from './utf8';

export type Granularity = 'functions' | 'lines';

export interface TopRow {
  function: string;
  file: string;
  /** Only at line granularity. */
  line?: number;
  flat: number;
  cum: number;
  /** Index of a representative frame (for opening the source). */
  frame: number;
  /**
   * pprof's mark: "inline" when every kept call edge into this node is an inlined call,
   * "partial-inline" when some are; edges under -edgefraction of the total are not kept.
   */
  inline: '' | 'inline' | 'partial-inline';
  /** pprof's printable node name (the sort key and the identity at this granularity). */
  printable: string;
}

export interface NodeKeys {
  /** Node id per frame id. */
  ofFrame: Int32Array;
  /** Representative frame per node. */
  frame: number[];
  printable: string[];
}

/**
 * Assigns graph nodes to frames: pprof's NodeInfo after Aggregate for the granularity. Two
 * nameless functions of one binary share a printable name but, as in pprof, not a node: pprof
 * keeps their start lines apart.
 */
export function nodeKeys(frames: Frame[], granularity: Granularity): NodeKeys {
  const ofFrame = new Int32Array(frames.length);
  const ids = new Map<string, number>();
  const frame: number[] = [];
  const printable: string[] = [];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const name = printableName(f, granularity);
    const key = f.fn >= 0 && !f.name ? `${name}\u0000${f.startLine}` : name;
    let id = ids.get(key);
    if (id === undefined) { id = frame.length; ids.set(key, id); frame.push(i); printable.push(name); }
    ofFrame[i] = id;
  }
  return { ofFrame, frame, printable };
}

/**
 * pprof's PrintableName for a frame once -functions or -lines has aggregated the profile:
 * addresses are gone at both, so a frame without a function (a location without lines, or a
 * line naming no function) is its binary, `[base name]`, or `<unknown>` without a mapping;
 * at -lines a frame with a function adds `file:line` (just `file` when the line is 0).
 */
export function printableName(f: Frame, granularity: Granularity): string {
  if (f.fn < 0) return objectName(f.object);
  if (granularity === 'lines') {
    const file = cleanPath(f.file);
    const parts = f.name ? [f.name] : [];
    if (f.line !== 0) parts.push(`${file}:${f.line}`);
    else if (file) parts.push(file);
    else if (!f.name) parts.push(objectName(f.object));
    return parts.join(' ');
  }
  return f.name || objectName(f.object);
}

/** pprof's name for a frame without symbols: its binary's base name in brackets, else `<unknown>`. */
export function objectName(object: string): string {
  return object ? `[${basename(object)}]` : '<unknown>';
}

export interface TopResult {
  total: number;
  rows: TopRow[];
}

/** pprof's default -edgefraction: call edges lighter than this share of the total are dropped. */
export const EDGE_FRACTION = 0.001;

export function top(set: StackSet, granularity: Granularity = 'functions'): TopResult {
  const keys = nodeKeys(set.frames, granularity);
  const n = keys.frame.length;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  const present = new Uint8Array(n);
  // Call edges (caller node → callee node) with their weight and whether every call was inlined.
  const edges = new EdgeTable();
  let kept = 0;
  const stack = new Uint32Array(set.maxDepth);
  const inlinedAt = new Uint8Array(set.maxDepth);
  for (let i = 0; i < set.count; i++) {
    const w = set.values[i];
    if (w === 0) continue;
    kept += w;
    const depth = stackInto(set, i, stack, inlinedAt);
    let parent = -1;
    for (let j = 0; j < depth; j++) {
      const fid = stack[j];
      const node = keys.ofFrame[fid];
      if (seen[node] !== i) { seen[node] = i; cum[node] += w; }
      present[node] = 1;
      if (parent >= 0 && parent !== node) edges.add(parent, node, w, i, inlinedAt[j] === 1);
      parent = node;
    }
    if (parent >= 0) flat[parent] += w;
  }
  const cutoff = Math.abs(Math.trunc(kept * EDGE_FRACTION));
  const inEdges = new Uint8Array(n); // bit 1: an inlined in-edge, bit 2: a regular one
  edges.forEach((_from, to, w, inline) => {
    if (Math.abs(w) >= cutoff) inEdges[to] |= inline ? 1 : 2;
  });
  return { total: set.total, rows: topRows(set.frames, keys, granularity, present, flat, cum, inEdges) };
}

/**
 * The sorted rows of the nodes some kept sample reached (present[id] non-zero) with a flat or
 * cum; inEdges[id] bit 1 marks an inlined in-edge, bit 2 a regular one.
 */
export function topRows(frames: Frame[], keys: NodeKeys, granularity: Granularity, present: ArrayLike<number>,
  flat: ArrayLike<number>, cum: ArrayLike<number>, inEdges: Uint8Array): TopRow[] {
  const rows: TopRow[] = [];
  for (let id = 0; id < keys.frame.length; id++) {
    if (present[id] === 0 || (flat[id] === 0 && cum[id] === 0)) continue;
    const f = frames[keys.frame[id]];
    const row: TopRow = {
      function: printableName(f, 'functions'), file: f.file, flat: flat[id], cum: cum[id], frame: keys.frame[id],
      inline: inEdges[id] === 1 ? 'inline' : inEdges[id] === 3 ? 'partial-inline' : '',
      printable: keys.printable[id],
    };
    if (granularity === 'lines') row.line = f.line;
    rows.push(row);
  }
  rows.sort((x, y) => compareTop(x, y, x.printable, y.printable));
  return rows;
}

export function compareTop(x: { flat: number; cum: number }, y: { flat: number; cum: number }, xn: string, yn: string): number {
  const fx = Math.abs(x.flat), fy = Math.abs(y.flat);
  if (fx !== fy) return fy - fx;
  if (xn !== yn) return compareGo(xn, yn) < 0 ? -1 : 1;
  const cx = Math.abs(x.cum), cy = Math.abs(y.cum);
  return cy - cx;
}

/** Go's filepath.Base on Unix: trailing slashes dropped, "/" for only slashes. */
function basename(p: string): string {
  const s = p.replace(/\/+$/, '');
  if (s === '') return p === '' ? '.' : '/';
  return s.slice(s.lastIndexOf('/') + 1);
}

/** Go's filepath.Clean for the forward-slash paths profiles carry. */
export function cleanPath(p: string): string {
  if (p === '') return '';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = out.join('/');
  return rooted ? '/' + s : s || '.';
}
