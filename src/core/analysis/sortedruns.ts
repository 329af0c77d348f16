// Values kept sorted as they arrive, in runs: each batch sorted on its own, then merged with the
// last runs only while they are not at least twice its size (as a log-structured merge does), so
// a value is merged O(log n) times in all and there are O(log n) runs. Each run knows its sum,
// so the stats of the whole are read off the runs (selection for the ranks) without walking
// the values: a report made again and again as a trace is read costs what was added since.
import { merge2 } from './sorttimes';

/** A sorted array of values and what the stats of a union need of it without walking it. */
export interface SortedPart {
  readonly values: Float64Array;
  /** The values' sum in their order (exact when `integers` and `abs` ≤ 2^53). */
  readonly sum: number;
  /** The sum of their magnitudes. */
  readonly abs: number;
  /** Every value is an integer and none is -0 (so sums in any order are exact while abs ≤ 2^53, and `<` orders them). */
  readonly integers: boolean;
  /** No NaN and no -0: `<` alone orders the values as the native sort does. */
  readonly plain: boolean;
}

/** The part of an array sorted as Float64Array.prototype.sort sorts (NaN last): one walk over it. */
export function sortedPart(values: Float64Array): SortedPart {
  const n = values.length;
  // Fractions are summed by magnitude (never cancelling; NaN for NaN or an infinity).
  let sum = 0, abs = 0, frac = 0, negZero = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    sum += v;
    abs += Math.abs(v);
    frac += Math.abs(v - Math.trunc(v));
    if (v === 0 && 1 / v < 0) negZero = true;
  }
  const plain = !negZero && !(n > 0 && Number.isNaN(values[n - 1]));
  return { values, sum, abs, integers: plain && frac === 0, plain };
}

/** Two parts merged into one (their sums added: exact when both are integers and the magnitudes stay within 2^53). */
function mergeParts(a: SortedPart, b: SortedPart): SortedPart {
  return { values: merge2(a.values, b.values, a.plain && b.plain), sum: a.sum + b.sum, abs: a.abs + b.abs, integers: a.integers && b.integers, plain: a.plain && b.plain };
}

export class SortedRuns {
  private readonly parts: SortedPart[] = [];
  /** Values added so far. */
  count = 0;

  /** Adds a batch of values sorted ascending as Float64Array.prototype.sort sorts (kept: do not change it). */
  add(sorted: Float64Array): void {
    if (sorted.length === 0) return;
    const p = this.parts;
    p.push(sortedPart(sorted));
    this.count += sorted.length;
    // Each run at least twice the next: merge the last two while it is not.
    while (p.length >= 2 && p[p.length - 2].values.length < 2 * p[p.length - 1].values.length) {
      const b = p.pop()!, a = p.pop()!;
      p.push(mergeParts(a, b));
    }
  }

  /** The runs, largest first (not to be changed). */
  get runs(): readonly SortedPart[] { return this.parts; }
}
