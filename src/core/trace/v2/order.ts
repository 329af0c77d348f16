// The ordering state machine: a model of the scheduler (which G and P each M holds, each
// G's and P's status and sequence number, the GC's sequence number) that decides whether
// the next event of a thread may happen now. advance() either takes the event — updating
// the model and writing the event(s) it stands for — or returns false so the caller tries
// another thread. Contradictions throw FormatError: the trace is broken.
//
// Sequence numbers count within a generation; a status event (re)starts a G's or P's count
// at the start of each generation it appears in.
import { FormatError } from '../../errors';
import { EventKind, GoState, NONE, ProcState, ResourceKind } from '../events';
import type { Cursor } from './cursor';
import { IdMap } from './idmap';
import type { MState } from './mstate';
import type { Output } from './output';
import { ARGC, Ev, GoStatus, ProcStatus, evName } from './spec';

const NO_ID = -1;

/** Presence requirements for the M, P and G an event happens on. */
const enum Need { Absent, Any, Present }

const enum GC { Undetermined, NotRunning, Running }

/** Wire status → the state the reader reports. */
const GO_STATE: readonly GoState[] = [GoState.Undetermined, GoState.Runnable, GoState.Running, GoState.Syscall, GoState.Waiting];
const PROC_STATE: readonly ProcState[] = [ProcState.Undetermined, ProcState.Running, ProcState.Idle, ProcState.Running, ProcState.Idle];

interface GState {
  status: number;
  seqGen: number;
  seq: number;
  /** Open user regions as (task, name) pairs, innermost last; nregions numbers are in use. */
  regions: number[] | null;
  nregions: number;
  /** Open special ranges as (begin event type, description) pairs. */
  ranges: number[] | null;
}

interface PState {
  status: number;
  seqGen: number;
  seq: number;
  ranges: number[] | null;
}

/** Trace-wide string ids of the fixed metric and range names. */
export interface Names {
  gcMark: number;
  sweep: number;
  markAssist: number;
  gomaxprocs: number;
  heapObjects: number;
  heapGoal: number;
}

export class Ordering {
  private readonly gs = new IdMap<GState>();
  /**
   * States of goroutines that ended, made again for the next new goroutine: a server's trace
   * creates and ends hundreds of thousands, and a state made for each lived long enough to be
   * promoted to the old space (and grew the young one) before it became garbage.
   */
  private readonly spareGs: GState[] = [];
  private readonly ps = new IdMap<PState>();
  private readonly ms = new IdMap<MState>();
  /** Every thread seen, in order of appearance. */
  private readonly threads: { id: number; s: MState }[] = [];
  private readonly tasks = new Map<number, { name: number; parent: number }>();
  private gcSeq = 0;
  private gcState = GC.Undetermined;
  private initialGen = 0;
  private readonly stwNames = new Map<number, number>();
  private readonly expNames = new Map<number, number>();

  // The context the event happened in (before it), and the thread's context after it.
  private g = NO_ID;
  private p = NO_ID;
  private m = NO_ID;
  private newG = NO_ID;
  private newP = NO_ID;
  private gen = 0;
  private c!: Cursor;

  constructor(private readonly out: Output, private readonly names: Names) {}

  /** Tries to take the cursor's current event. */
  advance(c: Cursor, gen: number): boolean {
    if (this.initialGen === 0) this.initialGen = gen;
    // Stored only when the thread changes. Stored for every event, on a server's trace it ran
    // the write barrier's slow path (RecordWrite) for about every other event: 845K calls, 44M
    // instructions on manygs-8mb's 1.76M events (4.8K calls on pipeline-8mb's 1.58M). Likely a
    // young cursor (made per generation) stored into the old ordering, promoted there early by
    // the goroutine states and id pages a server's trace makes.
    if (this.c !== c) this.c = c;
    this.gen = gen;
    const m = c.m;
    let ms: MState | undefined;
    this.m = m;
    // g and p are stored by the same code with or without a thread: a store only a rare event
    // reaches would have no type feedback, and optimized code deoptimizes when it first runs.
    let g = NO_ID, p = NO_ID;
    if (m !== NO_ID) {
      ms = c.thread;
      if (ms === undefined) {
        ms = this.ms.get(m) ?? this.newThread(m, NO_ID);
        c.thread = ms;
      }
      g = ms.g;
      p = ms.p;
    }
    this.g = g;
    this.p = p;
    this.newG = g;
    this.newP = p;
    this.out.at = c.time;
    const ok = this.dispatch(c.typ);
    if (ok && ms) {
      ms.g = this.newG;
      ms.p = this.newP;
    }
    return ok;
  }

