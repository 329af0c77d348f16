// What a timeline draws, for any window and zoom, from the replayed model: one tile per lane
// holding either the spans themselves (zoomed in) or a per-pixel summary (zoomed out), so
// the amount of data sent and drawn depends on the pixels, never on the trace's size.
import { NONE } from '../trace/events';
import type { GoroutineInfo, RuntimeModel } from './model';
import { NewEntries } from './newentries';
import { goroutinesByState, LaneIndex, pixelSummary, sampleCounter, SpanBlocks, SpanIndex } from './queries';
import type { SpanTable } from './spans';

/** A lane: what ran on a proc or thread, one goroutine's states, or a runtime-wide activity. */
export type LaneKind = 'proc' | 'thread' | 'goroutine' | 'gc' | 'stw' | 'assist' | 'sweep' | 'task' | 'region';
export interface LaneRef { kind: LaneKind; id: number }
/** How proc and thread lanes colour a goroutine: by its id or by the function it started in. */
export type ColorBy = 'goroutine' | 'function';

/** Span tables behind each lane kind, for details requests (a span index is per table). */
export type SpanSource = 'g' | 'gc' | 'stw' | 'assist' | 'sweep' | 'task' | 'region';

export interface SpanTile {
  mode: 'spans';
  source: SpanSource;
  start: Float64Array;
  end: Float64Array;
  /** Colour key: a goroutine id, a function (string id) or a state; NaN for none. */
  key: Float64Array;
  /** GoState for goroutine spans, 0 otherwise. */
  state: Uint8Array;
  /** The span's index in its table (details). */
  ref: Float64Array;
  /** Labels for spans that carry names (regions, tasks, STW kinds): index into `names`. */
  name: Int32Array;
  names: string[];
}

export interface SummaryTile {
  mode: 'summary';
  /** Per pixel: the share of it covered (0..1; for overlapping lanes, concurrency / max). */
  busy: Float32Array;
  /** Per pixel: colour key of the span covering most of it (NaN: none). */
  key: Float64Array;
  /** Per pixel: the state of that span. */
  state: Uint8Array;
}

export type LaneTile = SpanTile | SummaryTile;

export interface CounterTile {
  /** Heap in use and heap goal, bytes, sampled at each pixel. */
  heap: Float64Array;
  goal: Float64Array;
  /** Goroutines Runnable, Running, Waiting and in Syscall at each pixel. */
  runnable: Float64Array;
  running: Float64Array;
  waiting: Float64Array;
  syscall: Float64Array;
  /** CPU profile samples per pixel. */
  cpu: Float64Array;
}

/** Points in the whole-trace overview of goroutines by state. */
const OVERVIEW = 1 << 16;

/** Intervals that may overlap (assists, sweeps, tasks, regions), found by window in log time. */
class Intervals {
  private readonly order: Uint32Array;
  private readonly starts: Float64Array;
  private readonly maxLen: number;

  constructor(count: number, readonly start: (i: number) => number, readonly end: (i: number) => number) {
    const idx = Array.from({ length: count }, (_, i) => i).sort((a, b) => start(a) - start(b));
    this.order = Uint32Array.from(idx);
    this.starts = Float64Array.from(idx, (i) => start(i));
    let max = 0;
    for (let i = 0; i < count; i++) max = Math.max(max, end(i) - start(i));
    this.maxLen = max;
  }

  /** Indices of intervals overlapping [t0, t1). */
  within(t0: number, t1: number): number[] {
    let lo = 0, hi = this.starts.length;
    const from = t0 - this.maxLen;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (this.starts[mid] < from) lo = mid + 1; else hi = mid; }
    const out: number[] = [];
    for (let j = lo; j < this.starts.length && this.starts[j] < t1; j++) {
      const i = this.order[j];
      if (this.end(i) > t0 || this.start(i) === this.end(i) && this.start(i) >= t0) out.push(i);
    }
    return out;
  }
}

/** A span table's rows as intervals. */
function tableIntervals(t: SpanTable): Intervals {
  return new Intervals(t.count, (i) => t.start(i), (i) => t.end(i));
}

/**
 * Each goroutine's start function (its start stack's outermost frame) as a string id in
 * `functions`, in the order the model met the goroutines: extended with the goroutines met since
 * (a goroutine's start stack is set when it is first met) rather than made again for every
 * snapshot of a trace being read (a server's trace has hundreds of thousands of goroutines).
 */
class StartFunctions {
  readonly byG = new Map<number, number>();
  readonly functions: string[] = [];
  private readonly ids = new Map<string, number>();
  /** A stack's function id, found once per stack. */
  private readonly byStack = new Map<number, number>();
  /** The goroutines of the model met since the last snapshot (not a walk of the whole map to skip the ones taken). */
  private readonly met = new NewEntries<number, GoroutineInfo>();

