// Two ways to work a flame graph from the keyboard. FlameCursor (one graph that takes focus):
// a selected frame moved by the arrows in the direction they point, Enter zooms into it,
// Escape resets, with a ring on the selected box. tabbableFrames (several graphs side by
// side): every box is a tab stop and Enter or Space clicks it.
import { select } from 'd3-selection';
import { FlameGraph, pathOf, type FlameGraphOptions, type HNode } from './graph';

export interface FlameCursorOptions extends Omit<FlameGraphOptions, 'onClick'> {
  /** A frame was clicked (it is zoomed and selected). */
  onActivate(n: HNode): void;
  /** The selection moved (keyboard, click or restore). */
  onSelect(n: HNode, by: 'click' | 'key' | 'restore'): void;
  onZoom(path: string[]): void;
}

let cursors = 0;

/** A flame graph with a selected frame; zoom and selection are named by their path of function names. */
export class FlameCursor {
  private readonly graph: FlameGraph;
  private selected: HNode;
  /** The ring shows once a frame was chosen or the graph has focus, not on a fresh graph. */
  private chosen = false;
  /** aria-activedescendant needs an id unique in the page, and a page may hold several graphs. */
  private readonly selectedId = `flame-selected-${++cursors}`;

  constructor(private readonly o: FlameCursorOptions) {
    this.graph = new FlameGraph({ ...o, onClick: (d, byPage) => this.clicked(d, byPage) });
    this.selected = this.graph.root;
  }

  private clicked(d: HNode, byPage: boolean): void {
    this.o.onZoom(pathOf(d));
    if (byPage) { this.mark(); return; }
    if (d !== this.graph.root) { this.selected = d; this.chosen = true; }
    this.mark();
    this.o.onSelect(this.selected, 'click');
    if (d !== this.graph.root) this.o.onActivate(d);
  }

  /** Zoom (and select) by path; a path that no longer exists leaves the graph unzoomed. */
  restore(zoom: string[] | undefined, selected: string[] | undefined): void {
    const z = zoom && zoom.length ? this.graph.find(zoom) : undefined;
    if (z) this.graph.zoomTo(z, 0);
    const s = selected ? this.graph.find(selected) : undefined;
    this.selected = s ?? z ?? this.graph.root;
    this.chosen = !!s;
    this.mark();
    if (s) this.o.onSelect(s, 'restore');
  }

  resetZoom(): void {
    this.graph.resetZoom();
    this.o.onZoom([]);
    this.mark();
  }

  search(term: string): void {
    this.graph.search(term);
    this.mark();
  }

  /** The whole tree (for counting matches). */
  get data(): HNode['data'] { return this.graph.data; }

  get selection(): HNode { return this.selected; }

  /** The host's keydown (the host outlives each graph, so the page listens and forwards). */
  key(e: KeyboardEvent): void {
    // Arrows point where the frame is drawn: callees are above their callers in a flame
    // graph (root at the bottom) and below them in an icicle (root at the top).
    const towardLeaves = this.o.inverted ? 'ArrowDown' : 'ArrowUp';
    const towardRoot = this.o.inverted ? 'ArrowUp' : 'ArrowDown';
    let next: HNode | undefined;
    const s = this.selected;
    if (e.key === towardRoot) next = s.parent ?? undefined;
    else if (e.key === towardLeaves) next = (s.children ?? []).filter((c) => this.graph.drawn(c)).sort((a, b) => b.value - a.value)[0];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const row = this.rowOf(s);
      const i = row.indexOf(s);
      next = row[e.key === 'ArrowLeft' ? i - 1 : i + 1];
    } else if (e.key === 'Home') next = this.graph.root;
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      this.graph.zoomTo(s);
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
    const root = this.graph.root;
    const walk = (n: HNode) => {
      if (!this.graph.drawn(n) && n !== root) return;
      if (n.depth === s.depth) { row.push(n); return; }
      for (const c of n.children ?? []) walk(c);
    };
    walk(root);
    if (!row.includes(s)) row.push(s);
    return row.sort((a, b) => a.x0 - b.x0);
  }

  /** Puts the selection ring on the selected frame's box (d3 rewrites classes on every update). */
  mark(): void {
    const host = this.o.host;
    const sel = this.chosen || document.activeElement === host ? this.selected : undefined;
    const id = this.selectedId;
    let box: SVGGElement | undefined;
    select(host).selectAll<SVGGElement, HNode>('g.frame').each(function (d) {
      const on = d === sel;
      this.classList.toggle('selected', on);
      if (on) { this.id = id; box = this; } else if (this.id === id) this.removeAttribute('id');
    });
    if (box) host.setAttribute('aria-activedescendant', id);
    else host.removeAttribute('aria-activedescendant');
    if (box && document.activeElement === host) box.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
}

/** Every box a tab stop (call again after each redraw or zoom: d3 adds boxes). */
export function tabbableFrames(host: HTMLElement): void {
  for (const g of host.querySelectorAll('g.frame')) if (!g.hasAttribute('tabindex')) g.setAttribute('tabindex', '0');
}

/** Enter or Space on a focused box clicks it. */
export function clickFramesByKey(host: HTMLElement): void {
  host.addEventListener('keydown', (e) => {
    const g = (e.target as Element | null)?.closest?.('g.frame');
    if (!g || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    g.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
}
