// Goroutine analysis, as `go tool trace`'s Goroutines pages show it: per goroutine, where its
// time went (running, runnable, blocked by Go's reason, in a syscall, unaccounted) and the
// special ranges it spent time in (GC mark assist, sweep, stop-the-world); per start
// function, the same summed. The time accounting follows Go's internal/trace Summarizer
// (summary.go) state for state, so the numbers are Go's to the nanosecond — its quirks too
// (a syscall still blocked at the end counts as scheduler wait; a goroutine blocked
// "forever" ends there). The classification below is exported so other views (per-goroutine
// flame graphs with off-CPU states) can share it.
import {
  EventKind, GoState, NONE, ProcState, RANGE_MARK_ASSIST, RANGE_SWEEP, ResourceKind,
  type EventColumns, type StackTable, type StringTable,
} from '../trace/events';
import type { Collector, CollectorFactory } from '../runtime/pass';
import { ById } from './byid';

/** Non-overlapping times of one goroutine (or a group's sum), in ns, and its total presence. */
export interface GoroutineTimes {
  /** "Execution time": running on a P. */
  execNs: number;
  /** "Sched wait time": runnable, waiting for a P. */
  schedWaitNs: number;
  /** "Block time (<reason>)", by Go's reason string ("chan receive", "sync", "network", …). */
  blockNs: Record<string, number>;
  /** "Syscall execution time": in a syscall while holding its P. */
  syscallNs: number;
  /** "Block time (syscall)": in a syscall after its P was taken away. */
  syscallBlockNs: number;
  /** "Unknown time": what the others leave of the total. */
  unknownNs: number;
  /** "Total time": from its first appearance (or the trace's start) to its end (or the trace's). */
  totalNs: number;
  /** Special ranges (overlap the times above): "GC mark assist", "GC incremental sweep", "stop-the-world (…)". */
  rangeNs: Record<string, number>;
}

export interface GoroutineStat extends GoroutineTimes {
  id: number;
  /** The start function ("" when no stack of it was seen, as Go's "(Inactive, no stack trace sampled)"). */
  startFunction: string;
  /** ns since the trace's first event: first seen, first ran (null: never), ended (null: did not). */
  creationNs: number;
  startNs: number | null;
  endNs: number | null;
}

export interface GoroutineGroup extends GoroutineTimes {
  startFunction: string;
  count: number;
  /** The group's goroutine ids, ascending. */
  ids: number[];
}

export interface GoroutineReport {
  /** Execution time of every goroutine (the denominator of a group's share). */
  totalExecNs: number;
  /** Groups by execution time, most first (as /goroutines), then by name. */
  groups: GoroutineGroup[];
  /** Every goroutine, by id. */
  goroutines: GoroutineStat[];
}

/** The coarse kinds of being blocked a table shows in columns; Go's reasons map onto them. */
export type BlockKind = 'sync' | 'chan' | 'net' | 'sleep' | 'other';
export const BLOCK_KINDS: readonly BlockKind[] = ['sync', 'chan', 'net', 'sleep', 'other'];

/** Which column a Go block reason belongs to (runtime/traceruntime.go's reason strings). */
export function blockKind(reason: string): BlockKind {
  switch (reason) {
    case 'sync': case 'sync.(*Cond).Wait': return 'sync';
    case 'chan send': case 'chan receive': case 'select': return 'chan';
    case 'network': return 'net';
    case 'sleep': return 'sleep';
    default: return 'other';
  }
}

/** A times record's blocked time summed by kind. */
export function blockByKind(t: Pick<GoroutineTimes, 'blockNs'>): Record<BlockKind, number> {
  const out: Record<BlockKind, number> = { sync: 0, chan: 0, net: 0, sleep: 0, other: 0 };
  for (const [reason, ns] of Object.entries(t.blockNs)) out[blockKind(reason)] += ns;
  return out;
}

/** GC mark assist and sweep time of a times record (ranges; they overlap the other times). */
export function assistNs(t: Pick<GoroutineTimes, 'rangeNs'>): number { return t.rangeNs[RANGE_MARK_ASSIST] ?? 0; }
export function sweepNs(t: Pick<GoroutineTimes, 'rangeNs'>): number { return t.rangeNs[RANGE_SWEEP] ?? 0; }

/** Go's "Unknown time": the total less every non-overlapping time, never below zero. */
function unknown(t: GoroutineTimes): number {
  let sum = t.execNs + t.schedWaitNs + t.syscallNs + t.syscallBlockNs;
  for (const v of Object.values(t.blockNs)) sum += v;
  return sum < t.totalNs ? t.totalNs - sum : 0;
}