  /** The model's map of goroutines taken from (another map: taken again from its start). */
  private of: RuntimeModel['goroutines'] | undefined;

  extend(model: RuntimeModel): void {
    if (this.of !== model.goroutines) { this.of = model.goroutines; this.byG.clear(); this.functions.length = 0; this.ids.clear(); this.byStack.clear(); }
    this.met.take(model.goroutines, (info) => {
      let id = this.byStack.get(info.startStack);
      if (id === undefined) {
        const frames = model.stacks.get(info.startStack);
        const fn = frames.length ? frames[frames.length - 1].fn : '';
        id = this.ids.get(fn);
        if (id === undefined) { id = this.functions.push(fn) - 1; this.ids.set(fn, id); }
        this.byStack.set(info.startStack, id);
      }
      this.byG.set(info.id, id);
    });
  }
}

/**
 * The goroutine spans indexed by proc, thread and goroutine: made once per model and shared
 * by the timelines of its snapshots (a trace read progressively), each extending them with
 * the spans closed since the last (the table only grows) instead of indexing every span again.
 */
class LaneIndexes {
  readonly byP: SpanIndex;
  readonly byM: SpanIndex;
  readonly onCpu: LaneIndex;
  private g: SpanIndex | undefined;
  /** Not spans, but likewise made once per model and extended by each snapshot. */
  readonly startFns = new StartFunctions();

  constructor(readonly spans: SpanTable, upTo: number) {
    this.onCpu = new LaneIndex(spans, upTo);
    this.byP = this.onCpu.byP;
    this.byM = this.onCpu.byM;
  }

  /** The spans in blocks (a short window's goroutine counts). */
  private spanBlocks: SpanBlocks | undefined;
  get blocks(): SpanBlocks { return (this.spanBlocks ??= new SpanBlocks(this.spans)); }

  /** Set once the model is complete: the indexes give back what their growth left unused. */
  complete = false;

  /** By goroutine, up to span n: made on first use (goroutine lanes, details, the scheduling findings), not before the first paint. */
  byG(n: number): SpanIndex {
    if (this.g) { this.g.extend(n); return this.g; }
    this.g = new SpanIndex(this.spans, 'id', () => true, n);
    if (this.complete) this.g.trim();
    return this.g;
  }

  /** The model is complete: no more spans come. */
  finish(): void {
    this.complete = true;
    this.byP.trim();
    this.byM.trim();
    this.g?.trim();
  }
}

/** The model indexed for timelines: built once after the replay (or per snapshot of a growing model, sharing the last one's indexes). */
export class Timeline {
  readonly byP: SpanIndex;
  readonly byM: SpanIndex;
  /** By goroutine: made on first use (goroutine lanes, details, the scheduling findings), not before the first paint. */
  get byG(): SpanIndex { return this.lanes.byG(this.spanCount); }
  private readonly lanes: LaneIndexes;
  /** The goroutine spans this timeline shows: those closed when it was made. */
  private readonly spanCount: number;
  private readonly gc: Intervals;
  private readonly stw: Intervals;
  private readonly assists: Intervals;
  private readonly sweeps: Intervals;
  private readonly tasks: Intervals;
  private readonly regions: Intervals;
  /**
   * Tasks and regions as drawn: one that began before the trace starts at 0, one still open
   * at its end ends there. A task or region span's index is its index here.
   */
  readonly taskSpans: { start: number; end: number; name: string; id: number }[];
  readonly regionSpans: { start: number; end: number; name: string; g: number; stack: number }[];
  private readonly cpuTimes: Float64Array;
  /** Each goroutine's start function (string id in `functions`). */
  private readonly startFn: Map<number, number>;
  readonly functions: string[];

