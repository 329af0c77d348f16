// The traces the timeline has open: decoded and replayed once in this process, in one pass
// that also feeds the contention and GC analyses, then answered tile by tile so the
// extension host and the webview only ever hold what is on screen.
import { fileURLToPath } from 'node:url';
import { TraceContention, type ContentionReport } from '../core/analysis/contention';
import { gcUseCollector } from '../core/analysis/gc';
import type { GcUse, GcUseCollector } from '../core/analysis/gcuse';
import { columnsOf, goroutineCollector, type GoroutineReport } from '../core/analysis/goroutines';
import { spanStartingAt } from '../core/analysis/locate';
import type { SchedScan } from '../core/analysis/schedscan';
import type { LeakScan } from '../core/analysis/leaks';
import type { LongestSpans } from '../core/analysis/locate';
import { shareGoroutineIndex, sliceProfile } from '../core/analysis/timeslices';
import { whatIfInputFrom, type WhatIfInput } from '../core/analysis/whatif';
import { compileGoRegexp } from '../core/pprof/regexp';
import { profileView } from '../core/pprof/view';
import { FormatError } from '../core/errors';
import { openArtifact, type Artifact } from '../core/artifacts/load';
import { fileSource, type FileSource } from '../core/io/file';
import type { RuntimeModel } from '../core/runtime/model';
import { modelCollector, summaryCollector, TracePass } from '../core/runtime/pass';
import type { Replayer } from '../core/runtime/replay';
import type { TraceSummary } from '../core/trace/summary';
import { Timeline, type LaneTile } from '../core/runtime/timeline';
import { memorySource, NONE, type ByteSource, type Frame, type TraceReader } from '../core/trace/events';
import { type Column, counterColumns, fromBase64, tileColumns, toBase64, viewColumns } from '../protocol/columns';
import { openTraceSource, traceBytesOf } from '../core/artifacts/trace';
import type { NewTraceOptions } from '../core/trace/v2/reader';
import type {
  CountersWire, FrameInfo, GoroutineRow, OpenTraceParams, TraceFindingsGrownParams, TraceGrownParams, OpenTraceResult, SpanDetails, TileWire, TraceFinding,
  TraceFindingsParams, TraceFindingsResult, TraceGoroutineGroupsParams, TraceGoroutineGroupsResult, TraceGoroutinesParams, TraceGoroutinesResult, TraceSliceParams, TraceSliceResult, TraceSpanAtParams, TraceSpanParams, TraceSpanResult, TraceTilesParams, TraceTilesResult,
} from '../protocol/trace';
import type { TraceWhatIfParams, TraceWhatIfResult } from '../protocol/whatif';
import { displayName, toError } from './profiles';
import { fullSummary, partialSummary, snapshotTimeline } from './tracegrowth';
import { LiveFindings, traceFindings } from './tracefindings';
import { answerWhatIf } from './whatif';

const GO_STATES = ['undetermined', 'not exist', 'runnable', 'running', 'waiting', 'syscall'];
const MAX_PIXELS = 16384;

interface OpenTrace {
  uri: string;
  name: string;
  timeline: Timeline;
  /** What the findings need from the event stream, until they are computed (scan: the scheduler's walk made while the trace was read). */
  pending?: { contention: ContentionReport; use: GcUse; scan?: SchedScan; leakScan?: LeakScan; longest?: LongestSpans };
  /** The final findings being made (a progressive open makes them as soon as the trace is read). */
  findingsMade?: Promise<TraceFinding[]>;
  /** Per goroutine and start function, the split of time (from the same pass; once fully read). */
  goroutines?: GoroutineReport;
  /**
   * The "What if" model's input: what whatIfCollector keeps, taken from this pass's own replay
   * and GC use (no second replay) when the panel first asks, so the first paint does not wait.
   * Set once the whole file is read (the model needs every GC cycle).
   */
  whatIf?: WhatIfInput | { use: GcUse; version: string };
  /** Settles when the whole file has been read (a progressive open reads it behind the first paint). */
  loaded: Promise<void>;
  /** Why reading the rest of the file failed. */
  failed?: unknown;
}