const UNSET = NaN;
const set = (t: number) => !Number.isNaN(t);

/** One goroutine while the pass runs: its times so far and the open intervals. */
class Tracked {
  name = '';
  startNs = UNSET;
  endNs = UNSET;
  execNs = 0; schedWaitNs = 0; syscallNs = 0; syscallBlockNs = 0; totalNs = 0;
  // Made at their first entry (a server's trace has hundreds of thousands of goroutines, most
  // never in a range; three empty maps each were a good part of the memory while it was read).
  blockNs: Map<string, number> | undefined;
  rangeNs: Map<string, number> | undefined;
  // Open intervals (UNSET when closed); Go keeps these in goroutineSummary.
  lastStart = UNSET; lastRunnable = UNSET; lastBlock = UNSET; lastBlockReason = '';
  lastSyscall = UNSET; lastSyscallBlock = UNSET;
  lastRange: Map<string, number> | undefined;

  constructor(readonly id: number, readonly creationNs: number) {}

  addBlock(reason: string, dt: number): void { const m = (this.blockNs ??= new Map()); m.set(reason, (m.get(reason) ?? 0) + dt); }
  addRange(name: string, dt: number): void { const m = (this.rangeNs ??= new Map()); m.set(name, (m.get(name) ?? 0) + dt); }

  /** Closes every open interval at `t` into the times (Go's snapshotStat + finalize). */
  finalize(t: number, ended: boolean): void {
    if (ended) this.endNs = t;
    if (this.totalNs === 0) this.totalNs = t - this.creationNs;
    if (set(this.lastStart)) this.execNs += t - this.lastStart;
    if (set(this.lastRunnable)) this.schedWaitNs += t - this.lastRunnable;
    if (set(this.lastBlock)) this.addBlock(this.lastBlockReason, t - this.lastBlock);
    if (set(this.lastSyscall)) this.syscallNs += t - this.lastSyscall;
    // Go counts a syscall still blocked (its P gone) as scheduler wait here.
    if (set(this.lastSyscallBlock)) this.schedWaitNs += t - this.lastSyscallBlock;
    if (this.lastRange) for (const [name, ts] of this.lastRange) this.addRange(name, t - ts);
    this.lastStart = this.lastRunnable = this.lastBlock = this.lastSyscall = this.lastSyscallBlock = UNSET;
    this.lastBlockReason = '';
    this.lastRange?.clear();
  }

  stat(): GoroutineStat {
    const t: GoroutineStat = {
      id: this.id, startFunction: this.name, creationNs: this.creationNs,
      startNs: set(this.startNs) ? this.startNs : null, endNs: set(this.endNs) ? this.endNs : null,
      execNs: this.execNs, schedWaitNs: this.schedWaitNs, blockNs: this.blockNs ? Object.fromEntries(this.blockNs) : {},
      syscallNs: this.syscallNs, syscallBlockNs: this.syscallBlockNs, unknownNs: 0, totalNs: this.totalNs,
      rangeNs: this.rangeNs ? Object.fromEntries(this.rangeNs) : {},
    };
    t.unknownNs = unknown(t);
    return t;
  }
}

/** Per-goroutine time accounting over the trace pass (Go's Summarizer, goroutine part). */
export class GoroutineCollector implements Collector<GoroutineReport> {
  private readonly gs = new Map<number, Tracked>();
  /** gs's records found by id (an array for small ids: looked up at every goroutine transition). */
  private readonly byId = new ById<Tracked>();
  private readonly syscallingP = new Map<number, number>();
  private readonly syscallingG = new Map<number, number>();
  /** P-scoped ranges (sweeps) attributed to the goroutine that began them on that P. */
  private readonly rangesP = new Map<string, number>();
  private lastTs = UNSET;
  private syncTs = UNSET;

  constructor(private readonly strings: StringTable, private readonly stacks: StackTable) {}

  add(ev: EventColumns): void {
    // The columns read at every event, once.
    const times = ev.time, kinds = ev.kind, rs = ev.r;
    for (let i = 0, n = ev.count; i < n; i++) {
      const t = times[i];
      if (!set(this.syncTs)) this.syncTs = t;
      this.lastTs = t;
      switch (kinds[i]) {
        case EventKind.Sync: this.syncTs = t; break;
        case EventKind.StateTransition:
          if (rs[i] === ResourceKind.Goroutine) this.goTransition(ev, i, t);
          else if (rs[i] === ResourceKind.Proc) this.procTransition(ev, i, t);
          break;
        case EventKind.RangeBegin: case EventKind.RangeActive: this.rangeBegin(ev, i, t); break;
        case EventKind.RangeEnd: this.rangeEnd(ev, i, t); break;
      }
    }
  }

