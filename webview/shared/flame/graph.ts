// The flame graph widget both profile pages use: d3-flame-graph over a FlameNode tree, with
// zooms the page makes itself told apart from the user's clicks, zoom by a path of function
// names (so a zoom survives a redraw and can be shared between graphs), and search.
import { flamegraph } from 'd3-flame-graph';
import { select } from 'd3-selection';
import { depthOf, type FlameNode } from './tree';

/** d3-hierarchy's node as d3-flame-graph lays it out (x0..x1 in the root's units). */
export interface HNode {
  data: FlameNode & { hide?: boolean; fade?: boolean };
  value: number;
  depth: number;
  x0: number;
  x1: number;
  parent: HNode | null;
  children?: HNode[];
  highlight?: boolean;
}

export interface FlameGraphOptions {
  host: HTMLElement;
  data: FlameNode;
  width: number;
  /** Icicle: the root at the top. */
  inverted?: boolean;
  /**
   * Tall enough for every frame the host sent, so frames a zoom reveals (the detail under
   * a zoomed frame) stay inside the drawing; fixed, so nothing moves under the pointer.
   */
  fullHeight?: boolean;
  color(d: HNode): string;
  label(n: FlameNode, value: number): string;
  /** A frame was zoomed: by the user's click, or by the page (`byPage`: zoomTo, resetZoom). */
  onClick(d: HNode, byPage: boolean): void;
  onHover(text: string): void;
  /** A search ran: the matches' total value. */
  onSearch(sum: number): void;
}

export const MIN_PX = 1;
export const CELL = 18;

export class FlameGraph {
  readonly root: HNode;
  private readonly chart: ReturnType<typeof flamegraph>;
  /** d3-flame-graph calls the click handler for zooms made in code too. */
  private byPage = false;

  constructor(private readonly o: FlameGraphOptions) {
    o.host.replaceChildren();
    const chart = flamegraph()
      .width(o.width)
      .cellHeight(CELL)
      .minFrameSize(MIN_PX);
    if (o.inverted !== undefined) chart.inverted(o.inverted);
    chart
      // No enter animation: the graph appears complete; zooming animates (set after the first draw).
      .transitionDuration(0)
      .sort(true)
      .selfValue(false)
      .setColorMapper(o.color as never)
      .setSearchMatch((d: HNode, term: string) => !!term && d.data.name.toLowerCase().includes(term.toLowerCase()))
      .setSearchHandler((_r: unknown, sum: number) => o.onSearch(sum))
      .label((d: HNode) => o.label(d.data, d.value))
      .onClick((d: HNode) => o.onClick(d, this.byPage));
    // onHover exists in d3-flame-graph 4 but is missing from its type declarations.
    (chart as unknown as { onHover(f: (d: HNode) => void): void }).onHover((d) => o.onHover(o.label(d.data, d.value)));
    if (o.fullHeight) chart.height((depthOf(o.data) + 3) * CELL);
    select(o.host).datum(o.data).call(chart as never);
    chart.transitionDuration(200);
    this.chart = chart;
    // d3-flame-graph replaced the datum with its hierarchy.
    this.root = select(o.host).datum() as HNode;
  }

  /** The whole tree: the root's data. */
  get data(): FlameNode { return this.root.data; }

  /** Zooms to `n` (optionally with another animation length) as the page, not the user. */
  zoomTo(n: HNode, duration?: number): void {
    const before = this.chart.transitionDuration();
    if (duration !== undefined) this.chart.transitionDuration(duration);
    try {
      this.asPage(() => (this.chart as unknown as { zoomTo(d: HNode): void }).zoomTo(n)); // missing from d3-flame-graph 4's types
    } finally {
      this.chart.transitionDuration(before);
    }
  }

  resetZoom(): void {
    this.asPage(() => this.chart.resetZoom());
  }

  /** Zooms to the deepest frame this graph has along `path` (all the way out for []). */
  zoomAlong(path: string[]): HNode {
    let node = this.root;
    for (const name of path) {
      const next = node.children?.find((ch) => ch.data.name === name);
      if (!next) break;
      node = next;
    }
    if (node === this.root) this.resetZoom();
    else this.zoomTo(node);
    return node;
  }

  /** Highlights the frames whose name holds `term` (any case); '' clears. */
  search(term: string): void {
    if (term) this.chart.search(term); else this.chart.clear();
  }

  /** The frame at this path from the root, if it still exists. */
  find(path: string[]): HNode | undefined {
    let n: HNode | undefined = this.root;
    for (const name of path) {
      n = n.children?.find((c) => c.data.name === name);
      if (!n) return undefined;
    }
    return n;
  }

  /** Drawn at all: not hidden by a zoom and wider than the smallest box. */
  drawn(n: HNode): boolean {
    const span = this.root.x1 - this.root.x0;
    const px = span > 0 ? ((n.x1 - n.x0) * this.o.width) / span : 0;
    return !n.data.hide && px > MIN_PX;
  }

  private asPage(zoom: () => void): void {
    const was = this.byPage;
    this.byPage = true;
    try { zoom(); } finally { this.byPage = was; }
  }
}

/** Function names from the root's child down to n. */
export function pathOf(n: HNode): string[] {
  const p: string[] = [];
  for (let c: HNode | null = n; c && c.parent; c = c.parent) p.unshift(c.data.name);
  return p;
}
