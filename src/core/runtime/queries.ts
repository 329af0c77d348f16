// Questions the analyses and views ask of the model: the spans of one goroutine or proc in a
// time window, a counter over time, and per-pixel summaries of a lane so a timeline can draw
// any zoom level from a fixed amount of data.
import { GoState, NONE } from '../trace/events';
import type { Counter, SpanTable } from './spans';

/** One resource's spans in start order: the first n of idx; `last` is the last one's start. */
interface Group { idx: Uint32Array; n: number; last: number }

/** Ids below this find their group through an array, not a map (the runtime hands out small ids). */
const DENSE = 1 << 16;

/**
 * Spans grouped by a column — the resource id by default; `p` or `m` on the goroutine spans
 * gives what ran on each proc or thread — each group sorted by start. It indexes the spans
 * the table holds when made and, on extend(), those pushed since: a trace read
 * progressively shares one index between its snapshots instead of building it again.
 */
export class SpanIndex {
  private readonly byId = new Map<number, Group>();
  private readonly dense: (Group | undefined)[] = [];
  /** Spans indexed so far: [0, indexed). */
  private indexed = 0;

  constructor(readonly table: SpanTable, private readonly column: 'id' | 'p' | 'm' = 'id',
    private readonly include: (span: number) => boolean = () => true, upTo = table.count) {
    this.extend(upTo);
  }

  /**
   * Indexes the spans up to n. Spans are appended as they close, so a group is almost always
   * in start order already: a span that starts before its group's last goes in after the
   * last one starting at or before it (the order a stable sort by start gives).
   */
  extend(n = this.table.count): void {
    const table = this.table, column = this.column, include = this.include;
    for (let i = this.indexed; i < n; i++) {
      if (!include(i)) continue;
      this.put(i, column === 'id' ? table.id(i) : column === 'p' ? table.p(i) : table.m(i), table.start(i));
    }
    if (n > this.indexed) this.indexed = n;
  }

  /** Spans indexed so far: [0, indexedTo). */
  get indexedTo(): number { return this.indexed; }

  /**
   * Puts span i (starting at s) in resource raw's group, in start order: extend's step, for a
   * walk that feeds several indexes of one table (it then says how far it went by `walked`).
   */
  put(i: number, raw: number, s: number): void {
    const table = this.table;
    let g = raw >= 0 && raw < DENSE && raw === (raw | 0) ? this.dense[raw] : this.byId.get(raw);
    if (g === undefined) {
      g = { idx: new Uint32Array(8), n: 0, last: -Infinity };
      this.byId.set(raw, g);
      if (raw >= 0 && raw < DENSE && raw === (raw | 0)) this.dense[raw] = g;
    }
    if (g.n === g.idx.length) { const a = new Uint32Array(g.n * 2); a.set(g.idx); g.idx = a; }
    if (!(s < g.last)) { g.idx[g.n++] = i; g.last = s; return; }
    let lo = 0, hi = g.n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (table.start(g.idx[mid]) <= s) lo = mid + 1; else hi = mid; }
    g.idx.copyWithin(lo + 1, lo, g.n);
    g.idx[lo] = i;
    g.n++;
  }

  /** A walk that put() every span it includes below n has reached n. */
  walked(n: number): void {
    if (n > this.indexed) this.indexed = n;
  }

  /** Gives back what the groups' growth left unused (once no more spans come). */
  trim(): void {
    for (const g of this.byId.values()) if (g.idx.length > g.n) g.idx = g.idx.slice(0, g.n);
  }

  ids(): number[] {
    return [...this.byId.keys()].sort((a, b) => a - b);
  }

  /** How many spans of one resource overlap [t0, t1), without listing them (a tile decides spans or summary by it). */
  count(id: number, t0 = -Infinity, t1 = Infinity): number {
    const g = this.byId.get(id);
    if (!g) return 0;
    const [lo, hi] = this.bounds(g, t0, t1);
    return Math.max(0, hi - lo);
  }

  /** Calls f with each span of one resource overlapping [t0, t1), in start order (no list made). */
  each(id: number, t0: number, t1: number, f: (span: number) => void): void {
    const g = this.byId.get(id);
    if (!g) return;
    const [lo, hi] = this.bounds(g, t0, t1);
    const idx = g.idx;
    for (let j = lo; j < hi; j++) f(idx[j]);
  }

  /** [first span ending after t0, first span starting at or after t1) in a group: its spans do not overlap, so both ends are sorted. */
  private bounds(g: Group, t0: number, t1: number): [number, number] {
    const t = this.table, idx = g.idx;
    let lo = 0, hi = g.n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (t.end(idx[mid]) <= t0) lo = mid + 1; else hi = mid; }
    let a = lo, b = g.n;
    while (a < b) { const mid = (a + b) >>> 1; if (t.start(idx[mid]) < t1) a = mid + 1; else b = mid; }
    return [lo, a];
  }

  /** Span indices of one resource overlapping [t0, t1), in start order. */
  spans(id: number, t0 = -Infinity, t1 = Infinity): number[] {
    const g = this.byId.get(id);
    if (!g) return [];
    const t = this.table, idx = g.idx;
    // Spans of one resource (or running on one proc or thread) do not overlap, so ends are
    // sorted too: binary search the first end > t0.
    let lo = 0, hi = g.n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (t.end(idx[mid]) <= t0) lo = mid + 1; else hi = mid; }
    const out: number[] = [];
    for (let j = lo; j < g.n && t.start(idx[j]) < t1; j++) out.push(idx[j]);
    return out;
  }
}

/** Whether a goroutine span is on a CPU (Running or in a Syscall): what proc and thread lanes show. */
export function onCpu(state: number): boolean {
  return state === GoState.Running || state === GoState.Syscall;
}

/**
 * The goroutine spans on a CPU by proc (byP) and by thread (byM), extended together: one walk
 * reads each span's state and start once for both (two walks read them twice), with the rule
 * in place of a call per span. Each index is the one `new SpanIndex(table, 'p' | 'm', on a CPU
 * with a proc | thread)` makes.
 */
export class LaneIndex {
  readonly byP: SpanIndex;
  readonly byM: SpanIndex;

  constructor(readonly table: SpanTable, upTo = table.count) {
    const t = table;
    this.byP = new SpanIndex(t, 'p', (i) => t.p(i) !== NONE && onCpu(t.state(i)), 0);
    this.byM = new SpanIndex(t, 'm', (i) => t.m(i) !== NONE && onCpu(t.state(i)), 0);
    this.extend(upTo);
  }

  /** Indexes the spans up to n in both. */
  extend(n = this.table.count): void {
    const t = this.table, byP = this.byP, byM = this.byM, from = byP.indexedTo;
    // Extended apart (through either index alone), they walk apart.
    if (byM.indexedTo !== from) { byP.extend(n); byM.extend(n); return; }
    for (let i = from; i < n; i++) {
      const st = t.state(i);
      if (st !== GoState.Running && st !== GoState.Syscall) continue;
      const p = t.p(i), m = t.m(i);
      if (p === NONE && m === NONE) continue;
      const s = t.start(i);
      if (p !== NONE) byP.put(i, p, s);
      if (m !== NONE) byM.put(i, m, s);
    }
    byP.walked(n);
    byM.walked(n);
  }
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
