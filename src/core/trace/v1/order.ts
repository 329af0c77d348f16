// Merges the per-P batches into one stream the way the reference does. Events of one
// batch are in order; across Ps, the earliest event wins — but only once it is "ready":
// GoStart/GoUnblock/GoSysExit carry the goroutine's sequence number and wait for it, the
// *Local variants (same P as the event they follow) and blocking events wait only for
// the goroutine's status, GCStart waits for the GC sequence. Then GoSysExit takes the
// real exit time it carries, the stream is re-sorted stably, and ticks become ns.
import { corrupt, type RawTrace } from './raw';
import { Ev, EV_NAME } from './spec';

const DEAD = 0;
const RUNNABLE = 1;
const RUNNING = 2;
const WAITING = 3;

/** "Any sequence number" in an initial state, "keep the current one" / "current + 1" in a next state. */
const NOSEQ = -1;
const SEQINC = -2;

/** Slot 0 stands for "no ordering constraint", slot 1 for the GC sequence, 2… for goroutines. */
const UNORDERED = 0;
const GC = 1;

/** The readiness rule of one event, filled in by transitionOf. */
interface Transition {
  slot: number;
  initSeq: number;
  initStatus: number;
  nextSeq: number;
  nextStatus: number;
}

export function orderEvents(t: RawTrace): Int32Array {
  const ev = t.events;
  const type = ev.type, ts = ev.ts, gcol = ev.g, a0 = ev.a0, a1 = ev.a1;

  // Which goroutine (or the GC) each event waits on, as a dense slot: one map lookup per event.
  const slotOf = new Map<number, number>();
  const slots = new Int32Array(ev.count);
  for (let e = 0; e < ev.count; e++) {
    let g: number;
    switch (type[e]) {
      case Ev.GoCreate: case Ev.GoUnblock: case Ev.GoSysExit: case Ev.GoUnblockLocal: case Ev.GoSysExitLocal:
        g = a0[e]; break;
      case Ev.GoWaiting: case Ev.GoInSyscall: case Ev.GoStart: case Ev.GoStartLabel: case Ev.GoStartLocal:
      case Ev.GoBlock: case Ev.GoBlockSend: case Ev.GoBlockRecv: case Ev.GoBlockSelect: case Ev.GoBlockSync:
      case Ev.GoBlockCond: case Ev.GoBlockNet: case Ev.GoSleep: case Ev.GoSysBlock: case Ev.GoBlockGC:
      case Ev.GoSched: case Ev.GoPreempt:
        g = gcol[e]; break;
      case Ev.GCStart:
        slots[e] = GC; continue;
      default:
        slots[e] = UNORDERED; continue;
    }
    let s = slotOf.get(g);
    if (s === undefined) { s = slotOf.size + 2; slotOf.set(g, s); }
    slots[e] = s;
  }
  const seq = new Float64Array(slotOf.size + 2);
  const status = new Uint8Array(slotOf.size + 2);

  const tr: Transition = { slot: UNORDERED, initSeq: 0, initStatus: 0, nextSeq: 0, nextStatus: 0 };
  const set = (initSeq: number, initStatus: number, nextSeq: number, nextStatus: number): void => {
    tr.initSeq = initSeq; tr.initStatus = initStatus; tr.nextSeq = nextSeq; tr.nextStatus = nextStatus;
  };
  const transitionOf = (e: number): void => {
    tr.slot = slots[e];
    switch (type[e]) {
      case Ev.GoCreate: set(0, DEAD, 1, RUNNABLE); return;
      case Ev.GoWaiting: case Ev.GoInSyscall: set(1, RUNNABLE, 2, WAITING); return;
      case Ev.GoStart: case Ev.GoStartLabel: set(a1[e], RUNNABLE, a1[e] + 1, RUNNING); return;
      case Ev.GoStartLocal: set(NOSEQ, RUNNABLE, SEQINC, RUNNING); return;
      case Ev.GoBlock: case Ev.GoBlockSend: case Ev.GoBlockRecv: case Ev.GoBlockSelect: case Ev.GoBlockSync:
      case Ev.GoBlockCond: case Ev.GoBlockNet: case Ev.GoSleep: case Ev.GoSysBlock: case Ev.GoBlockGC:
        set(NOSEQ, RUNNING, NOSEQ, WAITING); return;
      case Ev.GoSched: case Ev.GoPreempt: set(NOSEQ, RUNNING, NOSEQ, RUNNABLE); return;
      case Ev.GoUnblock: case Ev.GoSysExit: set(a1[e], WAITING, a1[e] + 1, RUNNABLE); return;
      case Ev.GoUnblockLocal: case Ev.GoSysExitLocal: set(NOSEQ, WAITING, SEQINC, RUNNABLE); return;
      case Ev.GCStart: set(a0[e], DEAD, a0[e] + 1, DEAD); return;
    }
  };
  const ready = (): boolean => {
    const s = tr.slot;
    return s === UNORDERED || ((tr.initSeq === NOSEQ || tr.initSeq === seq[s]) && tr.initStatus === status[s]);
  };
  const apply = (): void => {
    const s = tr.slot;
    seq[s] = tr.nextSeq === NOSEQ ? seq[s] : tr.nextSeq === SEQINC ? seq[s] + 1 : tr.nextSeq;
    status[s] = tr.nextStatus;
  };

  // Per proc: which batch is next, the unread rows of the current one, and whether it is done.
  const procs = t.procs;
  const np = procs.length;
  const nextBatch = new Int32Array(np);
  const cur = new Int32Array(np);
  const end = new Int32Array(np);
  const done = new Uint8Array(np);
  const available = new Int32Array(np);
  let nAvail = np;
  for (let i = 0; i < np; i++) available[i] = i;

  // The frontier: a binary min-heap of procs on the time of the event each has in it (a
  // proc has at most one), sifted exactly as the reference's heap so ties break alike.
  const heap = new Int32Array(np);
  let hLen = 0;
  const headTs = new Float64Array(np);
  const headEv = new Int32Array(np);
  const push = (p: number): void => {
    let j = hLen++;
    heap[j] = p;
    const t0 = headTs[p];
    while (j > 0) {
      const i = (j - 1) >> 1;
      if (!(t0 < headTs[heap[i]])) break;
      heap[j] = heap[i]; heap[i] = p;
      j = i;
    }
  };
  const pop = (): number => {
    const n = --hLen;
    const top = heap[0];
    heap[0] = heap[n]; heap[n] = top;
    let i = 0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && headTs[heap[j2]] < headTs[heap[j1]]) j = j2;
      if (!(headTs[heap[j]] < headTs[heap[i]])) break;
      const x = heap[i]; heap[i] = heap[j]; heap[j] = x;
      i = j;
    }
    return top;
  };

  const out = new Int32Array(ev.count);
  let n = 0;
  for (;;) {
    // Move every proc whose next event is ready into the frontier.
    scan: for (let i = 0; i < nAvail; i++) {
      const p = available[i];
      while (cur[p] === end[p]) {
        const pb = procs[p];
        const b = nextBatch[p];
        if (b === pb.starts.length) {
          done[p] = 1;
          available[i--] = available[--nAvail];
          continue scan;
        }
        cur[p] = pb.starts[b];
        end[p] = pb.ends[b];
        nextBatch[p] = b + 1;
      }
      const e = cur[p];
      transitionOf(e);
      if (!ready()) continue;
      cur[p] = e + 1;
      available[i--] = available[--nAvail];
      headTs[p] = ts[e];
      headEv[p] = e;
      push(p);
    }

    if (hLen === 0) {
      for (let p = 0; p < np; p++) {
        if (!done[p]) {
          const e = cur[p];
          throw corrupt(`no consistent ordering of events is possible (stuck at ${EV_NAME[type[e]]} of goroutine ${gcol[e]})`, ev.off[e]);
        }
      }
      break;
    }
    const p = pop();
    const e = headEv[p];

    transitionOf(e);
    switch (type[e]) {
      case Ev.GoStartLocal: type[e] = Ev.GoStart; break;
      case Ev.GoUnblockLocal: type[e] = Ev.GoUnblock; break;
      case Ev.GoSysExitLocal: type[e] = Ev.GoSysExit; break;
    }
    out[n++] = e;
    if (tr.slot !== UNORDERED) {
      if (!ready()) throw corrupt(`impossible goroutine state transition at ${EV_NAME[type[e]]}`, ev.off[e]);
      apply();
    }
    available[nAvail++] = p;
  }

  const order = n === out.length ? out : out.slice(0, n);
  for (let k = 1; k < n; k++) {
    if (ts[order[k]] < ts[order[k - 1]]) throw corrupt('time stamps out of order', ev.off[order[k]]);
  }
  if (fixSyscallExits(t, order)) stableSortByTime(ts, order);
  return order;
}

