// Questions the analyses and views ask of the model: the spans of one goroutine or proc in a
// time window, a counter over time, and per-pixel summaries of a lane so a timeline can draw
// any zoom level from a fixed amount of data.
import { GoState } from '../trace/events';
import type { Counter, SpanTable } from './spans';

/**
 * Spans grouped by a column — the resource id by default; `p` or `m` on the goroutine spans
 * gives what ran on each proc or thread — each group sorted by start.
 */
export class SpanIndex {
  private readonly byId = new Map<number, Uint32Array>();

  constructor(readonly table: SpanTable, column: 'id' | 'p' | 'm' = 'id', include: (span: number) => boolean = () => true) {
    // Two passes over the columns with one map lookup per span (ids as small integers, which
    // maps hash fast): give each id a dense group number and count, then place each span in
    // its group's slice of one array. Spans are appended as they close, so a group is almost
    // always in start order already; sort only the groups that are not.
    const n = table.count;
    const group = new Int32Array(n);
    const dense = new Map<number, number>();
    const ids: number[] = [];
    let counts = new Uint32Array(64);
    for (let i = 0; i < n; i++) {
      if (!include(i)) { group[i] = -1; continue; }
      const raw = column === 'id' ? table.id(i) : column === 'p' ? table.p(i) : table.m(i);
      const key = raw === (raw | 0) ? raw | 0 : raw;
      let gi = dense.get(key);
      if (gi === undefined) {
        gi = ids.push(raw) - 1;
        dense.set(key, gi);
        if (gi === counts.length) { const c = new Uint32Array(counts.length * 2); c.set(counts); counts = c; }
      }
      group[i] = gi;
      counts[gi]++;
    }
    const offsets = new Uint32Array(ids.length + 1);
    for (let g = 0; g < ids.length; g++) offsets[g + 1] = offsets[g] + counts[g];
    const all = new Uint32Array(offsets[ids.length]);
    const fill = offsets.slice(0, ids.length);
    for (let i = 0; i < n; i++) { const g = group[i]; if (g >= 0) all[fill[g]++] = i; }
    for (let g = 0; g < ids.length; g++) {
      let idx: Uint32Array = all.subarray(offsets[g], offsets[g + 1]);
      let sorted = true;
      for (let j = 1; j < idx.length && sorted; j++) if (table.start(idx[j]) < table.start(idx[j - 1])) sorted = false;
      if (!sorted) idx = sortNearlySorted(idx, (i) => table.start(i));
      this.byId.set(ids[g], idx);
    }
  }

  ids(): number[] {
    return [...this.byId.keys()].sort((a, b) => a - b);
  }

  /** How many spans of one resource overlap [t0, t1), without listing them (a tile decides spans or summary by it). */
  count(id: number, t0 = -Infinity, t1 = Infinity): number {
    const idx = this.byId.get(id);
    if (!idx) return 0;
    const [lo, hi] = this.bounds(idx, t0, t1);
    return Math.max(0, hi - lo);
  }

  /** Calls f with each span of one resource overlapping [t0, t1), in start order (no list made). */
  each(id: number, t0: number, t1: number, f: (span: number) => void): void {
    const idx = this.byId.get(id);
    if (!idx) return;
    const [lo, hi] = this.bounds(idx, t0, t1);
    for (let j = lo; j < hi; j++) f(idx[j]);
  }

  /** [first span ending after t0, first span starting at or after t1) in a group: its spans do not overlap, so both ends are sorted. */
  private bounds(idx: Uint32Array, t0: number, t1: number): [number, number] {
    const t = this.table;
    let lo = 0, hi = idx.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (t.end(idx[mid]) <= t0) lo = mid + 1; else hi = mid; }
    let a = lo, b = idx.length;
    while (a < b) { const mid = (a + b) >>> 1; if (t.start(idx[mid]) < t1) a = mid + 1; else b = mid; }
    return [lo, a];
  }

  /** Span indices of one resource overlapping [t0, t1), in start order. */
  spans(id: number, t0 = -Infinity, t1 = Infinity): number[] {
    const idx = this.byId.get(id);
    if (!idx) return [];
    const t = this.table;
    // Spans of one resource (or running on one proc or thread) do not overlap, so ends are
    // sorted too: binary search the first end > t0.
    let lo = 0, hi = idx.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (t.end(idx[mid]) <= t0) lo = mid + 1; else hi = mid; }
    const out: number[] = [];
    for (let j = lo; j < idx.length && t.start(idx[j]) < t1; j++) out.push(idx[j]);
    return out;
  }
}