/** What reading the rest of a progressively opened trace needs. */
interface RestOfTrace {
  id: string;
  pass: { step(): boolean; finish(): { summary: TraceSummary; model: RuntimeModel; contention: ContentionReport; use: GcUse; goroutines: GoroutineReport } };
  events: { n: number };
  frac: () => number;
  t0: number;
  version: string;
  close: () => void;
  /** Findings so far, from the live collectors. */
  live: LiveFindings;
}


/** How often, at most, a progressively read trace's snapshot is made again (ms). */
const GROW_MS = 1000;
/** How often, at most, the findings so far of a trace being read are made again (ms). */
const FINDINGS_MS = 1000;
/**
 * The snapshot and the findings so far are made again only after SPACING times what they took
 * last: each costs in proportion to what has been read, and together they keep within a
 * quarter of the reading time (three times their cost, as it was, made them half of it).
 */
const SPACING = 6;

export interface Cancellation { readonly isCancellationRequested: boolean }

export class CancelledError extends Error {
  constructor() { super('cancelled'); }
}

const frames = (fs: Frame[]): FrameInfo[] => fs.map((f) => ({ fn: f.fn, file: f.file, line: f.line }));

export class TraceStore {
  private readonly open = new Map<string, OpenTrace>();
  private next = 1;

  /** options.chunkSize: bytes the new-format reader asks at once (tests make it small, to read a small trace progressively). */
  constructor(private readonly options: NewTraceOptions = {}) {}

  /**
   * Decodes and replays a trace, yielding to the event loop between generations so that a
   * cancellation (the user closed the tab) is seen and progress is reported. With
   * params.progressive and `grown`, a new-format trace is answered after its first generation
   * while the rest is read behind (each growth told to `grown`); the whole-file path is otherwise the same.
   */
  async openTrace(params: OpenTraceParams, progress: (fraction: number, phase: string) => void, token?: Cancellation,
    grown?: (g: TraceGrownParams) => void, found?: (f: TraceFindingsGrownParams) => void): Promise<OpenTraceResult> {
    const t0 = performance.now();
    const name = displayName(params.uri);
    let src: Artifact | undefined;
    let handedOff = false;
    try {
      let size!: number;
      let reader!: TraceReader;
      let bytesRead!: () => number;
      // In memory (sent by the host, or inflated from gzip), progress is how far the reader has asked for.
      const inMemory = (mem: ByteSource) => {
        let read = 0;
        size = mem.size;
        reader = openTraceSource({ size, read: (o, n) => { const b = mem.read(o, n); read = Math.max(read, o + b.length); return b; } }, this.options);
        bytesRead = () => read;
      };
      if (params.base64 !== undefined) {
        inMemory(traceBytesOf(memorySource(fromBase64(params.base64))));
      } else {
        // Opened once; the head the sniffer reads is not read again.
        let file: FileSource | undefined;
        const a = openArtifact(fileURLToPath(params.uri), { open: (p) => (file = fileSource(p)) });
        src = a;
        const bytes = a.size === 0 ? a.source : traceBytesOf(a.source, a.limits);
        if (bytes !== a.source) inMemory(bytes);
        else { size = a.size; reader = openTraceSource(a.source, this.options); bytesRead = () => file?.bytesRead ?? 0; }
      }
      if (size === 0) throw new FormatError('the file is empty', 0, 'an execution trace starts with "go 1.NN trace"');
      // One pass feeds the replay, the summary counts and what the findings need.
      let live: Replayer | undefined, liveContention: TraceContention | undefined, liveUse: GcUseCollector | undefined;
      const events = { n: 0, add(ev: { count: number }) { this.n += ev.count; }, finish() { return this.n; } };
      const pass = new TracePass(reader, {
        summary: summaryCollector, model: (r) => (live = modelCollector(r) as Replayer),
        contention: (r) => (liveContention = new TraceContention(r.strings, r.stacks)), use: (r) => (liveUse = gcUseCollector()(r) as GcUseCollector),
        goroutines: goroutineCollector, events: () => events,
      });
      const early = grown && params.progressive && reader.format === 'new';
      let lastTick = 0;
      while (pass.step()) {
        // Generational: the first generation is on screen while the rest is read behind.
        if (early && bytesRead() < size) {
          const id = `t${this.next++}`;
          const timeline = snapshotTimeline(live!.model);
          const entry: OpenTrace = { uri: params.uri, name, timeline, loaded: Promise.resolve() };
          this.open.set(id, entry);
          const frac = () => Math.min(0.99, bytesRead() / size);
          const rest = { id, pass, events, frac, t0, version: reader.version, close: () => src?.close(), live: new LiveFindings(live!.model, liveContention!, liveUse!, name) };
          entry.loaded = this.readRest(entry, rest, live!, grown, found);
          handedOff = true;
          progress(frac(), 'first generation');
          return { ok: true, summary: partialSummary(id, name, reader.version, events.n, timeline, performance.now() - t0, frac()) };
        }
        // Report and let other messages in (a cancellation) every 100 ms; check every generation.
        if (performance.now() - lastTick > 100) {
          lastTick = performance.now();
          progress(Math.min(0.99, bytesRead() / size), 'decoding');
          await new Promise((r) => setImmediate(r));
        }
        if (token?.isCancellationRequested) throw new CancelledError();
      }
      progress(0.99, 'analysing');
      const { summary: s, model, contention, use, goroutines } = pass.finish();
      const timeline = new Timeline(model);
      const id = `t${this.next++}`;
      // Findings are computed on request, after the timeline is on screen.
      this.open.set(id, { uri: params.uri, name, timeline, pending: { contention, use }, goroutines, whatIf: { use, version: reader.version }, loaded: Promise.resolve() });
      progress(1, 'done');
      return { ok: true, summary: fullSummary(id, name, s, timeline, performance.now() - t0) };
    } catch (e) {
      if (e instanceof CancelledError) return { ok: false, error: { what: 'cancelled', message: 'opening the trace was cancelled' } };
      return { ok: false, error: toError(e) };
    } finally {
      if (!handedOff) src?.close();
    }
  }

