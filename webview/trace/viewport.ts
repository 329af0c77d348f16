// The window of time on screen and its maths: clamped to the trace, zoom about a moment,
// and the pixel ↔ time mapping of the plot (right of the lane labels).
export const GUTTER = 120;

export interface TimeRange { t0: number; t1: number }

export class Viewport {
  private view: TimeRange;

  constructor(
    private durationNs: number,
    saved: { t0?: number; t1?: number },
    /** The canvas's width in CSS pixels. */
    private readonly canvasWidth: () => number,
    private readonly changed: (view: TimeRange) => void,
  ) {
    this.view = saved.t0 !== undefined && saved.t1 !== undefined && saved.t1 > saved.t0
      ? { t0: saved.t0, t1: saved.t1 } : { t0: 0, t1: Math.max(1, durationNs) };
  }

  get t0(): number { return this.view.t0; }
  get t1(): number { return this.view.t1; }
  get range(): TimeRange { return { ...this.view }; }
  get center(): number { return (this.view.t0 + this.view.t1) / 2; }

  /** Shows [t0, t1], at least a microsecond wide and inside the trace. */
  set(t0: number, t1: number): void {
    const dur = Math.max(1, this.durationNs);
    let w = Math.max(1000, Math.min(t1 - t0, dur * 1.2));
    if (w > dur) w = dur;
    let a = t0;
    if (a < 0) a = 0;
    if (a + w > dur) a = dur - w;
    this.view = { t0: a, t1: a + w };
    this.changed(this.range);
  }

  fit(): void { this.set(0, this.durationNs); }

  /** The trace grew (read progressively): a view that reached its old end follows the new one. */
  extend(durationNs: number): void {
    const atEnd = this.view.t1 >= this.durationNs;
    this.durationNs = durationNs;
    if (atEnd) this.set(this.view.t0 === 0 ? 0 : this.view.t0, durationNs);
  }

  /** Scales the window by `factor` keeping the moment `at` where it is on screen. */
  zoomAt(factor: number, at: number): void {
    const { t0, t1 } = this.view;
    this.set(at - (at - t0) * factor, at + (t1 - at) * factor);
  }

  plotWidth(): number { return Math.max(1, this.canvasWidth() - GUTTER); }

  timeAtX(cx: number): number {
    const { t0, t1 } = this.view;
    return t0 + ((cx - GUTTER) / this.plotWidth()) * (t1 - t0);
  }

  /** Nanoseconds a pixel of the plot covers. */
  nsPerPixel(): number { return (this.view.t1 - this.view.t0) / this.plotWidth(); }
}
