// Re-encodes a decoded profile with protobufjs' Writer, with knobs for the encodings
// Go's runtime does not use but the format allows (tests feed them back to the decoder).
import { Writer } from 'protobufjs/minimal';
import type { Profile } from '../../../src/core/pprof/model';

export interface EncodeOptions {
  /** Write repeated scalars unpacked (one tag per value). */
  unpacked?: boolean;
  /** Added to every id (functions, locations, mappings) — push them past 2^53. */
  idOffset?: bigint;
  /** Appended to every message as an unknown field (field 99, a string). */
  unknownField?: boolean;
}

export function encodeProfile(p: Profile, o: EncodeOptions = {}): Uint8Array {
  const strings: string[] = [''];
  const index = new Map<string, number>([['', 0]]);
  const s = (v: string) => { let i = index.get(v); if (i === undefined) { i = strings.length; strings.push(v); index.set(v, i); } return i; };
  const off = o.idOffset ?? 0n;
  const id = (v: number | bigint) => BigInt(v) + off;
  // protobufjs takes a Long-like {low, high} for exact 64-bit values (strings lose precision without Long).
  const long = (v: number | bigint) => {
    const b = BigInt.asUintN(64, BigInt(v));
    return { low: Number(b & 0xffffffffn) | 0, high: Number(b >> 32n) | 0, unsigned: true } as unknown as number;
  };
  const u64 = (w: Writer, field: number, v: bigint) => { w.uint32((field << 3) | 0); w.uint64(long(v)); };
  const unknown = (w: Writer) => { if (o.unknownField) w.uint32((99 << 3) | 2).string('ignored'); };
  const repeated = (w: Writer, field: number, vals: (number | bigint)[]) => {
    if (vals.length === 0) return;
    if (o.unpacked) {
      for (const v of vals) { w.uint32((field << 3) | 0); w.uint64(long(v)); }
      return;
    }
    w.uint32((field << 3) | 2).fork();
    for (const v of vals) w.uint64(long(v));
    w.ldelim();
  };
  const w = Writer.create();
  const vt = (field: number, t: { type: string; unit: string }) => {
    w.uint32((field << 3) | 2).fork().uint32(8).int64(s(t.type)).uint32(16).int64(s(t.unit));
    unknown(w);
    w.ldelim();
  };
  for (const t of p.sampleTypes) vt(1, t);
  const k = p.sampleTypes.length;
  for (let i = 0; i < p.samples.count; i++) {
    w.uint32((2 << 3) | 2).fork();
    const locs: bigint[] = [];
    for (let j = p.samples.offsets[i]; j < p.samples.offsets[i + 1]; j++) locs.push(id(p.locations[p.samples.locs[j]].id));
    repeated(w, 1, locs);
    repeated(w, 2, Array.from(p.samples.values.subarray(i * k, i * k + k)));
    for (const l of p.labelSets[p.samples.labelSet[i]]) {
      w.uint32((3 << 3) | 2).fork().uint32(8).int64(s(l.key));
      if (l.str !== undefined) w.uint32(16).int64(s(l.str));
      if (l.num !== undefined) w.uint32(24).int64(l.num);
      if (l.numUnit) w.uint32(32).int64(s(l.numUnit));
      w.ldelim();
    }
    unknown(w);
    w.ldelim();
  }
  for (const m of p.mappings) {
    w.uint32((3 << 3) | 2).fork();
    u64(w, 1, id(m.id)); u64(w, 2, m.start); u64(w, 3, m.limit); u64(w, 4, m.offset);
    w.uint32(40).int64(s(m.file)).uint32(48).int64(s(m.buildId));
    w.uint32(56).bool(m.hasFunctions).uint32(64).bool(m.hasFilenames).uint32(72).bool(m.hasLineNumbers).uint32(80).bool(m.hasInlineFrames);
    w.ldelim();
  }
  for (const l of p.locations) {
    w.uint32((4 << 3) | 2).fork();
    u64(w, 1, id(l.id));
    if (l.mapping >= 0) u64(w, 2, id(p.mappings[l.mapping].id));
    u64(w, 3, l.address);
    for (const ln of l.lines) {
      w.uint32((4 << 3) | 2).fork();
      if (ln.fn >= 0) u64(w, 1, id(p.functions[ln.fn].id));
      w.uint32(16).int64(ln.line);
      if (ln.column) w.uint32(24).int64(ln.column);
      w.ldelim();
    }
    if (l.isFolded) w.uint32(40).bool(true);
    unknown(w);
    w.ldelim();
  }
  for (const f of p.functions) {
    w.uint32((5 << 3) | 2).fork();
    u64(w, 1, id(f.id));
    w.uint32(16).int64(s(f.name)).uint32(24).int64(s(f.systemName)).uint32(32).int64(s(f.filename)).uint32(40).int64(f.startLine);
    w.ldelim();
  }
  if (p.timeNanos) w.uint32(72).int64(p.timeNanos);
  if (p.durationNanos) w.uint32(80).int64(p.durationNanos);
  if (p.periodType) vt(11, p.periodType);
  if (p.period) w.uint32(96).int64(p.period);
  repeated(w, 13, p.comments.map(s));
  if (p.defaultSampleType) w.uint32(112).int64(s(p.defaultSampleType));
  unknown(w);
  // Go writes the string table last; so do we, after every index is known.
  for (const str of strings) w.uint32((6 << 3) | 2).string(str);
  return w.finish();
}