/**
 * A syscall exit is written when its goroutine runs again, but carries the tick at which
 * the syscall really returned: move it there (after the block it ends).
 */
function fixSyscallExits(t: RawTrace, order: Int32Array): boolean {
  const ev = t.events;
  const type = ev.type, ts = ev.ts, g = ev.g, real = ev.a2;
  const blockedAt = new Map<number, number>();
  let moved = false;
  for (let k = 0; k < order.length; k++) {
    const e = order[k];
    switch (type[e]) {
      case Ev.GoSysBlock: case Ev.GoInSyscall:
        blockedAt.set(g[e], ts[e]);
        break;
      case Ev.GoSysExit: {
        const r = real.get(e);
        if (Number.isNaN(r)) break;
        const block = blockedAt.get(g[e]);
        if (block === undefined) throw corrupt('syscall exit without a syscall', ev.off[e]);
        if (r < block) throw corrupt('time stamps out of order', ev.off[e]);
        if (r !== ts[e]) { ts[e] = r; moved = true; }
        break;
      }
    }
  }
  return moved;
}

/**
 * Stable sort by time of a stream that was sorted before a few events changed time: keep
 * a greedily grown sorted run in place, sort the rest stably, and merge the two by
 * (time, previous position) — the same result as a full stable sort, in near-linear time.
 */
