// pprof's -tags: per label key, the kept samples' values summed by label value (a sample with
// two values of a key counts for both). Numeric values are scaled to the key's unit (the file's,
// else "bytes" for alignment/request, else the key itself), as pprof's NumLabelUnits infers it.
import type { Profile } from './model';
import { labelsOf, type StackSet } from './stacks';
import { scaledLabel } from './units';
import { compareGo } from './utf8';

export interface LabelValueRow {
  value: string;
  /** Sum of the values of the kept samples with this label value. */
  total: number;
  /** How many kept samples carry it. */
  samples: number;
}

export interface LabelKeyTable {
  key: string;
  /** Sum over its rows (pprof's "Total X"). */
  total: number;
  /** Sum of the values of kept samples without this key (pprof does not print it). */
  missing: number;
  rows: LabelValueRow[];
}

export interface LabelTables {
  /** The profile's total before filters (pprof's "of N"). */
  total: number;
  /** Keys by name, as pprof orders them. */
  keys: LabelKeyTable[];
}

export function labelTables(set: StackSet, unit = 'minimum', only?: string): LabelTables {
  const units = numLabelUnits(set.profile);
  const byKey = new Map<string, Map<string, LabelValueRow>>();
  const seenIn = new Map<string, number>();
  const missingOf = new Map<string, number>();
  let kept = 0;
  for (let x = 0; x < set.count; x++) {
    const v = set.values[x];
    kept += v;
    for (const l of labelsOf(set, x)) {
      if (only !== undefined && l.key !== only) continue;
      const value = l.str !== undefined ? l.str : scaledLabel(l.num!, units.get(l.key) ?? l.key, unit);
      let m = byKey.get(l.key);
      if (!m) { m = new Map(); byKey.set(l.key, m); }
      let r = m.get(value);
      if (!r) { r = { value, total: 0, samples: 0 }; m.set(value, r); }
      r.total += v;
      r.samples++;
      // The sample's value counts once towards "has this key", however many values it has.
      if (seenIn.get(l.key) !== x) { seenIn.set(l.key, x); missingOf.set(l.key, (missingOf.get(l.key) ?? 0) + v); }
    }
  }
  const keys: LabelKeyTable[] = [...byKey.keys()].sort((a, b) => compareGo(a, b)).map((key) => {
    const rows = [...byKey.get(key)!.values()].sort((a, b) =>
      Math.abs(b.total) - Math.abs(a.total) || compareGo(a.value, b.value));
    return { key, total: rows.reduce((s, r) => s + r.total, 0), missing: kept - (missingOf.get(key) ?? 0), rows };
  });
  return { total: set.total, keys };
}

/** pprof's NumLabelUnits: the first unit the file gives a numeric key, else an inferred one. */
function numLabelUnits(p: Profile): Map<string, string> {
  const units = new Map<string, string>();
  const numeric = new Set<string>();
  for (const set of p.labelSets) {
    for (const l of set) {
      if (l.num === undefined) continue;
      numeric.add(l.key);
      if (l.numUnit && !units.has(l.key)) units.set(l.key, l.numUnit);
    }
  }
  for (const k of numeric) if (!units.has(k)) units.set(k, k === 'alignment' || k === 'request' ? 'bytes' : k);
  return units;
}
