// The scheduler report's per-goroutine walks (runnable→running waits, syscall stretches, the
// frames a goroutine was seen at) done in one pass over the goroutine span table in the order
// spans were closed, with no index by goroutine. A goroutine's spans close one after the other,
// so table order is its start order; a scan resumes where it stopped, so a trace still being
// read is scanned once however often its report "so far" is made.
import type { GoroutineInfo, RuntimeModel } from '../runtime/model';
import { NewEntries } from '../runtime/newentries';
import { SpanScan } from './jointscan';
import { GoState, NONE } from '../trace/events';
import { isUserFrame, type FrameLike } from './frames';
import { SlotRows } from './slotrows';
import { SaturationSweep } from './saturation';
import { sortCounts } from './sorttimes';
import { SortedRuns, type SortedPart } from './sortedruns';

/**
 * One goroutine's walk so far: a row of columns (SlotRows) by its slot. Its waits until it joins
 * a group, and its origin as the report under way found it, are kept beside, by slot, for the
 * few goroutines that have them.
 */
const enum W {
  Id,
  /** Bits: SEEN (a span was walked), R_FIRST (the Runnable stretch under way began at its first span), LOOSE (in loose: waits of its own). */
  Flags,
  LastStart,
  /** The Runnable stretch under way: its start and where it ends so far (NaN: none). */
  RStart,
  REnd,
  /** The wait of a stretch that began at the goroutine's first span (counted only when its creation is known). */
  FirstWait,
  /** The Syscall stretch under way (NaN: none): start, end so far, the first span's stack. */
  SStart,
  SEnd,
  SStack,
  /** Finished syscall stretches (each summed into its stack's, not kept). */
  NSys,
  /** The first of its own stacks with a user frame (NONE: none yet), and the first of them with a frame at all (its outermost frame). */
  UserStack,
  OuterStack,
  /** The group of goroutines of its origin its waits are kept with, once that can no longer change (-1: none yet). */
  Group,
  Count,
}
const SEEN = 1, R_FIRST = 2, LOOSE = 4;
const FRESH_WALK: readonly number[] = [0, 0, -Infinity, NaN, NaN, NaN, NaN, NaN, NONE, 0, NONE, NONE, -1];

/**
 * Where a goroutine comes from, as the scheduler report groups them (its key), and whether that
 * can still change as more of its spans are seen (final: it cannot).
 */
export interface WaitOrigin { readonly key: string; readonly final: boolean }

/** A group's waits as kept from report to report. */
interface WaitGroupKept {
  /** The origin of its lowest goroutine id, and that id. */
  origin: WaitOrigin;
  first: number;
  /** Goroutines with waits, and their waits. */
  gs: number;
  n: number;
  runs: SortedRuns;
  /** Waits since the last report: the first nBatch of a buffer of doubles that grows (outside the JS heap; none after each report). */
  batch: Float64Array;
  nBatch: number;
  /** Its number (in groupList). */
  index: number;
}

const NO_WAITS = new Float64Array(0);

/** Adds a wait to a group's since the last report. */
function pushBatch(grp: WaitGroupKept, ns: number): void {
  if (grp.nBatch === grp.batch.length) {
    // By half again (as a JS array grows): a group waits millions of times in a large trace.
    const b = new Float64Array(grp.nBatch + (grp.nBatch >>> 1) + 16);
    b.set(grp.batch);
    grp.batch = b;
  }
  grp.batch[grp.nBatch++] = ns;
  grp.n++;
}

/** The goroutines of one origin that waited, and their waits in sorted parts (not to be changed). */
export interface WaitGroup<O extends WaitOrigin> {
  /** The origin of its lowest goroutine id (the groups come in the order of that id), and that id. */
  origin: O;
  first: number;
  gs: number;
  n: number;
  parts: SortedPart[];
}

/** A finished or pending syscall stretch, as the report reads it. */
export interface SyscallStretch { ns: number; stack: number; blocked: boolean }

/**
 * The syscall stretches of one stack, summed (blocked: how many), and where its first is in the
 * order the report walks them (by goroutine id, then the goroutine's own order): firstG, firstK.
 */