  /**
   * `previous`: an earlier timeline of the same growing model, whose indexes this one extends
   * (it then sees the new spans too: only the newest snapshot is asked anything). `growing`:
   * the model is a snapshot of one still being read.
   */
  constructor(readonly model: RuntimeModel, previous?: Timeline, growing = false) {
    this.spanCount = model.gSpans.count;
    this.lanes = previous && previous.model.gSpans === model.gSpans ? previous.lanes : new LaneIndexes(model.gSpans, 0);
    this.byP = this.lanes.byP;
    this.byM = this.lanes.byM;
    this.lanes.onCpu.extend(this.spanCount);
    // Kept up with the spans as they come (a chunk's columns at a time): a zoomed counters tile then walks only the blocks it meets.
    this.lanes.blocks.extend(this.spanCount);
    if (!growing) this.lanes.finish();
    this.gc = tableIntervals(model.gcCycles);
    this.stw = tableIntervals(model.stw);
    this.assists = tableIntervals(model.assists);
    this.sweeps = tableIntervals(model.sweeps);
    const start = (t: number) => (Number.isFinite(t) ? t : 0), end = (t: number) => (Number.isFinite(t) ? t : model.end);
    this.taskSpans = [...model.tasks.values()].map((t) => ({ start: start(t.start), end: end(t.end), name: t.name, id: t.id }));
    this.regionSpans = model.regions.map((r) => ({ start: start(r.start), end: end(r.end), name: r.name, g: r.g, stack: r.stack }));
    const ts = this.taskSpans, rs = this.regionSpans;
    this.tasks = new Intervals(ts.length, (i) => ts[i].start, (i) => ts[i].end);
    this.regions = new Intervals(rs.length, (i) => rs[i].start, (i) => rs[i].end);
    this.cpuTimes = Float64Array.from(model.cpuSamples.time).sort();
    const fns = this.lanes.startFns;
    fns.extend(model);
    this.startFn = fns.byG;
    this.functions = fns.functions;
  }

  /** The procs and threads that ran goroutines, sorted. */
  procs(): number[] { return this.byP.ids().filter((id) => id !== NONE); }
  threads(): number[] { return this.byM.ids().filter((id) => id !== NONE); }

  /** The function a goroutine started in (its start stack's outermost frame), '' if unknown. */
  startFunction(g: number): string {
    const id = this.startFn.get(g);
    return id === undefined ? '' : this.functions[id];
  }

  /**
   * One lane over [t0, t1) at `pixels` columns: the spans when there are at most `pixels` of
   * them, else a per-pixel summary.
   */
  tile(lane: LaneRef, t0: number, t1: number, pixels: number, colorBy: ColorBy = 'goroutine'): LaneTile {
    const m = this.model;
    const g = m.gSpans;
    switch (lane.kind) {
      case 'proc': case 'thread': {
        const index = lane.kind === 'proc' ? this.byP : this.byM;
        const key = colorBy === 'function' ? (i: number) => this.startFn.get(g.id(i)) ?? NaN : (i: number) => g.id(i);
        return this.indexed(index, lane.id, t0, t1, pixels, key);
      }
      case 'goroutine':
        return this.indexed(this.byG, lane.id, t0, t1, pixels, (i) => g.state(i));
      case 'gc': return this.overlapping('gc', m.gcCycles, this.gc, t0, t1, pixels, () => 0, () => 'GC mark');
      case 'stw': return this.overlapping('stw', m.stw, this.stw, t0, t1, pixels, () => 1, (i) => m.strings.get(m.stw.state(i)));
      case 'assist': return this.overlapping('assist', m.assists, this.assists, t0, t1, pixels, (i) => m.assists.id(i), () => 'mark assist');
      case 'sweep': return this.overlapping('sweep', m.sweeps, this.sweeps, t0, t1, pixels, (i) => m.sweeps.id(i), () => 'sweep');
      case 'task': {
        const l = this.taskSpans;
        return this.listed('task', this.tasks, t0, t1, pixels, (i) => l[i].start, (i) => l[i].end, (i) => l[i].id, (i) => l[i].name);
      }
      case 'region': {
        const l = this.regionSpans;
        return this.listed('region', this.regions, t0, t1, pixels, (i) => l[i].start, (i) => l[i].end, (i) => l[i].g, (i) => l[i].name);
      }
    }
  }

  /** Goroutines by state over the whole trace at OVERVIEW points, made on first use. */
  private overview: Float64Array[] | undefined;

  /**
   * Goroutines in each state at `pixels` points over [t0, t1]: read off the whole-trace
   * overview when its points are at least as dense as the pixels, else counted from the spans.
   */
  private byState(t0: number, t1: number, pixels: number): Float64Array[] {
    const end = Math.max(1, this.model.end);
    const step = end / (OVERVIEW - 1);
    // The spans this timeline indexed: the model's table goes on growing after a snapshot is made.
    if ((t1 - t0) / Math.max(1, pixels - 1) < step) return goroutinesByState(this.model.gSpans, t0, t1, pixels, this.lanes.blocks, this.spanCount);
    this.overview ??= goroutinesByState(this.model.gSpans, 0, end, OVERVIEW, undefined, this.spanCount);
    const pstep = pixels > 1 ? (t1 - t0) / (pixels - 1) : 0;
    return this.overview.map((row) => {
      const out = new Float64Array(pixels);
      for (let px = 0; px < pixels; px++) {
        const k = Math.round((t0 + px * pstep) / step);
        out[px] = k >= 0 && k < OVERVIEW ? row[k] : 0;
      }
      return out;
    });
  }

