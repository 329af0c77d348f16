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

/** No labels (shared: a goroutine's own array is made at its first label). */
const NO_LABELS: number[] = Object.freeze([]) as unknown as number[];

/**
 * Where an ended goroutine's record was, when ended goroutines are not kept: it is in NotExist,
 * so a later event that says otherwise is still caught. Never written (an event that brings the
 * id back gets a new record).
 */
const ENDED: GoroutineInfo = Object.freeze({
  id: NONE, createdAt: NaN, creator: NONE, createStack: NONE, startStack: NONE, endedAt: NaN, state: GoState.NotExist,
  since: NaN, reason: NONE, stack: NONE, by: NONE, labels: NO_LABELS, assistNs: 0, p: NONE, m: NONE,
});

const KIND_NAMES = ['Bad', 'Sync', 'Metric', 'Label', 'StackSample', 'RangeBegin', 'RangeActive', 'RangeEnd', 'TaskBegin', 'TaskEnd', 'RegionBegin', 'RegionEnd', 'Log', 'StateTransition', 'Experimental'];
const GO_STATES = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall'];
const PROC_STATES = ['Undetermined', 'NotExist', 'Running', 'Idle'];

/** A proc first seen at t (since a double from the start, as a goroutine's). */
function newProc(id: number, t: number): ProcInfo {
  const p: ProcInfo = { id, state: ProcState.Undetermined, since: NaN, g: NONE };
  p.since = t;
  return p;
}

export class Replayer {
  readonly model: RuntimeModel;
  /** Open ranges by name, scope and scope id; begun = false for one already running when seen. */
  private readonly openRanges = new Map<string, { start: number; g: number; begun: boolean; name: number; scope: number }>();
  private readonly openRegions = new Map<string, number[]>();
  private events = 0;
  /** Events before the slice being replayed (an error's event number counts from it). */
  private base = 0;
  /** Time of the state transition being replayed. */
  private now = 0;
  private runningProcs = 0;
  private readonly names: { mark: number; sweep: number; assist: number; heap: number; goal: number; gomaxprocs: number };

  /** model.goroutines and model.procs by id for small ids, an array lookup instead of a Map's (the hot path). */
  private readonly gDense: (GoroutineInfo | undefined)[] = [];
  private readonly pDense: (ProcInfo | undefined)[] = [];
  /** "No proc" where add() looks one up: in no table, its g always NONE (see add). */
  private readonly noProc: ProcInfo = newProc(NONE, NaN);
  /** Whether goroutine spans are kept (the views need them; a check of the trace does not). */
  private readonly keepGSpans: boolean;
  /** Goroutine ids at or past DENSE_IDS that ended, when ended goroutines are not kept (their ENDED). */
  private readonly endedSparse = new Set<number>();
  /** Records of ended goroutines not kept, made again for the next new goroutine (no allocation, no garbage). */
  private readonly spare: GoroutineInfo[] = [];