  /**
   * The events nearly every trace is made of (GoStart, GoBlock, GoUnblock: ~99% of them; GoStop,
   * the heap metrics), whose handlers are inlined here and into the reader's loop; every other
   * event goes through one call to rare(), which is not inlined (too rarely taken). A handler
   * inlined into the loop but first reached after it was optimized has no type feedback, and its
   * first event then deoptimizes the whole loop, which is compiled again (8 of the 17 deopts of
   * the 26 MiB bench trace were GC, sweep, proc-steal, create and syscall events doing that).
   */
  private dispatch(typ: number): boolean {
    switch (typ) {
      case Ev.GoStart: return this.goStart();
      case Ev.GoStop:
      case Ev.GoBlock: return this.goStopExec();
      case Ev.GoUnblock: return this.goUnblock();
      case Ev.HeapAlloc:
      case Ev.HeapGoal: return this.heapMetric();
      default: return this.rare(typ);
    }
  }

  /** Every other event (see dispatch). */
  private rare(typ: number): boolean {
    switch (typ) {
      case Ev.ProcStatus: return this.procStatus();
      case Ev.ProcStart: return this.procStart();
      case Ev.ProcStop: return this.procStop();
      case Ev.ProcSteal: return this.procSteal();
      case Ev.GoStatus:
      case Ev.GoStatusStack: return this.goStatus();
      case Ev.GoCreate:
      case Ev.GoCreateBlocked: return this.goCreate();
      case Ev.GoCreateSyscall: return this.goCreateSyscall();
      case Ev.GoDestroy: return this.goDestroy();
      case Ev.GoDestroySyscall: return this.goDestroySyscall();
      case Ev.GoSwitch:
      case Ev.GoSwitchDestroy: return this.goSwitch();
      case Ev.GoSyscallBegin: return this.goSyscallBegin();
      case Ev.GoSyscallEnd: return this.goSyscallEnd();
      case Ev.GoSyscallEndBlocked: return this.goSyscallEndBlocked();
      case Ev.STWBegin:
      case Ev.GCMarkAssistBegin: return this.goRangeBegin();
      case Ev.STWEnd:
      case Ev.GCMarkAssistEnd: return this.goRangeEnd();
      case Ev.GCMarkAssistActive: return this.goRangeActive();
      case Ev.GCActive: return this.gcActive();
      case Ev.GCBegin: return this.gcBegin();
      case Ev.GCEnd: return this.gcEnd();
      case Ev.GCSweepBegin: return this.sweepBegin();
      case Ev.GCSweepActive: return this.sweepActive();
      case Ev.GCSweepEnd: return this.sweepEnd();
      case Ev.ProcsChange:
      case Ev.GoLabel:
      case Ev.UserLog: return this.annotation();
      case Ev.UserTaskBegin: return this.taskBegin();
      case Ev.UserTaskEnd: return this.taskEnd();
      case Ev.UserRegionBegin: return this.regionBegin();
      case Ev.UserRegionEnd: return this.regionEnd();
      default:
        if (typ >= Ev.FirstExperimental) return this.experimental();
        throw this.fail(`${evName(typ)} cannot appear among ordinary events`);
    }
  }

  // ---- procs ----

  private procStatus(): boolean {
    const c = this.c;
    const pid = c.a0;
    const status = c.a1;
    if (!(status >= 0 && status < PROC_STATE.length)) throw this.fail(`invalid status ${status} for proc ${pid}`);
    let from: ProcState = PROC_STATE[status];
    let shown = status;
    const s = this.ps.get(pid);
    if (s) {
      if (status === ProcStatus.SyscallAbandoned && s.status === ProcStatus.Syscall) {
        // Nothing was lost: the P is known to be in its syscall. Report it as running.
        from = ProcState.Running;
        shown = ProcStatus.Syscall;
      } else if (status === ProcStatus.SyscallAbandoned && s.status === ProcStatus.SyscallAbandoned) {
        from = ProcState.Idle;
      } else if (s.status !== status) {
        throw this.fail(`inconsistent status for proc ${pid}: was ${s.status}, now ${status}`);
      }
      s.seqGen = this.gen;
      s.seq = 0;
    } else {
      this.ps.set(pid, newPState(status, this.gen));
      from = this.gen === this.initialGen ? ProcState.Undetermined : ProcState.NotExist;
    }
    if (status === ProcStatus.Running || status === ProcStatus.Syscall) this.newP = pid;
    let g = this.g;
    let p = this.p;
    let m = this.m;
    if (status === ProcStatus.SyscallAbandoned && from === ProcState.Running) {
      // The P is about to be stolen, and this status comes from another thread: report it
      // on the thread that holds it.
      let found = false;
      for (const t of this.threads) {
        if (t.s.p === pid) {
          m = t.id;
          p = pid;
          g = t.s.g;
          found = true;
        }
      }
      if (!found) throw this.fail(`no thread holds proc ${pid}, which is about to be stolen`);
    }
    this.procTransition(g, p, m, pid, from, PROC_STATE[shown]);
    return true;
  }

