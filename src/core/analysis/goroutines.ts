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
import { SlotRows, type KeptRows } from './slotrows';
import { SumLists } from './sumlists';

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

/** The doubles kept per goroutine while the pass runs, one column each (Go keeps them in goroutineSummary). */
const enum C {
  Id, Creation, Start, End, Exec, SchedWait, Syscall, SyscallBlock, Total,
  // Open intervals (UNSET when closed).
  LastStart, LastRunnable, LastBlock, LastSyscall, LastSyscallBlock,
  /** The P a goroutine in a syscall had when it entered (what Go's syscallingG map holds; UNSET: none). */
  SyscallP,
  Count,
}

/** What a new record's columns hold (NaN: unset). */
const FRESH: readonly number[] = [0, 0, UNSET, UNSET, 0, 0, 0, 0, 0, UNSET, UNSET, UNSET, UNSET, UNSET, UNSET];

/** The fields the report reads (Id to Total): what trim() keeps of each row. */
const KEPT = C.LastStart;

/**
 * Every goroutine's times while the pass runs, a row of doubles each (SlotRows: in pages that
 * never move, by a dense slot in the order the goroutines were first seen, found by id): a
 * server's trace has hundreds of thousands of goroutines, and a record object each, its doubles
 * boxed, was millions of small objects for the GC; columns grown by copying were hundreds of MB
 * of fresh memory written. Its blocked time by reason and time in ranges are sums by key in lists
 * (SumLists: a Map each was another object per goroutine, and a boxed number per update); the
 * map of ranges open is made at a goroutine's first range.
 */
class Rows {
  readonly r = new SlotRows(FRESH);
  /** After trim(): each row's first KEPT fields (what the report reads). */
  private kept: KeptRows | undefined;
  names: string[] = [];
  lastBlockReason: string[] = [];
  readonly blockNs = new SumLists();
  readonly rangeNs = new SumLists();
  lastRange: (Map<string, number> | undefined)[] = [];

  get n(): number { return this.r.n; }

  /** A new row for goroutine `id` first seen at `creation`, or `slot`'s row made new. */
  add(id: number, creation: number, slot?: number): number {
    if (slot === undefined) {
      slot = this.r.add(id);
      this.names.push(''); this.lastBlockReason.push('');
      this.lastRange.push(undefined);
    } else {
      this.names[slot] = ''; this.lastBlockReason[slot] = '';
      this.lastRange[slot] = undefined;
      this.blockNs.clear(slot); this.rangeNs.clear(slot);
      const d = this.r.page(slot), o = this.r.off(slot);
      for (let c = 1; c < C.Count; c++) d[o + c] = FRESH[c];
    }
    this.r.page(slot)[this.r.off(slot) + C.Creation] = creation;
    return slot;
  }

  addBlock(s: number, reason: string, dt: number): void { this.blockNs.add(s, reason, dt); }
  addRange(s: number, name: string, dt: number): void { this.rangeNs.add(s, name, dt); }

  /** Closes every open interval of row s at `t` into its times (Go's snapshotStat + finalize). */
  finalize(s: number, t: number, ended: boolean): void {
    const d = this.r.page(s), o = this.r.off(s);
    if (ended) d[o + C.End] = t;
    if (d[o + C.Total] === 0) d[o + C.Total] = t - d[o + C.Creation];
    if (set(d[o + C.LastStart])) d[o + C.Exec] += t - d[o + C.LastStart];
    if (set(d[o + C.LastRunnable])) d[o + C.SchedWait] += t - d[o + C.LastRunnable];
    if (set(d[o + C.LastBlock])) this.addBlock(s, this.lastBlockReason[s], t - d[o + C.LastBlock]);
    if (set(d[o + C.LastSyscall])) d[o + C.Syscall] += t - d[o + C.LastSyscall];
    // Go counts a syscall still blocked (its P gone) as scheduler wait here.
    if (set(d[o + C.LastSyscallBlock])) d[o + C.SchedWait] += t - d[o + C.LastSyscallBlock];
    const open = this.lastRange[s];
    if (open) for (const [name, ts] of open) this.addRange(s, name, t - ts);
    d[o + C.LastStart] = d[o + C.LastRunnable] = d[o + C.LastBlock] = d[o + C.LastSyscall] = d[o + C.LastSyscallBlock] = UNSET;
    this.lastBlockReason[s] = '';
    open?.clear();
  }

