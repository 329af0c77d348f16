// Replays the normalized event stream on a model of the scheduler and the GC. Each event
// must be possible in the state the model is in (a goroutine leaves the state it is in, a
// running goroutine has a thread, no more procs run than GOMAXPROCS allows); anything else
// is a broken trace and stops the replay with an error naming the event.
import { FormatError } from '../errors';
import {
  EventKind, GoState, METRIC_GOMAXPROCS, METRIC_HEAP_GOAL, METRIC_HEAP_IN_USE, NONE, ProcState, RANGE_GC_MARK, RANGE_MARK_ASSIST,
  RANGE_STW_PREFIX, RANGE_SWEEP, ResourceKind, type EventColumns, type StackTable, type StringTable,
} from '../trace/events';
import type { GoroutineInfo, ProcInfo, RuntimeModel } from './model';
import { Counter, SpanTable } from './spans';


/** Goroutine ids below this are found through an array (the runtime hands out small ones). */
const DENSE_IDS = 1 << 20;

const KIND_NAMES = ['Bad', 'Sync', 'Metric', 'Label', 'StackSample', 'RangeBegin', 'RangeActive', 'RangeEnd', 'TaskBegin', 'TaskEnd', 'RegionBegin', 'RegionEnd', 'Log', 'StateTransition', 'Experimental'];
const GO_STATES = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall'];
const PROC_STATES = ['Undetermined', 'NotExist', 'Running', 'Idle'];

export class Replayer {
  readonly model: RuntimeModel;
  /** Open ranges by name, scope and scope id; begun = false for one already running when seen. */
  private readonly openRanges = new Map<string, { start: number; g: number; begun: boolean }>();
  private readonly openRegions = new Map<string, number[]>();
  private events = 0;
  private runningProcs = 0;
  private readonly names: { mark: number; sweep: number; assist: number; heap: number; goal: number; gomaxprocs: number };

  /** model.goroutines and model.procs by id for small ids, an array lookup instead of a Map's (the hot path). */
  private readonly gDense: (GoroutineInfo | undefined)[] = [];
  private readonly pDense: (ProcInfo | undefined)[] = [];
  /** Whether goroutine spans are kept (the views need them; a check of the trace does not). */
  private readonly keepGSpans: boolean;

  /**
   * opts.goroutineSpans = false replays and checks every invariant but leaves model.gSpans
   * empty: one span per state change is most of a model's memory, and `golens trace` needs none.
   */
  constructor(strings: StringTable, stacks: StackTable, opts: { goroutineSpans?: boolean } = {}) {
    this.keepGSpans = opts.goroutineSpans ?? true;
    this.model = {
      strings, stacks, end: 0, goroutines: new Map(), procs: new Map(),
      gSpans: new SpanTable({ withG: true }), pSpans: new SpanTable({ withG: true }), gcCycles: new SpanTable(), stw: new SpanTable({ withG: true }),
      sweeps: new SpanTable({ withG: true }), assists: new SpanTable({ withG: true }), heapInUse: new Counter(), heapGoal: new Counter(),
      gomaxprocs: new Counter(),
      tasks: new Map(), regions: [], logs: [], cpuSamples: { time: [], g: [], stack: [] },
    };
    this.names = {
      mark: strings.intern(RANGE_GC_MARK), sweep: strings.intern(RANGE_SWEEP), assist: strings.intern(RANGE_MARK_ASSIST),
      heap: strings.intern(METRIC_HEAP_IN_USE), goal: strings.intern(METRIC_HEAP_GOAL), gomaxprocs: strings.intern(METRIC_GOMAXPROCS),
    };
  }

