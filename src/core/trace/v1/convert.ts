// Turns the ordered old-format stream into the normalized events, one for each event the
// reference's converter yields and with the same times, contexts and details:
// - the old trace is one generation: a Sync first (1 ns before the first event) and last;
// - goroutines created before the first Gomaxprocs existed when tracing began: they get
//   a "status" transition (from Undetermined) instead of a creation, and that first
//   Gomaxprocs itself is dropped;
// - the first ProcStart/ProcStop of a P becomes a proc status (from Undetermined);
// - a syscall that did not block becomes begin + end 1 ns apart; one that blocked becomes
//   a begin, and its GoSysExit the end that leaves the goroutine runnable;
// - GoStartLabel is a start followed by a label;
// - no two events share a time: an event at or before the previous one moves 1 ns after it.
import {
  EventBuilder, EventKind, GoState, METRIC_GOMAXPROCS, METRIC_HEAP_GOAL, METRIC_HEAP_IN_USE, NONE, ProcState, RANGE_GC_MARK,
  RANGE_MARK_ASSIST, RANGE_SWEEP, ResourceKind, type StackTable, type StringTable,
} from '../events';
import { corrupt, type RawTrace } from './raw';
import { Ev, EV_NAME, stwReason } from './spec';


/** The reason each old blocking or stopping event becomes. */
const REASONS: [Ev, string][] = [
  [Ev.GoStop, 'forever'], [Ev.GoSched, 'runtime.Gosched'], [Ev.GoPreempt, 'preempted'], [Ev.GoSleep, 'sleep'],
  [Ev.GoBlock, ''], [Ev.GoBlockSend, 'chan send'], [Ev.GoBlockRecv, 'chan receive'], [Ev.GoBlockSelect, 'select'],
  [Ev.GoBlockSync, 'sync'], [Ev.GoBlockCond, 'sync.(*Cond).Wait'], [Ev.GoBlockNet, 'network'],
  [Ev.GoBlockGC, 'GC mark assist wait for work'],
];

/** Every event at once, in one builder (small traces, tests). */
export function convertOldTrace(t: RawTrace, order: Int32Array, strings: StringTable, stacks: StackTable): EventBuilder {
  return new OldConverter(t, order, strings, stacks, Infinity).next()!;
}

/** Rows a slice may need beyond its limit: one event becomes at most two, and the last Sync. */
const SLACK = 4;

/**
 * Converts the ordered stream a slice at a time: next() fills the builder with about
 * `slice` events (reusing its arrays) so that a long old trace never holds all of its
 * converted events at once; undefined after the last slice.
 */
export class OldConverter {
  private readonly out: EventBuilder;
  private lastTs = -1;
  private preInit = true;
  /** Goroutines created before the first Gomaxprocs and not yet given a status. */
  private readonly createdPreInit = new Set<number>();
  private readonly seenProcs = new Set<number>();
  private readonly procMs = new Map<number, number>();
  private readonly tasks = new Map<number, { name: number; parent: number }>();
  private lastStw = '';
  private readonly reason = new Int32Array(Ev.Count).fill(NONE);
  private readonly name: { mark: number; sweep: number; assist: number; procs: number; heap: number; goal: number };
  private readonly stringIds = new Map<number, number>();
  private readonly stackIds = new Map<number, number>();
  private readonly blocked: Uint8Array;
  /** The next ordered event to convert; −1 before the first slice, −2 after the last. */
  private k = -1;
  /** Times count from the first event, the leading Sync: added to each slice's times. */
  private readonly shift: number;

  constructor(private readonly t: RawTrace, private readonly order: Int32Array, private readonly strings: StringTable,
    private readonly stacks: StackTable, private readonly slice: number) {
    // Room for every event of a slice: one each, two for a syscall or a labelled start, and the Syncs.
    let room = 2;
    const type = t.events.type;
    for (let k = 0; k < order.length && room < slice + SLACK; k++) {
      const typ = type[order[k]];
      room += typ === Ev.GoSysCall || typ === Ev.GoStartLabel ? 2 : 1;
    }
    this.out = new EventBuilder(Math.max(16, Math.min(room, slice + SLACK)));
    for (const [ev, r] of REASONS) this.reason[ev] = strings.intern(r);
    this.name = {
      mark: strings.intern(RANGE_GC_MARK), sweep: strings.intern(RANGE_SWEEP), assist: strings.intern(RANGE_MARK_ASSIST),
      procs: strings.intern(METRIC_GOMAXPROCS), heap: strings.intern(METRIC_HEAP_IN_USE), goal: strings.intern(METRIC_HEAP_GOAL),
    };
    this.blocked = this.syscallsThatBlock();
    this.shift = order.length > 0 ? -(t.events.ts[order[0]] - 1) : 0;
  }

