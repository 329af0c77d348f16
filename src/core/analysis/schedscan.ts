// The scheduler report's per-goroutine walks (runnable→running waits, syscall stretches, the
// frames a goroutine was seen at) done in one pass over the goroutine span table in the order
// spans were closed, with no index by goroutine. A goroutine's spans close one after the other,
// so table order is its start order; a scan resumes where it stopped, so a trace still being
// read is scanned once however often its report "so far" is made.
import type { RuntimeModel } from '../runtime/model';
import { SpanScan } from './jointscan';
import { GoState, NONE } from '../trace/events';
import { isUserFrame, type FrameLike } from './frames';
import { ById } from './byid';
import { SaturationSweep } from './saturation';
import { sortCounts } from './sorttimes';
import { SortedRuns, sortedPart, type SortedPart } from './sortedruns';

/** One goroutine's walk so far. */
interface GWalk {
  spans: number;
  lastStart: number;
  /** The Runnable stretch under way: its start and where it ends so far (NaN: none). */
  rStart: number;
  rEnd: number;
  rFirst: boolean;
  /**
   * Waits since the last report (the first nWaits), in order of their end; those before, sorted
   * in runs (each report sorts only the new ones and merges O(log) runs). A buffer of doubles
   * that grows (none until a first wait, and none again after each report).
   */
  waits: Float64Array;
  nWaits: number;
  sorted: SortedRuns;
  /** The wait of a stretch that began at the goroutine's first span (counted only when its creation is known), and it as a part. */
  firstWait: number;
  first: SortedPart | undefined;
  /** The Syscall stretch under way (NaN: none): start, end so far, the first span's stack. */
  sStart: number;
  sEnd: number;
  sStack: number;
  /** Finished syscall stretches: duration, stack, blocked (1/0), three numbers each. */
  syscalls: number[];
  user: FrameLike | undefined;
  outermost: FrameLike | undefined;
}

const NO_WAITS = new Float64Array(0);

/** Adds a wait to a goroutine's since the last report. */
function pushWait(g: GWalk, ns: number): void {
  if (g.nWaits === g.waits.length) {
    // By half again (as a JS array grows): a goroutine waits millions of times in a large trace.
    const b = new Float64Array(g.nWaits + (g.nWaits >>> 1) + 16);
    b.set(g.waits);
    g.waits = b;
  }
  g.waits[g.nWaits++] = ns;
}