  /** Replays one generation's events. */
  add(ev: EventColumns): void {
    for (let i = 0; i < ev.count; i++, this.events++) {
      const t = ev.time[i];
      this.model.end = t;
      switch (ev.kind[i]) {
        case EventKind.StateTransition:
          if (ev.r[i] === ResourceKind.Goroutine) this.goTransition(ev, i, t);
          else if (ev.r[i] === ResourceKind.Proc) this.procTransition(ev, i, t);
          break;
        case EventKind.Metric: this.metric(ev, i, t); break;
        case EventKind.RangeBegin: case EventKind.RangeActive: this.rangeBegin(ev, i, t); break;
        case EventKind.RangeEnd: this.rangeEnd(ev, i, t); break;
        case EventKind.Label: this.goroutine(ev.a[i], t).labels.push(ev.s1[i]); break;
        case EventKind.TaskBegin:
          this.model.tasks.set(ev.a[i], { id: ev.a[i], parent: ev.b[i], name: this.model.strings.get(ev.s1[i]), start: t, end: NaN });
          break;
        case EventKind.TaskEnd: {
          const task = this.model.tasks.get(ev.a[i]);
          if (task) task.end = t;
          else this.model.tasks.set(ev.a[i], { id: ev.a[i], parent: NONE, name: this.model.strings.get(ev.s1[i]), start: NaN, end: t });
          break;
        }
        case EventKind.RegionBegin: {
          const key = `${ev.g[i]}\u0000${ev.a[i]}\u0000${ev.s1[i]}`;
          const idx = this.model.regions.push({ task: ev.a[i], name: this.model.strings.get(ev.s1[i]), g: ev.g[i], start: t, end: NaN, stack: ev.stack[i] }) - 1;
          const open = this.openRegions.get(key);
          if (open) open.push(idx); else this.openRegions.set(key, [idx]);
          break;
        }
        case EventKind.RegionEnd: {
          const key = `${ev.g[i]}\u0000${ev.a[i]}\u0000${ev.s1[i]}`;
          const idx = this.openRegions.get(key)?.pop();
          if (idx !== undefined) this.model.regions[idx].end = t;
          else this.model.regions.push({ task: ev.a[i], name: this.model.strings.get(ev.s1[i]), g: ev.g[i], start: NaN, end: t, stack: ev.stack[i] });
          break;
        }
        case EventKind.Log:
          this.model.logs.push({ task: ev.a[i], time: t, g: ev.g[i], category: this.model.strings.get(ev.s1[i]), message: this.model.strings.get(ev.s2[i]) });
          break;
        case EventKind.StackSample:
          this.model.cpuSamples.time.push(t); this.model.cpuSamples.g.push(ev.g[i]); this.model.cpuSamples.stack.push(ev.stack[i]);
          break;
      }
    }
  }

  /** Closes every open span at the end of the trace. */
  finish(): RuntimeModel {
    const m = this.model;
    for (const g of m.goroutines.values()) this.closeG(g, m.end, true);
    for (const p of m.procs.values()) this.closeP(p, m.end);
    for (const [key, r] of this.openRanges) this.pushRange(key, r.start, m.end, r.g, r.begun);
    this.openRanges.clear();
    return m;
  }

  private fail(ev: EventColumns, i: number, what: string): never {
    throw new FormatError(
      `impossible event #${this.events} (${KIND_NAMES[ev.kind[i]] ?? ev.kind[i]} at ${ev.time[i]} ns): ${what}`,
      undefined, 'the trace is inconsistent; it may be corrupt or written by a runtime with a tracer bug',
    );
  }

  private pById(id: number): ProcInfo | undefined {
    if (id >= 0 && id < DENSE_IDS && Number.isInteger(id)) return this.pDense[id];
    return this.model.procs.get(id);
  }

  private gById(id: number): GoroutineInfo | undefined {
    if (id >= 0 && id < DENSE_IDS && Number.isInteger(id)) return this.gDense[id];
    return this.model.goroutines.get(id);
  }

  private goroutine(id: number, t: number): GoroutineInfo {
    let g = this.gById(id);
    if (!g) {
      g = {
        id, createdAt: NaN, creator: NONE, createStack: NONE, startStack: NONE, endedAt: NaN, state: GoState.Undetermined,
        since: t, reason: NONE, stack: NONE, by: NONE, labels: [], assistNs: 0, p: NONE, m: NONE,
      };
      this.model.goroutines.set(id, g);
      if (id >= 0 && id < DENSE_IDS && Number.isInteger(id)) this.gDense[id] = g;
    }
    return g;
  }


  private goTransition(ev: EventColumns, i: number, t: number): void {
    const id = ev.a[i], from = ev.b[i], to = ev.c[i];
    const g = this.goroutine(id, t);
    if (from !== GoState.Undetermined && g.state !== GoState.Undetermined && from !== g.state) {
      this.fail(ev, i, `goroutine ${id} goes ${GO_STATES[from]} → ${GO_STATES[to]} but it is ${GO_STATES[g.state]}`);
    }
    if (to === GoState.Running) {
      if (ev.m[i] === NONE) this.fail(ev, i, `goroutine ${id} starts running on no thread`);
      if (ev.p[i] === NONE) this.fail(ev, i, `goroutine ${id} starts running without a proc`);
      const proc = this.pById(ev.p[i]);
      if (proc && proc.g !== NONE && proc.g !== id && this.gById(proc.g)?.state === GoState.Running) {
        this.fail(ev, i, `goroutine ${id} starts running on proc ${ev.p[i]}, where goroutine ${proc.g} is running`);
      }
    }
    this.closeG(g, t, false);
    if (from === GoState.NotExist && to !== GoState.NotExist) {
      g.createdAt = t; g.creator = ev.g[i]; g.createStack = ev.stack[i]; g.startStack = ev.stack2[i];
    }
    if (to === GoState.NotExist) g.endedAt = t;
    g.state = to;
    g.since = t;
    g.reason = ev.s1[i];
    // Another goroutine's event moved it (an unblock, a preemption): remember which.
    g.by = ev.g[i] !== id ? ev.g[i] : NONE;
    // Where it blocked or stopped; a new goroutine's start.
    g.stack = to === GoState.Running ? NONE : ev.stack2[i] !== NONE ? ev.stack2[i] : ev.stack[i];
    if (to === GoState.Running) {
      g.p = ev.p[i];
      g.m = ev.m[i];
      const proc = this.pById(g.p);
      if (proc) proc.g = id;
    } else if (to === GoState.Syscall) {
      // A goroutine in a syscall keeps its thread and, until the proc is taken, its proc:
      // its syscall spans say which proc and thread were tied up.
      const proc = this.pById(g.p);
      if (proc && proc.g === id) proc.g = NONE;
      g.p = ev.p[i];
      g.m = ev.m[i];
    } else if (g.p !== NONE || g.m !== NONE) {
      const proc = this.pById(g.p);
      if (proc && proc.g === id) proc.g = NONE;
      g.p = NONE;
      g.m = NONE;
    }
  }