export interface SyscallsOfStack { stack: number; count: number; ns: number; blocked: number; firstG: number; firstK: number }

/** Runnable for these reasons, the span's stack is the goroutine's own (it stopped itself or was preempted). */
const OWN_STOP = new Set(['preempted', 'runtime.Gosched']);

/**
 * GOMAXPROCS at time t, as the scheduler report reads it: its first value before it was
 * first recorded, the number of procs seen when it never was.
 */
export function gomaxprocsAt(model: RuntimeModel): (t: number) => number {
  const procsSeen = Math.max(1, model.procs.size);
  const gmp = model.gomaxprocs;
  // The value in force over [time[k], time[k + 1]) answers the next question first: a sweep asks in time order.
  let k = -1;
  return (t) => {
    const n = gmp.count, time = gmp.time;
    if (n === 0) return procsSeen;
    if (!(k >= 0 && k < n && time[k] <= t && (k + 1 >= n || t < time[k + 1]))) {
      // Before the first value (or no time at all): the first value.
      if (!(time[0] <= t)) return gmp.value[0];
      // The last value at or before t (as Counter.at finds it).
      let lo = 0, hi = n - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >>> 1; if (time[mid] <= t) lo = mid; else hi = mid - 1; }
      k = lo;
    }
    return gmp.value[k];
  };
}

export class SchedScan extends SpanScan {
  /** Each goroutine's walk, a row by slot (no object each: a server's trace has hundreds of thousands). */
  private readonly walks = new SlotRows(FRESH_WALK);
  /**
   * The waits, kept by origin: a goroutine's go to its group's once its origin is final (a report
   * then costs the groups, not the goroutines: a server's trace has hundreds of thousands); before,
   * to its own, and each report asks its origin again. Below: the waits of goroutines not in a
   * group, since the last report (who, how long).
   */
  private readonly groups = new Map<string, WaitGroupKept>();
  /** The groups by number (a walk's Group column). */
  private readonly groupList: WaitGroupKept[] = [];
  /** Goroutines (slots) on their own, their waits until they join a group: sorted in runs, and those since the last report. */
  private readonly loose = new Set<number>();
  private readonly own = new Map<number, SortedRuns>();
  private readonly ownBatch = new Map<number, number[]>();
  private pendWho: number[] = [];
  private pendNs: number[] = [];
  /** Goroutines (slots) whose first wait is set and not yet counted (it counts once their creation is known). */
  private pendFirst: number[] = [];
  /**
   * Finished syscall stretches summed by stack (a report walked every stretch of every goroutine
   * again: a server makes millions), and the goroutines with one under way.
   */
  private readonly sysByStack = new Map<number, SyscallsOfStack>();
  /** Goroutines (slots) with a syscall stretch under way. */
  private readonly sysOpen = new Set<number>();

  /** Some goroutine's spans are not in start order in the table: the report must index them instead. */
  unordered = false;
  /** Running and Runnable spans scanned. */
  running = 0;
  runnable = 0;
  /** Time spent Running, summed in table order. */
  busyNs = 0;
  /**
   * With opts.sweep (a trace being read), the saturation sweep, kept up to the time before which
   * every Running or Runnable span has closed (a whole table at once is swept by the report instead).
   */
  readonly saturation?: SaturationSweep;
  /**
   * The goroutines that may be Running or Runnable at the next catch-up of the sweep: every one
   * the model met, less those seen ended at a catch-up (a server's trace has hundreds of
   * thousands of goroutines and few alive at once; a walk of every one at each catch-up was a
   * good part of keeping the sweep up). Those met since the last are taken from the model's map.
   */
  private alive: GoroutineInfo[] = [];
  private readonly met = new NewEntries<number, GoroutineInfo>();
  private readonly userByStack = new Map<number, FrameLike | null>();
  private readonly ownStop = new Map<number, boolean>();
  private readonly framesOf = new Map<number, boolean>();

  constructor(model: RuntimeModel, opts: { sweep?: boolean } = {}) {
    super(model);
    if (opts.sweep) this.saturation = new SaturationSweep();
  }