  private procStart(): boolean {
    const c = this.c;
    const pid = c.a0;
    const s = this.ps.get(pid);
    if (!s || s.status !== ProcStatus.Idle || !succeeds(s, this.gen, c.a1) || this.p !== NO_ID) return false;
    this.need(Need.Present, Need.Absent, Need.Any);
    s.status = ProcStatus.Running;
    s.seqGen = this.gen;
    s.seq = c.a1;
    this.newP = pid;
    this.procTransition(this.g, this.p, this.m, pid, ProcState.Idle, ProcState.Running);
    return true;
  }

  private procStop(): boolean {
    const s = this.ps.get(this.p);
    if (!s) throw this.fail(`ProcStop for proc ${this.p}, which does not exist`);
    if (s.status !== ProcStatus.Running && s.status !== ProcStatus.Syscall) throw this.fail(`ProcStop for proc ${this.p}, which is not running or in a syscall`);
    this.need(Need.Present, Need.Present, Need.Any);
    s.status = ProcStatus.Idle;
    this.newP = NO_ID;
    this.procTransition(this.g, this.p, this.m, this.p, ProcState.Running, ProcState.Idle);
    return true;
  }

  private procSteal(): boolean {
    const c = this.c;
    const pid = c.a0;
    const s = this.ps.get(pid);
    if (!s || (s.status !== ProcStatus.Syscall && s.status !== ProcStatus.SyscallAbandoned) || !succeeds(s, this.gen, c.a1)) return false;
    this.need(Need.Present, Need.Any, Need.Any);
    const old = s.status;
    s.status = ProcStatus.Idle;
    s.seqGen = this.gen;
    s.seq = c.a1;
    if (old === ProcStatus.SyscallAbandoned) {
      // Its thread is unknown, so nothing to take from any M; it shows as idle → idle.
      this.procTransition(this.g, this.p, this.m, pid, ProcState.Idle, ProcState.Idle);
      return true;
    }
    const victim = c.a2;
    if (victim === this.m) {
      // Stealing from itself: a ProcStop by another name.
      if (this.p !== pid) throw this.fail(`thread ${victim} stole proc ${pid} from itself but holds proc ${this.p}`);
      this.newP = NO_ID;
    } else {
      const vs = this.ms.get(victim);
      if (!vs) throw this.fail(`proc ${pid} stolen from thread ${victim}, which was never seen`);
      if (vs.p !== pid) throw this.fail(`proc ${pid} stolen from thread ${victim}, which holds proc ${vs.p}`);
      // The victim is in a syscall; losing its P lets its GoSyscallEndBlocked proceed.
      vs.p = NO_ID;
    }
    this.procTransition(this.g, this.p, this.m, pid, ProcState.Running, ProcState.Idle);
    return true;
  }

  // ---- goroutines ----

  private goStatus(): boolean {
    const c = this.c;
    const gid = c.a0;
    const mid = c.a1;
    const status = c.a2;
    if (!(status >= 0 && status < GO_STATE.length)) throw this.fail(`invalid status ${status} for goroutine ${gid}`);
    let from: GoState = GO_STATE[status];
    const s = this.gs.get(gid);
    if (s) {
      if (s.status !== status) throw this.fail(`inconsistent status for goroutine ${gid}: was ${s.status}, now ${status}`);
      s.seqGen = this.gen;
      s.seq = 0;
    } else if (this.gen === this.initialGen) {
      this.gs.set(gid, this.stateOfNewG(status));
      from = GoState.Undetermined;
    } else {
      throw this.fail(`status for goroutine ${gid} after the first generation, but it was never created`);
    }
    let g = this.g;
    let m = this.m;
    if (status === GoStatus.Running) {
      this.newG = gid;
    } else if (status === GoStatus.Syscall) {
      if (mid === NO_ID) throw this.fail(`goroutine ${gid} in a syscall without a thread`);
      if (mid === this.m) {
        if (this.gen !== this.initialGen && this.g !== gid) throw this.fail(`goroutine ${gid} in a syscall on thread ${mid}, which runs goroutine ${this.g}`);
        this.newG = gid;
      } else {
        // A goroutine that has sat in a syscall on another thread all along.
        const ms = this.ms.get(mid);
        if (ms) {
          if (ms.g !== gid) throw this.fail(`goroutine ${gid} in a syscall on thread ${mid}, which runs goroutine ${ms.g}`);
          g = ms.g;
        } else {
          this.newThread(mid, gid);
        }
        m = mid;
      }
    }
    const stack = this.c.typ === Ev.GoStatusStack ? this.out.stack(c.a3, c.typ) : NONE;
    this.goTransition(g, this.p, m, stack, gid, from, GO_STATE[status], NONE, stack);
    return true;
  }

