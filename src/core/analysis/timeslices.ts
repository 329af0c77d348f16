// Time slices of a replayed trace as profiles the flame graph draws (FlameScope's and
// gotraceui's ideas): the CPU samples of a time range by stack, and where goroutines spent
// their time — running, runnable, in syscalls, blocked by kind — in nanoseconds.
//
// Each state is a ROOT-level pseudo-frame ("[blocked: sync]") with the stack under it, root
// to leaf: the flame's first row splits the time by state, and the same code path blocked
// for different reasons stays apart. Running time is split evenly among the goroutine's CPU
// samples in each running span (their stacks under "[running]"); a span without samples keeps
// its time on "[running]" itself. Time in GC mark assists is taken out of running as "[GC assist]".
import type { Profile } from '../pprof/model';
import type { GoroutineInfo, RuntimeModel } from '../runtime/model';
import { SpanIndex } from '../runtime/queries';
import { GoState, NONE } from '../trace/events';
import { TraceProfileBuilder } from './traceprofile';

/** The off-CPU kinds of `go tool trace -pprof=TYPE` (cmd/trace/pprof.go). */
export type OffCpuKind = 'net' | 'sync' | 'syscall' | 'sched';

export type TimeState = 'running' | 'gc-assist' | 'runnable' | 'syscall'
  | 'blocked-sync' | 'blocked-net' | 'blocked-sleep' | 'blocked-gc' | 'blocked-other';

/** Each state's pseudo-frame: the root-level box of the time flame graph. */
export const STATE_FRAMES: Record<TimeState, string> = {
  'running': '[running]', 'gc-assist': '[GC assist]', 'runnable': '[runnable]', 'syscall': '[syscall]',
  'blocked-sync': '[blocked: sync]', 'blocked-net': '[blocked: net]', 'blocked-sleep': '[blocked: sleep]',
  'blocked-gc': '[blocked: GC]', 'blocked-other': '[blocked: other]',
};

/**
 * Go's off-CPU kind of a goroutine state and its reason, as cmd/trace counts them: waiting
 * on "network" is net; waiting with "chan", "sync" or "select" in the reason is sync; every
 * syscall; every runnable stretch is scheduler wait (sched).
 */
export function offCpuKind(state: number, reason: string): OffCpuKind | undefined {
  if (state === GoState.Syscall) return 'syscall';
  if (state === GoState.Runnable) return 'sched';
  if (state !== GoState.Waiting) return undefined;
  if (reason === 'network') return 'net';
  if (reason.includes('chan') || reason.includes('sync') || reason.includes('select')) return 'sync';
  return undefined;
}

/**
 * The one classification of a goroutine state (and the reason it entered it) that the time
 * views share; undefined when it does not exist then.
 */
export function classifyGoState(state: number, reason: string): TimeState | undefined {
  switch (state) {
    case GoState.Running: return 'running';
    case GoState.Runnable: return 'runnable';
    case GoState.Syscall: return 'syscall';
    case GoState.Waiting: {
      const k = offCpuKind(state, reason);
      if (k === 'net') return 'blocked-net';
      if (k === 'sync') return 'blocked-sync';
      if (reason === 'sleep') return 'blocked-sleep';
      if (/\bGC\b|garbage collection/.test(reason)) return 'blocked-gc';
      return 'blocked-other';
    }
    default: return undefined;
  }
}

/** A goroutine's start function: its start stack's outermost frame (as the timeline names it), else the outermost frame seen. */
export function startFunction(model: RuntimeModel, g: GoroutineInfo, index?: SpanIndex): string {
  const start = model.stacks.get(g.startStack);
  if (start.length) return start[start.length - 1].fn;
  const spans = index ?? goroutineIndex(model);
  for (const s of spans.spans(g.id)) {
    const st = model.stacks.get(model.gSpans.stack(s));
    if (st.length) return st[st.length - 1].fn;
  }
  return '';
}

const indexes = new WeakMap<RuntimeModel, SpanIndex>();

/** Takes the model's goroutine index from its timeline, which has made one already (the spans are not indexed twice). */
export function shareGoroutineIndex(model: RuntimeModel, index: SpanIndex): void {
  if (index.table === model.gSpans) indexes.set(model, index);
}