/** A finished or pending syscall stretch, as the report reads it. */
export interface SyscallStretch { ns: number; stack: number; blocked: boolean }

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
  private readonly gs = new Map<number, GWalk>();
  private readonly byId = new ById<GWalk>();
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
  private readonly userByStack = new Map<number, FrameLike | null>();
  private readonly ownStop = new Map<number, boolean>();

  constructor(model: RuntimeModel, opts: { sweep?: boolean } = {}) {
    super(model);
    if (opts.sweep) this.saturation = new SaturationSweep();
  }

  visit(i: number, id: number, st: number, a: number, b: number): void {
    const t = this.model.gSpans;
    let g = this.byId.get(id);
    if (!g) {
      g = { spans: 0, lastStart: -Infinity, rStart: NaN, rEnd: NaN, rFirst: false, waits: NO_WAITS, nWaits: 0, sorted: new SortedRuns(), firstWait: NaN, first: undefined, sStart: NaN, sEnd: NaN, sStack: NONE, syscalls: [], user: undefined, outermost: undefined };
      this.gs.set(id, g);
      this.byId.set(id, g);
    }
    if (st === GoState.Running) { this.running++; this.busyNs += b - a; this.saturation?.add(true, a, b); } else if (st === GoState.Runnable) { this.runnable++; this.saturation?.add(false, a, b); }
    if (a < g.lastStart) this.unordered = true;
    g.lastStart = a;
    // Runnable→running: a stretch of Runnable spans, contiguous, then Running at once.
    let extended = false;
    if (!Number.isNaN(g.rStart)) {
      if (st === GoState.Runnable && a === g.rEnd) { g.rEnd = b; extended = true; } else {
        if (st === GoState.Running && a === g.rEnd) { if (g.rFirst) g.firstWait = a - g.rStart; else pushWait(g, a - g.rStart); }
        g.rStart = NaN;
      }
    }
    if (!extended && st === GoState.Runnable) { g.rStart = a; g.rEnd = b; g.rFirst = g.spans === 0; }
    // Syscalls: contiguous Syscall spans; blocked when the next span is Runnable (the P was handed off).
    let inSys = false;
    if (!Number.isNaN(g.sStart)) {
      if (st === GoState.Syscall && a === g.sEnd) { g.sEnd = b; inSys = true; } else {
        g.syscalls.push(g.sEnd - g.sStart, g.sStack, st === GoState.Runnable ? 1 : 0);
        g.sStart = NaN;
      }
    }
    if (!inSys && st === GoState.Syscall) { g.sStart = a; g.sEnd = b; g.sStack = t.stack(i); }
    // Where the goroutine was seen: its own stops, blocks and syscalls (a Runnable span's stack may be its waker's).
    if (g.user === undefined) {
      const stack = t.stack(i);
      if (stack !== NONE && (st !== GoState.Runnable || this.isOwnStop(t.reason(i)))) {
        const frames = this.model.stacks.get(stack);
        g.outermost ??= frames[frames.length - 1];
        const u = this.userFrame(stack);
        if (u) g.user = u;
      }
    }
    g.spans++;
  }

  /** The first n spans are walked: keeps the saturation sweep up with them. */
  override caughtUp(n: number): this {
    const m = this.model;
    super.caughtUp(n);
    // No span still to close starts before the open Running and Runnable spans, nor before the last event read.
    if (this.saturation && m.gomaxprocs.count > 0) {
      let h = m.end;
      for (const g of m.goroutines.values()) if ((g.state === GoState.Running || g.state === GoState.Runnable) && g.since < h) h = g.since;
      this.saturation.advance(h, gomaxprocsAt(m));
    }
    return this;
  }

  /** Goroutine ids with spans, ascending. */
  ids(): number[] {
    return [...this.gs.keys()].sort((a, b) => a - b);
  }

  /**
   * Runnable→running waits of a goroutine, in parts, each sorted (that of a stretch from its
   * first span only if its start is known). Do not change them: they are kept for the next report.
   */
  waits(g: number, knownStart: boolean): readonly SortedPart[] {
    const w = this.gs.get(g);
    if (!w) return [];
    if (w.nWaits) {
      w.sorted.add(sortCounts(w.waits.slice(0, w.nWaits)));
      // Given back: the runs hold them now.
      w.waits = NO_WAITS;
      w.nWaits = 0;
    }
    if (!knownStart || Number.isNaN(w.firstWait)) return w.sorted.runs;
    w.first ??= sortedPart(Float64Array.of(w.firstWait));
    return [...w.sorted.runs, w.first];
  }

  /** A goroutine's syscall stretches in order, the one still under way last (not blocked: nothing followed it). */
  syscalls(g: number): SyscallStretch[] {
    const w = this.gs.get(g);
    if (!w) return [];
    const out: SyscallStretch[] = [];
    for (let k = 0; k < w.syscalls.length; k += 3) out.push({ ns: w.syscalls[k], stack: w.syscalls[k + 1], blocked: w.syscalls[k + 2] === 1 });
    if (!Number.isNaN(w.sStart)) out.push({ ns: w.sEnd - w.sStart, stack: w.sStack, blocked: false });
    return out;
  }

  /** The first user frame on a goroutine's own stacks, and the outermost frame of the first of them. */
  seen(g: number): { user?: FrameLike; outermost?: FrameLike } {
    const w = this.gs.get(g);
    return w ? { ...(w.user ? { user: w.user } : {}), ...(w.outermost ? { outermost: w.outermost } : {}) } : {};
  }

  private isOwnStop(reason: number): boolean {
    let v = this.ownStop.get(reason);
    if (v === undefined) { v = OWN_STOP.has(this.model.strings.get(reason)); this.ownStop.set(reason, v); }
    return v;
  }

  private userFrame(stack: number): FrameLike | undefined {
    let u = this.userByStack.get(stack);
    if (u === undefined) { u = this.model.stacks.get(stack).find((f) => isUserFrame(f.fn)) ?? null; this.userByStack.set(stack, u); }
    return u ?? undefined;
  }
}
