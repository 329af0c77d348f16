// Moving about the timeline: the wheel zooms at the pointer (shift-wheel pans), drag pans,
// shift-drag zooms to a range, a click asks for the span's details; W/A/S/D held down zoom
// and pan every frame, F fits, Escape clears; and the toolbar's zoom and fit buttons.
import type { LaneRef } from '../../src/protocol/trace';
import { percentile } from '../shared/format';
import { LANE_H, type Lanes } from './lanes';
import { GUTTER, type TimeRange, type Viewport } from './viewport';

export interface InputActions {
  /** A click on a lane at time t. */
  select(lane: LaneRef, t: number): void;
  /** Escape: drop the selected span and the finding's mark. */
  clear(): void;
  focusSearch(): void;
  invalidate(): void;
  /** An alt-drag chose a time range (without zooming). */
  range?(from: number, to: number): void;
  /** A keyboard pan ended: frames drawn per second, and the 95th percentile of a draw. */
  panMeasured(fps: number, drawP95: number): void;
}

export interface Buttons { fit: HTMLElement; zoomIn: HTMLElement; zoomOut: HTMLElement }

interface Drag { x: number; t0: number; tNow: number; view: TimeRange; select: boolean; moved: boolean; range: boolean }

export class Input {
  private drag: Drag | undefined;
  private readonly held = new Set<string>();
  /** The keyboard pan under way (A or D held), counted for its frame rate. */
  private panning: { key: string; since: number; frames: number; last: number } | undefined;
  private frameTimes: number[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly scroller: HTMLElement,
    private readonly viewport: Viewport,
    private readonly lanes: Lanes,
    private readonly actions: InputActions,
  ) {
    this.wirePointer();
    this.wireKeys();
  }

  wireButtons(b: Buttons): void {
    const v = this.viewport;
    b.fit.addEventListener('click', () => v.fit());
    b.zoomIn.addEventListener('click', () => v.zoomAt(0.5, v.center));
    b.zoomOut.addEventListener('click', () => v.zoomAt(2, v.center));
  }

  /** The range a shift-drag is selecting, for the drawing. */
  selecting(): { from: number; to: number } | undefined {
    const d = this.drag;
    return d?.select && d.moved ? { from: d.t0, to: d.tNow } : undefined;
  }

  /** Every animation frame: keys held down move the view, smoothly, whatever the frame rate. */
  tick(now: number): void {
    if (!this.held.size) return;
    const v = this.viewport, held = this.held, panning = this.panning;
    const dt = panning ? Math.min(50, now - panning.last) : 16;
    const span = v.t1 - v.t0;
    const speed = dt / 1000;
    if (held.has('a')) v.set(v.t0 - span * speed, v.t1 - span * speed);
    if (held.has('d')) v.set(v.t0 + span * speed, v.t1 + span * speed);
    if (held.has('w')) v.zoomAt(Math.pow(0.25, speed), v.center);
    if (held.has('s')) v.zoomAt(Math.pow(4, speed), v.center);
    if (panning) { panning.frames++; panning.last = now; }
  }

  /** A draw took `ms`: counted while a keyboard pan is under way. */
  drew(ms: number): void {
    if (this.panning) this.frameTimes.push(ms);
  }

  private wirePointer(): void {
    const { canvas, viewport: v } = this;
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      if (e.shiftKey && !e.ctrlKey) {
        const d = ((e.deltaY || e.deltaX) / v.plotWidth()) * (v.t1 - v.t0);
        v.set(v.t0 + d, v.t1 + d);
        return;
      }
      const cx = e.clientX - r.left;
      const at = cx < GUTTER ? v.center : v.timeAtX(cx);
      v.zoomAt(Math.exp(e.deltaY * (e.ctrlKey ? 0.01 : 0.002)), at);
    }, { passive: false });
    canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      const r = canvas.getBoundingClientRect();
      const t = v.timeAtX(e.clientX - r.left);
      // Shift-drag zooms to a range; alt-drag only chooses it (the slice panel's range).
      this.drag = { x: e.clientX, t0: t, tNow: t, view: v.range, select: e.shiftKey || e.altKey, moved: false, range: e.altKey && !e.shiftKey };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener('pointermove', (e) => {
      const drag = this.drag;
      if (!drag) return;
      const dx = e.clientX - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      if (!drag.moved) return;
      if (drag.select) {
        drag.tNow = v.timeAtX(e.clientX - canvas.getBoundingClientRect().left);
        this.actions.invalidate();
      } else {
        const d = (dx / v.plotWidth()) * (drag.view.t1 - drag.view.t0);
        v.set(drag.view.t0 - d, drag.view.t1 - d);
      }
    });
    canvas.addEventListener('pointerup', (e) => {
      const d = this.drag;
      this.drag = undefined;
      if (!d) return;
      const r = canvas.getBoundingClientRect();
      if (d.select && d.moved) {
        const a = Math.min(d.t0, d.tNow), b = Math.max(d.t0, d.tNow);
        if (d.range) { this.actions.range?.(a, b); this.actions.invalidate(); return; }
        if (b - a > 0) v.set(a, b);
        return;
      }
      if (d.moved) return;
      const lane = this.lanes.at(e.clientY - r.top, this.scroller.scrollTop);
      const cx = e.clientX - r.left;
      if (lane?.ref && cx >= GUTTER) this.actions.select(lane.ref, v.timeAtX(cx));
    });
  }

  private wireKeys(): void {
    const { canvas, held } = this;
    canvas.addEventListener('keydown', (e) => {
      const k = e.key.toLowerCase();
      if (['w', 'a', 's', 'd'].includes(k) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        if ((k === 'a' || k === 'd') && !this.panning) this.panning = { key: k, since: performance.now(), frames: 0, last: performance.now() };
        held.add(k);
        return;
      }
      if (k === 'f' || k === '0') { e.preventDefault(); this.viewport.fit(); return; }
      if (e.key === 'Escape') { this.actions.clear(); return; }
      if (e.key === '/') { e.preventDefault(); this.actions.focusSearch(); return; }
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); this.scroller.scrollTop += e.key === 'ArrowDown' ? LANE_H * 3 : -LANE_H * 3; }
    });
    canvas.addEventListener('keyup', (e) => {
      const k = e.key.toLowerCase();
      held.delete(k);
      if (this.panning && this.panning.key === k) this.finishPan();
    });
    canvas.addEventListener('blur', () => { held.clear(); if (this.panning) this.finishPan(); });
  }

  /** A keyboard pan just ended: report its frame rate (frames drawn per second) and frame cost. */
  private finishPan(): void {
    const p = this.panning!;
    this.panning = undefined;
    const secs = (performance.now() - p.since) / 1000;
    if (secs < 0.2) { this.frameTimes = []; return; }
    const fps = p.frames / secs;
    const sorted = this.frameTimes.slice().sort((a, b) => a - b);
    const p95 = percentile(sorted, 0.95);
    this.frameTimes = [];
    this.canvas.dataset.panFps = fps.toFixed(1);
    this.canvas.dataset.panDrawP95 = p95.toFixed(2);
    this.actions.panMeasured(fps, p95);
  }
}