/** The goroutine spans by goroutine, made once per model. */
export function goroutineIndex(model: RuntimeModel): SpanIndex {
  let ix = indexes.get(model);
  if (!ix) { ix = new SpanIndex(model.gSpans); indexes.set(model, ix); }
  return ix;
}

/** A stretch of one state: consecutive spans of the same state joined, as cmd/trace tracks a state until it changes. */
interface Stretch {
  start: number; end: number; state: number; reason: string;
  /** The stack of the event that began it (cmd/trace's ev.Stack()): the waker's for an unblock, the `go` statement's for a new goroutine. */
  eventStack: number;
  /** The goroutine's own stack: where it blocked or stopped (for a runnable after an unblock, where it had blocked). */
  ownStack: number;
  /** Still open when the trace ended (no transition out of it). */
  open: boolean;
}

function stretches(model: RuntimeModel, g: GoroutineInfo, index: SpanIndex): Stretch[] {
  const t = model.gSpans;
  const out: Stretch[] = [];
  let lastStart = NaN;
  let prevOwn = NONE;
  for (const s of index.spans(g.id)) {
    const state = t.state(s), start = t.start(s), end = t.end(s);
    const prev = out[out.length - 1];
    if (prev && prev.state === state && prev.end === start) { prev.end = end; lastStart = start; continue; }
    const stack = t.stack(s);
    const eventStack = start === g.createdAt ? g.createStack : stack;
    // An unblock's span carries the waker's stack; the goroutine itself still sits where it blocked.
    const ownStack = state === GoState.Runnable && t.g(s) !== NONE && t.g(s) !== g.id && prevOwn !== NONE ? prevOwn : stack;
    out.push({ start, end, state, reason: model.strings.get(t.reason(s)), eventStack, ownStack, open: false });
    if (state !== GoState.Running && stack !== NONE) prevOwn = ownStack;
    lastStart = start;
  }
  const last = out[out.length - 1];
  if (last && Number.isNaN(g.endedAt) && last.end === model.end && last.state === g.state && lastStart === g.since) last.open = true;
  return out;
}

/**
 * `go tool trace -pprof=KIND` of the whole trace: for every goroutine, each stretch of the
 * kind's state that ended inside the trace, clipped to the goroutine's life as cmd/trace
 * sees it (from its first run — or always, if it never ran — to its end), at the stack of
 * the event that began it. Sample types: contentions (count) and delay (nanoseconds).
 */
export function offCpuProfile(model: RuntimeModel, kind: OffCpuKind): Profile {
  const b = new TraceProfileBuilder(model.stacks, [{ type: 'contentions', unit: 'count' }, { type: 'delay', unit: 'nanoseconds' }]);
  const index = goroutineIndex(model);
  for (const g of model.goroutines.values()) {
    const list = stretches(model, g, index);
    const firstRun = list.find((s) => s.state === GoState.Running)?.start ?? -Infinity;
    const lifeEnd = Number.isNaN(g.endedAt) ? model.end : g.endedAt;
    for (const s of list) {
      if (s.open || offCpuKind(s.state, s.reason) !== kind) continue;
      const d = Math.min(s.end, lifeEnd) - Math.max(s.start, firstRun);
      if (d > 0) b.add(b.stackLocs(s.eventStack), [1, d]);
    }
  }
  return b.build(model.end);
}

/** The CPU samples with from ≤ time < to (of the goroutines `include` takes), by stack. */
export function cpuRangeProfile(model: RuntimeModel, from = -Infinity, to = Infinity, include?: (g: number) => boolean): Profile {
  const b = new TraceProfileBuilder(model.stacks, [{ type: 'samples', unit: 'count' }]);
  const c = model.cpuSamples;
  for (let i = 0; i < c.time.length; i++) {
    const t = c.time[i];
    if (t < from || t >= to || (include && !include(c.g[i]))) continue;
    b.add(b.stackLocs(c.stack[i]), [1]);
  }
  return b.build(Math.min(to, model.end) - Math.max(from, 0));
}

export interface TimeQuery {
  from?: number;
  to?: number;
  /** The goroutines to count (all when absent). */
  include?: (g: GoroutineInfo) => boolean;
}