  /** Counters over [t0, t1] at `pixels` columns. */
  counters(t0: number, t1: number, pixels: number): CounterTile {
    const [, , runnable, running, waiting, syscall] = this.byState(t0, t1, pixels);
    const cpu = new Float64Array(pixels);
    const width = (t1 - t0) / pixels;
    let lo = 0, hi = this.cpuTimes.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (this.cpuTimes[mid] < t0) lo = mid + 1; else hi = mid; }
    for (let j = lo; j < this.cpuTimes.length && this.cpuTimes[j] < t1; j++) cpu[Math.min(pixels - 1, Math.floor((this.cpuTimes[j] - t0) / width))]++;
    return {
      heap: sampleCounter(this.model.heapInUse, t0, t1, pixels), goal: sampleCounter(this.model.heapGoal, t0, t1, pixels),
      runnable, running, waiting, syscall, cpu,
    };
  }

  private indexed(index: SpanIndex, id: number, t0: number, t1: number, pixels: number, key: (i: number) => number): LaneTile {
    const g = this.model.gSpans;
    if (index.count(id, t0, t1) <= pixels) {
      const spans = index.spans(id, t0, t1);
      const n = spans.length;
      const tile: SpanTile = {
        mode: 'spans', source: 'g', start: new Float64Array(n), end: new Float64Array(n), key: new Float64Array(n),
        state: new Uint8Array(n), ref: new Float64Array(n), name: new Int32Array(n).fill(-1), names: [],
      };
      spans.forEach((s, j) => {
        tile.start[j] = g.start(s); tile.end[j] = g.end(s); tile.key[j] = key(s); tile.state[j] = g.state(s); tile.ref[j] = s;
      });
      return tile;
    }
    // Zoomed out: per pixel, the dominant span's key and state packed together.
    const sum = pixelSummary(index, id, t0, t1, pixels, () => true, (s) => key(s) * 8 + g.state(s));
    const keys = new Float64Array(pixels), state = new Uint8Array(pixels);
    for (let px = 0; px < pixels; px++) {
      const d = sum.dominant[px];
      if (Number.isNaN(d)) { keys[px] = NaN; continue; }
      state[px] = ((d % 8) + 8) % 8;
      keys[px] = (d - state[px]) / 8;
    }
    return { mode: 'summary', busy: Float32Array.from(sum.busy), key: keys, state };
  }

  private overlapping(source: SpanSource, t: SpanTable, iv: Intervals, t0: number, t1: number, pixels: number,
    key: (i: number) => number, name: (i: number) => string): LaneTile {
    return this.listed(source, iv, t0, t1, pixels, (i) => t.start(i), (i) => t.end(i), key, name);
  }

  private listed(source: SpanSource, iv: Intervals, t0: number, t1: number, pixels: number,
    start: (i: number) => number, end: (i: number) => number, key: (i: number) => number, name: (i: number) => string): LaneTile {
    const hits = iv.within(t0, t1);
    if (hits.length <= pixels) {
      const n = hits.length;
      const names: string[] = [], nameIds = new Map<string, number>();
      const tile: SpanTile = {
        mode: 'spans', source, start: new Float64Array(n), end: new Float64Array(n), key: new Float64Array(n),
        state: new Uint8Array(n), ref: new Float64Array(n), name: new Int32Array(n), names,
      };
      hits.forEach((s, j) => {
        tile.start[j] = start(s); tile.end[j] = end(s); tile.key[j] = key(s); tile.ref[j] = s;
        const nm = name(s);
        let id = nameIds.get(nm);
        if (id === undefined) { id = names.push(nm) - 1; nameIds.set(nm, id); }
        tile.name[j] = id;
      });
      return tile;
    }
    // Overlapping intervals: busy is the mean concurrency over the pixel, scaled to the most seen.
    const busy = new Float32Array(pixels), keys = new Float64Array(pixels).fill(NaN), best = new Float64Array(pixels);
    const width = (t1 - t0) / pixels;
    for (const s of hits) {
      const a = Math.max(start(s), t0), b = Math.min(end(s), t1);
      const first = Math.max(0, Math.floor((a - t0) / width)), last = Math.min(pixels - 1, Math.floor((b - t0) / width));
      for (let px = first; px <= last; px++) {
        const pa = t0 + px * width;
        const cover = Math.max(0, Math.min(b, pa + width) - Math.max(a, pa));
        busy[px] += cover / width;
        if (cover > best[px]) { best[px] = cover; keys[px] = key(s); }
      }
    }
    let max = 0;
    for (let px = 0; px < pixels; px++) max = Math.max(max, busy[px]);
    if (max > 1) for (let px = 0; px < pixels; px++) busy[px] /= max;
    return { mode: 'summary', busy, key: keys, state: new Uint8Array(pixels) };
  }
}