  private goTransition(ev: EventColumns, i: number, t: number): void {
    const id = ev.a[i];
    const from = ev.b[i] as GoState;
    const to = ev.c[i] as GoState;
    if (from === to) return;
    const reason = this.strings.get(ev.s1[i]);
    let g = this.byId.get(id);
    switch (from) {
      case GoState.Undetermined: {
        // First seen at a generation's start: the time since the last sync counts as the new state.
        g = new Tracked(id, this.syncTs);
        this.byId.set(id, g);
        const dt = t - this.syncTs;
        if (to === GoState.Running) g.execNs += dt;
        else if (to === GoState.Waiting) g.addBlock(reason, dt);
        else if (to === GoState.Runnable) g.schedWaitNs += dt;
        else if (to === GoState.Syscall) {
          if (ev.p[i] === NONE) g.syscallBlockNs += dt; else g.syscallNs += dt;
        }
        this.gs.set(id, g);
        break;
      }
      case GoState.NotExist:
        g = new Tracked(id, t);
        this.gs.set(id, g);
        this.byId.set(id, g);
        break;
      case GoState.Running:
        if (g && set(g.lastStart)) { g.execNs += t - g.lastStart; g.lastStart = UNSET; }
        break;
      case GoState.Waiting:
        if (g && set(g.lastBlock)) { g.addBlock(g.lastBlockReason, t - g.lastBlock); g.lastBlock = UNSET; }
        break;
      case GoState.Runnable:
        if (g && set(g.lastRunnable)) { g.schedWaitNs += t - g.lastRunnable; g.lastRunnable = UNSET; }
        break;
      case GoState.Syscall:
        if (g && set(g.lastSyscall)) {
          if (set(g.lastSyscallBlock)) {
            g.syscallBlockNs += t - g.lastSyscallBlock;
            g.syscallNs += g.lastSyscallBlock - g.lastSyscall;
          } else {
            g.syscallNs += t - g.lastSyscall;
          }
          g.lastSyscall = g.lastSyscallBlock = UNSET;
          // As Go: a goroutine's P binding is dropped by its P id (0 if it had none recorded).
          this.syscallingP.delete(this.syscallingG.get(id) ?? 0);
          this.syscallingG.delete(id);
        }
        break;
    }
    if (!g) return;
    // The start function: the outermost frame of the first stack seen for the goroutine.
    if (g.name === '' && ev.stack2[i] !== NONE) {
      const frames = this.stacks.get(ev.stack2[i]);
      if (frames.length) g.name = frames[frames.length - 1].fn;
    }
    switch (to) {
      case GoState.Running:
        g.lastStart = t;
        if (!set(g.startNs)) g.startNs = t;
        break;
      case GoState.Runnable: g.lastRunnable = t; break;
      case GoState.Waiting:
        // Blocked "forever" is the goroutine's end.
        if (reason !== 'forever') { g.lastBlock = t; g.lastBlockReason = reason; break; }
        g.finalize(t, true);
        break;
      case GoState.NotExist: g.finalize(t, true); break;
      case GoState.Syscall:
        this.syscallingP.set(ev.p[i], id);
        this.syscallingG.set(id, ev.p[i]);
        g.lastSyscall = t;
        break;
    }
  }

  /** A P going idle while its goroutine is in a syscall: the syscall now blocks without a P. */
  private procTransition(ev: EventColumns, i: number, t: number): void {
    const p = ev.a[i];
    if (ev.b[i] === ev.c[i] || ev.c[i] !== ProcState.Idle) return;
    const gid = this.syscallingP.get(p);
    if (gid === undefined) return;
    const g = this.gs.get(gid);
    if (g) g.lastSyscallBlock = t;
    this.syscallingP.delete(p);
  }

  private rangeBegin(ev: EventColumns, i: number, t: number): void {
    const name = this.strings.get(ev.s1[i]);
    let g: Tracked | undefined;
    if (ev.r[i] === ResourceKind.Goroutine) g = this.gs.get(ev.a[i]);
    else if (ev.r[i] === ResourceKind.Proc) {
      // Bound to the P, not the goroutine; attributed to the goroutine if it stays on the P.
      g = this.gs.get(ev.g[i]);
      if (g) this.rangesP.set(`${ev.a[i]}/${name}`, ev.g[i]);
    }
    if (!g) return;
    if (ev.kind[i] === EventKind.RangeActive) {
      const open = (g.lastRange ??= new Map());
      const ts = open.get(name);
      if (ts !== undefined) g.addRange(name, this.syncTs - ts);
      open.set(name, this.syncTs);
    } else {
      (g.lastRange ??= new Map()).set(name, t);
    }
  }

