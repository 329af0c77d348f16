// The one codec of typed-array columns (and of file bytes sent along with a URI): the server encodes them as base64 for the LSP pipe,
// the extension host decodes them into ArrayBuffers for a webview. Each shape that carries
// columns names them once here, so both sides convert the same fields.
// Node-only (Buffer): the server and the extension host import it, webviews never do.
import type { DiffViewData, FlameData } from './diff';
import type { CallTreeColumns, SandwichData, ViewData } from './profile';
import type { CountersWire, TileWire } from './trace';

export type Column = Int32Array | Float64Array | Float32Array | Uint8Array;

export function toBase64(a: Column): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** The bytes of base64 text: columns, or a file the server cannot read from disk. */
export function fromBase64(b64: string): Uint8Array {
  return Buffer.from(b64, 'base64');
}

export function toArrayBuffer(b64: string): ArrayBuffer {
  const b = Buffer.from(b64, 'base64');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export function treeColumns<A, B>(t: CallTreeColumns<A>, f: (a: A) => B): CallTreeColumns<B> {
  return { parent: f(t.parent), frame: f(t.frame), line: f(t.line), total: f(t.total), self: f(t.self) };
}

export function viewColumns<A, B>(v: ViewData<A>, f: (a: A) => B): ViewData<B> {
  return { ...v, tree: treeColumns(v.tree, f) };
}

export function sandwichColumns<A, B>(s: SandwichData<A>, f: (a: A) => B): SandwichData<B> {
  return { ...s, callerTree: { ...s.callerTree, tree: treeColumns(s.callerTree.tree, f) }, calleeTree: { ...s.calleeTree, tree: treeColumns(s.calleeTree.tree, f) } };
}

export function flameColumns<A, B>(fl: FlameData<A>, f: (a: A) => B): FlameData<B> {
  return { ...fl, tree: treeColumns(fl.tree, f) };
}

export function diffViewColumns<A, B>(v: DiffViewData<A>, f: (a: A) => B): DiffViewData<B> {
  return { ...v, base: flameColumns(v.base, f), next: flameColumns(v.next, f), diff: { ...flameColumns(v.diff, f), baseValue: f(v.diff.baseValue) } };
}

const TILE_COLUMNS = ['start', 'end', 'key', 'state', 'ref', 'name', 'busy'] as const;

/** A tile's columns (a spans tile and a summary tile carry different ones; absent stay absent). */
export function tileColumns<A, B>(t: TileWire<A>, f: (a: A) => B): TileWire<B> {
  const out: TileWire<B> = { lane: t.lane, mode: t.mode };
  if (t.source !== undefined) out.source = t.source;
  if (t.names !== undefined) out.names = t.names;
  for (const k of TILE_COLUMNS) if (t[k] !== undefined) out[k] = f(t[k]!);
  return out;
}

export function counterColumns<A, B>(c: CountersWire<A>, f: (a: A) => B): CountersWire<B> {
  return { heap: f(c.heap), goal: f(c.goal), runnable: f(c.runnable), running: f(c.running), waiting: f(c.waiting), syscall: f(c.syscall), cpu: f(c.cpu) };
}