function stableSortByTime(ts: Float64Array, order: Int32Array): void {
  const n = order.length;
  const keep: number[] = [];
  const moved: number[] = [];
  let last = -Infinity;
  for (let k = 0; k < n; k++) {
    const t = ts[order[k]];
    if (t < last) moved.push(k);
    else { keep.push(k); last = t; }
  }
  if (!moved.length) return;
  moved.sort((x, y) => ts[order[x]] - ts[order[y]] || x - y);
  const copy = order.slice();
  let i = 0, j = 0, k = 0;
  while (i < keep.length && j < moved.length) {
    const x = keep[i], y = moved[j];
    const d = ts[copy[x]] - ts[copy[y]];
    if (d < 0 || (d === 0 && x < y)) { order[k++] = copy[x]; i++; } else { order[k++] = copy[y]; j++; }
  }
  while (i < keep.length) order[k++] = copy[keep[i++]];
  while (j < moved.length) order[k++] = copy[moved[j++]];
}

/** Ticks → ns since the first event, truncated as the reference's float64 → int64 conversion. */
export function ticksToNanoseconds(t: RawTrace, order: Int32Array): void {
  if (order.length === 0) return;
  const ts = t.events.ts;
  const min = ts[order[0]];
  const scale = 1e9 / t.ticksPerSec;
  for (let k = 0; k < order.length; k++) {
    const e = order[k];
    ts[e] = Math.trunc((ts[e] - min) * scale);
  }
}