  visit(i: number, id: number, st: number, a: number, b: number): void {
    const t = this.model.gSpans, rows = this.walks;
    let g = rows.slot(id);
    if (g === undefined) g = rows.add(id);
    const d = rows.page(g), o = rows.off(g), flags = d[o + W.Flags];
    if (st === GoState.Running) { this.running++; this.busyNs += b - a; this.saturation?.add(true, a, b); } else if (st === GoState.Runnable) { this.runnable++; this.saturation?.add(false, a, b); }
    if (a < d[o + W.LastStart]) this.unordered = true;
    d[o + W.LastStart] = a;
    // Runnable→running: a stretch of Runnable spans, contiguous, then Running at once.
    let extended = false;
    const rStart = d[o + W.RStart];
    if (!Number.isNaN(rStart)) {
      const rEnd = d[o + W.REnd];
      if (st === GoState.Runnable && a === rEnd) { d[o + W.REnd] = b; extended = true; } else {
        if (st === GoState.Running && a === rEnd) { if (flags & R_FIRST) { d[o + W.FirstWait] = a - rStart; this.pendFirst.push(g); } else this.pushWait(g, a - rStart); }
        d[o + W.RStart] = NaN;
      }
    }
    if (!extended && st === GoState.Runnable) { d[o + W.RStart] = a; d[o + W.REnd] = b; d[o + W.Flags] = flags & SEEN ? flags & ~R_FIRST : flags | R_FIRST; }
    // Syscalls: contiguous Syscall spans; blocked when the next span is Runnable (the P was handed off).
    let inSys = false;
    const sStart = d[o + W.SStart];
    if (!Number.isNaN(sStart)) {
      const sEnd = d[o + W.SEnd];
      if (st === GoState.Syscall && a === sEnd) { d[o + W.SEnd] = b; inSys = true; } else {
        addStretch(this.sysByStack, d[o + W.Id], d[o + W.NSys]++, sEnd - sStart, d[o + W.SStack], st === GoState.Runnable);
        d[o + W.SStart] = NaN;
        this.sysOpen.delete(g);
      }
    }
    if (!inSys && st === GoState.Syscall) {
      d[o + W.SStart] = a; d[o + W.SEnd] = b; d[o + W.SStack] = t.stack(i);
      this.sysOpen.add(g);
    }
    // Where the goroutine was seen: its own stops, blocks and syscalls (a Runnable span's stack may be its waker's).
    if (d[o + W.UserStack] === NONE) {
      const stack = t.stack(i);
      if (stack !== NONE && (st !== GoState.Runnable || this.isOwnStop(t.reason(i)))) {
        if (d[o + W.OuterStack] === NONE && this.hasFrames(stack)) d[o + W.OuterStack] = stack;
        if (this.userFrame(stack)) d[o + W.UserStack] = stack;
      }
    }
    d[o + W.Flags] |= SEEN;
  }

  /** The first n spans are walked: keeps the saturation sweep up with them. */
  override caughtUp(n: number): this {
    const m = this.model;
    super.caughtUp(n);
    // No span still to close starts before the open Running and Runnable spans, nor before the last event read.
    // Finding that walks every goroutine: done once at least as many times wait as there are goroutines
    // (a server's trace has hundreds of thousands; at every step, it was a tenth of the read). The
    // totals are the same however often it is swept: they sweep what is pending too.
    if (this.saturation && m.gomaxprocs.count > 0 && this.saturation.pendingCount >= m.goroutines.size) {
      const alive = this.alive;
      this.met.take(m.goroutines, (g) => { alive.push(g); });
      // Those ended are dropped (an id seen again after its end, which Go's runtime does not do,
      // could make h too late: a span that starts before it then breaks the sweep, and the report
      // sweeps the whole table instead, with the same sums).
      let h = m.end, kept = 0;
      for (let k = 0; k < alive.length; k++) {
        const g = alive[k], st = g.state;
        if ((st === GoState.Running || st === GoState.Runnable) && g.since < h) h = g.since;
        if (st !== GoState.NotExist) alive[kept++] = g;
      }
      alive.length = kept;
      this.saturation.advance(h, gomaxprocsAt(m));
    }
    return this;
  }