  private rangeEnd(ev: EventColumns, i: number, t: number): void {
    const name = this.strings.get(ev.s1[i]);
    let g: Tracked | undefined;
    if (ev.r[i] === ResourceKind.Goroutine) g = this.gs.get(ev.a[i]);
    else if (ev.r[i] === ResourceKind.Proc) {
      const key = `${ev.a[i]}/${name}`;
      const gid = this.rangesP.get(key);
      if (gid !== undefined) {
        if (gid === ev.g[i]) g = this.gs.get(gid);
        this.rangesP.delete(key);
      }
    }
    if (!g) return;
    const ts = g.lastRange?.get(name);
    if (ts === undefined) return;
    g.addRange(name, t - ts);
    g.lastRange!.delete(name);
  }

  finish(end: number): GoroutineReport {
    const last = set(this.lastTs) ? this.lastTs : end;
    for (const g of this.gs.values()) g.finalize(last, false);
    const goroutines = [...this.gs.values()].map((g) => g.stat()).sort((a, b) => a.id - b.id);
    return goroutineReport(goroutines);
  }
}

function emptyTimes(): GoroutineTimes {
  return { execNs: 0, schedWaitNs: 0, blockNs: {}, syscallNs: 0, syscallBlockNs: 0, unknownNs: 0, totalNs: 0, rangeNs: {} };
}

/** Adds b's times into a. */
export function addTimes(a: GoroutineTimes, b: GoroutineTimes): void {
  a.execNs += b.execNs; a.schedWaitNs += b.schedWaitNs; a.syscallNs += b.syscallNs;
  a.syscallBlockNs += b.syscallBlockNs; a.unknownNs += b.unknownNs; a.totalNs += b.totalNs;
  for (const [k, v] of Object.entries(b.blockNs)) a.blockNs[k] = (a.blockNs[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.rangeNs)) a.rangeNs[k] = (a.rangeNs[k] ?? 0) + v;
}

/** Groups goroutines by start function, as /goroutines does. */
export function goroutineReport(goroutines: GoroutineStat[]): GoroutineReport {
  const groups = new Map<string, GoroutineGroup>();
  let totalExecNs = 0;
  for (const g of goroutines) {
    totalExecNs += g.execNs;
    let grp = groups.get(g.startFunction);
    if (!grp) { grp = { startFunction: g.startFunction, count: 0, ids: [], ...emptyTimes() }; groups.set(g.startFunction, grp); }
    grp.count++;
    grp.ids.push(g.id);
    addTimes(grp, g);
  }
  const list = [...groups.values()].sort((a, b) => b.execNs - a.execNs || (a.startFunction < b.startFunction ? -1 : a.startFunction > b.startFunction ? 1 : 0));
  for (const grp of list) grp.ids.sort((a, b) => a - b);
  return { totalExecNs, groups: list, goroutines };
}

/** The goroutine collector for a trace pass. */
export const goroutineCollector: CollectorFactory<GoroutineReport> = (r) => new GoroutineCollector(r.strings, r.stacks);

/** The columns a goroutine table shows, in ns: one definition for the CLI and the trace editor. */
export interface GoroutineColumns {
  total: number;
  running: number;
  runnable: number;
  sync: number; chan: number; net: number; sleep: number; other: number;
  /** In a syscall, with its P or after losing it. */
  syscall: number;
  assist: number;
  sweep: number;
  unknown: number;
}
export type ColumnKey = keyof GoroutineColumns;
export const COLUMN_KEYS: readonly ColumnKey[] = ['total', 'running', 'runnable', 'sync', 'chan', 'net', 'sleep', 'other', 'syscall', 'assist', 'sweep', 'unknown'];

export function columnsOf(t: GoroutineTimes): GoroutineColumns {
  const b = blockByKind(t);
  return {
    total: t.totalNs, running: t.execNs, runnable: t.schedWaitNs, ...b,
    syscall: t.syscallNs + t.syscallBlockNs, assist: assistNs(t), sweep: sweepNs(t), unknown: t.unknownNs,
  };
}

/** Groups sorted by a column (most first) or by count or name; ties by name. */
export function sortGroups(groups: GoroutineGroup[], by: ColumnKey | 'count' | 'name'): GoroutineGroup[] {
  const name = (a: GoroutineGroup, b: GoroutineGroup) => (a.startFunction < b.startFunction ? -1 : a.startFunction > b.startFunction ? 1 : 0);
  if (by === 'name') return [...groups].sort(name);
  const key = (g: GoroutineGroup) => (by === 'count' ? g.count : columnsOf(g)[by]);
  return [...groups].sort((a, b) => key(b) - key(a) || name(a, b));
}
