// Painting one lane from the tiles on hand, at the tiles' level of detail: spans one by one
// (sub-pixel runs of one colour merged), summaries as runs of equal colour whose height is
// how busy the pixel was, counters as stacked areas and a line.
import type { ColorBy } from '../../src/protocol/trace';
import { formatBytes } from '../shared/format';
import { laneKey, type Lane } from './lanes';
import type { Palette } from './palette';
import type { PredictedPainter } from './predicted';
import type { TileSet } from './tiles';
import { GUTTER, type TimeRange } from './viewport';

/** Time → canvas x. */
export type XOf = (t: number) => number;

export class LanePainter {
  constructor(private readonly ctx: CanvasRenderingContext2D, private readonly palette: Palette, private readonly predicted: PredictedPainter) {}

  lane(l: Lane, y: number, x: XOf, w: number, view: TimeRange, c: TileSet | undefined, colorBy: ColorBy | undefined): void {
    const ctx = this.ctx;
    const p = this.palette.get();
    ctx.fillStyle = p.muted;
    ctx.fillText(l.label, 8, y + l.height / 2, GUTTER - 12);
    ctx.fillStyle = p.grid;
    ctx.fillRect(GUTTER, y + l.height, w, 1);
    if (l.kind === 'predicted-gc') { this.predicted.cycles(y, l.height, x, view, w); return; }
    if (!c) return;
    const cw = (c.t1 - c.t0) / c.pixels; // ns per cached column
    // Cached column k covers [c.t0 + k*cw, +cw): the columns on screen, merged where equal.
    const k0 = Math.max(0, Math.floor((view.t0 - c.t0) / cw)), k1 = Math.min(c.pixels, Math.ceil((view.t1 - c.t0) / cw));
    if (l.kind === 'counter-g' || l.kind === 'counter-heap' || l.kind === 'counter-cpu') {
      const cnt = c.counters;
      if (!cnt) return;
      if (l.kind === 'counter-g') {
        let max = 1;
        for (let k = k0; k < k1; k++) max = Math.max(max, cnt.running[k] + cnt.runnable[k] + cnt.syscall[k]);
        this.stacked([cnt.running, cnt.runnable, cnt.syscall], [p.running, p.runnable, p.syscall], max, y, l.height, k0, k1, c, x);
        this.label(`${Math.round(max)}`, y, l.height);
      } else if (l.kind === 'counter-heap') {
        let max = 1;
        for (let k = k0; k < k1; k++) max = Math.max(max, cnt.heap[k] || 0, cnt.goal[k] || 0);
        max = Math.max(max, this.predicted.max(view));
        this.stacked([cnt.heap], [p.heap], max, y, l.height, k0, k1, c, x);
        this.line(cnt.goal, p.goal, max, y, l.height, k0, k1, c, x);
        this.predicted.heap(y, l.height, max, x, view, w);
        this.label(formatBytes(max), y, l.height);
      } else {
        let max = 1;
        for (let k = k0; k < k1; k++) max = Math.max(max, cnt.cpu[k]);
        this.stacked([cnt.cpu], [p.gc], max, y, l.height, k0, k1, c, x);
      }
      return;
    }
    const ref = l.ref!;
    const tile = c.tiles.get(laneKey(ref));
    if (!tile) return;
    const h = l.height - 2;
    const palette = this.palette;
    if (tile.mode === 'spans') {
      let lastX = -1, lastColor = '';
      for (let j = 0; j < tile.start.length; j++) {
        let x0 = x(tile.start[j]), x1 = x(tile.end[j]);
        if (x1 < GUTTER || x0 > GUTTER + w) continue;
        x0 = Math.max(GUTTER, x0); x1 = Math.min(GUTTER + w, x1);
        const color = palette.of(ref, tile.key[j], tile.state[j]);
        // Sub-pixel spans in the same pixel and colour are one rectangle.
        if (x1 - x0 < 1 && Math.floor(x0) === lastX && color === lastColor) continue;
        lastX = Math.floor(x0); lastColor = color;
        ctx.fillStyle = color;
        ctx.fillRect(x0, y + 1, Math.max(1, x1 - x0), h);
        if (x1 - x0 > 40) {
          const text = tile.names[tile.name[j]] ?? (ref.kind === 'proc' || ref.kind === 'thread' ? `G${tile.key[j]}` : '');
          if (text && !(colorBy === 'function' && (ref.kind === 'proc' || ref.kind === 'thread'))) {
            ctx.fillStyle = p.fg;
            ctx.fillText(text, x0 + 3, y + l.height / 2, x1 - x0 - 6);
          }
        }
      }
      return;
    }
    // Summary: runs of equal colour; height by how busy the pixel was.
    let k = k0;
    while (k < k1) {
      const key = tile.key[k], st = tile.state[k];
      if (Number.isNaN(key)) { k++; continue; }
      let e = k + 1, busy = tile.busy[k];
      while (e < k1 && tile.key[e] === key && tile.state[e] === st) { busy = Math.max(busy, tile.busy[e]); e++; }
      const x0 = Math.max(GUTTER, x(c.t0 + k * cw)), x1 = Math.min(GUTTER + w, x(c.t0 + e * cw));
      const bh = Math.max(2, h * Math.min(1, busy));
      ctx.fillStyle = palette.of(ref, key, st);
      ctx.fillRect(x0, y + 1 + h - bh, Math.max(1, x1 - x0), bh);
      k = e;
    }
  }

  private stacked(series: Float64Array[], colors: string[], max: number, y: number, h: number, k0: number, k1: number, c: TileSet, x: XOf): void {
    const ctx = this.ctx;
    const cw = (c.t1 - c.t0) / c.pixels;
    for (let k = k0; k < k1; k++) {
      const x0 = x(c.t0 + k * cw), x1 = x(c.t0 + (k + 1) * cw);
      let base = 0;
      for (let s = 0; s < series.length; s++) {
        const v = series[s][k];
        if (!(v > 0)) continue;
        const bh = (v / max) * (h - 2);
        ctx.fillStyle = colors[s];
        ctx.fillRect(Math.max(GUTTER, x0), y + h - 1 - base - bh, Math.max(1, x1 - x0), bh);
        base += bh;
      }
    }
  }

  private line(series: Float64Array, color: string, max: number, y: number, h: number, k0: number, k1: number, c: TileSet, x: XOf): void {
    const ctx = this.ctx;
    const cw = (c.t1 - c.t0) / c.pixels;
    ctx.strokeStyle = color; ctx.lineWidth = 1.5; ctx.beginPath();
    let started = false;
    for (let k = k0; k < k1; k++) {
      const v = series[k];
      if (!(v > 0)) { started = false; continue; }
      const px = Math.max(GUTTER, x(c.t0 + k * cw)), py = y + h - 1 - (v / max) * (h - 2);
      if (started) ctx.lineTo(px, py); else { ctx.moveTo(px, py); started = true; }
    }
    ctx.stroke();
  }

  private label(text: string, y: number, h: number): void {
    this.ctx.fillStyle = this.palette.get().muted;
    this.ctx.fillText(text, 8, y + h - 7, GUTTER - 12);
  }
}
