// Decodes a pprof profile (gzip or raw protobuf) into the columnar Profile model.
// Field numbers and shapes: shared/docs/FORMATS.md §1.
import { describeBytes, FormatError } from '../errors';
import { isGzip } from './gzip';
import { inflateProfile, type InflateLimit } from './inflate';
import { MAX_SCRATCH_LABELS, RawLabelSets, type RawLabel } from './labelsets';
import type { Label, Line, Location, Mapping, Profile, ProfileFunction, ValueType } from './model';
import {
  Reader, WireType, expectWire, readBool, readInt64, readLengthEnd, readRepeated, readString, readTag, readUint64, skip,
} from './wire';

/** Ids are uint64; readUint64 gives numbers when safe and bigints above 2^53, so map keys stay exact. */
export type Id = number | bigint;

export interface DecodeOptions extends InflateLimit {
  /** The gzip stream's content, when the caller has inflated it already. */
  inflated?: Uint8Array;
}

/**
 * Decodes bytes as read from a file: gzip (possibly several members) or raw protobuf. A gzip
 * stream inflates to at most `maxBytes` (default 2 GiB), its unknown top-level fields skipped
 * as it streams; past the limit, a FormatError before anything near that size is allocated.
 * What a file that is not a profile is (a trace, a dump…) is core/artifacts' to say.
 */
export function decodeProfile(bytes: Uint8Array, opts: DecodeOptions = {}): Profile {
  if (bytes.length === 0) throw new FormatError('empty file', 0, 'a pprof profile is a gzip-compressed protobuf; this file has no bytes');
  let raw = bytes;
  if (isGzip(bytes)) {
    const inflated = opts.inflated ? { data: opts.inflated, total: opts.inflated.length } : inflateProfile(bytes, opts);
    if (inflated.total === 0) throw new FormatError('empty profile inside gzip stream', 0);
    raw = inflated.data;
  }
  try {
    return parseProfile(raw);
  } catch (e) {
    // A file that breaks within its first bytes was never a profile: say what it looks like.
    if (e instanceof FormatError && raw === bytes && e.offset !== undefined && e.offset < 16) {
      throw new FormatError(`not a pprof profile (${e.what})`, e.offset, `the file is ${describeBytes(bytes, bytes.length)}`);
    }
    throw e;
  }
}

/** Is it gzip (the test lives in gzip.ts, which loads no inflater). */
export { isGzip };



export interface RawLine { fnId: Id; line: number; column: number }
export interface RawLocation { id: Id; mappingId: Id; address: bigint; lines: RawLine[]; isFolded: boolean }
export interface RawFunction { id: Id; name: number; systemName: number; filename: number; startLine: number }
export interface RawMapping {
  id: Id; start: bigint; limit: bigint; offset: bigint; file: number; buildId: number;
  hasFunctions: boolean; hasFilenames: boolean; hasLineNumbers: boolean; hasInlineFrames: boolean;
}

const toBig = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));

