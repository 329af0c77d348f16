// The flame graph (d3-flame-graph) with a keyboard: a selected frame moved by the arrows in
// the direction they point, Enter zooms into it, Escape resets. Zoom and selection are
// named by their path of function names from the root, so they survive a redraw.
import { flamegraph } from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { FlameNode } from './tree';

/** d3-hierarchy's node as d3-flame-graph lays it out (x0..x1 in the root's units). */
export interface HNode {
  data: FlameNode & { hide?: boolean; fade?: boolean };
  value: number;
  depth: number;
  x0: number;
  x1: number;
  parent: HNode | null;
  children?: HNode[];
}

export type Colors = Record<FlameNode['kind'] | 'highlight', string>;

export interface FlameOptions {
  host: HTMLElement;
  data: FlameNode;
  width: number;
  inverted: boolean;
  colors: Colors;
  label(n: FlameNode, value: number): string;
  /** A frame was clicked (it is zoomed and selected). */
  onActivate(n: HNode): void;
  /** The selection moved (keyboard, click or restore). */
  onSelect(n: HNode, by: 'click' | 'key' | 'restore'): void;
  onZoom(path: string[]): void;
  onHover(text: string): void;
  onSearch(sum: number): void;
}

const MIN_PX = 1;
const CELL = 18;

/** Levels below the root, without recursion (stacks can be hundreds deep). */
function depthOf(root: FlameNode): number {
  let max = 0;
  const todo: [FlameNode, number][] = [[root, 0]];
  for (let e = todo.pop(); e; e = todo.pop()) {
    if (e[1] > max) max = e[1];
    for (const c of e[0].children) todo.push([c, e[1] + 1]);
  }
  return max;
}

export class FlameView {
  private readonly chart: ReturnType<typeof flamegraph>;
  private readonly root: HNode;
  private selected: HNode;
  /** Programmatic zooms (restore, Enter) must not act like a click. */
  private quiet = false;
  /** The ring shows once a frame was chosen or the graph has focus, not on a fresh graph. */
  private chosen = false;

  constructor(private readonly o: FlameOptions) {
    o.host.replaceChildren();
    const chart = flamegraph()
      .width(o.width)
      .cellHeight(CELL)
      .minFrameSize(MIN_PX)
      .inverted(o.inverted)
      // No enter animation: the graph appears complete; zooming animates (set after the first draw).
      .transitionDuration(0)
      .sort(true)
      .selfValue(false)
      .setColorMapper((d: HNode & { highlight?: boolean }) => (d.highlight ? o.colors.highlight : o.colors[d.data.kind]))
      .setSearchMatch((d: HNode, term: string) => !!term && d.data.name.toLowerCase().includes(term.toLowerCase()))
      .setSearchHandler((_r: unknown, sum: number) => o.onSearch(sum))
      .label((d: HNode) => o.label(d.data, d.value))
      .onClick((d: HNode) => this.clicked(d));
    // onHover exists in d3-flame-graph 4 but is missing from its type declarations.
    (chart as unknown as { onHover(f: (d: HNode) => void): void }).onHover((d) => o.onHover(o.label(d.data, d.value)));
    // Tall enough for every frame the host sent, so frames a zoom reveals (the detail under
    // a zoomed frame) stay inside the drawing; fixed, so nothing moves under the pointer.
    chart.height((depthOf(o.data) + 3) * CELL);
    select(o.host).datum(o.data).call(chart as never);
    chart.transitionDuration(200);
    this.chart = chart;
    // d3-flame-graph replaced the datum with its hierarchy.
    this.root = select(o.host).datum() as HNode;
    this.selected = this.root;
  }

  private clicked(d: HNode): void {
    this.o.onZoom(pathOf(d));
    if (this.quiet) { this.mark(); return; }
    if (d !== this.root) { this.selected = d; this.chosen = true; }
    this.mark();
    this.o.onSelect(this.selected, 'click');
    if (d !== this.root) this.o.onActivate(d);
  }

  /** Zoom (and select) by path; a path that no longer exists leaves the graph unzoomed. */
  restore(zoom: string[] | undefined, selected: string[] | undefined): void {
    const z = zoom && zoom.length ? this.find(zoom) : undefined;
    if (z) this.zoomQuietly(z, 0);
    const s = selected ? this.find(selected) : undefined;
    this.selected = s ?? z ?? this.root;
    this.chosen = !!s;
    this.mark();
    if (s) this.o.onSelect(s, 'restore');
  }