  private goCreate(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Any);
    const creator = this.gs.get(this.g);
    if (creator && creator.status !== GoStatus.Running) throw this.fail(`goroutine ${this.g} creates another but is not running`);
    const gid = c.a0;
    if (this.gs.has(gid)) throw this.fail(`goroutine ${gid} created twice`);
    const blocked = c.typ === Ev.GoCreateBlocked;
    this.gs.set(gid, this.stateOfNewG(blocked ? GoStatus.Waiting : GoStatus.Runnable));
    const stack = this.out.stack(c.a2, c.typ);
    const start = this.out.stack(c.a1, c.typ);
    this.goTransition(this.g, this.p, this.m, stack, gid, GoState.NotExist, blocked ? GoState.Waiting : GoState.Runnable, NONE, start);
    return true;
  }

  private goCreateSyscall(): boolean {
    // A C thread calling into Go: the goroutine comes into being inside a syscall.
    this.need(Need.Present, Need.Any, Need.Absent);
    const gid = this.c.a0;
    if (this.gs.has(gid)) throw this.fail(`goroutine ${gid} created twice`);
    this.gs.set(gid, this.stateOfNewG(GoStatus.Syscall));
    this.newG = gid;
    this.goTransition(this.g, this.p, this.m, NONE, gid, GoState.NotExist, GoState.Syscall, NONE, NONE);
    return true;
  }

  private goStart(): boolean {
    const c = this.c;
    const gid = c.a0;
    const s = this.gs.get(gid);
    const gen = this.gen, seq = c.a1;
    if (!s || s.status !== GoStatus.Runnable || s.seqGen !== gen || seq !== s.seq + 1) return false;
    const g = this.g, p = this.p, m = this.m;
    if (m === NO_ID || p === NO_ID || g !== NO_ID) this.need(Need.Present, Need.Present, Need.Absent);
    s.status = GoStatus.Running;
    s.seq = seq;
    this.newG = gid;
    this.out.row(EventKind.StateTransition, g, p, m, NONE, ResourceKind.Goroutine, gid, GoState.Runnable, GoState.Running, NONE, NONE, NONE);
    return true;
  }

  /** GoStop, GoBlock. */
  private goStopExec(): boolean {
    const c = this.c;
    const g = this.g, p = this.p, m = this.m, typ = c.typ;
    if (m === NO_ID || p === NO_ID || g === NO_ID) this.need(Need.Present, Need.Present, Need.Present);
    const s = this.gs.get(g);
    if (s === undefined || s.status !== GoStatus.Running) this.running(typ);
    this.newG = NO_ID;
    const stop = typ === Ev.GoStop;
    s!.status = stop ? GoStatus.Runnable : GoStatus.Waiting;
    const out = this.out;
    const reason = out.str(c.a0, typ);
    const stack = out.stack(c.a1, typ);
    out.row(EventKind.StateTransition, g, p, m, stack, ResourceKind.Goroutine, g, GoState.Running, stop ? GoState.Runnable : GoState.Waiting, reason, NONE, stack);
    return true;
  }

  /** The running goroutine ends (the checks of goStopExec, in the same order). */
  private goDestroy(): boolean {
    const g = this.g, p = this.p, m = this.m;
    if (m === NO_ID || p === NO_ID || g === NO_ID) this.need(Need.Present, Need.Present, Need.Present);
    const s = this.gs.get(g);
    if (s === undefined || s.status !== GoStatus.Running) this.running(this.c.typ);
    this.newG = NO_ID;
    this.endG(g);
    this.goTransition(g, p, m, NONE, g, GoState.Running, GoState.NotExist, NONE, NONE);
    return true;
  }

  private goUnblock(): boolean {
    const c = this.c;
    const gid = c.a0;
    const s = this.gs.get(gid);
    const gen = this.gen, seq = c.a1;
    if (!s || s.status !== GoStatus.Waiting || s.seqGen !== gen || seq !== s.seq + 1) return false;
    // Anything may unblock a goroutine (sysmon, too), so the context is not checked.
    s.status = GoStatus.Runnable;
    s.seq = seq;
    const out = this.out;
    const stack = out.stack(c.a2, c.typ);
    out.row(EventKind.StateTransition, this.g, this.p, this.m, stack, ResourceKind.Goroutine, gid, GoState.Waiting, GoState.Runnable, NONE, NONE, NONE);
    return true;
  }

  /** A coroutine switch: unblock the next goroutine, block or end this one, start the next. */
  private goSwitch(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Present);
    const cur = this.running(c.typ);
    const next = c.a0;
    const ns = this.gs.get(next);
    if (!ns || ns.status !== GoStatus.Waiting || !succeeds(ns, this.gen, c.a1)) return false;
    const g = this.g;
    this.goTransition(g, this.p, this.m, NONE, next, GoState.Waiting, GoState.Runnable, NONE, NONE);
    if (c.typ === Ev.GoSwitch) {
      cur.status = GoStatus.Waiting;
      this.goTransition(g, this.p, this.m, NONE, g, GoState.Running, GoState.Waiting, NONE, NONE);
    } else {
      this.endG(g);
      this.goTransition(g, this.p, this.m, NONE, g, GoState.Running, GoState.NotExist, NONE, NONE);
    }
    ns.status = GoStatus.Running;
    ns.seqGen = this.gen;
    ns.seq = c.a1;
    this.newG = next;
    this.goTransition(NO_ID, this.p, this.m, NONE, next, GoState.Runnable, GoState.Running, NONE, NONE);
    return true;
  }

  private goSyscallBegin(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Present);
    const s = this.running(c.typ);
    s.status = GoStatus.Syscall;
    const ps = this.ps.get(this.p);
    if (!ps) throw this.fail(`proc ${this.p} has no status`);
    ps.status = ProcStatus.Syscall;
    // The P's sequence number here only disambiguates later steals; it must line up.
    if (!succeeds(ps, this.gen, c.a0)) throw this.fail(`proc ${this.p} sequence ${c.a0} does not follow ${ps.seq}`);
    ps.seqGen = this.gen;
    ps.seq = c.a0;
    const stack = this.out.stack(c.a1, c.typ);
    this.goTransition(this.g, this.p, this.m, stack, this.g, GoState.Running, GoState.Syscall, NONE, stack);
    return true;
  }

  private goSyscallEnd(): boolean {
    this.need(Need.Present, Need.Present, Need.Present);
    const s = this.gs.get(this.g);
    if (!s) throw this.fail(`goroutine ${this.g} does not exist`);
    if (s.status !== GoStatus.Syscall) throw this.fail(`goroutine ${this.g} is not in a syscall`);
    s.status = GoStatus.Running;
    const ps = this.ps.get(this.p);
    if (!ps) throw this.fail(`proc ${this.p} has no status`);
    if (ps.status !== ProcStatus.Syscall) throw this.fail(`proc ${this.p} is not in a syscall`);
    ps.status = ProcStatus.Running;
    this.goTransition(this.g, this.p, this.m, NONE, this.g, GoState.Syscall, GoState.Running, NONE, NONE);
    return true;
  }

  private goSyscallEndBlocked(): boolean {
    // Waits until the thread has lost its P (stopped or stolen): while the P is still in
    // the syscall, the event lies in the future.
    if (this.p !== NO_ID) {
      const ps = this.ps.get(this.p);
      if (!ps) throw this.fail(`proc ${this.p} has no status`);
      if (ps.status === ProcStatus.Syscall) return false;
    }
    this.need(Need.Present, Need.Any, Need.Present);
    const s = this.gs.get(this.g);
    if (!s) throw this.fail(`goroutine ${this.g} does not exist`);
    if (s.status !== GoStatus.Syscall) throw this.fail(`goroutine ${this.g} is not in a syscall`);
    this.newG = NO_ID;
    s.status = GoStatus.Runnable;
    this.goTransition(this.g, this.p, this.m, NONE, this.g, GoState.Syscall, GoState.Runnable, NONE, NONE);
    return true;
  }

  private goDestroySyscall(): boolean {
    this.need(Need.Present, Need.Any, Need.Present);
    const s = this.gs.get(this.g);
    if (!s) throw this.fail(`goroutine ${this.g} does not exist`);
    if (s.status !== GoStatus.Syscall) throw this.fail(`goroutine ${this.g} is not in a syscall`);
    this.endG(this.g);
    this.newG = NO_ID;
    if (this.p !== NO_ID) {
      // The thread may exit and its id be reused: give up its P now, as a steal of itself.
      const ps = this.ps.get(this.p);
      if (!ps) throw this.fail(`proc ${this.p} has no status`);
      if (ps.status !== ProcStatus.Syscall) throw this.fail(`proc ${this.p} is not in a syscall`);
      ps.status = ProcStatus.SyscallAbandoned;
      this.newP = NO_ID;
      this.procTransition(this.g, this.p, this.m, this.p, ProcState.Running, ProcState.Idle);
    }
    this.goTransition(this.g, this.p, this.m, NONE, this.g, GoState.Syscall, GoState.NotExist, NONE, NONE);
    return true;
  }

  // ---- ranges: STW and mark assist (per goroutine), sweep (per proc), GC (global) ----

  private goRangeBegin(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Present);
    const stw = c.typ === Ev.STWBegin;
    const desc = stw ? this.out.str(c.a0, c.typ) : NONE;
    const s = this.gs.get(this.g);
    if (!s) throw this.fail(`goroutine ${this.g} has no status`);
    s.ranges = beginRange(s.ranges, c.typ, desc, () => this.fail(`${evName(c.typ)} while the same range is open`));
    const stack = this.out.stack(stw ? c.a1 : c.a0, c.typ);
    this.range(EventKind.RangeBegin, stack, stw ? this.stwName(desc) : this.names.markAssist, ResourceKind.Goroutine, this.g);
    return true;
  }

  private goRangeActive(): boolean {
    const gid = this.c.a0;
    const s = this.gs.get(gid);
    if (!s) throw this.fail(`goroutine ${gid} has no status`);
    s.ranges = activeRange(s.ranges, Ev.GCMarkAssistBegin, this.gen === this.initialGen, (msg) => this.fail(msg));
    this.range(EventKind.RangeActive, NONE, this.names.markAssist, ResourceKind.Goroutine, gid);
    return true;
  }

  private goRangeEnd(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Present);
    const s = this.gs.get(this.g);
    if (!s) throw this.fail(`goroutine ${this.g} has no status`);
    const stw = c.typ === Ev.STWEnd;
    const desc = endRange(s.ranges, stw ? Ev.STWBegin : Ev.GCMarkAssistBegin);
    if (desc === undefined) throw this.fail(`${evName(c.typ)} without its begin`);
    this.range(EventKind.RangeEnd, NONE, stw ? this.stwName(desc) : this.names.markAssist, ResourceKind.Goroutine, this.g);
    return true;
  }

  private gcActive(): boolean {
    const seq = this.c.a0;
    if (this.gen === this.initialGen) {
      if (this.gcState !== GC.Undetermined) throw this.fail('GCActive in the first generation after other GC events');
      this.gcSeq = seq;
      this.gcState = GC.Running;
      this.range(EventKind.RangeActive, NONE, this.names.gcMark, ResourceKind.None, NONE);
      return true;
    }
    if (seq !== this.gcSeq + 1) return false;
    if (this.gcState !== GC.Running) throw this.fail('GCActive while no GC runs');
    this.gcSeq = seq;
    this.need(Need.Present, Need.Present, Need.Present);
    this.range(EventKind.RangeActive, NONE, this.names.gcMark, ResourceKind.None, NONE);
    return true;
  }

  private gcBegin(): boolean {
    const c = this.c;
    const seq = c.a0;
    if (this.gcState === GC.Undetermined) {
      this.gcSeq = seq;
      this.gcState = GC.Running;
      this.range(EventKind.RangeBegin, this.out.stack(c.a1, c.typ), this.names.gcMark, ResourceKind.None, NONE);
      return true;
    }
    if (seq !== this.gcSeq + 1) return false;
    if (this.gcState === GC.Running) throw this.fail('GCBegin while a GC runs');
    this.gcSeq = seq;
    this.gcState = GC.Running;
    this.need(Need.Present, Need.Present, Need.Present);
    this.range(EventKind.RangeBegin, this.out.stack(c.a1, c.typ), this.names.gcMark, ResourceKind.None, NONE);
    return true;
  }

  private gcEnd(): boolean {
    const seq = this.c.a0;
    if (seq !== this.gcSeq + 1) return false;
    if (this.gcState === GC.NotRunning) throw this.fail('GCEnd while no GC runs');
    if (this.gcState === GC.Undetermined) throw this.fail('GCEnd before any GC event');
    this.gcSeq = seq;
    this.gcState = GC.NotRunning;
    this.need(Need.Present, Need.Present, Need.Present);
    this.range(EventKind.RangeEnd, NONE, this.names.gcMark, ResourceKind.None, NONE);
    return true;
  }

  private sweepBegin(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Any);
    const ps = this.ps.get(this.p);
    if (!ps) throw this.fail(`proc ${this.p} has no status`);
    ps.ranges = beginRange(ps.ranges, Ev.GCSweepBegin, NONE, () => this.fail('GCSweepBegin while a sweep is open'));
    this.range(EventKind.RangeBegin, this.out.stack(c.a0, c.typ), this.names.sweep, ResourceKind.Proc, this.p);
    return true;
  }

  private sweepActive(): boolean {
    const pid = this.c.a0;
    const ps = this.ps.get(pid);
    if (!ps) throw this.fail(`GCSweepActive for unknown proc ${pid}`);
    ps.ranges = activeRange(ps.ranges, Ev.GCSweepBegin, this.gen === this.initialGen, (msg) => this.fail(msg));
    this.range(EventKind.RangeActive, NONE, this.names.sweep, ResourceKind.Proc, pid);
    return true;
  }

  private sweepEnd(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Any);
    const ps = this.ps.get(this.p);
    if (!ps) throw this.fail(`proc ${this.p} has no status`);
    if (endRange(ps.ranges, Ev.GCSweepBegin) === undefined) throw this.fail('GCSweepEnd without its begin');
    const i = this.range(EventKind.RangeEnd, NONE, this.names.sweep, ResourceKind.Proc, this.p);
    // The range's attributes: bytes swept and bytes reclaimed.
    this.out.b.b[i] = c.a0;
    this.out.b.c[i] = c.a1;
    return true;
  }

  // ---- metrics and annotations ----

  private heapMetric(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Any);
    const i = this.out.add(EventKind.Metric, c.time, this.g, this.p, this.m, NONE);
    this.out.b.a[i] = c.a0;
    this.out.b.s1[i] = c.typ === Ev.HeapAlloc ? this.names.heapObjects : this.names.heapGoal;
    return true;
  }

  private annotation(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Present);
    const out = this.out;
    const b = out.b;
    if (c.typ === Ev.ProcsChange) {
      const stack = out.stack(c.a1, c.typ);
      const i = out.add(EventKind.Metric, c.time, this.g, this.p, this.m, stack);
      b.a[i] = c.a0;
      b.s1[i] = this.names.gomaxprocs;
    } else if (c.typ === Ev.GoLabel) {
      const label = out.str(c.a0, c.typ);
      const i = out.add(EventKind.Label, c.time, this.g, this.p, this.m, NONE);
      b.r[i] = ResourceKind.Goroutine;
      b.a[i] = this.g;
      b.s1[i] = label;
    } else {
      const cat = out.str(c.a1, c.typ);
      const msg = out.str(c.a2, c.typ);
      const stack = out.stack(c.a3, c.typ);
      const i = out.add(EventKind.Log, c.time, this.g, this.p, this.m, stack);
      b.a[i] = c.a0;
      b.s1[i] = cat;
      b.s2[i] = msg;
    }
    return true;
  }

  private taskBegin(): boolean {
    const c = this.c;
    const id = c.a0;
    if (this.tasks.has(id)) throw this.fail(`task ${id} begins twice`);
    // Parent 0 means "no parent" here, not the background task.
    const parent = c.a1 === 0 ? NO_ID : c.a1;
    const name = this.out.str(c.a2, c.typ);
    this.tasks.set(id, { name, parent });
    this.need(Need.Present, Need.Present, Need.Present);
    const stack = this.out.stack(c.a3, c.typ);
    const i = this.out.add(EventKind.TaskBegin, c.time, this.g, this.p, this.m, stack);
    this.out.b.a[i] = id;
    this.out.b.b[i] = parent;
    this.out.b.s1[i] = name;
    return true;
  }

  private taskEnd(): boolean {
    const c = this.c;
    const id = c.a0;
    // The task may have begun in an earlier generation, or before the trace.
    const t = this.tasks.get(id);
    if (t) this.tasks.delete(id);
    this.need(Need.Present, Need.Present, Need.Present);
    const stack = this.out.stack(c.a1, c.typ);
    const i = this.out.add(EventKind.TaskEnd, c.time, this.g, this.p, this.m, stack);
    this.out.b.a[i] = id;
    this.out.b.b[i] = t ? t.parent : NO_ID;
    this.out.b.s1[i] = t ? t.name : NONE;
    return true;
  }

  private regionBegin(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Present);
    const name = this.out.str(c.a1, c.typ);
    const s = this.gs.get(this.g);
    if (!s) throw this.fail(`region begins on goroutine ${this.g}, which has no status`);
    const r = (s.regions ??= []);
    r[s.nregions] = c.a0;
    r[s.nregions + 1] = name;
    s.nregions += 2;
    this.region(EventKind.RegionBegin, c.a0, name, c.a2);
    return true;
  }

  private regionEnd(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Present, Need.Present);
    const name = this.out.str(c.a1, c.typ);
    const s = this.gs.get(this.g);
    if (!s) throw this.fail(`region ends on goroutine ${this.g}, which has no status`);
    const r = s.regions;
    const n = s.nregions;
    // A region that began before the trace started is unknown; its end is fine.
    if (r && n > 0) {
      if (r[n - 2] !== c.a0 || r[n - 1] !== name) {
        throw this.fail(`region ${this.out.strings.get(name)} (task ${c.a0}) ends on goroutine ${this.g}, but the innermost open one is ${this.out.strings.get(r[n - 1])} (task ${r[n - 2]})`);
      }
      s.nregions = n - 2;
    }
    this.region(EventKind.RegionEnd, c.a0, name, c.a2);
    return true;
  }

  private experimental(): boolean {
    const c = this.c;
    this.need(Need.Present, Need.Any, Need.Any);
    const i = this.out.add(EventKind.Experimental, c.time, this.g, this.p, this.m, NONE);
    const b = this.out.b;
    let name = this.expNames.get(c.typ);
    if (name === undefined) {
      name = this.out.strings.intern(evName(c.typ));
      this.expNames.set(c.typ, name);
    }
    b.s1[i] = name;
    // Arguments the event does not have stay NONE.
    const argc = ARGC[c.typ];
    b.a[i] = c.a0;
    if (argc > 1) b.b[i] = c.a1;
    if (argc > 2) b.c[i] = c.a2;
    return true;
  }

  // ---- helpers ----

  /** A new goroutine's state: an ended one's, made again, or a new one. */
  private stateOfNewG(status: number): GState {
    const s = this.spareGs.pop();
    if (s === undefined) return newGState(status, this.gen);
    s.status = status;
    s.seqGen = this.gen;
    s.seq = 0;
    s.regions = null;
    s.nregions = 0;
    s.ranges = null;
    return s;
  }

  /** A goroutine ends: its state is forgotten (and kept to be made again for a new one). */
  private endG(id: number): void {
    const s = this.gs.get(id);
    this.gs.delete(id);
    if (s !== undefined) this.spareGs.push(s);
  }

  private newThread(id: number, g: number): MState {
    const s: MState = { g, p: NO_ID };
    this.ms.set(id, s);
    this.threads.push({ id, s });
    return s;
  }

  /** The current goroutine's state, which must be running. */
  private running(typ: number): GState {
    const s = this.gs.get(this.g);
    if (!s) throw this.fail(`${evName(typ)} for goroutine ${this.g}, which does not exist`);
    if (s.status !== GoStatus.Running) throw this.fail(`${evName(typ)} for goroutine ${this.g}, which is not running`);
    return s;
  }

  private need(m: Need, p: Need, g: Need): void {
    if (m === Need.Present && this.m === NO_ID) throw this.fail('expected a thread but had none');
    if (p === Need.Present && this.p === NO_ID) throw this.fail("expected a proc but didn't have one");
    if (p === Need.Absent && this.p !== NO_ID) throw this.fail('expected no proc but had one');
    if (g === Need.Present && this.g === NO_ID) throw this.fail("expected a goroutine but didn't have one");
    if (g === Need.Absent && this.g !== NO_ID) throw this.fail('expected no goroutine but had one');
  }

  private goTransition(g: number, p: number, m: number, stack: number, gid: number, from: GoState, to: GoState, reason: number, stack2: number): void {
    this.out.row(EventKind.StateTransition, g, p, m, stack, ResourceKind.Goroutine, gid, from, to, reason, NONE, stack2);
  }

  private procTransition(g: number, p: number, m: number, pid: number, from: ProcState, to: ProcState): void {
    this.out.row(EventKind.StateTransition, g, p, m, NONE, ResourceKind.Proc, pid, from, to, NONE, NONE, NONE);
  }

  private range(kind: EventKind, stack: number, name: number, scope: ResourceKind, id: number): number {
    return this.out.row(kind, this.g, this.p, this.m, stack, scope, id, NONE, NONE, name, NONE, NONE);
  }

  private region(kind: EventKind, task: number, name: number, stackId: number): void {
    const stack = this.out.stack(stackId, this.c.typ);
    this.out.row(kind, this.g, this.p, this.m, stack, ResourceKind.None, task, NONE, NONE, name, NONE, NONE);
  }

  private stwName(desc: number): number {
    let id = this.stwNames.get(desc);
    if (id === undefined) {
      id = this.out.strings.intern(`stop-the-world (${this.out.strings.get(desc)})`);
      this.stwNames.set(desc, id);
    }
    return id;
  }

  private fail(msg: string): FormatError {
    const c = this.c;
    return new FormatError(`broken trace: generation ${this.gen}: ${evName(c.typ)} on thread ${c.m}: ${msg}`, c.offset, 'the trace is corrupt');
  }
}