/** Parses an uncompressed profile.proto message. */
export function parseProfile(buf: Uint8Array): Profile {
  const r = Reader.create(buf);
  const sampleTypes: [number, number][] = [];
  // One walk decodes everything but samples, counting what each sample holds and noting
  // where it starts; then the samples alone fill exact-size columns with location indices
  // (Go writes samples before locations, so ids cannot be resolved as they are read).
  // No per-sample objects; the only growing array is the samples' start offsets.
  const counts = { samples: 0, refs: 0 };
  let starts = new Uint32Array(1024);
  const rawMappings: RawMapping[] = [];
  const rawLocations: RawLocation[] = [];
  const rawFunctions: RawFunction[] = [];
  const strings: string[] = [];
  const comments: number[] = [];
  let dropFrames = 0, keepFrames = 0, defaultSampleType = 0, docUrl = 0;
  let timeNanos = 0, durationNanos = 0, period = 0;
  let periodType: [number, number] | undefined;

  try {
    while (r.pos < r.len) {
      const tag = readTag(r);
      const field = tag >>> 3;
      const wt = tag & 7;
      switch (field) {
        case 1: expectWire(r, wt, WireType.Bytes, 'sample_type'); sampleTypes.push(readValueType(r)); break;
        case 2:
          expectWire(r, wt, WireType.Bytes, 'sample');
          if (counts.samples === starts.length) { const next = new Uint32Array(starts.length * 2); next.set(starts); starts = next; }
          starts[counts.samples] = r.pos;
          countSample(r, counts);
          break;
        case 3: expectWire(r, wt, WireType.Bytes, 'mapping'); rawMappings.push(readMapping(r)); break;
        case 4: expectWire(r, wt, WireType.Bytes, 'location'); rawLocations.push(readLocation(r)); break;
        case 5: expectWire(r, wt, WireType.Bytes, 'function'); rawFunctions.push(readFunction(r)); break;
        case 6: expectWire(r, wt, WireType.Bytes, 'string_table entry'); strings.push(readString(r)); break;
        case 7: dropFrames = readIntField(r, wt, 'drop_frames'); break;
        case 8: keepFrames = readIntField(r, wt, 'keep_frames'); break;
        case 9: timeNanos = readIntField(r, wt, 'time_nanos'); break;
        case 10: durationNanos = readIntField(r, wt, 'duration_nanos'); break;
        case 11: expectWire(r, wt, WireType.Bytes, 'period_type'); periodType = readValueType(r); break;
        case 12: period = readIntField(r, wt, 'period'); break;
        case 13: readRepeated(r, wt, readInt64, (v) => comments.push(v), 'comment'); break;
        case 14: defaultSampleType = readIntField(r, wt, 'default_sample_type'); break;
        case 15: docUrl = readIntField(r, wt, 'doc_url'); break;
        default: skip(r, wt);
      }
    }
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`corrupt protobuf: ${(e as Error).message}`, r.pos, 'the file is truncated or is not a pprof profile');
  }

  // The Go runtime writes the string table last, so indices resolve only now.
  if (strings.length === 0) {
    throw new FormatError('not a pprof profile: no string table', 0, `the data is ${describeBytes(buf, buf.length)}`);
  }
  if (strings[0] !== '') throw new FormatError(`not a pprof profile: string_table[0] is ${strings[0].length} characters long, must be empty`, 0);
  const str = (i: number, what: string): string => {
    if (i < 0 || i >= strings.length || !Number.isInteger(i)) {
      throw new FormatError(`${what} refers to string ${i}, but the string table has ${strings.length} entries`, undefined, 'the profile is corrupt');
    }
    return strings[i];
  };
  const vt = ([t, u]: [number, number], what: string): ValueType => ({ type: str(t, what), unit: str(u, what) });
  if (sampleTypes.length === 0) throw new FormatError('not a pprof profile: no sample types', 0);

  const mappings: Mapping[] = [];
  const mappingIndex = new Map<Id, number>();
  for (const m of rawMappings) {
    mappingIndex.set(m.id, mappings.length);
    mappings.push({
      id: m.id, start: m.start, limit: m.limit, offset: m.offset, file: str(m.file, 'mapping filename'),
      buildId: str(m.buildId, 'mapping build_id'), hasFunctions: m.hasFunctions, hasFilenames: m.hasFilenames,
      hasLineNumbers: m.hasLineNumbers, hasInlineFrames: m.hasInlineFrames,
    });
  }

  const functions: ProfileFunction[] = [];
  const functionIndex = new Map<Id, number>();
  for (const f of rawFunctions) {
    if (f.id === 0) throw new FormatError('function with id 0', undefined, 'the profile is corrupt');
    functionIndex.set(f.id, functions.length);
    functions.push({
      id: f.id, name: str(f.name, `function ${f.id} name`), systemName: str(f.systemName, `function ${f.id} system_name`),
      filename: str(f.filename, `function ${f.id} filename`), startLine: f.startLine,
    });
  }

  const locations: Location[] = [];
  const locationIndex = new Map<Id, number>();
  for (const l of rawLocations) {
    if (l.id === 0) throw new FormatError('location with id 0', undefined, 'the profile is corrupt');
    const lines: Line[] = l.lines.map((ln) => {
      let fn = -1;
      if (ln.fnId !== 0) {
        const i = functionIndex.get(ln.fnId);
        if (i === undefined) throw new FormatError(`location ${l.id} refers to function ${ln.fnId}, which is not in the profile`, undefined, 'the profile is corrupt');
        fn = i;
      }
      return { fn, line: ln.line, column: ln.column };
    });
    locationIndex.set(l.id, locations.length);
    locations.push({
      id: l.id, mapping: l.mappingId === 0 ? -1 : mappingIndex.get(l.mappingId) ?? -1, address: l.address, lines, isFolded: l.isFolded,
    });
  }

  const k = sampleTypes.length;
  const count = counts.samples;
  // Go numbers locations 1..N; then an id is its index + 1 and no map lookup is needed.
  const dense = locations.every((l, i) => l.id === i + 1);
  const indexOf = (id: Id): number | undefined => (dense && typeof id === 'number' ? (id >= 1 && id <= locations.length ? id - 1 : undefined) : locationIndex.get(id));
  const offsets = new Uint32Array(count + 1);
  const locs = locations.length <= 0xffff ? new Uint16Array(counts.refs) : new Uint32Array(counts.refs);
  const values = new Float64Array(count * k);
  const labelSet = new Uint32Array(count);
  const rawLabelSets = new RawLabelSets();
  const fill = { sample: 0, ref: 0, value: 0 };
  const r2 = Reader.create(buf);
  const denseCount = dense ? locations.length : -1;
  try {
    for (; fill.sample < count; fill.sample++) {
      offsets[fill.sample] = fill.ref;
      const fast = fillSampleFast(buf, starts[fill.sample], fill, locs, values, k, denseCount, rawLabelSets);
      if (fast >= 0) { labelSet[fill.sample] = fast; continue; }
      // Anything but the plain shape (labels, unpacked or long varints, sparse ids, an
      // error): the general reader, from the sample's start, with its exact errors.
      fill.ref = offsets[fill.sample];
      fill.value = fill.sample * k;
      r2.pos = starts[fill.sample];
      const labels = fillSample(r2, fill, locs, values, k, indexOf);
      if (labels) {
        labelSet[fill.sample] = rawLabelSets.internLabels(labels);
      }
    }
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`corrupt protobuf: ${(e as Error).message}`, r2.pos, 'the file is truncated or is not a pprof profile');
  }
  offsets[count] = fill.ref;
  const labelSets = resolveLabelSets(rawLabelSets, str);

  return {
    sampleTypes: sampleTypes.map((t) => vt(t, 'sample_type')),
    defaultSampleType: str(defaultSampleType, 'default_sample_type'),
    samples: { count, offsets, locs, values, labelSet },
    labelSets, mappings, locations, functions,
    dropFrames: str(dropFrames, 'drop_frames'), keepFrames: str(keepFrames, 'keep_frames'),
    timeNanos, durationNanos, period,
    periodType: periodType ? vt(periodType, 'period_type') : undefined,
    comments: comments.map((c) => str(c, 'comment')),
    docUrl: str(docUrl, 'doc_url'),
  };
}