  private closeG(g: GoroutineInfo, t: number, atEnd: boolean): void {
    if (g.state === GoState.Undetermined || g.state === GoState.NotExist) return;
    if (atEnd && t === g.since) return;
    if (!this.keepGSpans) return;
    this.model.gSpans.push(g.id, g.since, t, g.state, g.p, g.m, g.by, g.reason, g.stack);
  }

  private procTransition(ev: EventColumns, i: number, t: number): void {
    const id = ev.a[i], from = ev.b[i], to = ev.c[i];
    let p = this.pById(id);
    if (!p) {
      p = { id, state: ProcState.Undetermined, since: t, g: NONE };
      this.model.procs.set(id, p);
      if (id >= 0 && id < DENSE_IDS && Number.isInteger(id)) this.pDense[id] = p;
    }
    if (from !== ProcState.Undetermined && p.state !== ProcState.Undetermined && from !== p.state) {
      this.fail(ev, i, `proc ${id} goes ${PROC_STATES[from]} → ${PROC_STATES[to]} but it is ${PROC_STATES[p.state]}`);
    }
    this.closeP(p, t);
    if (p.state === ProcState.Running) this.runningProcs--;
    if (to === ProcState.Running) this.runningProcs++;
    p.state = to;
    p.since = t;
    const max = this.model.gomaxprocs.last;
    if (to === ProcState.Running && max > 0 && this.runningProcs > max) {
      this.fail(ev, i, `${this.runningProcs} procs running with GOMAXPROCS ${max}`);
    }
  }

  private closeP(p: ProcInfo, t: number): void {
    if (p.state === ProcState.Undetermined || p.state === ProcState.NotExist || t === p.since) return;
    this.model.pSpans.push(p.id, p.since, t, p.state, NONE, NONE, p.g, NONE, NONE);
  }

  private metric(ev: EventColumns, i: number, t: number): void {
    const name = ev.s1[i];
    if (name === this.names.heap) this.model.heapInUse.push(t, ev.a[i]);
    else if (name === this.names.goal) this.model.heapGoal.push(t, ev.a[i]);
    else if (name === this.names.gomaxprocs) this.model.gomaxprocs.push(t, ev.a[i]);
  }

  private rangeBegin(ev: EventColumns, i: number, t: number): void {
    const key = `${ev.s1[i]}\u0000${ev.r[i]}\u0000${ev.a[i]}`;
    if (!this.openRanges.has(key)) this.openRanges.set(key, { start: t, g: ev.g[i], begun: ev.kind[i] === EventKind.RangeBegin });
  }

  private rangeEnd(ev: EventColumns, i: number, t: number): void {
    const key = `${ev.s1[i]}\u0000${ev.r[i]}\u0000${ev.a[i]}`;
    const open = this.openRanges.get(key);
    // A range that began before the trace did ends here: it starts at the trace's start.
    this.pushRange(key, open ? open.start : 0, t, open ? open.g : ev.g[i], open ? open.begun : false);
    this.openRanges.delete(key);
  }

  private pushRange(key: string, start: number, end: number, g: number, begun: boolean): void {
    const [nameId, , scopeId] = key.split('\u0000').map(Number);
    const m = this.model;
    if (nameId === this.names.mark) m.gcCycles.push(begun ? 1 : 0, start, end, nameId, NONE, NONE, NONE, NONE, NONE);
    else if (nameId === this.names.sweep) m.sweeps.push(scopeId, start, end, nameId, scopeId, NONE, g, NONE, NONE);
    else if (nameId === this.names.assist) {
      m.assists.push(scopeId, start, end, nameId, NONE, NONE, scopeId, NONE, NONE);
      const gi = this.gById(scopeId);
      if (gi) gi.assistNs += end - start;
    } else if (m.strings.get(nameId).startsWith(RANGE_STW_PREFIX)) m.stw.push(NONE, start, end, nameId, NONE, NONE, g, NONE, NONE);
  }
}
