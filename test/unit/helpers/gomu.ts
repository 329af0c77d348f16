// Test helper: the mutator utilization function as `go tool trace`'s MMU page accounts it
// (internal/trace MutatorUtilizationV2 with STW, background workers and mark assists, one
// series for the whole system), written from its documented behaviour so our MMU engine can
// be compared number for number with Go's. It keeps Go's quirks on purpose:
// - a proc's GC count goes up when a labelled worker starts (the transition, once the
//   goroutine is known as a worker) *and* at its "GC (dedicated|fractional)" label, but down
//   only once when it stops, so after a worker's second run its proc stays counted as GC;
// - once a goroutine has been a dedicated/fractional worker, its idle-mode runs count too;
// - Syscall counts as executing; events before the first GOMAXPROCS metric are skipped;
// - at one timestamp the lowest utilization wins, and a final 0 ends the series (dropped
//   when the last value is already 0, which shortens the series).
// Our own accounting (src/core/analysis/gcuse.ts) does none of this.
import { EventKind, GoState, ResourceKind, type TraceReader } from '../../../src/core/trace/events';
import type { StepFunction } from '../../../src/core/analysis/mmu';

const executing = (s: number) => s === GoState.Running || s === GoState.Syscall;

export interface GoFlags { stw?: boolean; background?: boolean; assist?: boolean }

export interface GoUtil extends StepFunction {
  /** Go's STW counter went below zero (an STW that began before the first GOMAXPROCS value ended after it): no GC STW counts from then on. */
  stwNegative: boolean;
}

export function goCompatUtilization(reader: TraceReader, flags: GoFlags = { stw: true, background: true, assist: true }): GoUtil {
  const out: { t: number; u: number }[] = [];
  const ps: number[] = [];
  const procs: { t: number; n: number }[] = [];
  const inGC = new Set<number>();
  const bgMark = new Set<number>();
  const states = new Map<number, number>();
  let stw = 0, nSync = 0, lastT = NaN, stwNegative = false;
  const add = (t: number, u: number) => {
    const last = out[out.length - 1];
    if (last) {
      if (last.u === u) return;
      if (last.t === t) { if (u < last.u) out[out.length - 1] = { t, u }; return; }
    }
    out.push({ t, u });
  };
  const strings = reader.strings;
  const isGcStw = (s: string) => !!flags.stw && s.startsWith('stop-the-world') && s.includes('GC');
  const isAssist = (s: string) => !!flags.assist && s === 'GC mark assist';
  const proc = (p: number) => {
    if (!(p >= 0 && p < ps.length)) throw new Error(`event on proc ${p} with ${ps.length} procs (Go would panic)`);
    return p;
  };
  for (let ev = reader.next(); ev; ev = reader.next()) {
    for (let i = 0; i < ev.count; i++) {
      const t = ev.time[i], kind = ev.kind[i];
      lastT = t;
      if (kind === EventKind.Sync) nSync = ev.a[i];
      if (kind === EventKind.Metric && strings.get(ev.s1[i]) === '/sched/gomaxprocs:threads') {
        const n = ev.a[i];
        if (ps.length > n) ps.length = n;
        while (ps.length < n) { if (out.length === 0) out.push({ t, u: 1 }); ps.push(0); }
        if (procs.length === 0 || procs[procs.length - 1].n !== n) procs.push({ t, n });
      }
      if (ps.length === 0) continue;
      const name = kind === EventKind.RangeBegin || kind === EventKind.RangeActive || kind === EventKind.RangeEnd ? strings.get(ev.s1[i]) : '';
      let begin = kind === EventKind.RangeBegin;
      if (kind === EventKind.RangeActive && nSync <= 1) {
        if (isAssist(name) && executing(states.get(ev.g[i]) ?? GoState.Undetermined)) {
          // Subtract one proc's share from everything before (the assist was running all along).
          let pi = 0;
          for (let mi = 0; mi < out.length;) {
            if (pi < procs.length - 1 && procs[pi + 1].t < out[mi].t) { pi++; continue; }
            out[mi].u = Math.max(0, out[mi].u - 1 / procs[pi].n);
            mi++;
          }
        }
        begin = true;
      }
      if (begin) {
        if (isGcStw(name)) stw++;
        else if (isAssist(name)) {
          ps[proc(ev.p[i])]++;
          if (ev.r[i] === ResourceKind.Goroutine) inGC.add(ev.a[i]);
        }
      } else if (kind === EventKind.RangeEnd) {
        if (isGcStw(name) && --stw < 0) stwNegative = true;
        else if (isAssist(name)) {
          ps[proc(ev.p[i])]--;
          if (ev.r[i] === ResourceKind.Goroutine) inGC.delete(ev.a[i]);
        }
      } else if (kind === EventKind.StateTransition && ev.r[i] === ResourceKind.Goroutine) {
        const g = ev.a[i], from = ev.b[i], to = ev.c[i];
        if (inGC.has(g) || bgMark.has(g)) {
          if (!executing(from) && executing(to)) ps[proc(ev.p[i])]++;
          else if (executing(from) && !executing(to)) ps[proc(ev.p[i])]--;
        }
        states.set(g, to);
      } else if (kind === EventKind.Label) {
        const l = strings.get(ev.s1[i]);
        if (flags.background && l.startsWith('GC ') && l !== 'GC (idle)') { bgMark.add(ev.g[i]); ps[proc(ev.p[i])]++; }
      }
      const gcPs = stw > 0 ? ps.length : ps.filter((c) => c > 0).length;
      add(t, 1 - gcPs / ps.length);
    }
  }
  if (!Number.isNaN(lastT) && out.length) add(lastT, 0);
  return { stwNegative, count: out.length, time: Float64Array.from(out, (o) => o.t), value: Float64Array.from(out, (o) => o.u), end: out.length ? out[out.length - 1].t : 0 };
}