  /** The next slice of converted events (valid until the next call), or undefined after the last. */
  next(): EventBuilder | undefined {
    if (this.k === -2) return undefined;
    const order = this.order;
    const n = order.length;
    const out = this.out;
    out.reset();
    if (this.k === -1) {
      this.k = 0;
      if (n > 0) {
        const i = out.add(EventKind.Sync, this.t.events.ts[order[0]] - 1, NONE, NONE, NONE, NONE);
        out.a[i] = 1;
      }
    }
    const blocked = this.blocked;
    let k = this.k;
    for (; k < n && out.count < this.slice; k++) this.event(order[k], blocked[k] === 1);
    this.k = k;
    if (k === n) {
      const i = out.add(EventKind.Sync, this.lastTs + 1, NONE, NONE, NONE, NONE);
      out.a[i] = n > 0 ? 2 : 1;
      this.k = -2;
    }
    const shift = this.shift;
    if (shift !== 0) for (let j = 0; j < out.count; j++) out.time[j] += shift;
    return out;
  }

  /** Whether events remain after the last slice handed out. */
  get more(): boolean {
    return this.k !== -2;
  }

  /** For each GoSysCall: is the next event of its goroutine a GoSysBlock? */
  private syscallsThatBlock(): Uint8Array {
    const order = this.order;
    const { type, g } = this.t.events;
    const flags = new Uint8Array(order.length);
    const nextType = new Map<number, number>();
    for (let k = order.length - 1; k >= 0; k--) {
      const e = order[k];
      const typ = type[e];
      if (typ === Ev.GoSysCall && nextType.get(g[e]) === Ev.GoSysBlock) flags[k] = 1;
      nextType.set(g[e], typ);
    }
    return flags;
  }

  /** Adds an event, keeping times strictly increasing as the reference does. */
  private add(kind: EventKind, time: number, g: number, p: number, m: number, stack: number): number {
    if (time <= this.lastTs) time = this.lastTs + 1;
    this.lastTs = time;
    return this.out.add(kind, time, g, p, m, stack);
  }

  private goTransition(i: number, id: number, from: GoState, to: GoState, reason = NONE, stack2 = NONE): void {
    const o = this.out;
    o.r[i] = ResourceKind.Goroutine; o.a[i] = id; o.b[i] = from; o.c[i] = to; o.s1[i] = reason; o.stack2[i] = stack2;
  }

  private procTransition(i: number, id: number, from: ProcState, to: ProcState): void {
    const o = this.out;
    o.r[i] = ResourceKind.Proc; o.a[i] = id; o.b[i] = from; o.c[i] = to;
  }

  private range(i: number, name: number, scope: ResourceKind, id: number): void {
    const o = this.out;
    o.s1[i] = name; o.r[i] = scope; o.a[i] = id;
  }

  private str(id: number): number {
    let s = this.stringIds.get(id);
    if (s === undefined) {
      s = this.strings.intern(this.t.strings.get(id) ?? '');
      this.stringIds.set(id, s);
    }
    return s;
  }

  private stack(id: number): number {
    if (id === 0) return NONE;
    let s = this.stackIds.get(id);
    if (s === undefined) {
      const pcs = this.t.stacks.get(id);
      s = pcs ? this.stacks.intern(pcs.map((pc) => {
        const f = this.t.pcs.get(pc)!;
        return { pc, fn: this.t.strings.get(f.fn) ?? '', file: this.t.strings.get(f.file) ?? '', line: f.line };
      })) : NONE;
      this.stackIds.set(id, s);
    }
    return s;
  }

