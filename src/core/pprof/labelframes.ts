// pprof's -tagroot / -tagleaf (driver's addLabelNodes): every sample gets one pseudo-frame per
// listed label key, at the root (first key outermost) or at the leaf (last key innermost). A
// pseudo-frame is a function named by the sample's values of that key joined by "," (numeric
// values scaled as pprof's ScaledLabel), whose file is the key; a sample without the key gets a
// nameless one, which pprof prints as "<unknown>". pprof adds them before any filter, so focus,
// ignore, hide and show see them too.
import type { Label, Location, Profile, ProfileFunction } from './model';
import { scaledLabel } from './units';

const cache = new WeakMap<Profile, Map<string, Profile>>();

/** The profile with label pseudo-frames added; the same profile when no key is given. */
export function withLabelFrames(p: Profile, rootKeys: readonly string[], leafKeys: readonly string[], unit = 'minimum'): Profile {
  const roots = rootKeys.filter((k) => k !== '');
  const leaves = leafKeys.filter((k) => k !== '');
  if (roots.length === 0 && leaves.length === 0) return p;
  const ck = JSON.stringify([roots, leaves, unit]);
  let byKeys = cache.get(p);
  if (!byKeys) { byKeys = new Map(); cache.set(p, byKeys); }
  let out = byKeys.get(ck);
  if (!out) { out = build(p, roots, leaves, unit); byKeys.set(ck, out); }
  return out;
}

/** pprof's formatLabelValues: the string values of a key, then its numeric ones scaled to `unit`. */
export function labelValues(labels: readonly Label[], key: string, unit: string): string[] {
  const strs: string[] = [];
  const nums: Label[] = [];
  for (const l of labels) {
    if (l.key !== key) continue;
    if (l.str !== undefined) strs.push(l.str);
    else if (l.num !== undefined) nums.push(l);
  }
  // A key whose numbers carry units in the file scales them; without units pprof prints them plain.
  const withUnits = nums.some((l) => l.numUnit);
  for (const l of nums) strs.push(withUnits ? scaledLabel(l.num!, l.numUnit ?? '', unit) : scaledLabel(l.num!, '', ''));
  return strs;
}

function build(p: Profile, roots: string[], leaves: string[], unit: string): Profile {
  const functions: ProfileFunction[] = p.functions.slice();
  const locations: Location[] = p.locations.slice();
  let nextFn = maxId(p.functions) + 1n;
  let nextLoc = maxId(p.locations) + 1n;
  const interned = new Map<string, number>();
  const locOf = (name: string, key: string): number => {
    const k = `${name}\u0000${key}`;
    let li = interned.get(k);
    if (li === undefined) {
      const fn = functions.length;
      functions.push({ id: nextFn++, name, systemName: '', filename: key, startLine: 0 });
      li = locations.length;
      locations.push({ id: nextLoc++, mapping: -1, address: 0n, lines: [{ fn, line: 0, column: 0 }], isFolded: false });
      interned.set(k, li);
    }
    return li;
  };
  // Per label set: the pseudo-locations, leaf first as samples hold them.
  const framesOf = (labels: Label[], keys: string[]): number[] =>
    keys.slice().reverse().map((k) => locOf(labelValues(labels, k, unit).join(','), k));
  const leafLocs = p.labelSets.map((ls) => framesOf(ls, leaves));
  const rootLocs = p.labelSets.map((ls) => framesOf(ls, roots));

  const s = p.samples;
  const extra = roots.length + leaves.length;
  const offsets = new Uint32Array(s.count + 1);
  const locs = new Uint32Array(s.locs.length + s.count * extra);
  let o = 0;
  for (let i = 0; i < s.count; i++) {
    offsets[i] = o;
    const ls = s.labelSet[i];
    for (const li of leafLocs[ls]) locs[o++] = li;
    for (let j = s.offsets[i]; j < s.offsets[i + 1]; j++) locs[o++] = s.locs[j];
    for (const li of rootLocs[ls]) locs[o++] = li;
  }
  offsets[s.count] = o;
  // New columns, not a spread of s: a streamed profile's packed bytes (which readers prefer) lack the label frames.
  return { ...p, functions, locations, samples: { count: s.count, offsets, locs, values: s.values, labelSet: s.labelSet } };
}

function maxId(xs: readonly { id: number | bigint }[]): bigint {
  let m = 0n;
  for (const x of xs) { const id = BigInt(x.id); if (id > m) m = id; }
  return m;
}
