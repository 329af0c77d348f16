// Colours come from the theme: chart colours for states, hues for goroutines mixed toward
// the editor background the way the flame graph does. Read once per theme.
import type { LaneRef } from '../../src/protocol/trace';

export interface Colors { bg: string; fg: string; muted: string; grid: string; focus: string; running: string; runnable: string; waiting: string; syscall: string; gc: string; stw: string; assist: string; heap: string; goal: string; dark: boolean; hc: boolean }

export class Palette {
  private colors: Colors | undefined;
  private readonly hues = new Map<number, string>();

  /** The theme changed: read the colours again on next use. */
  reset(): void { this.colors = undefined; }

  get(): Colors {
    if (this.colors) return this.colors;
    const cs = getComputedStyle(document.body);
    const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
    const cls = document.body.classList;
    const dark = cls.contains('vscode-dark') || cls.contains('vscode-high-contrast');
    this.colors = {
      bg: v('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'), fg: v('--vscode-editor-foreground', dark ? '#ccc' : '#333'),
      muted: v('--vscode-descriptionForeground', '#888'), grid: v('--vscode-editorRuler-foreground', dark ? '#444' : '#ddd'),
      focus: v('--vscode-focusBorder', '#007fd4'), running: v('--vscode-charts-green', '#388a34'), runnable: v('--vscode-charts-yellow', '#bf8803'),
      waiting: v('--vscode-charts-blue', '#1a85ff'), syscall: v('--vscode-charts-purple', '#652d90'), gc: v('--vscode-charts-orange', '#d18616'),
      stw: v('--vscode-charts-red', '#e51400'), assist: v('--vscode-charts-purple', '#652d90'), heap: v('--vscode-charts-blue', '#1a85ff'),
      goal: v('--vscode-charts-orange', '#d18616'), dark, hc: cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light'),
    };
    this.hues.clear();
    return this.colors;
  }

  hue(key: number): string {
    let c = this.hues.get(key);
    if (c) return c;
    // A stable, well-spread hue per key (golden angle), light or dark to suit the theme.
    const h = ((key * 137.508) % 360 + 360) % 360;
    const p = this.get();
    c = p.dark ? `hsl(${h.toFixed(0)} 45% 42%)` : `hsl(${h.toFixed(0)} 60% 72%)`;
    this.hues.set(key, c);
    return c;
  }

  state(st: number): string {
    const p = this.get();
    return st === 3 ? p.running : st === 2 ? p.runnable : st === 5 ? p.syscall : st === 4 ? p.waiting : p.muted;
  }

  /** A span's or summary column's colour in its lane. */
  of(lane: LaneRef, key: number, st: number): string {
    const p = this.get();
    switch (lane.kind) {
      case 'goroutine': return this.state(key);
      case 'proc': case 'thread': return st === 5 ? p.syscall : Number.isNaN(key) ? p.muted : this.hue(key);
      case 'gc': return p.gc;
      case 'stw': return p.stw;
      case 'assist': return p.assist;
      case 'sweep': return p.heap;
      default: return Number.isNaN(key) ? p.muted : this.hue(key);
    }
  }
}
