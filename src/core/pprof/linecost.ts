// Per-line cost: for every source line a profile names, flat (samples whose leaf is that
// line) and cum (samples with that line anywhere on the stack, counted once per sample).
// Inlined frames count at their own lines, as `go tool pprof -top -lines` does.
import { formatShare } from '../format';
import { stackInto, type StackSet } from './stacks';
import { cleanPath } from './top';
import { formatValue } from './units';

export interface LineCost {
  /** 1-based. */
  line: number;
  flat: number;
  cum: number;
  /** The functions with a frame on this line, most cum first (usually one). */
  functions: string[];
}

export interface FileLineCosts {
  /** The file as the profile names it (a build path, cleaned). */
  file: string;
  /** Ordered by line. */
  lines: LineCost[];
}

export interface LineCosts {
  /** pprof's "of N total": the sum of |value| before filters; percentages are of this. */
  total: number;
  files: FileLineCosts[];
}

export function lineCosts(set: StackSet): LineCosts {
  // One key per file:line; frames without a line (no symbols, assembly stubs) are skipped.
  const keyOfFrame = new Int32Array(set.frames.length).fill(-1);
  const keys: { file: string; line: number }[] = [];
  const ids = new Map<string, number>();
  for (let i = 0; i < set.frames.length; i++) {
    const f = set.frames[i];
    if (f.line <= 0 || !f.file) continue;
    const file = cleanPath(f.file);
    const k = `${file}\u0000${f.line}`;
    let id = ids.get(k);
    if (id === undefined) { id = keys.length; ids.set(k, id); keys.push({ file, line: f.line }); }
    keyOfFrame[i] = id;
  }
  const n = keys.length;
  const flat = new Float64Array(n), cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  // Per frame (a function at a line), for naming each line's functions by weight.
  const frameSeen = new Int32Array(set.frames.length).fill(-1);
  const frameCum = new Float64Array(set.frames.length);
  const stack = new Uint32Array(set.maxDepth);
  for (let x = 0; x < set.count; x++) {
    const w = set.values[x];
    if (w === 0) continue;
    const depth = stackInto(set, x, stack);
    for (let j = 0; j < depth; j++) {
      const fid = stack[j];
      const id = keyOfFrame[fid];
      if (id < 0) continue;
      if (seen[id] !== x) { seen[id] = x; cum[id] += w; }
      if (frameSeen[fid] !== x) { frameSeen[fid] = x; frameCum[fid] += Math.abs(w); }
    }
    if (depth > 0) {
      const id = keyOfFrame[stack[depth - 1]];
      if (id >= 0) flat[id] += w;
    }
  }
  const fnsOf: Map<string, number>[] = keys.map(() => new Map());
  for (let i = 0; i < set.frames.length; i++) {
    const id = keyOfFrame[i], name = set.frames[i].name;
    if (id >= 0 && name && frameCum[i] !== 0) fnsOf[id].set(name, (fnsOf[id].get(name) ?? 0) + frameCum[i]);
  }
  const byFile = new Map<string, LineCost[]>();
  for (let id = 0; id < n; id++) {
    if (flat[id] === 0 && cum[id] === 0) continue;
    const { file, line } = keys[id];
    const list = byFile.get(file) ?? [];
    const functions = [...fnsOf[id]].sort((a, b) => b[1] - a[1]).map(([name]) => name);
    list.push({ line, flat: flat[id], cum: cum[id], functions });
    byFile.set(file, list);
  }
  const files = [...byFile].map(([file, lines]) => ({ file, lines: lines.sort((a, b) => a.line - b.line) }));
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { total: set.total, files };
}

/** The end-of-line text: `flat 7.84% · 120ms — cum 19.6% · 300ms` (flat left out when zero). */
export function lineCostText(c: { flat: number; cum: number }, total: number, unit: string): string {
  const part = (v: number) => `${formatShare(v, total)} · ${formatValue(v, unit)}`;
  const cum = `cum ${part(c.cum)}`;
  return c.flat !== 0 ? `flat ${part(c.flat)} — ${cum}` : cum;
}
