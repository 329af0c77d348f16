// pprof's -list for one function: flat and cum per source line. Flat counts samples whose
// leaf frame is that line; cum counts each sample once per line it passes through.
import { stackInto, type StackSet } from './stacks';

export interface LineCost {
  line: number;
  flat: number;
  cum: number;
}

export interface FunctionLines {
  function: string;
  file: string;
  /** The function's first line as the binary records it (0 when unknown). */
  startLine: number;
  /** Lines that carried value, in line order. */
  lines: LineCost[];
  /** The function's own flat and cum (each sample once), as the top table shows them. */
  flat: number;
  cum: number;
}

/** Per-line costs of the frames named `fn` (in `file`, when given) over the kept samples. */
export function functionLines(set: StackSet, fn: string, file?: string): FunctionLines {
  const match = new Uint8Array(set.frames.length);
  let startLine = 0;
  let foundFile = file ?? '';
  for (let i = 0; i < set.frames.length; i++) {
    const f = set.frames[i];
    if (f.name !== fn || (file !== undefined && f.file !== file)) continue;
    match[i] = 1;
    if (!foundFile) foundFile = f.file;
    if (f.startLine > 0 && (startLine === 0 || f.startLine < startLine)) startLine = f.startLine;
  }
  const byLine = new Map<number, { flat: number; cum: number; seen: number }>();
  let flat = 0, cum = 0;
  const stack = new Uint32Array(set.maxDepth);
  for (let x = 0; x < set.count; x++) {
    const w = set.values[x];
    if (w === 0) continue;
    const depth = stackInto(set, x, stack);
    let inFn = false;
    for (let j = 0; j < depth; j++) {
      const fid = stack[j];
      if (!match[fid]) continue;
      inFn = true;
      const line = set.frames[fid].line;
      let c = byLine.get(line);
      if (!c) { c = { flat: 0, cum: 0, seen: -1 }; byLine.set(line, c); }
      if (c.seen !== x) { c.seen = x; c.cum += w; }
      if (j === depth - 1) { c.flat += w; flat += w; }
    }
    if (inFn) cum += w;
  }
  const lines = [...byLine].map(([line, c]) => ({ line, flat: c.flat, cum: c.cum })).sort((a, b) => a.line - b.line);
  return { function: fn, file: foundFile, startLine, lines, flat, cum };
}
