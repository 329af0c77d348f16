// The "What if" scenario on the timeline: its predicted heap in use (a line) and heap goal
// (a dashed step) over the Heap lane's real ones, and its GC cycles as outlined boxes in a
// thin lane under the real GC spans. Counts what it drew, for tests.
import type { WhatIfSeries } from '../../src/protocol/whatif';
import type { Palette } from './palette';
import { GUTTER, type TimeRange } from './viewport';

type XOf = (t: number) => number;

export class PredictedPainter {
  /** The scenario to draw this frame (none: nothing drawn). */
  series: WhatIfSeries | undefined;
  /** What the last frame drew: heap points and cycles within the view. */
  readonly drawn = { points: 0, cycles: 0 };

  constructor(private readonly ctx: CanvasRenderingContext2D, private readonly palette: Palette) {}

  /** Starts a frame with the scenario shown now. */
  begin(series: WhatIfSeries | undefined): void {
    this.series = series;
    this.drawn.points = 0; this.drawn.cycles = 0;
  }

  /** The largest predicted heap or goal in view (the lane's scale holds both real and predicted). */
  max(view: TimeRange): number {
    let max = 0;
    const heap = this.series?.heap ?? [];
    for (let i = this.first(view.t0); i < heap.length && heap[i].timeNs <= view.t1; i++) max = Math.max(max, heap[i].inUseBytes, heap[i].goalBytes);
    return max;
  }

  heap(y: number, h: number, max: number, x: XOf, view: TimeRange, w: number): void {
    const heap = this.series?.heap;
    if (!heap?.length) return;
    const { ctx } = this;
    const p = this.palette.get();
    const py = (v: number) => y + h - 1 - (v / max) * (h - 2);
    const px = (t: number) => Math.min(GUTTER + w, Math.max(GUTTER, x(t)));
    const i0 = Math.max(0, this.first(view.t0) - 1);
    let i1 = i0;
    while (i1 < heap.length && heap[i1].timeNs <= view.t1) i1++;
    i1 = Math.min(heap.length, i1 + 1);
    ctx.save();
    ctx.lineWidth = 1.5;
    // The goal holds until the next point: a step.
    ctx.strokeStyle = p.goal; ctx.setLineDash([4, 3]); ctx.beginPath();
    for (let i = i0; i < i1; i++) {
      const X = px(heap[i].timeNs), Y = py(heap[i].goalBytes);
      if (i === i0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
      ctx.lineTo(i + 1 < heap.length ? px(heap[i + 1].timeNs) : X, Y);
    }
    ctx.stroke();
    ctx.strokeStyle = p.fg; ctx.setLineDash([]); ctx.beginPath();
    for (let i = i0; i < i1; i++) {
      const X = px(heap[i].timeNs), Y = py(heap[i].inUseBytes);
      if (i === i0) ctx.moveTo(X, Y); else ctx.lineTo(X, Y);
      if (heap[i].timeNs >= view.t0 && heap[i].timeNs <= view.t1) this.drawn.points++;
    }
    ctx.stroke();
    ctx.restore();
  }

  cycles(y: number, h: number, x: XOf, view: TimeRange, w: number): void {
    const cycles = this.series?.cycles;
    if (!cycles) return;
    const { ctx } = this;
    // The theme's foreground: the real GC spans' orange is pale in light themes, an outline of it faint.
    ctx.strokeStyle = this.palette.get().fg; ctx.lineWidth = 1;
    for (const c of cycles) {
      if (c.endNs < view.t0 || c.startNs > view.t1) continue;
      this.drawn.cycles++;
      const x0 = Math.max(GUTTER, x(c.startNs)), x1 = Math.min(GUTTER + w, Math.max(x(c.endNs), x0 + 2));
      ctx.strokeRect(Math.round(x0) + 0.5, y + 1.5, Math.max(1, Math.round(x1 - x0) - 1), h - 3);
    }
  }

  /** The first heap point at or after t (binary search: the points are in time order). */
  private first(t: number): number {
    const heap = this.series?.heap ?? [];
    let lo = 0, hi = heap.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (heap[m].timeNs < t) lo = m + 1; else hi = m; }
    return lo;
  }
}
