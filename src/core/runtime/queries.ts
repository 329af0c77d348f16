// Questions the analyses and views ask of the model: the spans of one goroutine or proc in a
// time window, a counter over time, and per-pixel summaries of a lane so a timeline can draw
// any zoom level from a fixed amount of data.
import { GoState, NONE } from '../trace/events';
import { LONG_SPAN, type Counter, type SpanTable } from './spans';

/**
 * One resource's spans in start order: the first n of idx; `last` is the last one's start. A
 * plain array (exactly n long) while it is small, a typed array that doubles past SMALL: a
 * typed array costs an ArrayBuffer each, ~2 us to make with 100K+ alive, and a server's trace
 * has hundreds of thousands of goroutines of a few spans each (one typed array each, doubled
 * and trimmed, was most of the time its first goroutine lane took).
 */
interface Group { idx: Uint32Array | number[]; n: number; last: number }

/** Spans a group holds in a plain array before it moves to a typed one. */
const SMALL = 64;

/** Ids below this find their group through an array, not a map (the runtime hands out small ids). */
const DENSE = 1 << 16;
const DENSE_IDS = 1 << 20;

/**
 * Spans grouped by a column — the resource id by default; `p` or `m` on the goroutine spans
 * gives what ran on each proc or thread — each group sorted by start. It indexes the spans
 * the table holds when made and, on extend(), those pushed since: a trace read
 * progressively shares one index between its snapshots instead of building it again.
 */
export class SpanIndex {
  /** Groups by id: small non-negative integer ids (goroutines, procs) in an array, others in a map (no map of every goroutine besides). */
  private readonly byId = new Map<number, Group>();
  private readonly dense: (Group | undefined)[] = [];
  /** Ids below this go in the array: goroutine ids run to hundreds of thousands in a server's trace (as ById's); procs' and threads' stay lower. */
  private readonly denseMax: number;
  /** Spans indexed so far: [0, indexed). */
  private indexed = 0;

