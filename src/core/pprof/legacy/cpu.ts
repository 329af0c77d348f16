// The binary CPU profile of gperftools and of Go before 1.9 ("profilez"): machine words
// (32 or 64 bits, either byte order, told apart by the header) — header 0, 3, 0 (C++/Go) or
// 1 (Java), the period in µs, 0; then per sample COUNT, DEPTH, DEPTH PCs (leaf first);
// the end marker 0, 1, 0; then the text memory map (C++) or the Java symbol table.
import { FormatError } from '../../errors';
import { withMemoryMap } from './build';
import { LineReader } from './lines';
import { parseMaps } from './maps';
import { callSite, emptyRaw, LocationTable, type RawProfile } from './raw';

interface Words {
  size: 4 | 8;
  little: boolean;
}

const LAYOUTS: Words[] = [{ size: 4, little: true }, { size: 4, little: false }, { size: 8, little: true }, { size: 8, little: false }];

function word(b: Uint8Array, at: number, w: Words): bigint | undefined {
  if (at + w.size > b.length) return undefined;
  let v = 0n;
  for (let i = 0; i < w.size; i++) v = (v << 8n) | BigInt(b[at + (w.little ? w.size - 1 - i : i)]);
  return v;
}

export interface CpuHeader {
  words: Words;
  java: boolean;
  periodMicros: bigint;
}

/** The header's word layout and kind, or undefined when the bytes do not start with one. */
export function cpuHeader(b: Uint8Array): CpuHeader | undefined {
  for (const w of LAYOUTS) {
    const h = [0, 1, 2, 3, 4].map((i) => word(b, i * w.size, w));
    if (h[4] === undefined || h[0] !== 0n || h[1] !== 3n || h[4] !== 0n || !(h[3]! > 0n)) continue;
    if (h[2] === 0n || h[2] === 1n) return { words: w, java: h[2] === 1n, periodMicros: h[3]! };
  }
  return undefined;
}

/** The samples; returns the offset of the bytes after them (the memory map or symbols). */
function samples(b: Uint8Array, h: CpuHeader, adjust: boolean, p: RawProfile, locs: LocationTable): number {
  const w = h.words;
  let at = 5 * w.size;
  while (at < b.length) {
    const count = word(b, at, w);
    const depth = word(b, at + w.size, w);
    if (count === undefined || depth === undefined) throw new FormatError('CPU profile: truncated sample', at);
    at += 2 * w.size;
    // pprof's bound: no more PCs than 4-byte words left.
    if (depth > BigInt(Math.floor((b.length - at) / 4))) throw new FormatError(`CPU profile: a sample claims ${depth} frames, more than the file holds`, at);
    const n = Number(depth);
    const pcs: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const pc = word(b, at, w);
      // Past the end pprof reads zeros and stops after this sample.
      pcs.push(pc ?? 0n);
      at = pc === undefined ? b.length : at + w.size;
    }
    if (count === 0n && n === 1 && pcs[0] === 0n) return at;
    const stack = pcs.map((pc, i) => locs.get(adjust && i > 0 ? callSite(pc) : pc));
    const c = Number(BigInt.asIntN(64, count));
    p.samples.push({ locs: stack, values: [c, c * p.period] });
  }
  return at;
}

/**
 * gperftools' fix for a frame the signal handler pushes: when nearly every sample (all but
 * one in 32) has the same second frame, it is dropped — twice at most.
 */
function dropSignalFrame(p: RawProfile): void {
  const margin = Math.floor(p.samples.length / 32);
  for (let iter = 0; iter < 2; iter++) {
    const counts = new Map<bigint, number>();
    for (const s of p.samples) if (s.locs.length > 1) counts.set(s.locs[1].address, (counts.get(s.locs[1].address) ?? 0) + 1);
    for (const [addr, n] of counts) {
      if (n < p.samples.length - margin) continue;
      for (const s of p.samples) if (s.locs.length > 1 && s.locs[1].address === addr) s.locs.splice(1, 1);
      break;
    }
  }
}

/** A leaf recorded twice (from the signal context and from unwinding, the copy one less): keep one. */
export function dropDuplicateLeaf(p: RawProfile): void {
  for (const s of p.samples) {
    if (s.locs.length > 1 && s.locs[0].address === s.locs[1].address + 1n) s.locs.splice(1, 1);
  }
}

const latin1 = new TextDecoder('latin1');

export function parseCpu(b: Uint8Array, javaSymbols: (text: string, locs: LocationTable, p: RawProfile) => void): RawProfile {
  const h = cpuHeader(b);
  if (!h) throw new FormatError('not a legacy CPU profile: no 0, 3, 0, period, 0 header', 0);
  const p = emptyRaw([{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }], { type: 'cpu', unit: 'nanoseconds' }, 0);
  const period = Number(h.periodMicros) * 1000;
  p.period = period;
  const locs = new LocationTable(p);
  const end = samples(b, h, !h.java, p, locs);
  const rest = latin1.decode(b.subarray(end));
  if (h.java) {
    javaSymbols(rest, locs, p);
    return p;
  }
  dropSignalFrame(p);
  withMemoryMap(p, parseMaps(new LineReader(rest, 'CPU profile memory map')));
  dropDuplicateLeaf(p);
  return p;
}

