// The distinct label sets of a profile's samples, interned by their raw integer fields (string
// table indices and numbers) as they are read: a memory profile labels every sample with its
// object size, and a string key per sample cost more than the sample itself.

export interface RawLabel { key: number; str: number; num: number; numUnit: number }

/** At most this many labels per sample take the scratch path; more go through internLabels. */
export const MAX_SCRATCH_LABELS = 16;

export class RawLabelSets {
  /** sets[0] is the empty set; ids are in order of first appearance. */
  readonly sets: RawLabel[][] = [[]];
  /** Four numbers per label: key, str, num, numUnit. */
  readonly scratch = new Float64Array(4 * MAX_SCRATCH_LABELS);
  private readonly byHash = new Map<number, number[]>();

  /** The id of the set held in scratch[0 .. 4n), in order. */
  intern(n: number): number {
    const q = this.scratch;
    let h = n;
    for (let i = 0; i < 4 * n; i++) {
      const v = q[i];
      h = Math.imul(h ^ (v | 0) ^ Math.imul((v / 4294967296) | 0, 0x27d4eb2d), 0x9e3779b1);
      h ^= h >>> 15;
    }
    let ids = this.byHash.get(h);
    if (ids) {
      for (const id of ids) if (this.equal(this.sets[id], n)) return id;
    } else {
      ids = [];
      this.byHash.set(h, ids);
    }
    const set: RawLabel[] = [];
    for (let i = 0; i < n; i++) set.push({ key: q[4 * i], str: q[4 * i + 1], num: q[4 * i + 2], numUnit: q[4 * i + 3] });
    const id = this.sets.length;
    this.sets.push(set);
    ids.push(id);
    return id;
  }

  /** The id of a set read by the general decoder; a set longer than the scratch is compared whole. */
  internLabels(labels: RawLabel[]): number {
    if (labels.length > MAX_SCRATCH_LABELS) {
      const i = this.sets.findIndex((s) => s.length === labels.length && s.every((l, j) => same(l, labels[j])));
      if (i >= 0) return i;
      this.sets.push(labels);
      return this.sets.length - 1;
    }
    labels.forEach((l, i) => { this.scratch.set([l.key, l.str, l.num, l.numUnit], 4 * i); });
    return this.intern(labels.length);
  }

  private equal(set: RawLabel[], n: number): boolean {
    if (set.length !== n) return false;
    const q = this.scratch;
    for (let i = 0; i < n; i++) {
      const l = set[i];
      if (l.key !== q[4 * i] || l.str !== q[4 * i + 1] || l.num !== q[4 * i + 2] || l.numUnit !== q[4 * i + 3]) return false;
    }
    return true;
  }
}

function same(a: RawLabel, b: RawLabel): boolean {
  return a.key === b.key && a.str === b.str && a.num === b.num && a.numUnit === b.numUnit;
}