  private event(e: number, blocked: boolean): void {
    const ev = this.t.events;
    const typ = ev.type[e];
    const time = ev.ts[e];
    const rawG = ev.g[e];
    const P = ev.p[e];
    const a0 = ev.a0[e];

    // Events that skip, or that build their own context.
    switch (typ) {
      case Ev.Gomaxprocs:
        if (this.preInit) {
          // The first Gomaxprocs ends the trace's opening enumeration of goroutines.
          this.preInit = false;
          for (const id of this.createdPreInit) {
            const i = this.add(EventKind.StateTransition, time, NONE, NONE, NONE, NONE);
            this.goTransition(i, id, GoState.Undetermined, GoState.Runnable);
          }
          this.createdPreInit.clear();
          return;
        }
        break;
      case Ev.GoCreate:
        if (this.preInit) { this.createdPreInit.add(a0); return; }
        break;
      case Ev.GoSysBlock:
        return;
      case Ev.GoStartLabel: {
        const m = this.procMs.get(P) ?? 0;
        let i = this.add(EventKind.StateTransition, time, rawG, P, m, NONE);
        this.goTransition(i, a0, GoState.Runnable, GoState.Running);
        i = this.add(EventKind.Label, time, rawG, P, m, NONE);
        this.out.r[i] = ResourceKind.Goroutine; this.out.a[i] = rawG; this.out.s1[i] = this.str(ev.a2.get(e));
        return;
      }
      case Ev.GoSysCall:
        if (!blocked) {
          const m = this.procMs.get(P) ?? 0;
          const stack = this.stack(ev.stk[e]);
          let i = this.add(EventKind.StateTransition, time, rawG, P, m, stack);
          this.goTransition(i, rawG, GoState.Running, GoState.Syscall, NONE, stack);
          i = this.add(EventKind.StateTransition, time + 1, rawG, P, m, NONE);
          this.goTransition(i, rawG, GoState.Syscall, GoState.Running);
          return;
        }
        break;
      case Ev.ProcStart:
        this.procMs.set(P, a0);
        break;
    }

    const G = rawG === 0 ? NONE : rawG;
    let M = NONE;
    if (P !== -1 && typ !== Ev.CPUSample) M = this.procMs.get(P) ?? NONE;
    if (typ === Ev.ProcStop) this.procMs.delete(P);
    const o = this.out;

    switch (typ) {
      case Ev.Gomaxprocs: {
        const i = this.add(EventKind.Metric, time, G, P, M, this.stack(ev.stk[e]));
        o.s1[i] = this.name.procs; o.a[i] = a0;
        return;
      }
      case Ev.HeapAlloc: case Ev.HeapGoal: {
        const i = this.add(EventKind.Metric, time, G, P, M, NONE);
        o.s1[i] = typ === Ev.HeapAlloc ? this.name.heap : this.name.goal; o.a[i] = a0;
        return;
      }
      case Ev.ProcStart: case Ev.ProcStop: {
        const i = this.add(EventKind.StateTransition, time, G, P, M, NONE);
        const running = typ === Ev.ProcStart;
        if (this.seenProcs.has(P)) {
          this.procTransition(i, P, running ? ProcState.Idle : ProcState.Running, running ? ProcState.Running : ProcState.Idle);
        } else {
          this.seenProcs.add(P);
          this.procTransition(i, P, ProcState.Undetermined, running ? ProcState.Running : ProcState.Idle);
        }
        return;
      }
      case Ev.GCStart: case Ev.GCDone: {
        const begin = typ === Ev.GCStart;
        const i = this.add(begin ? EventKind.RangeBegin : EventKind.RangeEnd, time, G, P, M, begin ? this.stack(ev.stk[e]) : NONE);
        this.range(i, this.name.mark, ResourceKind.None, NONE);
        return;
      }
      case Ev.STWStart: case Ev.STWDone: {
        const begin = typ === Ev.STWStart;
        if (begin) this.lastStw = stwReason(this.t.minor, a0);
        const i = this.add(begin ? EventKind.RangeBegin : EventKind.RangeEnd, time, G, P, M, NONE);
        this.range(i, this.strings.intern(`stop-the-world (${this.lastStw})`), ResourceKind.Goroutine, G);
        return;
      }
      case Ev.GCSweepStart: case Ev.GCSweepDone: {
        const begin = typ === Ev.GCSweepStart;
        const i = this.add(begin ? EventKind.RangeBegin : EventKind.RangeEnd, time, G, P, M, begin ? this.stack(ev.stk[e]) : NONE);
        this.range(i, this.name.sweep, ResourceKind.Proc, P);
        return;
      }
      case Ev.GCMarkAssistStart: case Ev.GCMarkAssistDone: {
        const begin = typ === Ev.GCMarkAssistStart;
        const i = this.add(begin ? EventKind.RangeBegin : EventKind.RangeEnd, time, G, P, M, begin ? this.stack(ev.stk[e]) : NONE);
        this.range(i, this.name.assist, ResourceKind.Goroutine, G);
        return;
      }
      case Ev.GoCreate: {
        const i = this.add(EventKind.StateTransition, time, G, P, M, this.stack(ev.stk[e]));
        this.goTransition(i, a0, GoState.NotExist, GoState.Runnable, NONE, this.stack(ev.a1[e]));
        return;
      }
      case Ev.GoStart: {
        const i = this.add(EventKind.StateTransition, time, G, P, M, NONE);
        if (this.preInit) {
          this.createdPreInit.delete(a0);
          this.goTransition(i, a0, GoState.Undetermined, GoState.Running);
        } else {
          this.goTransition(i, a0, GoState.Runnable, GoState.Running);
        }
        return;
      }
      case Ev.GoWaiting: case Ev.GoInSyscall: {
        this.createdPreInit.delete(a0);
        const i = this.add(EventKind.StateTransition, time, G, P, M, NONE);
        this.goTransition(i, a0, GoState.Undetermined, typ === Ev.GoWaiting ? GoState.Waiting : GoState.Syscall);
        return;
      }
      case Ev.GoEnd: {
        const i = this.add(EventKind.StateTransition, time, G, P, M, NONE);
        this.goTransition(i, G, GoState.Running, GoState.NotExist);
        return;
      }
      case Ev.GoSched: case Ev.GoPreempt: {
        const stack = this.stack(ev.stk[e]);
        const i = this.add(EventKind.StateTransition, time, G, P, M, stack);
        this.goTransition(i, G, GoState.Running, GoState.Runnable, this.reason[typ], stack);
        return;
      }
      case Ev.GoStop: case Ev.GoSleep: case Ev.GoBlock: case Ev.GoBlockSend: case Ev.GoBlockRecv: case Ev.GoBlockSelect:
      case Ev.GoBlockSync: case Ev.GoBlockCond: case Ev.GoBlockNet: case Ev.GoBlockGC: {
        const stack = this.stack(ev.stk[e]);
        const i = this.add(EventKind.StateTransition, time, G, P, M, stack);
        this.goTransition(i, G, GoState.Running, GoState.Waiting, this.reason[typ], stack);
        return;
      }
      case Ev.GoUnblock: {
        const i = this.add(EventKind.StateTransition, time, G, P, M, this.stack(ev.stk[e]));
        this.goTransition(i, a0, GoState.Waiting, GoState.Runnable);
        return;
      }
      case Ev.GoSysCall: { // it blocked: the matching GoSysExit ends it
        const stack = this.stack(ev.stk[e]);
        const i = this.add(EventKind.StateTransition, time, G, P, M, stack);
        this.goTransition(i, G, GoState.Running, GoState.Syscall, NONE, stack);
        return;
      }
      case Ev.GoSysExit: {
        const i = this.add(EventKind.StateTransition, time, G, P, M, NONE);
        this.goTransition(i, G, GoState.Syscall, GoState.Runnable);
        return;
      }
      case Ev.UserTaskCreate: {
        const i = this.add(EventKind.TaskBegin, time, G, P, M, this.stack(ev.stk[e]));
        const name = this.str(ev.a2.get(e));
        o.a[i] = a0; o.b[i] = ev.a1[e] === 0 ? NONE : ev.a1[e]; o.s1[i] = name;
        this.tasks.set(a0, { name, parent: ev.a1[e] });
        return;
      }
      case Ev.UserTaskEnd: {
        const i = this.add(EventKind.TaskEnd, time, G, P, M, this.stack(ev.stk[e]));
        const task = this.tasks.get(a0);
        o.a[i] = a0;
        if (task) {
          this.tasks.delete(a0);
          o.b[i] = task.parent; o.s1[i] = task.name;
        } else {
          o.s1[i] = this.strings.intern('');
        }
        return;
      }
      case Ev.UserRegion: {
        const i = this.add(ev.a1[e] === 0 ? EventKind.RegionBegin : EventKind.RegionEnd, time, G, P, M, this.stack(ev.stk[e]));
        o.a[i] = a0; o.s1[i] = this.str(ev.a2.get(e));
        return;
      }
      case Ev.UserLog: {
        const i = this.add(EventKind.Log, time, G, P, M, this.stack(ev.stk[e]));
        o.a[i] = a0; o.s1[i] = this.str(ev.a1[e]); o.s2[i] = this.strings.intern(this.t.inline[ev.a2.get(e)]);
        return;
      }
      case Ev.CPUSample:
        this.add(EventKind.StackSample, time, G, P, M, this.stack(ev.stk[e]));
        return;
      default:
        throw corrupt(`unexpected event type ${EV_NAME[typ]} in the ordered trace`, ev.off[e]);
    }
  }
}