/** Label sets resolve to strings once per distinct set, not once per sample. */
export function resolveLabelSets(raw: RawLabelSets, str: (i: number, what: string) => string): Label[][] {
  return raw.sets.map((set) => set.flatMap((l): Label[] => {
    // As pprof: a string label when str is set, else numeric; a label with neither is dropped.
    const key = str(l.key, 'label key');
    if (l.str !== 0) return [{ key, str: str(l.str, 'label value') }];
    if (l.num !== 0 || l.numUnit !== 0) return [{ key, num: l.num, ...(l.numUnit ? { numUnit: str(l.numUnit, 'label unit') } : {}) }];
    return [];
  }));
}

export function readIntField(r: Reader, wt: number, what: string): number {
  expectWire(r, wt, WireType.Varint, what);
  return readInt64(r);
}

export function readValueType(r: Reader): [number, number] {
  const end = readLengthEnd(r, 'ValueType');
  let type = 0, unit = 0;
  while (r.pos < end) {
    const tag = readTag(r);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: type = readIntField(r, wt, 'ValueType.type'); break;
      case 2: unit = readIntField(r, wt, 'ValueType.unit'); break;
      default: skip(r, wt);
    }
  }
  checkEnd(r, end, 'ValueType');
  return [type, unit];
}

/** Pass 1: counts a sample's location ids without keeping them (values are checked in pass 2). */
function countSample(r: Reader, counts: { samples: number; refs: number }): void {
  const end = readLengthEnd(r, 'Sample');
  while (r.pos < end) {
    const tag = readTag(r);
    const wt = tag & 7;
    const f = tag >>> 3;
    if (f === 1) {
      let n = 0;
      if (wt === WireType.Bytes) {
        const e = readLengthEnd(r, 'Sample.location_id');
        // Each varint ends with the one byte below 0x80.
        for (let i = r.pos; i < e; i++) if (r.buf[i] < 0x80) n++;
        if (e > r.pos && r.buf[e - 1] >= 0x80) throw new FormatError('packed Sample.location_id ends inside a number', e);
        r.pos = e;
      } else {
        expectWire(r, wt, WireType.Varint, 'Sample.location_id');
        readUint64(r);
        n = 1;
      }
      counts.refs += n;
    } else if (f === 3) {
      expectWire(r, wt, WireType.Bytes, 'Sample.label');
      r.pos = readLengthEnd(r, 'Sample.label');
    } else {
      skip(r, wt);
    }
  }
  checkEnd(r, end, 'Sample');
  counts.samples++;
}