  /**
   * Reads the rest of a progressively opened trace, a generation at a time, yielding so that
   * tiles are answered meanwhile; the snapshot is made again at most every GROW_MS (or SPACING
   * times what making it took), then once more over the finished model, the same as the whole-file path's.
   * With `found`, the findings so far go out right after the first paint and then as more is read
   * (at most every FINDINGS_MS, or SPACING times their cost), the final ones once it is all read.
   */
  private async readRest(entry: OpenTrace, r: RestOfTrace, live: Replayer, grown: (g: TraceGrownParams) => void,
    found?: (f: TraceFindingsGrownParams) => void): Promise<void> {
    const { id, pass } = r;
    const closed = () => this.open.get(id) !== entry;
    let lastYield = performance.now(), lastGrow = performance.now(), buildMs = 0, lastFound = 0, foundMs = 0;
    const soFar = async (tell: (f: TraceFindingsGrownParams) => void) => {
      const b = performance.now();
      const { findings, throughNs } = await r.live.soFar();
      lastFound = performance.now();
      foundMs = lastFound - b;
      tell({ id, findings: { findings, throughNs, fraction: r.frac(), final: false } });
    };
    try {
      await new Promise((res) => setImmediate(res));
      if (found && !closed()) await soFar(found);
      while (!closed() && pass.step()) {
        r.live.keepUp();
        const now = performance.now();
        if (now - lastGrow > Math.max(GROW_MS, SPACING * buildMs)) {
          const b = performance.now();
          entry.timeline = snapshotTimeline(live.model, entry.timeline);
          buildMs = performance.now() - b;
          lastGrow = performance.now();
          grown({ id, summary: partialSummary(id, entry.name, r.version, r.events.n, entry.timeline, performance.now() - r.t0, r.frac()), done: false });
        }
        if (found && performance.now() - lastFound > Math.max(FINDINGS_MS, SPACING * foundMs)) await soFar(found);
        if (performance.now() - lastYield > 50) {
          await new Promise((res) => setImmediate(res));
          lastYield = performance.now();
        }
      }
      if (closed()) return;
      const { summary: s, model, contention, use, goroutines } = pass.finish();
      entry.timeline = new Timeline(model, entry.timeline);
      entry.pending = { contention, use, scan: r.live.scan, leakScan: r.live.leakScan, longest: r.live.longest };
      entry.goroutines = goroutines;
      entry.whatIf = { use, version: r.version };
      grown({ id, summary: fullSummary(id, entry.name, s, entry.timeline, performance.now() - r.t0), done: true });
      // The final findings at once, not when asked (the page shows the ones so far meanwhile); reading is done without them.
      if (found) this.tellFinalFindings(id, entry, model.end, found);
    } catch (e) {
      // The view keeps what was read; findings and groups say why the rest is missing.
      entry.failed = e;
      grown({ id, summary: partialSummary(id, entry.name, r.version, r.events.n, entry.timeline, performance.now() - r.t0, r.frac()), done: true, error: toError(e) });
    } finally {
      r.close();
    }
  }

