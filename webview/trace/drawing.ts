// The timeline's <canvas>: redrawn on the next animation frame after anything changed, from
// the tiles on hand (asking for more when they no longer cover the view). Draws the ruler,
// the fixed lanes over the scrolled ones, the finding's moment, the range being selected and
// the selected span; and writes what it drew into data-* attributes for tests.
import type { ColorBy, LaneRef } from '../../src/protocol/trace';
import type { WhatIfSeries } from '../../src/protocol/whatif';
import { formatNs } from '../shared/format';
import { el } from '../shared/vscode';
import { laneKey, LANE_H, RULER, type Lane, type Lanes } from './lanes';
import { LanePainter, type XOf } from './paint';
import { Palette } from './palette';
import { PredictedPainter } from './predicted';
import type { TileCache } from './tiles';
import { niceStep, timeLabel } from './time';
import { GUTTER, type Viewport } from './viewport';

/** What is drawn over the lanes; each is owned elsewhere. */
export interface Overlays {
  /** The finding's moment. */
  mark(): { at: number; atEnd: number } | undefined;
  /** The range a shift-drag is selecting. */
  selecting(): { from: number; to: number } | undefined;
  /** The span whose details are shown. */
  selection(): { lane: LaneRef; start: number; end: number } | undefined;
  /** The "What if" scenario's predicted heap and GC cycles. */
  predicted(): WhatIfSeries | undefined;
}

export interface FrameHooks {
  /** Called every animation frame before drawing (keys held down move the view). */
  tick(now: number): void;
  /** How long a draw took. */
  drew(ms: number): void;
  /** The first frame drawn with tiles, `ms` after the page started. */
  firstPaint(ms: number): void;
}

export class Drawing {
  readonly canvas: HTMLCanvasElement;
  /** The scrolling box around the canvas; the spacer gives it the lanes' full height. */
  readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly palette = new Palette();
  private readonly painter: LanePainter;
  private readonly predicted: PredictedPainter;
  private dirty = true;
  private firstPaintSent = false;
  /** The scroll and lanes the data-lanes attribute was written for. */
  private lanesScroll = -1;
  private lanesOf: readonly Lane[] = [];

  constructor(
    fileName: string,
    private readonly startedAt: number,
    private readonly viewport: Viewport,
    private readonly lanes: Lanes,
    private readonly tiles: TileCache,
    private readonly colorBy: () => ColorBy | undefined,
    private readonly overlays: Overlays,
    private readonly hooks: FrameHooks,
  ) {
    this.canvas = el('canvas', { id: 'timeline', tabindex: '0', role: 'img', 'aria-label': `Timeline of ${fileName}: procs, threads, GC and goroutines over time. W and S zoom, A and D pan, F fits.` });
    this.spacer = el('div', { class: 'spacer' });
    this.scroller = el('div', { class: 'lanes-scroll' }, this.canvas, this.spacer);
    this.ctx = this.canvas.getContext('2d', { alpha: false })!;
    this.predicted = new PredictedPainter(this.ctx, this.palette);
    this.painter = new LanePainter(this.ctx, this.palette, this.predicted);
  }

  invalidate(): void { this.dirty = true; }