  constructor(readonly table: SpanTable, private readonly column: 'id' | 'p' | 'm' = 'id',
    private readonly include: (span: number) => boolean = () => true, upTo = table.count) {
    this.denseMax = column === 'id' ? DENSE_IDS : DENSE;
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
    let g = raw >= 0 && raw < this.denseMax && raw === (raw | 0) ? this.dense[raw] : this.byId.get(raw);
    if (g === undefined) {
      g = { idx: [], n: 0, last: -Infinity };
      if (!(raw >= 0 && raw < this.denseMax && raw === (raw | 0))) this.byId.set(raw, g);
      else {
        // Filled up to it, never with holes: an array written far past its end (a thread id is the
        // OS's, 20000 or so) turns into a dictionary, and every span's lookup into a hash lookup.
        const d = this.dense;
        while (d.length < raw) d.push(undefined);
        d[raw] = g;
      }
    }
    if (g.n === g.idx.length) {
      if (!Array.isArray(g.idx)) { const a = new Uint32Array(g.n * 2); a.set(g.idx); g.idx = a; }
      else if (g.n >= SMALL) { const a = new Uint32Array(g.n * 2); a.set(g.idx); g.idx = a; }
      else g.idx.push(0);
    }
    if (!(s < g.last)) { g.idx[g.n++] = i; g.last = s; return; }
    let lo = 0, hi = g.n;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (table.start(g.idx[mid]) <= s) lo = mid + 1; else hi = mid; }
    g.idx.copyWithin(lo + 1, lo, g.n);
    g.idx[lo] = i;
    g.n++;
  }

  private group(id: number): Group | undefined {
    return id >= 0 && id < this.denseMax && id === (id | 0) ? this.dense[id] : this.byId.get(id);
  }

  /** A walk that put() every span it includes below n has reached n. */
  walked(n: number): void {
    if (n > this.indexed) this.indexed = n;
  }

  /** Gives back what the groups' growth left unused (once no more spans come). */
  trim(): void {
    for (const g of [...this.dense, ...this.byId.values()]) if (g && g.idx.length > g.n) g.idx = g.idx.slice(0, g.n);
    // (A plain array is n long already.)
  }

  ids(): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.dense.length; id++) if (this.dense[id]) out.push(id);
    for (const id of this.byId.keys()) out.push(id);
    return out.sort((a, b) => a - b);
  }

  /** How many spans of one resource overlap [t0, t1), without listing them (a tile decides spans or summary by it). */
  count(id: number, t0 = -Infinity, t1 = Infinity): number {
    const g = this.group(id);
    if (!g) return 0;
    const [lo, hi] = this.bounds(g, t0, t1);
    return Math.max(0, hi - lo);
  }

  /** Calls f with each span of one resource overlapping [t0, t1), in start order (no list made). */
  each(id: number, t0: number, t1: number, f: (span: number) => void): void {
    const g = this.group(id);
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
    const g = this.group(id);
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
    // A chunk's columns at a time (SpanTable.columnsAt).
    for (let i = from; i < n;) {
      const cols = t.columnsAt(i), states = cols.state, ps = cols.p, ms = cols.m, base = cols.endBase, ends = cols.ends, lengths = cols.lengths;
      for (let j = i - cols.from, last = Math.min(n - cols.from, cols.n); j < last; j++, i++) {
        const st = states[j];
        if (st !== GoState.Running && st !== GoState.Syscall) continue;
        const p = ps[j], m = ms[j];
        if (p === NONE && m === NONE) continue;
        const len = lengths[j], s = len === LONG_SPAN ? t.start(i) : base + ends[j] - len;
        if (p !== NONE) byP.put(i, p, s);
        if (m !== NONE) byM.put(i, m, s);
      }
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
 * A span table's spans in blocks of 2^shift (1024) in table order, each with its least start and greatest
 * end (NaN if any is NaN), extended as the table grows: a question about a short window skips the
 * blocks wholly before or after it. Spans are pushed as they close, so a block's ends are close
 * together and a window meets few blocks (a long span widens only its own block).
 */
export class SpanBlocks {
  private minStart = new Float64Array(64);
  private maxEnd = new Float64Array(64);
  /** Spans covered so far: [0, covered). */
  private covered = 0;

  constructor(readonly table: SpanTable, private readonly shift = 10) {}

  /** Covers the spans up to n (the last block, partly filled before, is completed). */
  extend(n = this.table.count): void {
    const t = this.table, shift = this.shift, size = 1 << shift;
    if (n <= this.covered) return;
    const blocks = ((n - 1) >>> shift) + 1;
    if (blocks > this.minStart.length) {
      const len = Math.max(blocks, 2 * this.minStart.length);
      const a = new Float64Array(len), b = new Float64Array(len);
      a.set(this.minStart); b.set(this.maxEnd);
      this.minStart = a; this.maxEnd = b;
    }
    // A chunk's columns at a time (SpanTable.columnsAt); a block begun before goes on from what it holds.
    for (let i = this.covered; i < n;) {
      const cols = t.columnsAt(i), base = cols.endBase, ends = cols.ends, lengths = cols.lengths;
      const stop = Math.min(n, cols.from + cols.n);
      while (i < stop) {
        const k = i >>> shift, to = Math.min(stop, (k + 1) << shift);
        // Math.min and Math.max keep a NaN: such a block is never skipped.
        let lo = (i & (size - 1)) === 0 ? Infinity : this.minStart[k], hi = (i & (size - 1)) === 0 ? -Infinity : this.maxEnd[k];
        for (let j = i - cols.from; i < to; i++, j++) {
          const e = base + ends[j], len = lengths[j];
          lo = Math.min(lo, len === LONG_SPAN ? t.start(i) : e - len);
          hi = Math.max(hi, e);
        }
        this.minStart[k] = lo;
        this.maxEnd[k] = hi;
      }
    }
    this.covered = n;
  }

  /** Blocks covered so far. */
  get blocks(): number { return (this.covered + (1 << this.shift) - 1) >>> this.shift; }
  /** Block k's spans: [k << shift, min(covered, (k + 1) << shift)). */
  from(k: number): number { return k << this.shift; }
  to(k: number): number { return Math.min(this.covered, (k + 1) << this.shift); }
  leastStart(k: number): number { return this.minStart[k]; }
  greatestEnd(k: number): number { return this.maxEnd[k]; }
}

/**
 * How many goroutines are in each state at `buckets` evenly spaced times over [t0, t1]
 * (rows indexed by GoState: Runnable, Running, Waiting, Syscall), from the goroutine spans:
 * a span counts at time t when start <= t < end. With `blocks` (of these spans), the blocks
 * none of whose spans reach a bucket are not walked: the same counts, for a short window
 * without a walk over every span. Only the first `spans` spans are counted (a snapshot of a
 * growing model counts those it indexed, not those added since).
 */
export function goroutinesByState(gSpans: SpanTable, t0: number, t1: number, buckets: number, blocks?: SpanBlocks, spans = gSpans.count): Float64Array[] {
  const step = buckets > 1 ? (t1 - t0) / (buckets - 1) : 1;
  const rows = Array.from({ length: GoState.Syscall + 1 }, () => new Float64Array(buckets + 1));
  const first = (t: number) => Math.max(0, Math.ceil((t - t0) / step));
  // A chunk's columns at a time (SpanTable.columnsAt): the whole-trace overview walks every span.
  const count = (from: number, to: number) => {
    for (let i = from; i < to;) {
      const cols = gSpans.columnsAt(i), states = cols.state, base = cols.endBase, ends = cols.ends, lengths = cols.lengths;
      for (let j = i - cols.from, last = Math.min(to - cols.from, cols.n); j < last; j++, i++) {
        const st = states[j];
        if (st < GoState.Runnable) continue;
        const e = base + ends[j], len = lengths[j];
        // first() written out (the same arithmetic): this runs for every span of the whole-trace overview.
        const a = Math.max(0, Math.ceil(((len === LONG_SPAN ? gSpans.start(i) : e - len) - t0) / step));
        const b = Math.min(buckets, Math.max(0, Math.ceil((e - t0) / step)));
        if (a >= b) continue;
        rows[st][a] += 1;
        rows[st][b] -= 1;
      }
    }
  };
  const n = Math.min(spans, gSpans.count);
  if (blocks?.table === gSpans && step > 0 && Number.isFinite(step)) {
    blocks.extend(n);
    // first() never decreases as t grows: a block whose greatest end is at bucket 0 or before, or
    // whose least start is at bucket `buckets` or past, has no span with a < b (NaN: walked).
    // Blocks covering spans past n (added since) bound those spans too: looser, never skipping one of the first n.
    for (let k = 0, nb = blocks.blocks; k < nb && blocks.from(k) < n; k++) {
      if (first(blocks.greatestEnd(k)) <= 0 || first(blocks.leastStart(k)) >= buckets) continue;
      count(blocks.from(k), Math.min(n, blocks.to(k)));
    }
  } else count(0, n);
  for (const r of rows) for (let j = 1; j <= buckets; j++) r[j] += r[j - 1];
  return rows.map((r) => r.subarray(0, buckets));
}
