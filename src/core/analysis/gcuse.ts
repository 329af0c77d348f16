// Who uses the CPU for the GC, event by event: the mutator utilization step function the MMU
// is computed from, the GC's proc time by kind (as the MMU takes procs, and as the runtime
// counts CPU: GcCpuUse), and the stacks the model does not keep (where
// mark assists began — the allocations that paid for them — and where cycles were forced).
//
// A proc is taken from the mutator while it runs a background mark worker in dedicated or
// fractional mode (idle-mode workers use procs nobody else wanted), while it runs a goroutine
// inside a mark assist, and — only when asked, as `go tool trace` leaves it out by default —
// while it sweeps. During a GC stop-the-world every proc is taken. Other stop-the-world
// pauses (start trace, GOMAXPROCS, read mem stats…) are not the GC's: they do not count, as
// in Go's own MMU (internal/trace: isGCSTW).
import {
  EventKind, GoState, METRIC_GOMAXPROCS, NONE, ProcState, RANGE_GC_MARK, RANGE_MARK_ASSIST, RANGE_STW_PREFIX, RANGE_SWEEP, ResourceKind, type EventColumns, type StringTable,
} from '../trace/events';
import { StepBuilder, type StepFunction } from './mmu';
import { ById } from './byid';

export interface UtilOptions {
  /** Count GC stop-the-world pauses (default true). */
  stw?: boolean;
  /** Count dedicated and fractional background mark workers (default true). */
  background?: boolean;
  /** Count goroutines running inside a mark assist (default true). */
  assist?: boolean;
  /** Count procs while they sweep (default false, as `go tool trace`). */
  sweep?: boolean;
}

const enum Name { Other, Stw, GcStw, Assist, Sweep, Mark }
const enum LabelKind { Other, Worker, Idle }

interface GState { p: number; worker: boolean; idle: boolean; assist: boolean; assistStart: number; assistStack: number }

export interface AssistRecord { g: number; start: number; end: number; stack: number }

export interface GcUse {
  /** Mutator utilization over [0, end]: the fraction of GOMAXPROCS left to user goroutines. */
  utilization: StepFunction;
  /** Proc-nanoseconds taken by the GC (as counted for utilization) and available in all (∫ GOMAXPROCS dt). */
  gcProcNs: number;
  capacityProcNs: number;
  /** Wall time of GC stop-the-world pauses, and the same in proc-ns (times GOMAXPROCS). */
  gcStwNs: number;
  gcStwProcNs: number;
  /** Proc-ns outside GC stop-the-worlds: background workers (dedicated, fractional), assists while running, idle workers, sweeps. */
  backgroundNs: number;
  assistRunningNs: number;
  idleWorkerNs: number;
  sweepNs: number;
  /** GOMAXPROCS at the end (the procs seen when the trace never says). */
  gomaxprocs: number;
  /** The GC's CPU by kind as the runtime itself counts it (see GcCpuUse). */
  cpu: GcCpuUse;
  /** Every mark assist range, with the stack at its beginning (its allocation). */
  assists: AssistRecord[];
  /** Stack of each GC cycle's beginning, in order (cycles that began inside the trace). */
  cycleStacks: number[];
}

/**
 * The GC's CPU by kind in proc-ns, as the runtime counts it in runtime/metrics
 * (/cpu/classes/gc/pause, /cpu/classes/gc/mark/{dedicated,assist,idle}) — not as the MMU
 * counts a proc taken (the fields above). Two differences, both checked against the runtime
 * on real runs (test/unit/analysis/gccpu.test.ts):
 * - a GC stop-the-world pauses each proc from when it stops (the proc stopping the world and
 *   idle procs at once, a running proc when it leaves the running state) until the world
 *   restarts (the GOMAXPROCS event written by procresize inside the range), as Go 1.23+
 *   counts it (stopTheWorldWithSema's stoppingCPUTime, then × GOMAXPROCS). Go 1.21–1.22
 *   counted the range's wall time × min(GOMAXPROCS, NumCPU) instead;
 * - mark workers and assists count only during a mark phase. The goroutine that ends a mark
 *   (the last worker, or an assist) runs the mark termination and stays "running" in the
 *   trace after the world restarts, while the runtime waits for every proc to flush its caches
 *   (forEachP): milliseconds on a busy machine, and not mark work (gcBgMarkWorker times only
 *   its drain, gcAssistAlloc1 only the assist's work).
 * What the trace cannot tell apart: a worker or assist that ends a mark also waits in
 * gcMarkDone's ragged barrier for the other procs to reach a safe point before stopping the
 * world. That wait counts here (the proc is held), not in the runtime: on a machine where
 * preemption is slow these kinds are above the runtime's figures. With `stw: false` there
 * are no pauses, and marking counts through stop-the-worlds.
 */