  /** Field c (< KEPT) of row s, after trim(). */
  field(s: number, c: number): number {
    return this.kept!.get(s, c);
  }

  /** Row s's times (finalized, trimmed), with its unknown time. */
  times(s: number): GoroutineTimes {
    const k = this.kept!;
    const t: GoroutineTimes = {
      execNs: k.get(s, C.Exec), schedWaitNs: k.get(s, C.SchedWait), blockNs: this.blockNs.record(s),
      syscallNs: k.get(s, C.Syscall), syscallBlockNs: k.get(s, C.SyscallBlock), unknownNs: 0, totalNs: k.get(s, C.Total),
      rangeNs: this.rangeNs.record(s),
    };
    t.unknownNs = unknown(t);
    return t;
  }

  /** Adds row s's times (finalized, trimmed) into a group's, as addTimes(grp, times(s)) does, without making them. */
  addInto(grp: GoroutineTimes, s: number): void {
    const k = this.kept!;
    const exec = k.get(s, C.Exec), wait = k.get(s, C.SchedWait), sys = k.get(s, C.Syscall), sysBlock = k.get(s, C.SyscallBlock), total = k.get(s, C.Total);
    // Its unknown time, summed in unknown()'s order.
    let sum = exec + wait + sys + sysBlock;
    this.blockNs.forEach(s, (_, v) => { sum += v; });
    grp.execNs += exec; grp.schedWaitNs += wait; grp.syscallNs += sys;
    grp.syscallBlockNs += sysBlock; grp.unknownNs += sum < total ? total - sum : 0; grp.totalNs += total;
    const b = grp.blockNs, r = grp.rangeNs;
    this.blockNs.forEach(s, (key, v) => { b[key] = (b[key] ?? 0) + v; });
    this.rangeNs.forEach(s, (key, v) => { r[key] = (r[key] ?? 0) + v; });
  }

  /** Row s as the report's goroutine (after trim). */
  stat(s: number): GoroutineStat {
    const t = this.times(s), k = this.kept!;
    const start = k.get(s, C.Start), end = k.get(s, C.End);
    return {
      id: k.get(s, C.Id), startFunction: this.names[s], creationNs: k.get(s, C.Creation),
      startNs: set(start) ? start : null, endNs: set(end) ? end : null,
      execNs: t.execNs, schedWaitNs: t.schedWaitNs, blockNs: t.blockNs, syscallNs: t.syscallNs, syscallBlockNs: t.syscallBlockNs,
      unknownNs: t.unknownNs, totalNs: t.totalNs, rangeNs: t.rangeNs,
    };
  }

  /** Only what the report's goroutines read: each row's first KEPT fields, no open intervals, no slack. */
  trim(): void {
    this.kept = this.r.keep(KEPT);
    this.lastBlockReason = [];
    this.lastRange = [];
  }
}

/** Per-goroutine time accounting over the trace pass (Go's Summarizer, goroutine part). */
export class GoroutineCollector implements Collector<GoroutineReport> {
  /** Each goroutine's row, found by its id at every goroutine transition. */
  private readonly rows = new Rows();
  /** The goroutine in a syscall on each P (a goroutine's own P is in its row: C.SyscallP). */
  private readonly syscallingP = new Map<number, number>();
  /** P-scoped ranges (sweeps) attributed to the goroutine that began them on that P. */
  private readonly rangesP = new Map<string, number>();
  private lastTs = UNSET;
  private syncTs = UNSET;
  private report: GoroutineReport | undefined;

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

  /** A new row for goroutine id (its old row made new, if it had one). */
  private newRow(id: number, creation: number): number {
    return this.rows.add(id, creation, this.rows.r.slot(id));
  }