  /** Field c of goroutine slot g's walk. */
  private field(g: number, c: number): number {
    return this.walks.page(g)[this.walks.off(g) + c];
  }

  /** Adds a wait: to its goroutine's group if it has one, else until the next report. */
  private pushWait(g: number, ns: number): void {
    const k = this.field(g, W.Group);
    if (k >= 0) { pushBatch(this.groupList[k], ns); return; }
    this.pendWho.push(g);
    this.pendNs.push(ns);
  }

  /** A goroutine's origin as of this report (the same however often a report asks: nothing changes while it is made). */
  private originOf<O extends WaitOrigin>(g: number, originOf: (g: number) => O): O {
    return originOf(this.field(g, W.Id));
  }

  /** A goroutine whose origin is final joins its group, with the waits it had on its own. */
  private join(g: number, o: WaitOrigin): WaitGroupKept {
    const d = this.walks.page(g), row = this.walks.off(g), id = d[row + W.Id];
    let grp = this.groups.get(o.key);
    if (!grp) {
      grp = { origin: o, first: id, gs: 0, n: 0, runs: new SortedRuns(), batch: NO_WAITS, nBatch: 0, index: this.groupList.length };
      this.groups.set(o.key, grp);
      this.groupList.push(grp);
    }
    grp.gs++;
    if (id < grp.first) { grp.first = id; grp.origin = o; }
    // Only a loose goroutine has waits of its own (most join at their first wait).
    if (d[row + W.Flags] & LOOSE) {
      const own = this.own.get(g), batch = this.ownBatch.get(g);
      if (own) { for (const p of own.runs) for (let k = 0; k < p.values.length; k++) pushBatch(grp, p.values[k]); this.own.delete(g); }
      if (batch) { for (const v of batch) pushBatch(grp, v); this.ownBatch.delete(g); }
      this.loose.delete(g);
      d[row + W.Flags] &= ~LOOSE;
    }
    d[row + W.Group] = grp.index;
    return grp;
  }

  /** A wait of a goroutine not in a group at its last wait: to its group if its origin is final now, else its own. */
  private take<O extends WaitOrigin>(g: number, ns: number, originOf: (g: number) => O): void {
    const k = this.field(g, W.Group);
    if (k >= 0) { pushBatch(this.groupList[k], ns); return; }
    const o = this.originOf(g, originOf);
    if (o.final) { pushBatch(this.join(g, o), ns); return; }
    let batch = this.ownBatch.get(g);
    if (!batch) this.ownBatch.set(g, (batch = []));
    batch.push(ns);
    this.loose.add(g);
    this.walks.page(g)[this.walks.off(g) + W.Flags] |= LOOSE;
  }

  /**
   * Runnable→running waits by origin (originOf(g): a goroutine's as of now), each group's in
   * sorted parts, in the order of each group's lowest goroutine id: the groups, counts and waits
   * of asking every goroutine's waits and origin in id order, at the cost of the groups and of
   * what was added since the last report. A goroutine's wait of a stretch from its first span
   * counts only when knownStart(g). The parts are kept for the next report: do not change them.
   */
  waitGroups<O extends WaitOrigin>(originOf: (g: number) => O, knownStart: (g: number) => boolean): WaitGroup<O>[] {
    const who = this.pendWho, ns = this.pendNs;
    this.pendWho = [];
    this.pendNs = [];
    for (let k = 0; k < who.length; k++) this.take(who[k], ns[k], originOf);
    const firsts = this.pendFirst;
    this.pendFirst = [];
    for (const g of firsts) {
      if (knownStart(this.field(g, W.Id))) this.take(g, this.field(g, W.FirstWait), originOf);
      else this.pendFirst.push(g); // asked again at the next report
    }
    // Goroutines still on their own whose origin has become final join their groups first.
    const loose = [...this.loose];
    for (const g of loose) {
      const o = this.originOf(g, originOf);
      if (o.final) this.join(g, o);
    }
    const out = new Map<string, WaitGroup<O>>();
    for (const grp of this.groups.values()) {
      if (grp.nBatch) {
        grp.runs.add(sortCounts(grp.batch.slice(0, grp.nBatch)));
        // Given back: the runs hold them now.
        grp.batch = NO_WAITS;
        grp.nBatch = 0;
      }
      out.set(grp.origin.key, { origin: grp.origin as O, first: grp.first, gs: grp.gs, n: grp.n, parts: [...grp.runs.runs] });
    }
    for (const g of this.loose) {
      const batch = this.ownBatch.get(g);
      let own = this.own.get(g);
      if (batch) {
        if (!own) this.own.set(g, (own = new SortedRuns()));
        own.add(sortCounts(Float64Array.from(batch)));
        this.ownBatch.delete(g);
      }
      const o = this.originOf(g, originOf), id = this.field(g, W.Id);
      let e = out.get(o.key);
      if (!e) { e = { origin: o, first: id, gs: 0, n: 0, parts: [] }; out.set(o.key, e); }
      e.gs++;
      e.n += own!.count;
      e.parts.push(...own!.runs);
      if (id < e.first) { e.first = id; e.origin = o; }
    }

    return [...out.values()].sort((a, b) => a.first - b.first);
  }