  /**
   * opts.goroutineSpans = false replays and checks every invariant but leaves model.gSpans
   * empty: one span per state change is most of a model's memory, and `golens trace` needs none.
   * Nor does it keep a goroutine that has ended: model.goroutines then holds only the goroutines
   * that still exist, filled in by finish() (a server's trace has a record for each of hundreds of
   * thousands otherwise; their order is not the order first seen, see finish);
   * an ended one's id stays known as ended, so an event that contradicts that still fails.
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
    const n = ev.count;
    if (n === 0) return;
    // The time of the last event so far (also what an error's replay has reached).
    this.model.end = ev.time[n - 1];
    // Counted before the loop, so nothing follows it: the loop's optimized code is entered with
    // feedback for everything after it (a field read past the loop, never run before the code
    // was made, deoptimized it at the end of every slice — 88 times on the 26 MiB trace).
    this.base = this.events;
    this.events += n;
    // Nearly every event is a goroutine's state transition: replayed here, in the loop, with
    // the columns at hand (a call per event, and a column looked up on ev per field, cost a
    // fifth of the replay).
    const time = ev.time, kind = ev.kind, r = ev.r, a = ev.a, b = ev.b, c = ev.c;
    const evP = ev.p, evM = ev.m, evG = ev.g, s1 = ev.s1, stack = ev.stack, stack2 = ev.stack2;
    const keepGSpans = this.keepGSpans;
    const gDense = this.gDense, noProc = this.noProc;
    for (let i = 0; i < n; i++) {
      if (kind[i] !== EventKind.StateTransition) { this.other(ev, i); continue; }
      // A call takes the time through a number field: a time past 2^31 ns passed as an
      // argument would be boxed, once per event.
      const t = time[i];
      if (r[i] !== ResourceKind.Goroutine) {
        if (r[i] === ResourceKind.Proc) { this.now = t; this.procTransition(ev, i); }
        continue;
      }
      const id = a[i], from = b[i], to = c[i];
      let g = (id >>> 0 === id && id < DENSE_IDS ? gDense[id] : this.model.goroutines.get(id)) ?? this.newGoroutine(id, t);
      // An ended goroutine not kept: its record is the shared ENDED until an event brings it back.
      if (g === ENDED) g = this.newGoroutine(id, t, GoState.NotExist);
      const state = g.state;
      if (from !== GoState.Undetermined && state !== GoState.Undetermined && from !== state) {
        this.fail(ev, i, `goroutine ${id} goes ${GO_STATES[from]} → ${GO_STATES[to]} but it is ${GO_STATES[state]}`);
      }
      const by = evG[i];
      if (to === GoState.Running) {
        // The columns each transition needs are read on its own path.
        const p = evP[i], m = evM[i];
        if (m === NONE) this.fail(ev, i, `goroutine ${id} starts running on no thread`);
        if (p === NONE) this.fail(ev, i, `goroutine ${id} starts running without a proc`);
        // One lookup of the proc: checked here, taken below.
        // (noProc when it is not known yet: the same loads whether it is or not.)
        const proc = this.pById(p) ?? noProc;
        const on = proc.g;
        if (on !== id && on !== NONE && this.gById(on)?.state === GoState.Running) {
          this.fail(ev, i, `goroutine ${id} starts running on proc ${p}, where goroutine ${on} is running`);
        }
        if (keepGSpans) { this.now = t; this.closeG(g, false); }
        if (from === GoState.NotExist) {
          g.createdAt = t; g.creator = by; g.createStack = stack[i]; g.startStack = stack2[i];
        }
        g.state = to;
        g.since = t;
        g.reason = s1[i];
        // Another goroutine's event moved it (an unblock, a preemption): remember which.
        g.by = by !== id ? by : NONE;
        g.stack = NONE;
        g.p = p;
        g.m = m;
        // Taken (noProc's g is put back at once: it stands for no proc).
        proc.g = id;
        noProc.g = NONE;
        continue;
      }
      if (keepGSpans) { this.now = t; this.closeG(g, false); }
      const s2 = stack2[i];
      if (from === GoState.NotExist && to !== GoState.NotExist) {
        g.createdAt = t; g.creator = by; g.createStack = stack[i]; g.startStack = s2;
      }
      if (to === GoState.NotExist) {
        g.endedAt = t;
        if (!keepGSpans) this.dropEnded(id);
      }
      g.state = to;
      g.since = t;
      g.reason = s1[i];
      g.by = by !== id ? by : NONE;
      // Where it blocked or stopped; a new goroutine's start.
      g.stack = s2 !== NONE ? s2 : stack[i];
      if (to === GoState.Syscall) {
        // A goroutine in a syscall keeps its thread and, until the proc is taken, its proc:
        // its syscall spans say which proc and thread were tied up.
        const held = this.pById(g.p);
        if (held && held.g === id) held.g = NONE;
        g.p = evP[i];
        g.m = evM[i];
      } else if (g.p !== NONE || g.m !== NONE) {
        const held = this.pById(g.p);
        if (held && held.g === id) held.g = NONE;
        g.p = NONE;
        g.m = NONE;
      }
    }
  }

  /** Every event but a state transition. */
  private other(ev: EventColumns, i: number): void {
    const t = ev.time[i];
    switch (ev.kind[i]) {
      case EventKind.Metric: this.metric(ev, i, t); break;
      case EventKind.RangeBegin: case EventKind.RangeActive: this.rangeBegin(ev, i, t); break;
      case EventKind.RangeEnd: this.rangeEnd(ev, i, t); break;
      case EventKind.Label: {
        const g = this.goroutine(ev.a[i], t);
        if (g.labels === NO_LABELS) g.labels = [];
        g.labels.push(ev.s1[i]);
        break;
      }
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

  /** Closes every open span at the end of the trace. */
  finish(): RuntimeModel {
    const m = this.model;
    this.now = m.end;
    if (!this.keepGSpans) {
      // Ended goroutines not kept: the small ids' records that still exist, in id order, after
      // the others (each in the order first seen). A set and a delete in the Map per goroutine
      // cost an eighth of `golens trace` on a server's trace.
      const dense = this.gDense;
      for (let id = 0; id < dense.length; id++) {
        const g = dense[id];
        if (g !== undefined && g !== ENDED) m.goroutines.set(id, g);
      }
    }
    for (const g of m.goroutines.values()) this.closeG(g, true);
    for (const p of m.procs.values()) this.closeP(p, m.end);
    for (const r of this.openRanges.values()) this.pushRange(r.name, r.scope, r.start, m.end, r.g, r.begun);
    this.openRanges.clear();
    return m;
  }

  private fail(ev: EventColumns, i: number, what: string): never {
    throw new FormatError(
      `impossible event #${this.base + i} (${KIND_NAMES[ev.kind[i]] ?? ev.kind[i]} at ${ev.time[i]} ns): ${what}`,
      undefined, 'the trace is inconsistent; it may be corrupt or written by a runtime with a tracer bug',
    );
  }

  private pById(id: number): ProcInfo | undefined {
    if (id >>> 0 === id && id < DENSE_IDS) return this.pDense[id];
    return this.model.procs.get(id);
  }

  /** A goroutine's record (ENDED for one that ended and was not kept). */
  private gById(id: number): GoroutineInfo | undefined {
    if (id >>> 0 === id && id < DENSE_IDS) return this.gDense[id];
    return this.model.goroutines.get(id) ?? (this.endedSparse.size !== 0 && this.endedSparse.has(id) ? ENDED : undefined);
  }

  /** A goroutine's own record, made if it has none (or was ended and not kept). */
  private goroutine(id: number, t: number): GoroutineInfo {
    const g = this.gById(id);
    if (g === undefined) return this.newGoroutine(id, t);
    return g === ENDED ? this.newGoroutine(id, t, GoState.NotExist) : g;
  }

  /**
   * A goroutine first seen at t (apart from the lookup, which runs for every event), or one
   * that ended, was not kept, and is seen again (state NotExist).
   */
  private newGoroutine(id: number, t: number, state: number = GoState.Undetermined): GoroutineInfo {
    // since is a double from the start (NaN, then t): a field that first held a small integer
    // and later a time past 2^31 ns would change every goroutine's map.
    let g = this.spare.pop();
    if (g === undefined) {
      g = {
        id, createdAt: NaN, creator: NONE, createStack: NONE, startStack: NONE, endedAt: NaN, state,
        since: NaN, reason: NONE, stack: NONE, by: NONE, labels: NO_LABELS, assistNs: 0, p: NONE, m: NONE,
      };
    } else {
      g.id = id; g.createdAt = NaN; g.creator = NONE; g.createStack = NONE; g.startStack = NONE; g.endedAt = NaN; g.state = state;
      g.reason = NONE; g.stack = NONE; g.by = NONE; g.labels = NO_LABELS; g.assistNs = 0; g.p = NONE; g.m = NONE;
    }
    g.since = t;
    if (id >>> 0 === id && id < DENSE_IDS) {
      this.gDense[id] = g;
      // Not kept: the ones that still exist go into model.goroutines at the end (finish).
      if (this.keepGSpans) this.model.goroutines.set(id, g);
    } else {
      this.model.goroutines.set(id, g);
      this.endedSparse.delete(id);
    }
    return g;
  }

  /** A goroutine that has just ended, when ended goroutines are not kept: only its id stays, as ENDED. */
  private dropEnded(id: number): void {
    const g = this.gById(id);
    if (g !== undefined && g !== ENDED) this.spare.push(g);
    if (id >>> 0 === id && id < DENSE_IDS) {
      this.gDense[id] = ENDED;
    } else {
      this.model.goroutines.delete(id);
      this.endedSparse.add(id);
    }
  }

  /** The span g leaves now (at the end of the trace: none if it began then). */
  private closeG(g: GoroutineInfo, atEnd: boolean): void {
    if (g.state === GoState.Undetermined || g.state === GoState.NotExist) return;
    if (atEnd && this.now === g.since) return;
    if (!this.keepGSpans) return;
    this.model.gSpans.push(g.id, g.since, this.now, g.state, g.p, g.m, g.by, g.reason, g.stack);
  }

  private procTransition(ev: EventColumns, i: number): void {
    const t = this.now;
    const id = ev.a[i], from = ev.b[i], to = ev.c[i];
    let p = this.pById(id);
    if (!p) {
      p = newProc(id, t);
      this.model.procs.set(id, p);
      if (id >>> 0 === id && id < DENSE_IDS) this.pDense[id] = p;
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
    if (!this.openRanges.has(key)) {
      this.openRanges.set(key, { start: t, g: ev.g[i], begun: ev.kind[i] === EventKind.RangeBegin, name: ev.s1[i], scope: ev.a[i] });
    }
  }

  private rangeEnd(ev: EventColumns, i: number, t: number): void {
    const key = `${ev.s1[i]}\u0000${ev.r[i]}\u0000${ev.a[i]}`;
    const open = this.openRanges.get(key);
    // A range that began before the trace did ends here: it starts at the trace's start.
    this.pushRange(ev.s1[i], ev.a[i], open ? open.start : 0, t, open ? open.g : ev.g[i], open ? open.begun : false);
    this.openRanges.delete(key);
  }

  private pushRange(nameId: number, scopeId: number, start: number, end: number, g: number, begun: boolean): void {
    const m = this.model;
    if (nameId === this.names.mark) m.gcCycles.push(begun ? 1 : 0, start, end, nameId, NONE, NONE, NONE, NONE, NONE);
    else if (nameId === this.names.sweep) m.sweeps.push(scopeId, start, end, nameId, scopeId, NONE, g, NONE, NONE);
    else if (nameId === this.names.assist) {
      m.assists.push(scopeId, start, end, nameId, NONE, NONE, scopeId, NONE, NONE);
      const gi = this.gById(scopeId);
      if (gi && gi !== ENDED) gi.assistNs += end - start;
    } else if (m.strings.get(nameId).startsWith(RANGE_STW_PREFIX)) m.stw.push(NONE, start, end, nameId, NONE, NONE, g, NONE, NONE);
  }
}