  resetZoom(): void {
    this.quiet = true;
    try { this.chart.resetZoom(); } finally { this.quiet = false; }
    this.o.onZoom([]);
    this.mark();
  }

  search(term: string): void {
    if (term) this.chart.search(term); else this.chart.clear();
    this.mark();
  }

  /** The whole tree (for counting matches): the root's data. */
  get data(): FlameNode { return this.root.data; }

  private zoomQuietly(n: HNode, duration?: number): void {
    const before = this.chart.transitionDuration();
    if (duration !== undefined) this.chart.transitionDuration(duration);
    this.quiet = true;
    try { (this.chart as unknown as { zoomTo(d: HNode): void }).zoomTo(n); } finally {
      this.quiet = false;
      this.chart.transitionDuration(before);
    }
  }

  private find(path: string[]): HNode | undefined {
    let n: HNode | undefined = this.root;
    for (const name of path) {
      n = n.children?.find((c) => c.data.name === name);
      if (!n) return undefined;
    }
    return n;
  }

  private px(n: HNode): number {
    const span = this.root.x1 - this.root.x0;
    return span > 0 ? ((n.x1 - n.x0) * this.o.width) / span : 0;
  }

  private drawn(n: HNode): boolean {
    return !n.data.hide && this.px(n) > MIN_PX;
  }

  /** The host's keydown (the host outlives each chart, so main listens and forwards). */
  key(e: KeyboardEvent): void {
    // Arrows point where the frame is drawn: callees are above their callers in a flame
    // graph (root at the bottom) and below them in an icicle (root at the top).
    const towardLeaves = this.o.inverted ? 'ArrowDown' : 'ArrowUp';
    const towardRoot = this.o.inverted ? 'ArrowUp' : 'ArrowDown';
    let next: HNode | undefined;
    const s = this.selected;
    if (e.key === towardRoot) next = s.parent ?? undefined;
    else if (e.key === towardLeaves) next = (s.children ?? []).filter((c) => this.drawn(c)).sort((a, b) => b.value - a.value)[0];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const row = this.rowOf(s);
      const i = row.indexOf(s);
      next = row[e.key === 'ArrowLeft' ? i - 1 : i + 1];
    } else if (e.key === 'Home') next = this.root;
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      this.zoomQuietly(s);
      this.mark();
      this.o.onSelect(s, 'key');
      return;
    } else return;
    e.preventDefault();
    if (!next) return;
    this.selected = next;
    this.chosen = true;
    this.mark();
    this.o.onSelect(next, 'key');
  }

  /** The drawn frames at the selected frame's depth, left to right. */
  private rowOf(s: HNode): HNode[] {
    const row: HNode[] = [];
    const walk = (n: HNode) => {
      if (!this.drawn(n) && n !== this.root) return;
      if (n.depth === s.depth) { row.push(n); return; }
      for (const c of n.children ?? []) walk(c);
    };
    walk(this.root);
    if (!row.includes(s)) row.push(s);
    return row.sort((a, b) => a.x0 - b.x0);
  }

  /** Puts the selection ring on the selected frame's box (d3 rewrites classes on every update). */
  mark(): void {
    const sel = this.chosen || document.activeElement === this.o.host ? this.selected : undefined;
    let box: SVGGElement | undefined;
    select(this.o.host).selectAll<SVGGElement, HNode>('g.frame').each(function (d) {
      const on = d === sel;
      this.classList.toggle('selected', on);
      if (on) { this.id = 'flame-selected'; box = this; } else if (this.id) this.removeAttribute('id');
    });
    if (box) this.o.host.setAttribute('aria-activedescendant', 'flame-selected');
    else this.o.host.removeAttribute('aria-activedescendant');
    if (box && document.activeElement === this.o.host) box.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  get selection(): HNode { return this.selected; }
}

export function pathOf(n: HNode): string[] {
  const p: string[] = [];
  for (let c: HNode | null = n; c && c.parent; c = c.parent) p.unshift(c.data.name);
  return p;
}