  /**
   * The syscall stretches so far summed by stack, the ones still under way with them (not
   * blocked: nothing followed them), in the order of each stack's first stretch: by goroutine
   * id, then the goroutine's own order (as walking every goroutine's stretches meets them).
   */
  syscallsByStack(): SyscallsOfStack[] {
    const out = new Map<number, SyscallsOfStack>();
    for (const [k, e] of this.sysByStack) out.set(k, { ...e });
    for (const g of this.sysOpen) { const d = this.walks.page(g), o = this.walks.off(g); addStretch(out, d[o + W.Id], d[o + W.NSys], d[o + W.SEnd] - d[o + W.SStart], d[o + W.SStack], false); }
    return [...out.values()].sort((a, b) => a.firstG - b.firstG || a.firstK - b.firstK);
  }

  /** The first user frame on a goroutine's own stacks, and the outermost frame of the first of them. */
  seen(g: number): { user?: FrameLike; outermost?: FrameLike } {
    const s = this.walks.slot(g);
    if (s === undefined) return {};
    const d = this.walks.page(s), so = this.walks.off(s), us = d[so + W.UserStack], os = d[so + W.OuterStack];
    const user = us === NONE ? undefined : this.userFrame(us);
    const frames = os === NONE ? undefined : this.model.stacks.get(os);
    return { ...(user ? { user } : {}), ...(frames ? { outermost: frames[frames.length - 1] } : {}) };
  }

  private isOwnStop(reason: number): boolean {
    let v = this.ownStop.get(reason);
    if (v === undefined) { v = OWN_STOP.has(this.model.strings.get(reason)); this.ownStop.set(reason, v); }
    return v;
  }

  /** Whether the stack has a frame at all. */
  private hasFrames(stack: number): boolean {
    let v = this.framesOf.get(stack);
    if (v === undefined) { v = this.model.stacks.get(stack).length > 0; this.framesOf.set(stack, v); }
    return v;
  }

  private userFrame(stack: number): FrameLike | undefined {
    let u = this.userByStack.get(stack);
    if (u === undefined) { u = this.model.stacks.get(stack).find((f) => isUserFrame(f.fn)) ?? null; this.userByStack.set(stack, u); }
    return u ?? undefined;
  }
}

/** Adds goroutine g's k-th syscall stretch (ns long, on stack) to its stack's sum. */
function addStretch(into: Map<number, SyscallsOfStack>, g: number, k: number, ns: number, stack: number, blocked: boolean): void {
  let e = into.get(stack);
  if (!e) { e = { stack, count: 0, ns: 0, blocked: 0, firstG: g, firstK: k }; into.set(stack, e); } else if (g < e.firstG || (g === e.firstG && k < e.firstK)) { e.firstG = g; e.firstK = k; }
  e.count++;
  e.ns += ns;
  if (blocked) e.blocked++;
}