export interface GcCpuUse {
  pauseNs: number;
  /** Dedicated and fractional mark workers (the runtime's /cpu/classes/gc/mark/dedicated holds both). */
  backgroundNs: number;
  assistNs: number;
  /** Idle-priority mark workers: procs nobody else wanted, left out of GCCPUFraction by the runtime. */
  idleNs: number;
}

export class GcUseCollector {
  private readonly opt: Required<UtilOptions>;
  private readonly nameKind: Name[] = [];
  private readonly labelKind: LabelKind[] = [];
  private readonly gs = new Map<number, GState>();
  /** gs's records found by id (an array for small ids: looked up at every goroutine event). */
  private readonly byId = new ById<GState>();
  /** Per proc: how many reasons make it busy (a busy goroutine on it, a sweep). */
  private readonly procBusy = new Map<number, number>();
  private readonly sweeping = new Set<number>();
  private busyProcs = 0;
  private stwDepth = 0;
  /** Whether a GC mark phase is in progress: 0 not known yet (no mark range seen), 1 yes, 2 no. */
  private mark: 0 | 1 | 2 = 0;
  /** Procs in the running state (running a goroutine or the scheduler). */
  private readonly procRunning = new Set<number>();
  /** The goroutine and proc that stopped the world (GC stop-the-worlds), and whether the world has restarted since. */
  private stwG = NONE;
  private stwP = NONE;
  private worldStarted = false;
  /** GOMAXPROCS last seen (0: not yet), and pause wall time before it was (times GOMAXPROCS in finish, as its first value holds). */
  private procs = 0;
  private pauseWallNoProcs = 0;
  private last = 0;
  private maxProc = -1;
  /** Per event time: −1 during a GC stop-the-world, else the busy procs. */
  private readonly state = new StepBuilder();
  private readonly gmp = new StepBuilder();
  private readonly use = { backgroundNs: 0, assistRunningNs: 0, idleWorkerNs: 0, sweepNs: 0 };
  private readonly cpu: GcCpuUse = { pauseNs: 0, backgroundNs: 0, assistNs: 0, idleNs: 0 };
  private nBg = 0; private nAssist = 0; private nIdle = 0;
  private readonly assists: AssistRecord[] = [];
  private readonly cycleStacks: number[] = [];
  /** Sync events seen: the first generation is before the second. */
  private syncs = 0;
  /**
   * Assists found running at their goroutine's first sighting in the first generation: the
   * status is written lazily, so the proc was assisting since the trace began. Until when.
   */
  private readonly backfill: number[] = [];

  private readonly gomaxprocsName: number;

  constructor(private readonly strings: StringTable, opts: UtilOptions = {}) {
    this.gomaxprocsName = strings.intern(METRIC_GOMAXPROCS);
    this.opt = { stw: opts.stw ?? true, background: opts.background ?? true, assist: opts.assist ?? true, sweep: opts.sweep ?? false };
    this.state.push(0, 0);
  }