/**
 * The common sample, fast: packed location ids that are dense (id = index + 1) and below
 * 2^28, packed non-negative values below 2^49, exactly k of them, labels of plain varint
 * fields. Writes it and returns its label set; returns -1, having written nothing that
 * counts, for anything else.
 */
function fillSampleFast(
  buf: Uint8Array, pos: number, fill: { ref: number; value: number }, locs: Uint32Array | Uint16Array, values: Float64Array,
  k: number, denseCount: number, labelSets: RawLabelSets,
): number {
  const no = -1;
  if (denseCount < 0) return no;
  const q = labelSets.scratch;
  let nl = 0;
  const n = buf.length;
  let p = pos;
  let len = 0;
  for (let shift = 0; ; shift += 7) {
    if (p >= n || shift > 21) return no;
    const b = buf[p++];
    len |= (b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  const end = p + len;
  if (end > n) return no;
  let ref = fill.ref;
  let nv = 0;
  const v0 = fill.value;
  while (p < end) {
    const tag = buf[p++];
    if (tag !== 0x0a && tag !== 0x12 && tag !== 0x1a) return no; // packed location_id (1), value (2), label (3)
    let flen = 0;
    for (let shift = 0; ; shift += 7) {
      if (p >= end || shift > 21) return no;
      const b = buf[p++];
      flen |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    const e = p + flen;
    if (e > end) return no;
    if (tag === 0x1a) {
      if (nl === MAX_SCRATCH_LABELS) return no;
      const at = 4 * nl++;
      q[at] = 0; q[at + 1] = 0; q[at + 2] = 0; q[at + 3] = 0;
      while (p < e) {
        const ft = buf[p++];
        const f = ft >>> 3;
        if ((ft & 7) !== 0 || f < 1 || f > 4) return no; // Label's fields are varints 1..4
        let v = 0;
        for (let mul = 1; ; mul *= 128) {
          if (p >= e || mul > 2 ** 42) return no;
          const b = buf[p++];
          v += (b & 0x7f) * mul;
          if (b < 0x80) break;
        }
        q[at + f - 1] = v;
      }
    } else if (tag === 0x0a) {
      while (p < e) {
        let id = buf[p++];
        if (id >= 0x80) { // most ids fit one or two bytes
          id &= 0x7f;
          for (let shift = 7; ; shift += 7) {
            if (p >= e || shift > 21) return no;
            const b = buf[p++];
            id |= (b & 0x7f) << shift;
            if (b < 0x80) break;
          }
        }
        if (id < 1 || id > denseCount || ref >= locs.length) return no;
        locs[ref++] = id - 1;
      }
    } else {
      while (p < e) {
        let v = 0;
        for (let mul = 1; ; mul *= 128) {
          if (p >= e || mul > 2 ** 42) return no;
          const b = buf[p++];
          v += (b & 0x7f) * mul;
          if (b < 0x80) break;
        }
        if (nv >= k) return no;
        values[v0 + nv++] = v;
      }
    }
  }
  if (nv !== k) return no;
  fill.ref = ref;
  fill.value = v0 + k;
  return nl === 0 ? 0 : labelSets.intern(nl);
}

/** Pass 2: writes one sample's location indices and values into the columns; returns its labels. */
function fillSample(
  r: Reader, fill: { sample: number; ref: number; value: number }, locs: Uint32Array | Uint16Array, values: Float64Array, k: number,
  indexOf: (id: Id) => number | undefined,
): RawLabel[] | undefined {
  const end = readLengthEnd(r, 'Sample');
  let labels: RawLabel[] | undefined;
  const firstValue = fill.value;
  const pushId = (id: Id) => {
    const li = indexOf(id);
    if (li === undefined) throw new FormatError(`sample ${fill.sample} refers to location ${id}, which is not in the profile`, undefined, 'the profile is corrupt');
    locs[fill.ref++] = li;
  };
  const pushValue = (v: number) => {
    if (fill.value - firstValue >= k) throw new FormatError(`sample ${fill.sample} has more values than the ${k} sample types`, r.pos, 'the profile is corrupt');
    values[fill.value++] = v;
  };
  while (r.pos < end) {
    const tag = readTag(r);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: readRepeated(r, wt, readUint64, pushId, 'Sample.location_id'); break;
      case 2: readRepeated(r, wt, readInt64, pushValue, 'Sample.value'); break;
      case 3: (labels ??= []).push(readLabel(r)); break;
      default: skip(r, wt);
    }
  }
  if (fill.value - firstValue !== k) {
    throw new FormatError(`sample ${fill.sample} has ${fill.value - firstValue} values but the profile has ${k} sample types`, undefined, 'the profile is corrupt');
  }
  return labels;
}

function readLabel(r: Reader): RawLabel {
  const end = readLengthEnd(r, 'Label');
  const l: RawLabel = { key: 0, str: 0, num: 0, numUnit: 0 };
  while (r.pos < end) {
    const tag = readTag(r);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: l.key = readIntField(r, wt, 'Label.key'); break;
      case 2: l.str = readIntField(r, wt, 'Label.str'); break;
      case 3: l.num = readIntField(r, wt, 'Label.num'); break;
      case 4: l.numUnit = readIntField(r, wt, 'Label.num_unit'); break;
      default: skip(r, wt);
    }
  }
  checkEnd(r, end, 'Label');
  return l;
}

export function readMapping(r: Reader): RawMapping {
  const end = readLengthEnd(r, 'Mapping');
  const m: RawMapping = {
    id: 0, start: 0n, limit: 0n, offset: 0n, file: 0, buildId: 0,
    hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false,
  };
  while (r.pos < end) {
    const tag = readTag(r);
    const wt = tag & 7;
    const f = tag >>> 3;
    if (f >= 1 && f <= 10) expectWire(r, wt, WireType.Varint, `Mapping field ${f}`);
    switch (f) {
      case 1: m.id = readUint64(r); break;
      case 2: m.start = toBig(readUint64(r)); break;
      case 3: m.limit = toBig(readUint64(r)); break;
      case 4: m.offset = toBig(readUint64(r)); break;
      case 5: m.file = readInt64(r); break;
      case 6: m.buildId = readInt64(r); break;
      case 7: m.hasFunctions = readBool(r); break;
      case 8: m.hasFilenames = readBool(r); break;
      case 9: m.hasLineNumbers = readBool(r); break;
      case 10: m.hasInlineFrames = readBool(r); break;
      default: skip(r, wt);
    }
  }
  checkEnd(r, end, 'Mapping');
  return m;
}

export function readLocation(r: Reader): RawLocation {
  const end = readLengthEnd(r, 'Location');
  const l: RawLocation = { id: 0, mappingId: 0, address: 0n, lines: [], isFolded: false };
  while (r.pos < end) {
    const tag = readTag(r);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: expectWire(r, wt, WireType.Varint, 'Location.id'); l.id = readUint64(r); break;
      case 2: expectWire(r, wt, WireType.Varint, 'Location.mapping_id'); l.mappingId = readUint64(r); break;
      case 3: expectWire(r, wt, WireType.Varint, 'Location.address'); l.address = toBig(readUint64(r)); break;
      case 4: expectWire(r, wt, WireType.Bytes, 'Location.line'); l.lines.push(readLine(r)); break;
      case 5: expectWire(r, wt, WireType.Varint, 'Location.is_folded'); l.isFolded = readBool(r); break;
      default: skip(r, wt);
    }
  }
  checkEnd(r, end, 'Location');
  return l;
}

