// The call graph view: pprof's graph (golens graph) laid out by dagre and drawn as SVG.
// Boxes grow with flat as pprof's fonts do, their colour deepens with cum (from --vscode-*
// variables in callgraph.css); edges thicken with weight, residual ones are dashed. Wheel,
// +/- zoom, drag and arrow keys pan; a node's click or Enter asks the page to focus on it.
// Names are text nodes, never markup.
import dagre from '@dagrejs/dagre';
import type { CallGraph, GraphNode } from '../../src/protocol/profile';
import { formatShare, formatValue } from '../shared/format';
import { el } from '../shared/vscode';

const SVG = 'http://www.w3.org/2000/svg';

export interface Viewport { x: number; y: number; k: number }

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export class CallGraphView {
  readonly element: HTMLElement;
  private readonly canvas: SVGSVGElement;
  private readonly viewportG: SVGGElement;
  private readonly summary = el('span', { id: 'graph-summary', 'aria-live': 'polite' });
  private view: Viewport = { x: 0, y: 0, k: 1 };
  private size = { w: 0, h: 0 };
  private drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | undefined;

  constructor(
    private readonly onFocusNode: (name: string) => void,
    private readonly onViewport: (v: Viewport) => void,
  ) {
    const zoomIn = el('button', { id: 'graph-zoom-in', title: 'Zoom in (+)', 'aria-label': 'Zoom in' }, '+');
    const zoomOut = el('button', { id: 'graph-zoom-out', title: 'Zoom out (-)', 'aria-label': 'Zoom out' }, '−');
    const fit = el('button', { id: 'graph-fit', title: 'Fit the graph (0)' }, 'Fit');
    zoomIn.addEventListener('click', () => this.zoomBy(1.25));
    zoomOut.addEventListener('click', () => this.zoomBy(0.8));
    fit.addEventListener('click', () => this.fit());
    this.viewportG = svg('g', { class: 'viewport' });
    const marker = svg('marker', { id: 'graph-arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '8', markerHeight: '8', orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }));
    this.canvas = svg('svg', { id: 'graph-canvas', tabindex: '0', role: 'group', 'aria-roledescription': 'call graph',
      'aria-label': 'Call graph. Tab moves between functions by flat value, Enter focuses on one, arrow keys pan, + and - zoom, 0 fits.' },
    svg('defs', {}, marker), this.viewportG);
    this.element = el('section', { id: 'graph-section', 'aria-label': 'Call graph', hidden: '' },
      el('div', { class: 'table-head graph-head' }, this.summary, zoomOut, zoomIn, fit), this.canvas);
    this.canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = this.canvas.getBoundingClientRect();
      this.zoomBy(e.deltaY < 0 ? 1.1 : 1 / 1.1, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    this.canvas.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y, moved: false };
    });
    this.canvas.addEventListener('pointermove', (e) => {
      const d = this.drag;
      if (!d) return;
      const dx = e.clientX - d.x, dy = e.clientY - d.y;
      if (!d.moved && Math.hypot(dx, dy) < 4) return;
      if (!d.moved) { d.moved = true; this.canvas.setPointerCapture(e.pointerId); this.canvas.classList.add('panning'); }
      this.set({ ...this.view, x: d.vx + dx, y: d.vy + dy });
    });
    const end = () => { if (this.drag?.moved) this.canvas.classList.remove('panning'); };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', () => { end(); this.drag = undefined; });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
  }

  get hidden(): boolean { return this.element.hidden; }
  set hidden(h: boolean) { this.element.hidden = h; }

  loading(): void {
    this.element.setAttribute('aria-busy', 'true');
  }

  /** Draws a graph; `restore` is the saved viewport (else the graph is fitted). */
  show(g: CallGraph, unit: string, restore?: Viewport): void {
    this.element.removeAttribute('aria-busy');
    const total = g.total;
    const dropped = g.nodesBeforeCount > g.nodes.length ? `, top ${g.nodes.length} of ${g.nodesBeforeCount}` : '';
    this.summary.textContent = `${g.nodes.length} functions, ${g.edges.length} calls${dropped} · showing ${formatValue(g.shown, unit)} (${formatShare(g.shown, total)}) of ${formatValue(total, unit)}`;
    this.canvas.dataset.nodes = String(g.nodes.length);
    this.canvas.dataset.edges = String(g.edges.length);
    if (g.nodes.length === 0) {
      this.viewportG.replaceChildren(svg('text', { x: '16', y: '24', class: 'graph-empty' }, 'No samples match these filters.'));
      this.size = { w: 200, h: 40 };
      this.set({ x: 0, y: 0, k: 1 });
      return;
    }
    const maxFlat = Math.max(...g.nodes.map((n) => Math.abs(n.flat)));
    const layout = new dagre.graphlib.Graph({ multigraph: false });
    layout.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 44, edgesep: 12, marginx: 16, marginy: 16 });
    layout.setDefaultEdgeLabel(() => ({}));
    const boxes = new Map<number, { n: GraphNode; lines: string[]; font: number }>();
    for (const n of g.nodes) {
      // pprof's font: 8 + ⌈16·√(flat / max flat)⌉ points.
      const font = 8 + (maxFlat && n.flat ? Math.ceil(16 * Math.sqrt(Math.abs(n.flat) / maxFlat)) : 0);
      const lines = [n.name, n.flat ? `${formatValue(n.flat, unit)} (${formatShare(n.flat, total)})` : '0'];
      if (n.cum !== n.flat) lines.push(`of ${formatValue(n.cum, unit)} (${formatShare(n.cum, total)})`);
      const size = Math.max(10, font * 0.75);
      const width = Math.max(...lines.map((l, i) => l.length * (i === 0 ? size : 10) * 0.62)) + 16;
      const height = size * 1.3 + (lines.length - 1) * 14 + 12;
      boxes.set(n.id, { n, lines, font: size });
      layout.setNode(String(n.id), { width, height });
    }
    for (const e of g.edges) layout.setEdge(String(e.from), String(e.to), { weight: 1 + Math.min(100, Math.trunc(Math.abs(e.weight) * 100 / (total || 1))), minlen: 1 });
    dagre.layout(layout);

    const names = new Map(g.nodes.map((n) => [n.id, n.name]));
    const edgeEls = g.edges.map((e) => {
      const pts: { x: number; y: number }[] = layout.edge(String(e.from), String(e.to))?.points ?? [];
      const d = pts.map((p, i) => `${i ? 'L' : 'M'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
      const width = 1 + Math.min(5, Math.trunc(Math.abs(e.weight) * 5 / (total || 1)));
      const mid = pts[Math.floor(pts.length / 2)] ?? { x: 0, y: 0 };
      const label = `${formatValue(e.weight, unit)}${e.inline ? ' (inline)' : ''}`;
      const path = svg('path', { d, class: `edge-line${e.residual ? ' residual' : ''}`, 'stroke-width': String(width), 'marker-end': 'url(#graph-arrow)' });
      const title = svg('title', {}, `${names.get(e.from)} ${e.residual ? '…' : '→'} ${names.get(e.to)}: ${label}${e.residual ? ' (through dropped functions)' : ''}`);
      const text = svg('text', { x: (mid.x + 4).toFixed(1), y: mid.y.toFixed(1), class: 'edge-label' }, label);
      const gEl = svg('g', { class: `edge${e.residual ? ' residual' : ''}${e.inline ? ' inline' : ''}` }, title, path, text);
      gEl.dataset.from = names.get(e.from)!;
      gEl.dataset.to = names.get(e.to)!;
      gEl.dataset.weight = String(e.weight);
      gEl.dataset.residual = String(e.residual);
      gEl.dataset.inline = String(e.inline);
      return gEl;
    });
    // Tab order: heaviest flat first (then cum), as pprof's top lists them.
    const order = [...g.nodes].sort((a, b) => Math.abs(b.flat) - Math.abs(a.flat) || Math.abs(b.cum) - Math.abs(a.cum));
    const nodeEls = order.map((n) => {
      const box = boxes.get(n.id)!;
      const pos = layout.node(String(n.id));
      const x = pos.x - pos.width / 2, y = pos.y - pos.height / 2;
      const heat = total ? Math.min(1, Math.abs(n.cum) / Math.abs(total)) : 0;
      const rect = svg('rect', { x: x.toFixed(1), y: y.toFixed(1), width: pos.width.toFixed(1), height: pos.height.toFixed(1), rx: '3' });
      const texts = box.lines.map((l, i) => svg('text', {
        x: pos.x.toFixed(1), y: (y + 6 + box.font * 1.05 + (i === 0 ? 0 : box.font * 0.3 + i * 14)).toFixed(1),
        class: i === 0 ? 'node-name' : 'node-value', 'font-size': String(i === 0 ? box.font.toFixed(1) : 10),
      }, l));
      const gEl = svg('g', {
        class: 'node', tabindex: '0', role: 'button',
        'aria-label': `${n.name}: flat ${box.lines[1]}${n.cum !== n.flat ? `, cum ${box.lines[2].slice(3)}` : ''}. Enter focuses on it.`,
      }, svg('title', {}, n.name), rect, ...texts);
      // The heat (share of cum) picks the colour mix in callgraph.css.
      gEl.style.setProperty('--heat', `${Math.round(15 + 70 * Math.sqrt(heat))}%`);
      gEl.dataset.id = String(n.id);
      gEl.dataset.name = n.name;
      gEl.dataset.flat = String(n.flat);
      gEl.dataset.cum = String(n.cum);
      gEl.addEventListener('click', () => { if (!this.drag?.moved) this.onFocusNode(n.name); this.drag = undefined; });
      gEl.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); e.stopPropagation(); this.onFocusNode(n.name); }
      });
      return gEl;
    });
    this.viewportG.replaceChildren(svg('g', { class: 'edges' }, ...edgeEls), svg('g', { class: 'nodes' }, ...nodeEls));
    const gl = layout.graph();
    this.size = { w: gl.width ?? 0, h: gl.height ?? 0 };
    if (restore) this.set(restore); else this.fit();
  }

  /** Fits the whole graph into the canvas (never enlarging past 1:1). */
  fit(): void {
    const r = this.canvas.getBoundingClientRect();
    const w = r.width || 800, h = r.height || 500;
    const k = Math.min(1, w / (this.size.w || 1), h / (this.size.h || 1));
    this.set({ k, x: (w - this.size.w * k) / 2, y: Math.max(0, (h - this.size.h * k) / 2) });
  }

  private zoomBy(f: number, cx?: number, cy?: number): void {
    const r = this.canvas.getBoundingClientRect();
    const px = cx ?? r.width / 2, py = cy ?? r.height / 2;
    const k = Math.max(0.05, Math.min(8, this.view.k * f));
    const s = k / this.view.k;
    this.set({ k, x: px - (px - this.view.x) * s, y: py - (py - this.view.y) * s });
  }

  private set(v: Viewport): void {
    this.view = v;
    this.viewportG.setAttribute('transform', `translate(${v.x.toFixed(1)} ${v.y.toFixed(1)}) scale(${v.k.toFixed(4)})`);
    this.canvas.dataset.zoom = v.k.toFixed(4);
    this.onViewport(v);
  }

  private key(e: KeyboardEvent): void {
    const step = 40;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) {
      e.preventDefault();
      this.set({ ...this.view, x: this.view.x + moves[e.key][0], y: this.view.y + moves[e.key][1] });
    } else if (e.key === '+' || e.key === '=') { e.preventDefault(); this.zoomBy(1.25); }
    else if (e.key === '-' || e.key === '_') { e.preventDefault(); this.zoomBy(0.8); }
    else if (e.key === '0') { e.preventDefault(); this.fit(); }
  }
}

/** Go's regexp.QuoteMeta, so a focus on a node matches its name exactly (pprof -focus). */
export function focusRegexp(name: string): string {
  return `^${name.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`;
}