  add(ev: EventColumns): void {
    // The columns read at every event, once.
    const times = ev.time, kinds = ev.kind, rs = ev.r, ids = ev.a, tos = ev.c, ps = ev.p;
    for (let i = 0, n = ev.count; i < n; i++) {
      const t = times[i];
      this.advance(t);
      switch (kinds[i]) {
        case EventKind.Sync:
          this.syncs++;
          break;
        case EventKind.StateTransition:
          if (rs[i] === ResourceKind.Goroutine) this.transition(ids[i], tos[i], ps[i]);
          else if (rs[i] === ResourceKind.Proc) {
            if (tos[i] === ProcState.Running) this.procRunning.add(ids[i]); else this.procRunning.delete(ids[i]);
          }
          break;
        case EventKind.Label:
          if (ev.r[i] === ResourceKind.Goroutine || ev.r[i] === ResourceKind.None) this.label(ev.r[i] === ResourceKind.Goroutine ? ev.a[i] : ev.g[i], ev.s1[i]);
          break;
        case EventKind.Metric:
          if (ev.s1[i] === this.gomaxprocsName) {
            this.gmp.push(t, ev.a[i]);
            this.procs = ev.a[i];
            // Written by procresize as the world starts again: the runtime's pause ends here.
            if (this.stwDepth > 0) this.worldStarted = true;
          }
          break;
        case EventKind.RangeBegin: case EventKind.RangeActive:
          this.rangeBegin(ev, i, t);
          break;
        case EventKind.RangeEnd:
          this.rangeEnd(ev, i, t);
          break;
      }
      if (ps[i] > this.maxProc) this.maxProc = ps[i];
      this.state.push(t, this.stwDepth > 0 ? -1 : this.busyProcs);
    }
  }

  finish(end: number): GcUse {
    this.advance(end);
    for (const [g, st] of this.gs) if (st.assist) this.assists.push({ g, start: st.assistStart, end, stack: st.assistStack });
    const state = this.state.finish(end);
    const gmp = this.gmp.finish(end);
    // Before GOMAXPROCS is first known (old-format traces swallow the first value) the first
    // value holds; a trace that never says gets the number of procs seen.
    const fallback = gmp.count ? gmp.value[0] : Math.max(1, this.maxProc + 1);
    const util = new StepBuilder();
    const backfill = this.backfill.slice().sort((a, b) => a - b);
    let gcProcNs = 0, capacityProcNs = 0, gcStwNs = 0, gcStwProcNs = 0;
    // Walk the union of the boundaries of the state, GOMAXPROCS and back-filled assists.
    let i = 0, j = -1, k = 0;
    for (let t = 0; t < end || (t === 0 && end === 0);) {
      while (i + 1 < state.count && state.time[i + 1] <= t) i++;
      while (j + 1 < gmp.count && gmp.time[j + 1] <= t) j++;
      while (k < backfill.length && backfill[k] <= t) k++;
      const procs = j >= 0 ? gmp.value[j] : fallback;
      const st = state.value[i];
      const next = Math.min(end, i + 1 < state.count ? state.time[i + 1] : end, j + 1 < gmp.count ? gmp.time[j + 1] : end, k < backfill.length ? backfill[k] : end);
      const taken = st < 0 ? procs : Math.min(st + backfill.length - k, procs);
      util.push(t, procs > 0 ? 1 - taken / procs : 1);
      const dt = next - t;
      gcProcNs += taken * dt;
      capacityProcNs += procs * dt;
      if (st < 0) { gcStwNs += dt; gcStwProcNs += procs * dt; }
      if (next <= t) break;
      t = next;
    }
    return {
      utilization: util.finish(end), gcProcNs, capacityProcNs, gcStwNs, gcStwProcNs, ...this.use,
      cpu: { ...this.cpu, pauseNs: Math.max(0, this.cpu.pauseNs + this.pauseWallNoProcs * fallback) },
      gomaxprocs: gmp.count ? gmp.value[gmp.count - 1] : fallback, assists: this.assists, cycleStacks: this.cycleStacks,
    };
  }

  /** What finish(end) would return, leaving the collector as it is (the report "so far" of a trace still being read). */
  snapshot(end: number): GcUse {
    // finish() changes only the accrued time, the time of the last event and the assists: put them back.
    const last = this.last, use = { ...this.use }, cpu = { ...this.cpu }, assists = this.assists.length, noProcs = this.pauseWallNoProcs;
    const r = this.finish(end);
    const out = { ...r, assists: r.assists.slice(), cycleStacks: r.cycleStacks.slice() };
    this.last = last;
    this.pauseWallNoProcs = noProcs;
    Object.assign(this.use, use);
    Object.assign(this.cpu, cpu);
    this.assists.length = assists;
    return out;
  }