  private goTransition(ev: EventColumns, i: number, t: number): void {
    const id = ev.a[i];
    const from = ev.b[i] as GoState;
    const to = ev.c[i] as GoState;
    if (from === to) return;
    const reason = this.strings.get(ev.s1[i]);
    const rows = this.rows;
    let g = from === GoState.Undetermined || from === GoState.NotExist ? this.newRow(id, from === GoState.NotExist ? t : this.syncTs) : rows.r.slot(id);
    if (g === undefined) return;
    // Goroutine g's row: field f is d[o + f].
    const d = rows.r.page(g), o = rows.r.off(g);
    switch (from) {
      case GoState.Undetermined: {
        // First seen at a generation's start: the time since the last sync counts as the new state.
        const dt = t - this.syncTs;
        if (to === GoState.Running) d[o + C.Exec] += dt;
        else if (to === GoState.Waiting) rows.addBlock(g, reason, dt);
        else if (to === GoState.Runnable) d[o + C.SchedWait] += dt;
        else if (to === GoState.Syscall) {
          if (ev.p[i] === NONE) d[o + C.SyscallBlock] += dt; else d[o + C.Syscall] += dt;
        }
        break;
      }
      case GoState.NotExist:
        break;
      case GoState.Running:
        if (set(d[o + C.LastStart])) { d[o + C.Exec] += t - d[o + C.LastStart]; d[o + C.LastStart] = UNSET; }
        break;
      case GoState.Waiting:
        if (set(d[o + C.LastBlock])) { rows.addBlock(g, rows.lastBlockReason[g], t - d[o + C.LastBlock]); d[o + C.LastBlock] = UNSET; }
        break;
      case GoState.Runnable:
        if (set(d[o + C.LastRunnable])) { d[o + C.SchedWait] += t - d[o + C.LastRunnable]; d[o + C.LastRunnable] = UNSET; }
        break;
      case GoState.Syscall:
        if (set(d[o + C.LastSyscall])) {
          if (set(d[o + C.LastSyscallBlock])) {
            d[o + C.SyscallBlock] += t - d[o + C.LastSyscallBlock];
            d[o + C.Syscall] += d[o + C.LastSyscallBlock] - d[o + C.LastSyscall];
          } else {
            d[o + C.Syscall] += t - d[o + C.LastSyscall];
          }
          d[o + C.LastSyscall] = d[o + C.LastSyscallBlock] = UNSET;
          // As Go: a goroutine's P binding is dropped by its P id (0 if it had none recorded).
          const p = d[o + C.SyscallP];
          this.syscallingP.delete(set(p) ? p : 0);
          d[o + C.SyscallP] = UNSET;
        }
        break;
    }
    // The start function: the outermost frame of the first stack seen for the goroutine.
    if (rows.names[g] === '' && ev.stack2[i] !== NONE) {
      const frames = this.stacks.get(ev.stack2[i]);
      if (frames.length) rows.names[g] = frames[frames.length - 1].fn;
    }
    switch (to) {
      case GoState.Running:
        d[o + C.LastStart] = t;
        if (!set(d[o + C.Start])) d[o + C.Start] = t;
        break;
      case GoState.Runnable: d[o + C.LastRunnable] = t; break;
      case GoState.Waiting:
        // Blocked "forever" is the goroutine's end.
        if (reason !== 'forever') { d[o + C.LastBlock] = t; rows.lastBlockReason[g] = reason; break; }
        rows.finalize(g, t, true);
        break;
      case GoState.NotExist: rows.finalize(g, t, true); break;
      case GoState.Syscall:
        this.syscallingP.set(ev.p[i], id);
        d[o + C.SyscallP] = ev.p[i];
        d[o + C.LastSyscall] = t;
        break;
    }
  }

  /** A P going idle while its goroutine is in a syscall: the syscall now blocks without a P. */
  private procTransition(ev: EventColumns, i: number, t: number): void {
    const p = ev.a[i];
    if (ev.b[i] === ev.c[i] || ev.c[i] !== ProcState.Idle) return;
    const gid = this.syscallingP.get(p);
    if (gid === undefined) return;
    const g = this.rows.r.slot(gid);
    if (g !== undefined) this.rows.r.page(g)[this.rows.r.off(g) + C.LastSyscallBlock] = t;
    this.syscallingP.delete(p);
  }