/**
 * Span indices in start order when almost all already are (a proc's spans close in order
 * except the long syscalls that close late): the in-order run is kept, the few others are
 * sorted apart and merged back in. O(n + k log k) for k displaced spans.
 */
function sortNearlySorted(idx: Uint32Array, start: (i: number) => number): Uint32Array {
  const main: number[] = [], extra: number[] = [];
  let max = -Infinity;
  for (const i of idx) {
    const s = start(i);
    if (s >= max) { main.push(i); max = s; } else extra.push(i);
  }
  extra.sort((a, b) => start(a) - start(b));
  const out = new Uint32Array(idx.length);
  let a = 0, b = 0, o = 0;
  while (a < main.length && b < extra.length) out[o++] = start(extra[b]) < start(main[a]) ? extra[b++] : main[a++];
  while (a < main.length) out[o++] = main[a++];
  while (b < extra.length) out[o++] = extra[b++];
  return out;
}

/** A counter sampled at `buckets` evenly spaced times over [t0, t1]: the value in force at each. */
export function sampleCounter(c: Counter, t0: number, t1: number, buckets: number): Float64Array {
  const out = new Float64Array(buckets);
  const step = buckets > 1 ? (t1 - t0) / (buckets - 1) : 0;
  let j = 0;
  let v = NaN;
  for (let b = 0; b < buckets; b++) {
    const t = t0 + b * step;
    while (j < c.count && c.time[j] <= t) v = c.value[j++];
    out[b] = v;
  }
  return out;
}

export interface PixelSummary {
  /** Per pixel: the fraction of it covered by spans that `include` accepts (0..1). */
  busy: Float64Array;
  /** Per pixel: key(span) of the span covering most of it (NaN if none). */
  dominant: Float64Array;
}

/**
 * Summarizes one lane over [t0, t1) in `pixels` columns: how busy each pixel is and which
 * span dominates it. Cost is O(spans in the window + pixels), whatever the zoom.
 */
export function pixelSummary(
  index: SpanIndex, id: number, t0: number, t1: number, pixels: number,
  include: (span: number) => boolean, key: (span: number) => number,
): PixelSummary {
  const busy = new Float64Array(pixels);
  const dominant = new Float64Array(pixels).fill(NaN);
  const best = new Float64Array(pixels);
  const width = (t1 - t0) / pixels;
  const t = index.table;
  index.each(id, t0, t1, (s) => {
    if (!include(s)) return;
    const a = Math.max(t.start(s), t0), b = Math.min(t.end(s), t1);
    const first = Math.floor((a - t0) / width), last = Math.min(pixels - 1, Math.floor((b - t0) / width));
    for (let px = first; px <= last; px++) {
      const pa = t0 + px * width, pb = pa + width;
      const cover = Math.max(0, Math.min(b, pb) - Math.max(a, pa));
      busy[px] += cover / width;
      if (cover > best[px]) { best[px] = cover; dominant[px] = key(s); }
    }
  });
  for (let px = 0; px < pixels; px++) if (busy[px] > 1) busy[px] = 1;
  return { busy, dominant };
}

/**
 * How many goroutines are in each state at `buckets` evenly spaced times over [t0, t1]
 * (rows indexed by GoState: Runnable, Running, Waiting, Syscall), from the goroutine spans:
 * a span counts at time t when start <= t < end.
 */
export function goroutinesByState(gSpans: SpanTable, t0: number, t1: number, buckets: number): Float64Array[] {
  const step = buckets > 1 ? (t1 - t0) / (buckets - 1) : 1;
  const rows = Array.from({ length: GoState.Syscall + 1 }, () => new Float64Array(buckets + 1));
  const first = (t: number) => Math.max(0, Math.ceil((t - t0) / step));
  for (let i = 0; i < gSpans.count; i++) {
    const st = gSpans.state(i);
    if (st < GoState.Runnable) continue;
    const a = first(gSpans.start(i)), b = Math.min(buckets, first(gSpans.end(i)));
    if (a >= b) continue;
    rows[st][a] += 1;
    rows[st][b] -= 1;
  }
  for (const r of rows) for (let j = 1; j <= buckets; j++) r[j] += r[j - 1];
  return rows.map((r) => r.subarray(0, buckets));
}
