// Time all Ps were busy while goroutines waited to run, and time a P was idle while they did:
// one sweep over the starts and ends of the Running and Runnable spans in time order. A trace
// still being read is swept as its spans close, up to a time no span still to close starts
// before, so the report at its end sweeps only the last few (and none of it twice).


/** Sorted times of the Running and Runnable spans' starts and ends. */
export interface SpanTimes { starts: Float64Array; ends: Float64Array }

/** Where a sweep is: the goroutines runnable and running after the last time swept, and the sums so far. */
interface SweepState { runnable: number; running: number; prev: number; saturatedNs: number; idleWithRunnableNs: number }

const fresh = (): SweepState => ({ runnable: 0, running: 0, prev: 0, saturatedNs: 0, idleWithRunnableNs: 0 });

/**
 * Sweeps the four sorted streams from pos on — runnable ends, running ends, running starts,
 * runnable starts: ends first at equal times (the order among equal times changes no sum: an
 * interval is added only when time moves on) — each time before `limit` (all of them when none
 * is given), moving pos along. Unrolled: it runs once per span start and end of a whole trace.
 */
function sweep(s: SweepState, streams: Float64Array[], pos: number[], procsAt: (t: number) => number, limit?: number): void {
  let { runnable, running, prev, saturatedNs, idleWithRunnableNs } = s;
  const [a0, a1, a2, a3] = streams, n0 = a0.length, n1 = a1.length, n2 = a2.length, n3 = a3.length;
  let [p0, p1, p2, p3] = pos;
  const bounded = limit !== undefined;
  for (;;) {
    // The first stream whose next time is least (as a strict < picks it).
    let best = -1, t = 0;
    if (p0 < n0) { best = 0; t = a0[p0]; }
    if (p1 < n1 && (best < 0 || a1[p1] < t)) { best = 1; t = a1[p1]; }
    if (p2 < n2 && (best < 0 || a2[p2] < t)) { best = 2; t = a2[p2]; }
    if (p3 < n3 && (best < 0 || a3[p3] < t)) { best = 3; t = a3[p3]; }
    if (best < 0 || (bounded && !(t < limit))) break;
    if (t > prev && runnable > 0) {
      if (running >= procsAt(prev)) saturatedNs += t - prev; else idleWithRunnableNs += t - prev;
    }
    prev = t;
    switch (best) {
      case 0: p0++; runnable--; break;
      case 1: p1++; running--; break;
      case 2: p2++; running++; break;
      default: p3++; runnable++; break;
    }
  }
  pos[0] = p0; pos[1] = p1; pos[2] = p2; pos[3] = p3;
  Object.assign(s, { runnable, running, prev, saturatedNs, idleWithRunnableNs });
}

/** The saturation of a whole set of spans at once. */
export function saturation(run: SpanTimes, rbl: SpanTimes, procsAt: (t: number) => number): { saturatedNs: number; idleWithRunnableNs: number } {
  const s = fresh();
  sweep(s, [rbl.ends, run.ends, run.starts, rbl.starts], [0, 0, 0, 0], procsAt);
  return { saturatedNs: s.saturatedNs, idleWithRunnableNs: s.idleWithRunnableNs };
}

/**
 * Sorts finite times in place, ascending. They come nearly in order (a span's start is
 * behind the ends of those that closed meanwhile; woken goroutines run out of turn), a few
 * places out each: an insertion sort moves each only that far; past a budget, the native sort.
 */
function sortNearly(a: Float64Array, sortedUpTo = 1): Float64Array {
  let budget = 8 * a.length + 64;
  for (let i = Math.max(1, sortedUpTo); i < a.length; i++) {
    const v = a[i];
    let j = i - 1;
    if (!(a[j] > v)) continue;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
    budget -= i - 1 - j;
    if (budget < 0) return a.sort();
  }
  return a;
}

/** Times waiting to be swept: a Float64Array that doubles, sorted in place, swept from the front. */
class Pending {
  private a = new Float64Array(256);
  n = 0;
  /** The first this many are sorted already (the last sort's, less what was dropped since): a sort starts past them. */
  private inOrder = 0;

  push(v: number): void {
    if (this.n === this.a.length) { const b = new Float64Array(this.n * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }

  /** The times, sorted (in place: they close nearly in order; those sorted before are not walked again). */
  sorted(): Float64Array {
    const a = sortNearly(this.a.subarray(0, this.n), this.inOrder);
    this.inOrder = this.n;
    return a;
  }

  /** Drops the first k (swept). */
  drop(k: number): void {
    this.a.copyWithin(0, k, this.n);
    this.n -= k;
    this.inOrder = Math.max(0, this.inOrder - k);
  }
}

/**
 * The same sweep kept up as spans close: add() each Running or Runnable span, advance() to a
 * time no span still to close starts before, totals() for the spans added so far. A span that
 * starts before what was swept already (it would have been swept earlier) or at a time that is
 * not a finite number breaks it: the report then sweeps the whole table instead.
 */
export class SaturationSweep {
  private readonly state = fresh();
  /** Times added but not swept yet, in the streams' order. */
  private pending = [new Pending(), new Pending(), new Pending(), new Pending()];
  broken = false;

  /** A Running (or else Runnable) span [a, b) closed. */
  add(running: boolean, a: number, b: number): void {
    if (this.broken) return;
    if (!(a >= this.state.prev && b >= a && b < Infinity)) { this.broken = true; this.pending = []; return; }
    const p = this.pending;
    if (running) { p[1].push(b); p[2].push(a); } else { p[0].push(b); p[3].push(a); }
  }

  /** Times added and not swept yet. */
  get pendingCount(): number {
    let n = 0;
    for (const p of this.pending) n += p.n;
    return n;
  }

  /** Sweeps every time added before h. */
  advance(h: number, procsAt: (t: number) => number): void {
    if (this.broken) return;
    const pos = [0, 0, 0, 0];
    sweep(this.state, this.pending.map((p) => p.sorted()), pos, procsAt, h);
    this.pending.forEach((p, k) => p.drop(pos[k]));
  }

  /** The sums over every span added so far (what is pending stays pending). */
  totals(procsAt: (t: number) => number): { saturatedNs: number; idleWithRunnableNs: number } {
    const s = { ...this.state };
    sweep(s, this.pending.map((p) => p.sorted()), [0, 0, 0, 0], procsAt);
    return { saturatedNs: s.saturatedNs, idleWithRunnableNs: s.idleWithRunnableNs };
  }
}
