// Merges profiles of the same kind into one (pprof merges every profile it is given):
// functions and locations are shared by identity, samples concatenated.
import { FormatError } from '../errors';
import type { Location, Profile, ProfileFunction } from './model';
import { checkCompatible } from './diff';

export function merge(profiles: Profile[]): Profile {
  if (profiles.length === 0) throw new FormatError('nothing to merge');
  if (profiles.length === 1) return profiles[0];
  for (const p of profiles.slice(1)) checkCompatible(profiles[0], p);

  const functions: ProfileFunction[] = [];
  const fnIndex = new Map<string, number>();
  const locations: Location[] = [];
  const locIndex = new Map<string, number>();
  const mappings: Profile['mappings'] = [];
  const labelSets = [[]] as Profile['labelSets'];
  const labelIndex = new Map<string, number>([['', 0]]);
  const k = profiles[0].sampleTypes.length;
  let count = 0, nlocs = 0;
  for (const p of profiles) { count += p.samples.count; nlocs += p.samples.locs.length; }
  const offsets = new Uint32Array(count + 1);
  const locs = new Uint32Array(nlocs);
  const values = new Float64Array(count * k);
  const labelSet = new Uint32Array(count);

  let si = 0, o = 0;
  for (const p of profiles) {
    const mapBase = mappings.length;
    // Ids renumbered: two inputs both have mapping 1, and pprof refuses a profile that repeats an id.
    mappings.push(...p.mappings.map((m, i) => ({ ...m, id: mapBase + i + 1 })));
    const fnMap = p.functions.map((f) => {
      const key = `${f.name}\u0000${f.systemName}\u0000${f.filename}\u0000${f.startLine}`;
      let i = fnIndex.get(key);
      if (i === undefined) { i = functions.length; functions.push({ ...f, id: i + 1 }); fnIndex.set(key, i); }
      return i;
    });
    const locMap = p.locations.map((l) => {
      const lines = l.lines.map((ln) => ({ fn: ln.fn >= 0 ? fnMap[ln.fn] : -1, line: ln.line, column: ln.column }));
      const key = `${l.mapping >= 0 ? mapBase + l.mapping : -1}\u0000${l.address}\u0000${lines.map((x) => `${x.fn}:${x.line}:${x.column}`).join(',')}`;
      let i = locIndex.get(key);
      if (i === undefined) {
        i = locations.length;
        locations.push({ id: i + 1, mapping: l.mapping >= 0 ? mapBase + l.mapping : -1, address: l.address, lines, isFolded: l.isFolded });
        locIndex.set(key, i);
      }
      return i;
    });
    const lsMap = p.labelSets.map((ls) => {
      const key = ls.map((l) => `${l.key}\u0000${l.str}\u0000${l.num}\u0000${l.numUnit}`).join('\u0001');
      let i = labelIndex.get(key);
      if (i === undefined) { i = labelSets.length; labelSets.push(ls); labelIndex.set(key, i); }
      return i;
    });
    const s = p.samples;
    for (let i = 0; i < s.count; i++, si++) {
      offsets[si] = o;
      for (let j = s.offsets[i]; j < s.offsets[i + 1]; j++) locs[o++] = locMap[s.locs[j]];
      for (let j = 0; j < k; j++) values[si * k + j] = s.values[i * k + j];
      labelSet[si] = lsMap[s.labelSet[i]];
    }
  }
  offsets[count] = o;
  const first = profiles[0];
  const times = profiles.map((p) => p.timeNanos).filter((t) => t !== 0);
  return {
    ...first,
    samples: { count, offsets, locs, values, labelSet },
    labelSets, mappings, locations, functions,
    timeNanos: times.length ? Math.min(...times) : 0,
    durationNanos: profiles.reduce((a, p) => a + p.durationNanos, 0),
    period: Math.max(...profiles.map((p) => p.period)),
    comments: profiles.flatMap((p) => p.comments),
  };
}
