// Which lanes the timeline has and where they are: counters, GC, STW, assists and sweeps
// fixed under the ruler; pinned goroutines, tasks, regions, Ps and Ms scrolling below.
import type { LaneRef, TraceViewSummary } from '../../src/protocol/trace';
import type { Saved } from './saved';

export const RULER = 24;
export const LANE_H = 18;
/** At most this many goroutine lanes are pinned. */
const MAX_PINNED = 24;

export interface Lane { ref?: LaneRef; label: string; height: number; kind: 'counter-g' | 'counter-heap' | 'counter-cpu' | 'spans' | 'predicted-gc'; fixed: boolean }

export const laneKey = (r: LaneRef) => `${r.kind}:${r.id}`;

export class Lanes {
  private list: Lane[] = [];
  /** A "What if" scenario is shown: its GC cycles get a thin lane under the real ones. */
  private predicted = false;

  constructor(private summary: TraceViewSummary, private readonly saved: Saved, private readonly changed: () => void) {}

  /** A new array whenever the lanes change. */
  get all(): readonly Lane[] { return this.list; }

  /** The lanes that show spans (and are asked of the host). */
  refs(): LaneRef[] { return this.list.filter((l) => l.ref).map((l) => l.ref!); }

  build(): void {
    const s = this.summary;
    const out: Lane[] = [];
    out.push({ label: 'Goroutines', height: 40, kind: 'counter-g', fixed: true });
    out.push({ label: 'Heap', height: 36, kind: 'counter-heap', fixed: true });
    out.push({ ref: { kind: 'gc', id: 0 }, label: 'GC', height: LANE_H, kind: 'spans', fixed: true });
    if (this.predicted) out.push({ label: 'GC predicted', height: 12, kind: 'predicted-gc', fixed: true });
    out.push({ ref: { kind: 'stw', id: 0 }, label: 'STW', height: LANE_H, kind: 'spans', fixed: true });
    out.push({ ref: { kind: 'assist', id: 0 }, label: 'Mark assists', height: LANE_H, kind: 'spans', fixed: true });
    out.push({ ref: { kind: 'sweep', id: 0 }, label: 'Sweeps', height: LANE_H, kind: 'spans', fixed: true });
    if (s.cpuSamples) out.push({ label: 'CPU samples', height: 22, kind: 'counter-cpu', fixed: true });
    for (const g of this.saved.value.pinned ?? []) out.push({ ref: { kind: 'goroutine', id: g }, label: `G${g}`, height: LANE_H, kind: 'spans', fixed: false });
    if (s.tasks) out.push({ ref: { kind: 'task', id: 0 }, label: 'Tasks', height: LANE_H, kind: 'spans', fixed: false });
    if (s.regions) out.push({ ref: { kind: 'region', id: 0 }, label: 'Regions', height: LANE_H, kind: 'spans', fixed: false });
    for (const p of s.procs) out.push({ ref: { kind: 'proc', id: p }, label: `P${p}`, height: LANE_H, kind: 'spans', fixed: false });
    for (const m of s.threads) out.push({ ref: { kind: 'thread', id: m }, label: `M${m}`, height: LANE_H, kind: 'spans', fixed: false });
    this.list = out;
    this.changed();
  }

  /** The trace grew: procs, threads, tasks or regions may have appeared. */
  update(summary: TraceViewSummary): void {
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    const was = this.summary;
    this.summary = summary;
    if (!same(was.procs, summary.procs) || !same(was.threads, summary.threads) || !was.tasks !== !summary.tasks || !was.regions !== !summary.regions || !was.cpuSamples !== !summary.cpuSamples) this.build();
  }

  /** Shows or hides the lane of predicted GC cycles. */
  showPredicted(on: boolean): void {
    if (on === this.predicted) return;
    this.predicted = on;
    if (this.list.length) this.build();
  }

  /** Adds goroutine lanes (newest first). */
  pin(ids: number[]): void {
    const pinned = [...new Set([...ids, ...(this.saved.value.pinned ?? [])])].slice(0, MAX_PINNED);
    this.saved.save({ pinned });
    this.build();
  }

  unpinAll(): void {
    this.saved.save({ pinned: [] });
    this.build();
  }

  /** The ruler and the fixed lanes above the scrolling ones. */
  fixedHeight(): number { return RULER + this.list.filter((l) => l.fixed).reduce((a, l) => a + l.height + 1, 0); }

  /** Everything, scrolled lanes included, with a little room at the bottom. */
  totalHeight(): number { return this.fixedHeight() + this.list.filter((l) => !l.fixed).reduce((a, l) => a + l.height + 1, 0) + 8; }

  /** The lane's top on the canvas, scrolled by `scrollTop`. */
  y(ref: LaneRef, scrollTop: number): number | undefined {
    let y = RULER;
    for (const l of this.list) if (l.fixed) { if (l.ref && laneKey(l.ref) === laneKey(ref)) return y; y += l.height + 1; }
    y = this.fixedHeight() - scrollTop;
    for (const l of this.list) if (!l.fixed) { if (l.ref && laneKey(l.ref) === laneKey(ref)) return y; y += l.height + 1; }
    return undefined;
  }

  /** The lane under canvas y `cy`. */
  at(cy: number, scrollTop: number): Lane | undefined {
    if (cy < RULER) return undefined;
    const head = this.fixedHeight();
    let y = cy < head ? RULER : head - scrollTop;
    for (const l of this.list) {
      if (l.fixed !== cy < head) continue;
      if (cy >= y && cy < y + l.height) return l;
      y += l.height + 1;
    }
    return undefined;
  }
}