  /** Starts drawing; also redraws on resize and, with fresh colours, on a theme change. */
  start(): void {
    new ResizeObserver(() => this.invalidate()).observe(this.scroller);
    new MutationObserver(() => { this.palette.reset(); this.invalidate(); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    requestAnimationFrame(this.frame);
  }

  private readonly frame = (now: number): void => {
    requestAnimationFrame(this.frame);
    this.hooks.tick(now);
    if (!this.dirty) return;
    this.dirty = false;
    const view = this.viewport.range;
    this.tiles.ensure(view, this.viewport.plotWidth(), this.colorBy() ?? 'goroutine', this.lanes.refs());
    const t = performance.now();
    this.draw();
    this.hooks.drew(performance.now() - t);
    const canvas = this.canvas;
    const set = this.tiles.current;
    if (!this.firstPaintSent && set) {
      this.firstPaintSent = true;
      const paint = performance.now() - this.startedAt;
      canvas.dataset.firstPaint = paint.toFixed(0);
      this.hooks.firstPaint(paint);
    }
    canvas.dataset.rendered = String(Number(canvas.dataset.rendered ?? 0) + 1);
    // The predicted heap points and GC cycles drawn in view (absent: no scenario shown).
    if (this.predicted.series) { canvas.dataset.predictedPoints = String(this.predicted.drawn.points); canvas.dataset.predictedCycles = String(this.predicted.drawn.cycles); }
    else { delete canvas.dataset.predictedPoints; delete canvas.dataset.predictedCycles; }
    // Where each lane is drawn (key:y:height in CSS pixels), for tests and accessibility tools:
    // rewritten when the lanes or the scroll change, not on every frame of a pan.
    const lanes = this.lanes.all;
    const scrollTop = this.scroller.scrollTop;
    if (scrollTop !== this.lanesScroll || this.lanesOf !== lanes) {
      this.lanesScroll = scrollTop; this.lanesOf = lanes;
      canvas.dataset.lanes = lanes.filter((l) => l.ref).map((l) => `${laneKey(l.ref!)}:${Math.round(this.lanes.y(l.ref!, scrollTop) ?? -1)}:${l.height}`).join(' ');
    }
    const v = this.viewport.range;
    canvas.dataset.view = `${Math.round(v.t0)}-${Math.round(v.t1)}`;
    canvas.dataset.mode = set ? [...set.tiles.values()].filter((x) => x.lane.kind === 'proc').map((x) => x.mode[0]).join('') : '';
  };

  private draw(): void {
    const { canvas, ctx, scroller } = this;
    const dpr = window.devicePixelRatio || 1;
    const cssW = scroller.clientWidth, cssH = scroller.clientHeight;
    this.spacer.style.height = `${Math.max(0, this.lanes.totalHeight() - cssH)}px`;
    if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
      canvas.width = Math.round(cssW * dpr); canvas.height = Math.round(cssH * dpr);
      canvas.style.width = `${cssW}px`; canvas.style.height = `${cssH}px`;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const p = this.palette.get();
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, cssW, cssH);
    ctx.font = `11px ${getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family') || 'monospace'}`;
    ctx.textBaseline = 'middle';
    const view = this.viewport.range;
    const w = cssW - GUTTER;
    const nsPerPx = (view.t1 - view.t0) / w;
    const x = (t: number) => GUTTER + (t - view.t0) / nsPerPx;
    const set = this.tiles.current;
    const colorBy = this.colorBy();
    const lanes = this.lanes.all;
    this.predicted.begin(this.overlays.predicted());

    // Scrolled lanes first, clipped below the fixed header; then the header over them.
    const head = this.lanes.fixedHeight();
    let y = head - scroller.scrollTop;
    ctx.save();
    ctx.beginPath(); ctx.rect(0, head, cssW, cssH - head); ctx.clip();
    for (const l of lanes) {
      if (l.fixed) continue;
      if (y + l.height >= head && y <= cssH) this.painter.lane(l, y, x, w, view, set, colorBy);
      y += l.height + 1;
    }
    ctx.restore();
    y = RULER;
    for (const l of lanes) {
      if (!l.fixed) continue;
      this.painter.lane(l, y, x, w, view, set, colorBy);
      y += l.height + 1;
    }
    ctx.fillStyle = p.grid;
    ctx.fillRect(0, head - 1, cssW, 1);
    this.ruler(x, nsPerPx, cssW, cssH);
    // The finding's moment, and the range being selected.
    const band = (a: number, b: number, color: string) => {
      const x0 = Math.max(GUTTER, x(a)), x1 = Math.min(cssW, Math.max(x(b), x(a) + 2));
      if (x1 < GUTTER || x0 > cssW) return;
      ctx.globalAlpha = 0.18; ctx.fillStyle = color; ctx.fillRect(x0, RULER, x1 - x0, cssH - RULER);
      ctx.globalAlpha = 1; ctx.strokeStyle = color; ctx.lineWidth = 1; ctx.strokeRect(x0 + 0.5, RULER + 0.5, x1 - x0 - 1, cssH - RULER - 1);
    };
    const mark = this.overlays.mark();
    if (mark) band(mark.at, mark.atEnd, p.focus);
    const selecting = this.overlays.selecting();
    if (selecting) band(Math.min(selecting.from, selecting.to), Math.max(selecting.from, selecting.to), p.fg);
    const selection = this.overlays.selection();
    if (selection) {
      const ly = this.lanes.y(selection.lane, scroller.scrollTop);
      if (ly !== undefined) {
        const x0 = Math.max(GUTTER, x(selection.start)), x1 = Math.min(cssW, Math.max(x(selection.end), x0 + 2));
        ctx.strokeStyle = p.fg; ctx.lineWidth = 2; ctx.strokeRect(x0, ly, x1 - x0, LANE_H - 1);
      }
    }
  }

  private ruler(x: XOf, nsPerPx: number, cssW: number, cssH: number): void {
    const { ctx } = this;
    const p = this.palette.get();
    const view = this.viewport.range;
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, cssW, RULER);
    ctx.fillStyle = p.grid;
    ctx.fillRect(0, RULER - 1, cssW, 1);
    const step = niceStep(nsPerPx * 90);
    const first = Math.ceil(view.t0 / step) * step;
    for (let t = first; t <= view.t1; t += step) {
      const px = Math.round(x(t)) + 0.5;
      ctx.fillStyle = p.grid;
      ctx.fillRect(px, RULER - 6, 1, 6);
      ctx.globalAlpha = 0.35; ctx.fillRect(px, RULER, 1, cssH - RULER); ctx.globalAlpha = 1;
      ctx.fillStyle = p.muted;
      ctx.fillText(timeLabel(t, step), px + 3, RULER / 2);
    }
    ctx.fillStyle = p.muted;
    ctx.fillText(`⟷ ${formatNs(view.t1 - view.t0)}`, 8, RULER / 2, GUTTER - 12);
  }
}