function readLine(r: Reader): RawLine {
  const end = readLengthEnd(r, 'Line');
  const ln: RawLine = { fnId: 0, line: 0, column: 0 };
  while (r.pos < end) {
    const tag = readTag(r);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: expectWire(r, wt, WireType.Varint, 'Line.function_id'); ln.fnId = readUint64(r); break;
      case 2: ln.line = readIntField(r, wt, 'Line.line'); break;
      case 3: ln.column = readIntField(r, wt, 'Line.column'); break;
      default: skip(r, wt);
    }
  }
  checkEnd(r, end, 'Line');
  return ln;
}

export function readFunction(r: Reader): RawFunction {
  const end = readLengthEnd(r, 'Function');
  const f: RawFunction = { id: 0, name: 0, systemName: 0, filename: 0, startLine: 0 };
  while (r.pos < end) {
    const tag = readTag(r);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1: expectWire(r, wt, WireType.Varint, 'Function.id'); f.id = readUint64(r); break;
      case 2: f.name = readIntField(r, wt, 'Function.name'); break;
      case 3: f.systemName = readIntField(r, wt, 'Function.system_name'); break;
      case 4: f.filename = readIntField(r, wt, 'Function.filename'); break;
      case 5: f.startLine = readIntField(r, wt, 'Function.start_line'); break;
      default: skip(r, wt);
    }
  }
  checkEnd(r, end, 'Function');
  return f;
}

function checkEnd(r: Reader, end: number, what: string): void {
  if (r.pos !== end) throw new FormatError(`${what} overruns its length`, r.pos, 'the profile is corrupt');
}