/** Where the chosen goroutines spent [from, to), by state and stack, in nanoseconds (see the top of this file). */
export function timeProfile(model: RuntimeModel, q: TimeQuery = {}): Profile {
  const from = q.from ?? 0, to = q.to ?? model.end;
  const b = new TraceProfileBuilder(model.stacks, [{ type: 'time', unit: 'nanoseconds' }]);
  const index = goroutineIndex(model);
  const samples = samplesByGoroutine(model);
  const assists = new SpanIndex(model.assists);
  const frame = (st: TimeState) => b.pseudo(STATE_FRAMES[st]);
  for (const g of model.goroutines.values()) {
    if (q.include && !q.include(g)) continue;
    for (const s of stretches(model, g, index)) {
      const a = Math.max(s.start, from), e = Math.min(s.end, to);
      if (e <= a) continue;
      const st = classifyGoState(s.state, s.reason);
      if (!st) continue;
      if (st !== 'running') { b.add([...b.stackLocs(s.ownStack), frame(st)], [e - a]); continue; }
      let assist = 0;
      for (const r of assists.spans(g.id, a, e)) assist += Math.min(e, model.assists.end(r)) - Math.max(a, model.assists.start(r));
      if (assist > 0) b.add([frame('gc-assist')], [assist]);
      const left = e - a - assist;
      const inSpan = samplesIn(samples.get(g.id), model.cpuSamples.time, a, e);
      if (inSpan.length === 0) { if (left > 0) b.add([frame('running')], [left]); continue; }
      const each = left / inSpan.length;
      for (const i of inSpan) b.add([...b.stackLocs(model.cpuSamples.stack[i]), frame('running')], [each]);
    }
  }
  return b.build(to - from);
}

const sampleIndexes = new WeakMap<RuntimeModel, Map<number, number[]>>();
/** CPU sample indices per goroutine, in time order. */
function samplesByGoroutine(model: RuntimeModel): Map<number, number[]> {
  let m = sampleIndexes.get(model);
  if (m) return m;
  m = new Map();
  const c = model.cpuSamples;
  for (let i = 0; i < c.time.length; i++) {
    const l = m.get(c.g[i]);
    if (l) l.push(i); else m.set(c.g[i], [i]);
  }
  for (const l of m.values()) l.sort((x, y) => c.time[x] - c.time[y]);
  sampleIndexes.set(model, m);
  return m;
}

function samplesIn(list: number[] | undefined, time: number[], a: number, e: number): number[] {
  if (!list) return [];
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (time[list[mid]] < a) lo = mid + 1; else hi = mid; }
  const out: number[] = [];
  for (let j = lo; j < list.length && time[list[j]] < e; j++) out.push(list[j]);
  return out;
}

/** What `golens slice` and the trace editor's flame panels ask for. */
export type SliceView = 'cpu' | 'time' | OffCpuKind;
export const SLICE_VIEWS: SliceView[] = ['cpu', 'time', 'net', 'sync', 'syscall', 'sched'];

export interface SliceQuery {
  view: SliceView;
  /** Nanoseconds since the trace's first event; [from, to). */
  from?: number;
  to?: number;
  /** One goroutine, or the goroutines whose start function matches (a compiled Go regexp). */
  goroutine?: number;
  startFn?: RegExp;
}

/** The profile a slice query asks for (off-CPU views are Go's whole-trace profiles: no range or goroutine). */
export function sliceProfile(model: RuntimeModel, q: SliceQuery): Profile {
  if (q.view === 'cpu' || q.view === 'time') {
    const index = goroutineIndex(model);
    const want = (g: GoroutineInfo | undefined) => !!g && (q.goroutine === undefined || g.id === q.goroutine)
      && (!q.startFn || q.startFn.test(startFunction(model, g, index)));
    const filtered = q.goroutine !== undefined || !!q.startFn;
    if (q.view === 'cpu') return cpuRangeProfile(model, q.from, q.to, filtered ? (g) => want(model.goroutines.get(g)) : undefined);
    return timeProfile(model, { from: q.from, to: q.to, include: filtered ? want : undefined });
  }
  return offCpuProfile(model, q.view);
}
