// A legacy parser's RawProfile as the columnar Profile decodeProfile returns, numbered as
// pprof numbers it: locations in the order the samples first reach them, mappings in order.
import type { Label, Location, Mapping, Profile, ProfileFunction } from '../model';
import { addMappings, assignMappings } from './maps';
import type { RawMapping, RawProfile } from './raw';

/** Keeps only the locations the samples reach, in the order they first reach them. */
export function keepReachedLocations(p: RawProfile): void {
  const seen = new Set<object>();
  const kept = [];
  for (const s of p.samples) {
    for (const l of s.locs) {
      if (seen.has(l)) continue;
      seen.add(l);
      kept.push(l);
    }
  }
  p.locations = kept;
}

/** pprof's last step for a text profile: the memory map found (if any), then numbering. */
export function withMemoryMap(p: RawProfile, found: RawMapping[]): void {
  addMappings(p, found);
  keepReachedLocations(p);
  assignMappings(p);
}

export function toProfile(p: RawProfile): Profile {
  const mappingIndex = new Map<RawMapping, number>();
  const mappings: Mapping[] = p.mappings.map((m, i) => {
    mappingIndex.set(m, i);
    return {
      id: i + 1, start: m.start, limit: m.limit, offset: m.offset, file: m.file, buildId: m.buildId,
      hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false,
    };
  });
  const functions: ProfileFunction[] = [];
  const fnIndex = new Map<string, number>();
  const locIndex = new Map<object, number>();
  const locations: Location[] = p.locations.map((l, i) => {
    locIndex.set(l, i);
    return {
      id: i + 1,
      mapping: l.mapping ? mappingIndex.get(l.mapping) ?? -1 : -1,
      address: l.address,
      isFolded: false,
      lines: l.lines.map((ln) => {
        const key = `${ln.fn}\u0000${ln.file}`;
        let fi = fnIndex.get(key);
        if (fi === undefined) {
          fi = functions.length;
          fnIndex.set(key, fi);
          functions.push({ id: fi + 1, name: ln.fn, systemName: ln.fn, filename: ln.file, startLine: 0 });
        }
        return { fn: fi, line: ln.line, column: 0 };
      }),
    };
  });
  const k = p.sampleTypes.length;
  const count = p.samples.length;
  let refs = 0;
  for (const s of p.samples) refs += s.locs.length;
  const offsets = new Uint32Array(count + 1);
  const locs = locations.length <= 0xffff ? new Uint16Array(refs) : new Uint32Array(refs);
  const values = new Float64Array(count * k);
  const labelSet = new Uint32Array(count);
  const labelSets: Label[][] = [[]];
  const byBytes = new Map<number, number>();
  let r = 0;
  p.samples.forEach((s, i) => {
    offsets[i] = r;
    for (const l of s.locs) {
      let li = locIndex.get(l);
      // A sample's location outside the kept list (pprof keeps it too): append it.
      if (li === undefined) {
        li = locations.length;
        locIndex.set(l, li);
        locations.push({ id: li + 1, mapping: -1, address: l.address, isFolded: false, lines: [] });
      }
      locs[r++] = li;
    }
    for (let j = 0; j < k; j++) values[i * k + j] = s.values[j] ?? 0;
    if (s.bytes !== undefined) {
      let set = byBytes.get(s.bytes);
      if (set === undefined) {
        set = labelSets.length;
        labelSets.push([{ key: 'bytes', num: s.bytes }]);
        byBytes.set(s.bytes, set);
      }
      labelSet[i] = set;
    }
  });
  offsets[count] = r;
  return {
    sampleTypes: p.sampleTypes,
    defaultSampleType: '',
    samples: { count, offsets, locs, values, labelSet },
    labelSets, mappings, locations, functions,
    dropFrames: p.dropFrames, keepFrames: p.keepFrames,
    timeNanos: 0, durationNanos: p.durationNanos,
    periodType: p.periodType, period: p.period,
    comments: [], docUrl: '',
  };
}