  private rangeBegin(ev: EventColumns, i: number, t: number): void {
    const name = this.strings.get(ev.s1[i]);
    let g: number | undefined;
    if (ev.r[i] === ResourceKind.Goroutine) g = this.rows.r.slot(ev.a[i]);
    else if (ev.r[i] === ResourceKind.Proc) {
      // Bound to the P, not the goroutine; attributed to the goroutine if it stays on the P.
      g = this.rows.r.slot(ev.g[i]);
      if (g !== undefined) this.rangesP.set(`${ev.a[i]}/${name}`, ev.g[i]);
    }
    if (g === undefined) return;
    const rows = this.rows;
    if (ev.kind[i] === EventKind.RangeActive) {
      const open = (rows.lastRange[g] ??= new Map());
      const ts = open.get(name);
      if (ts !== undefined) rows.addRange(g, name, this.syncTs - ts);
      open.set(name, this.syncTs);
    } else {
      (rows.lastRange[g] ??= new Map()).set(name, t);
    }
  }

  private rangeEnd(ev: EventColumns, i: number, t: number): void {
    const name = this.strings.get(ev.s1[i]);
    let g: number | undefined;
    if (ev.r[i] === ResourceKind.Goroutine) g = this.rows.r.slot(ev.a[i]);
    else if (ev.r[i] === ResourceKind.Proc) {
      const key = `${ev.a[i]}/${name}`;
      const gid = this.rangesP.get(key);
      if (gid !== undefined) {
        if (gid === ev.g[i]) g = this.rows.r.slot(gid);
        this.rangesP.delete(key);
      }
    }
    if (g === undefined) return;
    const open = this.rows.lastRange[g];
    const ts = open?.get(name);
    if (ts === undefined) return;
    this.rows.addRange(g, name, t - ts);
    open!.delete(name);
  }

  /** The report (made once: the rows are trimmed to what it reads). */
  finish(end: number): GoroutineReport {
    if (this.report) return this.report;
    const last = set(this.lastTs) ? this.lastTs : end;
    const rows = this.rows;
    for (let s = 0; s < rows.n; s++) rows.finalize(s, last, false);
    rows.trim();
    return (this.report = reportOfRows(rows));
  }
}

/**
 * The report of finished rows: the groups summed from the rows, in id order as
 * goroutineReport sums them; the goroutines made only when asked (the trace editor shows only
 * the groups: 585K objects for nothing on a server's trace), once, as an own enumerable property.
 */
function reportOfRows(rows: Rows): GoroutineReport {
  const n = rows.n, ids = new Float64Array(n);
  for (let s = 0; s < n; s++) ids[s] = rows.field(s, C.Id);
  const bySlot = Array.from({ length: n }, (_, s) => s);
  let sorted = true;
  for (let s = 1; s < n && sorted; s++) sorted = ids[s - 1] < ids[s];
  if (!sorted) bySlot.sort((a, b) => ids[a] - ids[b]);
  const groups = new Map<string, GoroutineGroup>();
  let totalExecNs = 0;
  for (const s of bySlot) {
    totalExecNs += rows.field(s, C.Exec);
    const name = rows.names[s];
    let grp = groups.get(name);
    if (!grp) { grp = { startFunction: name, count: 0, ids: [], ...emptyTimes() }; groups.set(name, grp); }
    grp.count++;
    grp.ids.push(ids[s]);
    rows.addInto(grp, s);
  }
  const list = sortedGroups(groups);
  const report = { totalExecNs, groups: list } as GoroutineReport;
  let goroutines: GoroutineStat[] | undefined;
  Object.defineProperty(report, 'goroutines', {
    enumerable: true, configurable: true,
    get: () => (goroutines ??= bySlot.map((s) => rows.stat(s))),
  });
  return report;
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
  return { totalExecNs, groups: sortedGroups(groups), goroutines };
}

/** Groups by execution time, most first, then by name; each group's ids ascending. */
function sortedGroups(groups: Map<string, GoroutineGroup>): GoroutineGroup[] {
  const list = [...groups.values()].sort((a, b) => b.execNs - a.execNs || (a.startFunction < b.startFunction ? -1 : a.startFunction > b.startFunction ? 1 : 0));
  for (const grp of list) grp.ids.sort((a, b) => a - b);
  return list;
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