  /** Accrues the time since the last event to the counters in force. */
  private advance(t: number): void {
    const dt = t - this.last;
    if (dt > 0 && this.stwDepth === 0) {
      this.use.backgroundNs += dt * this.nBg;
      this.use.assistRunningNs += dt * this.nAssist;
      this.use.idleWorkerNs += dt * this.nIdle;
      this.use.sweepNs += dt * this.sweeping.size;
    }
    if (dt > 0) this.advanceCpu(dt);
    if (t > this.last) this.last = t;
  }

  /** The runtime's CPU by kind (GcCpuUse) over dt. */
  private advanceCpu(dt: number): void {
    let bg = this.nBg, assist = this.nAssist, idle = this.nIdle;
    if (this.stwDepth > 0) {
      // The goroutine that stopped the world does the GC's work on a stopped proc: pause, not
      // marking. Other procs in the running state (a goroutine or the scheduler) are still
      // stopping; once the world restarts (GOMAXPROCS event) nothing is paused any more.
      const init = this.stwG !== NONE ? this.gs.get(this.stwG) : undefined;
      if (init && init.p !== NONE) {
        if (init.worker) bg--;
        if (init.assist) assist--;
        if (init.idle) idle--;
      }
      if (!this.worldStarted) {
        this.cpu.pauseNs -= dt * (this.procRunning.size - Number(this.procRunning.has(this.stwP)));
        if (this.procs > 0) this.cpu.pauseNs += dt * this.procs; else this.pauseWallNoProcs += dt;
      }
    }
    if (this.mark !== 2) {
      this.cpu.backgroundNs += dt * bg;
      this.cpu.assistNs += dt * assist;
      this.cpu.idleNs += dt * idle;
    }
  }

  private classify(id: number): Name {
    let k = this.nameKind[id];
    if (k === undefined) {
      const s = this.strings.get(id);
      k = s === RANGE_MARK_ASSIST ? Name.Assist : s === RANGE_SWEEP ? Name.Sweep : s === RANGE_GC_MARK ? Name.Mark
        : s.startsWith(RANGE_STW_PREFIX) ? (s.includes('GC') ? Name.GcStw : Name.Stw) : Name.Other;
      this.nameKind[id] = k;
    }
    return k;
  }

  private labelOf(id: number): LabelKind {
    let k = this.labelKind[id];
    if (k === undefined) {
      const s = this.strings.get(id);
      k = s === 'GC (idle)' ? LabelKind.Idle : s.startsWith('GC ') ? LabelKind.Worker : LabelKind.Other;
      this.labelKind[id] = k;
    }
    return k;
  }

  private g(id: number): GState {
    let s = this.byId.get(id);
    if (!s) { s = { p: NONE, worker: false, idle: false, assist: false, assistStart: 0, assistStack: NONE }; this.gs.set(id, s); this.byId.set(id, s); }
    return s;
  }

  /** Whether goroutine state s takes its proc from the mutator. */
  private takes(s: GState): boolean {
    return s.p !== NONE && ((s.worker && this.opt.background) || (s.assist && this.opt.assist));
  }

  private bump(p: number, d: number): void {
    const before = this.procBusy.get(p) ?? 0;
    const after = before + d;
    this.procBusy.set(p, after);
    if (before === 0 && after > 0) this.busyProcs++;
    else if (before > 0 && after === 0) this.busyProcs--;
  }

  /** Applies a change to a goroutine, keeping the busy-proc and running counts right. */
  private update(id: number, change: (s: GState) => void): void {
    const s = this.g(id);
    const p0 = s.p, took = this.takes(s);
    const bg0 = s.p !== NONE && s.worker, as0 = s.p !== NONE && s.assist, idle0 = s.p !== NONE && s.idle;
    change(s);
    const bg1 = s.p !== NONE && s.worker, as1 = s.p !== NONE && s.assist, idle1 = s.p !== NONE && s.idle;
    this.nBg += Number(bg1) - Number(bg0);
    this.nAssist += Number(as1) - Number(as0);
    this.nIdle += Number(idle1) - Number(idle0);
    const takes = this.takes(s);
    if (took && (!takes || s.p !== p0)) this.bump(p0, -1);
    if (takes && (!took || s.p !== p0)) this.bump(s.p, +1);
  }

