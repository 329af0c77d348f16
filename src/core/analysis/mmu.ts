// Minimum mutator utilization: for a window size w, the worst mean fraction of CPU left to
// user goroutines over any window [x, x+w] of the run. The utilization is a step function,
// so the windowed mean is piecewise linear in x and its minimum sits where an edge of the
// window meets a step; checking those positions gives the exact value in O(steps) per window.

import { F64Column } from '../runtime/columns';

/** A step function over [start, end]: value[i] holds from time[i] until time[i+1] (the last until end). */
export interface StepFunction {
  count: number;
  time: Float64Array;
  value: Float64Array;
  end: number;
}

export interface MmuPoint {
  windowNs: number;
  utilization: number;
}

/**
 * Appends steps in time order; a step at the time of the previous one replaces it. The
 * steps grow in blocks (a GC use function has one per change of the busy procs: millions),
 * and finish() gives them in arrays of their exact size.
 */
export class StepBuilder {
  private readonly times = new F64Column();
  private readonly values = new F64Column();

  /** The last step's value (read at every push: a GC use function is pushed once per event). */
  private lastValue = NaN;

  get count(): number { return this.times.count; }

  push(t: number, v: number): void {
    const n = this.times.count;
    if (n > 0) {
      if (this.lastValue === v) return;
      this.lastValue = v;
      if (this.times.get(n - 1) === t) {
        this.values.set(n - 1, v);
        // Merging may make it equal to the one before: drop it then.
        if (n > 1 && this.values.get(n - 2) === v) { this.times.pop(); this.values.pop(); }
        return;
      }
    }
    this.lastValue = v;
    this.times.push(t);
    this.values.push(v);
  }

  finish(end: number): StepFunction {
    const time = this.times.values(), value = this.values.values();
    return { count: time.length, time, value, end };
  }
}

/** Running integral of a step function, for times visited in non-decreasing order. */
class Integrator {
  private pos = 0;
  constructor(private readonly f: StepFunction, private readonly sums: Float64Array) {}

  /** ∫ f from f.time[0] to t. */
  at(t: number): number {
    const f = this.f;
    while (this.pos + 1 < f.count && f.time[this.pos + 1] <= t) this.pos++;
    return this.sums[this.pos] + f.value[this.pos] * (t - f.time[this.pos]);
  }
}

function prefixSums(f: StepFunction): Float64Array {
  const sums = new Float64Array(Math.max(1, f.count));
  for (let i = 1; i < f.count; i++) sums[i] = sums[i - 1] + f.value[i - 1] * (f.time[i] - f.time[i - 1]);
  return sums;
}

/** The mean of f over its whole domain (NaN if the domain is empty). */
export function meanOf(f: StepFunction): number {
  if (f.count === 0 || f.end <= f.time[0]) return NaN;
  return new Integrator(f, prefixSums(f)).at(f.end) / (f.end - f.time[0]);
}

/**
 * The minimum mean of f over windows of each size (raw MMU; a window longer than the domain
 * is the whole domain). Exact: the windowed mean is piecewise linear in the window's
 * position, so only positions where the window's left or right edge meets a step count.
 */
export function minimumWindowMeans(f: StepFunction, windows: number[]): number[] {
  if (f.count === 0) return windows.map(() => NaN);
  const sums = prefixSums(f);
  const start = f.time[0], dur = f.end - start;
  return windows.map((w0) => {
    if (!(dur > 0)) return f.value[0];
    const w = Math.min(w0, dur);
    if (w <= 0) return NaN;
    const last = f.end - w;
    const left = new Integrator(f, sums), right = new Integrator(f, sums);
    let min = Infinity;
    const visit = (x: number) => {
      const mean = (right.at(x + w) - left.at(x)) / w;
      if (mean < min) min = mean;
    };
    // Candidate positions, merged in increasing order: step times (left edge on a step)
    // and step times − w (right edge on a step), clamped to [start, last].
    let i = 0, j = 0;
    visit(start);
    while (i < f.count || j < f.count) {
      const a = i < f.count ? f.time[i] : Infinity;
      const b = j < f.count ? f.time[j] - w : Infinity;
      let x: number;
      if (a <= b) { x = a; i++; } else { x = b; j++; }
      if (x <= start) continue;
      if (x >= last) break;
      visit(x);
      if (min <= 0) break;
    }
    visit(last);
    return Math.min(1, Math.max(0, min));
  });
}

/**
 * The MMU curve: for each window size, the worst mean utilization over any window at least
 * that long among the sizes given (the "bounded" MMU), so the curve never decreases.
 */
export function mmuCurve(f: StepFunction, windows: number[]): MmuPoint[] {
  const raw = minimumWindowMeans(f, windows);
  const out: MmuPoint[] = windows.map((w, k) => ({ windowNs: w, utilization: raw[k] }));
  for (let k = out.length - 2; k >= 0; k--) {
    if (out[k + 1].utilization < out[k].utilization) out[k].utilization = out[k + 1].utilization;
  }
  return out;
}

/** Window sizes from minNs up to maxNs, perDecade per factor of ten (rounded to whole ns), maxNs last. */
export function logWindows(minNs: number, maxNs: number, perDecade = 5): number[] {
  if (!(maxNs > 0)) return [];
  if (maxNs <= minNs) return [Math.round(maxNs)];
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const w = Math.round(minNs * 10 ** (k / perDecade));
    if (w >= maxNs * 0.999) break;
    if (out.length === 0 || w > out[out.length - 1]) out.push(w);
  }
  out.push(Math.round(maxNs));
  return out;
}