// A G's or P's state is made in one place each. Its seqGen is written twice (an impossible
// generation, then its own), so that V8 takes the field for one that changes from the first
// object on: a field that has only ever held its first value is taken as a constant, and the
// optimized code that read it (GoStart's and GoUnblock's checks, inlined into the reader's
// loop) was thrown away when the second generation's status events first rewrote it.
function newGState(status: number, gen: number): GState {
  const s: GState = { status, seqGen: -1, seq: 0, regions: null, nregions: 0, ranges: null };
  s.seqGen = gen;
  return s;
}

function newPState(status: number, gen: number): PState {
  const s: PState = { status, seqGen: -1, seq: 0, ranges: null };
  s.seqGen = gen;
  return s;
}

function succeeds(s: { seqGen: number; seq: number }, gen: number, seq: number): boolean {
  return s.seqGen === gen && seq === s.seq + 1;
}

function hasRange(r: number[] | null, typ: number, desc: number): boolean {
  if (!r) return false;
  for (let i = 0; i < r.length; i += 2) if (r[i] === typ && r[i + 1] === desc) return true;
  return false;
}

function beginRange(r: number[] | null, typ: number, desc: number, err: () => FormatError): number[] {
  if (hasRange(r, typ, desc)) throw err();
  const out = r ?? [];
  out.push(typ, desc);
  return out;
}

/** A range already open when the trace (first generation) started, or a check that it still is. */
function activeRange(r: number[] | null, typ: number, initial: boolean, err: (msg: string) => FormatError): number[] | null {
  if (initial) {
    if (hasRange(r, typ, NONE)) throw err(`${evName(typ)} range reported active twice`);
    const out = r ?? [];
    out.push(typ, NONE);
    return out;
  }
  if (!hasRange(r, typ, NONE)) throw err(`${evName(typ)} range reported active but was never begun`);
  return r;
}

/** Closes the first open range of that type (swap-remove, as the reference); its description, or undefined. */
function endRange(r: number[] | null, typ: number): number | undefined {
  if (!r) return undefined;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] === typ) {
      const desc = r[i + 1];
      const last = r.length - 2;
      r[i] = r[last];
      r[i + 1] = r[last + 1];
      r.length = last;
      return desc;
    }
  }
  return undefined;
}