  /**
   * Makes the final findings and tells them. Its own function: a callback made in readRest would
   * keep readRest's scope, and with it the pass and the live collectors, until they are made.
   */
  private tellFinalFindings(id: string, entry: OpenTrace, throughNs: number, found: (f: TraceFindingsGrownParams) => void): void {
    void this.finalFindings(entry).then((findings) => {
      if (this.open.get(id) === entry) found({ id, findings: { findings, throughNs, fraction: 1, final: true } });
    }, () => { /* findingsOf answers with the error */ });
  }

  /** Settles when an open trace is fully read (at once unless it is still being read). */
  async loaded(id: string): Promise<void> {
    await this.open.get(id)?.loaded;
  }

  /** The trace's findings, ranked, each with its place on the timeline (computed once). */
  async findingsOf(params: TraceFindingsParams): Promise<TraceFindingsResult> {
    const entry = this.open.get(params.id);
    if (!entry) return notOpen(params.id);
    try {
      await entry.loaded;
      if (entry.failed) throw entry.failed;
      return { ok: true, findings: await this.finalFindings(entry) };
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }

  /** The whole trace's findings, made once: each analysis in turn, yielding between them so tile requests are answered meanwhile. */
  private finalFindings(entry: OpenTrace): Promise<TraceFinding[]> {
    if (!entry.findingsMade) {
      const tl = entry.timeline, p = entry.pending!;
      entry.pending = undefined;
      entry.findingsMade = traceFindings(entry.name, { model: tl.model, contention: p.contention, use: p.use, scan: p.scan, leakScan: p.leakScan, longest: p.longest, byG: () => tl.byG, leaks: true },
        () => new Promise((r) => setImmediate(r)));
    }
    return entry.findingsMade;
  }

  tiles(params: TraceTilesParams): TraceTilesResult {
    const entry = this.open.get(params.id);
    if (!entry) return notOpen(params.id);
    const q = params.query;
    try {
      const pixels = Math.max(1, Math.min(MAX_PIXELS, Math.floor(q.pixels)));
      if (!(q.t1 > q.t0)) throw new RangeError(`empty window [${q.t0}, ${q.t1})`);
      const tl = entry.timeline;
      const tiles = q.lanes.map((lane) => wire(lane, tl.tile(lane, q.t0, q.t1, pixels, q.colorBy)));
      let counters: CountersWire<string> | undefined;
      if (q.counters) {
        const c = tl.counters(q.t0, q.t1, pixels);
        counters = counterColumns<Column, string>(c, toBase64);
      }
      return { ok: true, tiles, ...(counters ? { counters } : {}) };
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }

  /** The span of a lane at time t (within slop ns when none covers t exactly). */
  spanAt(params: TraceSpanAtParams): TraceSpanResult {
    const entry = this.open.get(params.id);
    if (!entry) return notOpen(params.id);
    const tl = entry.timeline;
    const tile = tl.tile(params.lane, params.t - params.slop, params.t + params.slop, Number.MAX_SAFE_INTEGER);
    if (tile.mode !== 'spans' || tile.start.length === 0) return { ok: true, details: null };
    let best = 0, bestD = Infinity;
    for (let j = 0; j < tile.start.length; j++) {
      const d = params.t < tile.start[j] ? tile.start[j] - params.t : params.t >= tile.end[j] ? params.t - tile.end[j] : 0;
      if (d < bestD) { bestD = d; best = j; }
    }
    return this.span({ id: params.id, source: tile.source, ref: tile.ref[best] });
  }

  span(params: TraceSpanParams): TraceSpanResult {
    const entry = this.open.get(params.id);
    if (!entry) return notOpen(params.id);
    const tl = entry.timeline, m = tl.model, i = params.ref;
    const stack = (id: number) => (id === NONE ? [] : frames(m.stacks.get(id)));
    switch (params.source) {
      case 'g': {
        const s = m.gSpans;
        if (!(i >= 0 && i < s.count)) return { ok: true, details: null };
        const g = s.id(i);
        const info = m.goroutines.get(g);
        const state = GO_STATES[s.state(i)] ?? String(s.state(i));
        const reason = s.reason(i) === NONE ? '' : m.strings.get(s.reason(i));
        const d: SpanDetails = {
          source: 'g', ref: i, title: `G${g} ${state}${reason ? ` (${reason})` : ''}`, start: s.start(i), end: s.end(i),
          goroutine: g, startFunction: tl.startFunction(g), state, reason, stack: stack(s.stack(i)),
          labels: info ? info.labels.map((l) => m.strings.get(l)) : [],
        };
        // A wait ends when another goroutine makes it runnable: that span records the waker and its stack.
        const next = spanStartingAt(tl.byG, g, s.end(i));
        const waker = state === 'runnable' ? i : next >= 0 && s.state(next) === 2 ? next : -1;
        if (waker >= 0 && s.g(waker) !== NONE) d.unblockedBy = { goroutine: s.g(waker), stack: stack(s.stack(waker)) };
        if (info && info.creator !== NONE) d.createdBy = { goroutine: info.creator, stack: stack(info.createStack) };
        return { ok: true, details: d };
      }
      case 'gc': case 'stw': case 'assist': case 'sweep': {
        const t = params.source === 'gc' ? m.gcCycles : params.source === 'stw' ? m.stw : params.source === 'assist' ? m.assists : m.sweeps;
        if (!(i >= 0 && i < t.count)) return { ok: true, details: null };
        const title = params.source === 'gc' ? 'GC mark phase' : params.source === 'stw' ? m.strings.get(t.state(i)) : params.source === 'assist' ? `Mark assist by G${t.id(i)}` : `Sweep on P${t.id(i)}`;
        const d: SpanDetails = { source: params.source, ref: i, title, start: t.start(i), end: t.end(i), stack: [] };
        if (params.source === 'assist') d.goroutine = t.id(i);
        return { ok: true, details: d };
      }
      case 'task': {
        const task = tl.taskSpans[i];
        if (!task) return { ok: true, details: null };
        return { ok: true, details: { source: 'task', ref: i, title: `Task ${task.name} (${task.id})`, start: task.start, end: task.end, stack: [] } };
      }
      case 'region': {
        const r = tl.regionSpans[i];
        if (!r) return { ok: true, details: null };
        return { ok: true, details: { source: 'region', ref: i, title: `Region ${r.name}`, goroutine: r.g, start: r.start, end: r.end, stack: stack(r.stack) } };
      }
    }
  }

  /** Goroutines whose id, start function or labels match the query (case-insensitive). */
  goroutines(params: TraceGoroutinesParams): TraceGoroutinesResult {
    const entry = this.open.get(params.id);
    if (!entry) return notOpen(params.id);
    const tl = entry.timeline, m = tl.model;
    const q = params.query.trim().toLowerCase().replace(/^g(?=\d+$)/, '');
    const rows: GoroutineRow[] = [];
    let total = 0;
    for (const info of m.goroutines.values()) {
      const fn = tl.startFunction(info.id);
      const labels = info.labels.map((l) => m.strings.get(l));
      const hit = q === '' || String(info.id) === q || fn.toLowerCase().includes(q) || labels.some((l) => l.toLowerCase().includes(q));
      if (!hit) continue;
      total++;
      if (rows.length < params.limit) {
        rows.push({ id: info.id, startFunction: fn, labels, createdAt: info.createdAt, endedAt: info.endedAt, state: GO_STATES[info.state] ?? '' });
      }
    }
    rows.sort((a, b) => a.id - b.id);
    return { ok: true, rows, total };
  }

  /** The goroutines by start function with their time split (the Goroutines panel). */
  goroutineGroups(params: TraceGoroutineGroupsParams): TraceGoroutineGroupsResult {
    const entry = this.open.get(params.id);
    if (!entry) return notOpen(params.id);
    const r = entry.goroutines;
    if (!r) return { ok: false, error: toError(entry.failed ?? new Error(`trace ${params.id} is still being read`)) };
    return { ok: true, totalExecNs: r.totalExecNs, groups: r.groups.map((g) => ({ startFunction: g.startFunction, count: g.count, ids: g.ids, columns: columnsOf(g) })) };
  }

  /** A time slice of the trace as a flame graph (the profile view's columns). */
  slice(params: TraceSliceParams): TraceSliceResult {
    const entry = this.open.get(params.id);
    if (!entry) return notOpen(params.id);
    const q = params.query;
    try {
      shareGoroutineIndex(entry.timeline.model, entry.timeline.byG);
      const profile = sliceProfile(entry.timeline.model, {
        view: q.view === 'time' ? 'time' : 'cpu', from: q.from, to: q.to, goroutine: q.goroutine,
        startFn: q.startFn !== undefined ? compileGoRegexp(q.startFn, 'start function') : undefined,
      });
      const v = profileView(profile, { sampleIndex: 0, granularity: 'functions', filters: {}, topLimit: 20, minFraction: 0 });
      return { ok: true, view: viewColumns(v, toBase64) };
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }

  /**
   * The "What if" panel's prediction for one scenario (or the baseline only). The model needs
   * the whole run: a trace still being read is answered once it is (or with why it could not be).
   */
  async whatIf(params: TraceWhatIfParams): Promise<TraceWhatIfResult> {
    const entry = this.open.get(params.id);
    if (!entry) return notOpen(params.id);
    await entry.loaded;
    if (this.open.get(params.id) !== entry) return notOpen(params.id);
    try {
      if (entry.failed) throw entry.failed;
      if (!entry.whatIf) throw new Error(`trace ${params.id} is still being read`);
      if ('use' in entry.whatIf) entry.whatIf = whatIfInputFrom(entry.timeline.model, entry.whatIf.use, entry.whatIf.version);
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
    return answerWhatIf(entry.whatIf, params.settings);
  }

  close(id: string): void {
    this.open.delete(id);
  }
}

function wire(lane: TileWire<string>['lane'], t: LaneTile): TileWire<string> {
  const cols: TileWire<Column> = t.mode === 'spans'
    ? { lane, mode: 'spans', source: t.source, names: t.names, start: t.start, end: t.end, key: t.key, state: t.state, ref: t.ref, name: t.name }
    : { lane, mode: 'summary', busy: t.busy, key: t.key, state: t.state };
  return tileColumns(cols, toBase64);
}

function notOpen(id: string): { ok: false; error: ReturnType<typeof toError> } {
  return { ok: false, error: toError(new Error(`trace ${id} is not open`)) };
}
