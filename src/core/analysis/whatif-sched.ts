// The GOMAXPROCS what-if: each goroutine's run/wait demand from the trace, replayed on N procs
// with one FIFO run queue and a 10 ms time slice. A wake-up by another goroutine happens when
// that goroutine reaches the same point of its work; timer, network and syscall waits keep
// their durations. Gives the wall time, runnable latency and proc utilisation.
import { NONE } from '../trace/events';
import type { GDemand } from './whatif-input';

export interface SchedResult {
  wallNs: number;
  runnableMeanNs: number;
  runnableP99Ns: number;
  utilisation: number;
}

const SLICE_NS = 10e6;

interface G {
  d: GDemand;
  seg: number;
  left: number;
  progress: number;
  readySince: number;
  /** Wake points others wait on: [run ns, target index], sorted by run ns. */
  points: [number, number][];
  nextPoint: number;
  waiting: boolean;
  done: boolean;
  started: boolean;
}

/** A binary min-heap of (time, kind, g, stamp) events. */
class Events {
  private t: number[] = []; private v: [number, number, number][] = [];
  push(time: number, kind: number, g: number, stamp: number): void {
    this.t.push(time); this.v.push([kind, g, stamp]);
    let i = this.t.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.t[p] <= this.t[i]) break;
      this.swap(i, p); i = p;
    }
  }
  pop(): [number, number, number, number] | undefined {
    if (!this.t.length) return undefined;
    const out: [number, number, number, number] = [this.t[0], ...this.v[0]];
    const lt = this.t.pop()!, lv = this.v.pop()!;
    if (this.t.length) {
      this.t[0] = lt; this.v[0] = lv;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < this.t.length && this.t[l] < this.t[m]) m = l;
        if (r < this.t.length && this.t[r] < this.t[m]) m = r;
        if (m === i) break;
        this.swap(i, m); i = m;
      }
    }
    return out;
  }
  private swap(a: number, b: number): void {
    [this.t[a], this.t[b]] = [this.t[b], this.t[a]];
    [this.v[a], this.v[b]] = [this.v[b], this.v[a]];
  }
}

const READY = 0, SLICE_END = 1, WAKE = 2;

/** Replays the goroutines' demand on `procs` procs. */
export function replaySched(demand: GDemand[], procs: number): SchedResult {
  const P = Math.max(1, Math.floor(procs));
  const gs: G[] = demand.map((d) => ({ d, seg: 0, left: d.run[0] ?? 0, progress: 0, readySince: 0, points: [], nextPoint: 0, waiting: false, done: false, started: false }));
  const index = new Map<number, number>();
  gs.forEach((g, i) => index.set(g.d.id, i));
  // Who waits on whom, at which point of the waker's work (creations count as wake-ups too).
  gs.forEach((g, i) => {
    if (g.d.creator !== NONE && index.has(g.d.creator)) gs[index.get(g.d.creator)!].points.push([g.d.createdAtRun, i]);
    for (let k = 0; k < g.d.waker.length; k++) {
      const w = g.d.waker[k];
      if (w !== NONE && index.has(w)) {
        gs[index.get(w)!].points.push([g.d.wakerRun[k], i]);
      }
    }
  });
  for (const g of gs) g.points.sort((a, b) => a[0] - b[0]);

  const ev = new Events();
  const queue: number[] = [];
  let qHead = 0;
  let idle = P;
  let busyNs = 0;
  let now = 0, last = 0;
  const lat: number[] = [];
  const stamp = new Int32Array(gs.length);
  // Wake-ups that came before the goroutine reached its wait: it does not wait then.
  const early = new Map<number, number>();

  gs.forEach((g, i) => {
    if (g.d.creator === NONE || !index.has(g.d.creator)) ev.push(g.d.startNs, READY, i, 0);
  });

  const fire = (src: G, upTo: number, at: number) => {
    while (src.nextPoint < src.points.length && src.points[src.nextPoint][0] <= upTo) {
      const target = src.points[src.nextPoint++][1];
      const g = gs[target];
      if (!g.started && g.d.creator !== NONE) { g.started = true; ev.push(at, READY, target, 0); continue; }
      if (g.waiting) { g.waiting = false; ev.push(at, READY, target, 0); } else early.set(target, (early.get(target) ?? 0) + 1);
    }
  };

  const dispatch = (at: number) => {
    while (idle > 0 && qHead < queue.length) {
      const i = queue[qHead++];
      const g = gs[i];
      lat.push(at - g.readySince);
      idle--;
      const run = Math.min(g.left, SLICE_NS);
      stamp[i]++;
      ev.push(at + run, SLICE_END, i, stamp[i]);
      // Wake points reached within this run, at their times.
      const startProg = g.progress;
      let k = g.nextPoint;
      while (k < g.points.length && g.points[k][0] <= startProg + run) {
        ev.push(at + Math.max(0, g.points[k][0] - startProg), WAKE, i, k);
        k++;
      }
    }
    if (qHead > 4096 && qHead * 2 > queue.length) { queue.splice(0, qHead); qHead = 0; }
  };

  for (;;) {
    const e = ev.pop();
    if (!e) break;
    const [t, kind, i, st] = e;
    if (t > now) { busyNs += (P - idle) * (t - now); now = t; }
    const g = gs[i];
    if (kind === READY) {
      g.started = true;
      g.readySince = t;
      queue.push(i);
    } else if (kind === WAKE) {
      if (st >= g.nextPoint) fire(g, g.points[st][0], t);
    } else if (kind === SLICE_END) {
      if (st !== stamp[i]) continue;
      idle++;
      const ran = Math.min(g.left, SLICE_NS);
      g.left -= ran;
      g.progress += ran;
      fire(g, g.progress, t);
      if (g.left > 1e-6) {
        g.readySince = t;
        queue.push(i);
      } else {
        // The run segment is done: wait, then the next segment.
        const k = g.seg;
        g.seg++;
        if (g.seg >= g.d.run.length) { g.done = true; last = Math.max(last, t); }
        else {
          g.left = g.d.run[g.seg];
          const w = g.d.waitNs[k];
          if (!Number.isNaN(w)) ev.push(t + w, READY, i, 0);
          else if (g.d.waker[k] !== NONE && index.has(g.d.waker[k])) {
            const e2 = early.get(i) ?? 0;
            if (e2 > 0) { early.set(i, e2 - 1); g.readySince = t; queue.push(i); } else g.waiting = true;
          } else ev.push(t, READY, i, 0);
        }
      }
    }
    dispatch(t);
  }
  last = Math.max(last, now);
  lat.sort((a, b) => a - b);
  return {
    wallNs: last,
    runnableMeanNs: lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : 0,
    runnableP99Ns: lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] : 0,
    utilisation: last > 0 ? busyNs / (P * last) : 0,
  };
}