  private transition(id: number, to: number, p: number): void {
    // Most goroutines are neither mark workers nor assisting: they take no proc before or after,
    // so only their proc changes (without update's closure, made at every goroutine event).
    const g = this.g(id);
    if (!g.worker && !g.idle && !g.assist) {
      if (to !== GoState.Running) g.p = NONE;
      else if (g.p === NONE) g.p = p;
      // Gone (its id never comes back): its record, all defaults now, is forgotten (a server's
      // trace has hundreds of thousands of goroutines, a few alive at a time).
      if (to === GoState.NotExist) { this.gs.delete(id); this.byId.delete(id); }
      return;
    }
    this.update(id, (s) => {
      if (to === GoState.Running) {
        if (s.p === NONE) { s.p = p; s.worker = false; s.idle = false; }
      } else {
        s.p = NONE; s.worker = false; s.idle = false;
      }
    });
  }

  private label(id: number, label: number): void {
    const k = this.labelOf(label);
    if (k === LabelKind.Other) return;
    this.update(id, (s) => { s.worker = k === LabelKind.Worker; s.idle = k === LabelKind.Idle; });
  }

  private rangeBegin(ev: EventColumns, i: number, t: number): void {
    switch (this.classify(ev.s1[i])) {
      case Name.GcStw:
        if (!this.opt.stw) break;
        if (this.stwDepth++ === 0) {
          this.stwG = ev.r[i] === ResourceKind.Goroutine ? ev.a[i] : ev.g[i];
          this.stwP = ev.p[i];
          this.worldStarted = false;
        }
        break;
      case Name.Assist:
        if (ev.r[i] !== ResourceKind.Goroutine) break;
        this.update(ev.a[i], (s) => {
          if (s.assist) return;
          const active = ev.kind[i] === EventKind.RangeActive;
          s.assist = true; s.assistStart = active ? 0 : t; s.assistStack = ev.stack[i];
          if (active && this.syncs <= 1 && s.p !== NONE && this.opt.assist) {
            this.backfill.push(t);
            this.use.assistRunningNs += t;
            this.cpu.assistNs += t;
          }
        });
        break;
      case Name.Sweep: {
        const p = ev.r[i] === ResourceKind.Proc ? ev.a[i] : ev.p[i];
        if (p === NONE || this.sweeping.has(p)) break;
        this.sweeping.add(p);
        if (this.opt.sweep) this.bump(p, +1);
        break;
      }
      case Name.Mark:
        this.mark = 1;
        if (ev.kind[i] === EventKind.RangeBegin) this.cycleStacks.push(ev.stack[i]);
        break;
    }
  }

  private rangeEnd(ev: EventColumns, i: number, t: number): void {
    switch (this.classify(ev.s1[i])) {
      case Name.GcStw:
        if (this.opt.stw && this.stwDepth > 0) this.stwDepth--;
        break;
      case Name.Assist: {
        if (ev.r[i] !== ResourceKind.Goroutine) break;
        const g = ev.a[i];
        const s = this.g(g);
        // An assist already running when the trace began ends here: it began at the start.
        this.assists.push({ g, start: s.assist ? s.assistStart : 0, end: t, stack: s.assist ? s.assistStack : NONE });
        this.update(g, (st) => { st.assist = false; st.assistStack = NONE; });
        break;
      }
      case Name.Sweep: {
        const p = ev.r[i] === ResourceKind.Proc ? ev.a[i] : ev.p[i];
        if (!this.sweeping.delete(p)) break;
        if (this.opt.sweep) this.bump(p, -1);
        break;
      }
      case Name.Mark:
        this.mark = 2;
        break;
    }
  }
}
