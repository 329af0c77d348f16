// The trace timeline: a <canvas> with a time ruler, counter graphs, GC/STW/assist lanes, one
// lane per P and per M, and lanes for goroutines the user picks; findings and details beside.
// The host pages tiles for the window on screen (spans when zoomed in, per-pixel summaries
// when zoomed out); panning draws from the tiles already here, so it never waits.
import type { ProfileError } from '../../src/protocol/profile';
import type {
  ColorBy, CountersWire, FromTraceWebview, GoroutineRow, LaneRef, Place, SpanDetails, TileWire, ToTraceWebview, TraceFinding, TraceViewSummary,
} from '../../src/protocol/trace';
import { el } from '../shared/vscode';
import { formatDuration, niceStep, timeLabel } from './time';

interface State {
  fileName?: string;
  t0?: number;
  t1?: number;
  colorBy?: ColorBy;
  pinned?: number[];
  scrollTop?: number;
  selected?: { lane: LaneRef; t: number };
  mark?: { at: number; atEnd: number };
}

interface VsCodeApi { postMessage(m: FromTraceWebview): void; getState(): State | undefined; setState(s: State): void }
declare function acquireVsCodeApi(): VsCodeApi;

interface Tile {
  lane: LaneRef;
  mode: 'spans' | 'summary';
  names: string[];
  start: Float64Array; end: Float64Array; key: Float64Array; state: Uint8Array; name: Int32Array; busy: Float32Array;
}
interface Counters { heap: Float64Array; goal: Float64Array; runnable: Float64Array; running: Float64Array; waiting: Float64Array; syscall: Float64Array; cpu: Float64Array }
interface Cache { t0: number; t1: number; pixels: number; colorBy: ColorBy; tiles: Map<string, Tile>; counters?: Counters }

interface Lane { ref?: LaneRef; label: string; height: number; kind: 'counter-g' | 'counter-heap' | 'counter-cpu' | 'spans'; fixed: boolean }

const startedAt = performance.now();
const GUTTER = 120;
const RULER = 24;
const LANE_H = 18;
const vscode = acquireVsCodeApi();
let state: State = vscode.getState() ?? {};
const save = (patch: Partial<State>) => { state = { ...state, ...patch }; vscode.setState(state); };

let summary: TraceViewSummary | undefined;
let view = { t0: 0, t1: 1 };
let lanes: Lane[] = [];
let cache: Cache | undefined;
let inflight: { id: number; q: { t0: number; t1: number; pixels: number; colorBy: ColorBy; lanes: string } } | undefined;
let nextRequest = 1;
let dirty = true;
let firstPaintSent = false;
let selection: { lane: LaneRef; start: number; end: number } | undefined;
const pending = new Map<number, (m: ToTraceWebview) => void>();

const app = document.getElementById('app')!;
const status = el('div', { id: 'status', role: 'status', 'aria-live': 'polite' });
let canvas!: HTMLCanvasElement;
let scroller!: HTMLDivElement;
let spacer!: HTMLDivElement;
let details!: HTMLElement;
let results!: HTMLElement;
let ctx!: CanvasRenderingContext2D;

window.addEventListener('message', (e: MessageEvent<ToTraceWebview>) => onMessage(e.data));
vscode.postMessage({ type: 'ready' });

function onMessage(m: ToTraceWebview): void {
  switch (m.type) {
    case 'progress': showProgress(m.fraction, m.phase); return;
    case 'init': init(m.fileName, m.summary); return;
    case 'loadError': renderLoadError(m.fileName, m.error); return;
    case 'tiles': case 'details': case 'goroutines': case 'findings': case 'error': {
      const h = pending.get(m.requestId);
      pending.delete(m.requestId);
      if (m.type === 'error') setStatus(`Error: ${m.error.message}`);
      h?.(m);
      return;
    }
    case 'reveal': reveal(m.place, m.title); return;
    case 'sourceResult': setStatus(m.found ? `Opened ${m.message}` : `Source not found: ${m.message}`); return;
  }
}

function request(m: FromTraceWebview & { requestId: number }, then: (r: ToTraceWebview) => void): void {
  pending.set(m.requestId, then);
  vscode.postMessage(m);
}

function setStatus(s: string): void { status.textContent = s; }

function showProgress(fraction: number, phase: string): void {
  const p = app.querySelector('progress') ?? app.appendChild(el('progress', { max: '1', 'aria-label': 'Reading the trace' }));
  (p as HTMLProgressElement).value = fraction;
  const label = app.querySelector('.loading');
  if (label) label.textContent = `Reading the trace: ${phase} ${(fraction * 100).toFixed(0)}% (cancel from the notification, or close the tab)`;
}

function renderLoadError(fileName: string, error: ProfileError): void {
  app.replaceChildren(el('div', { class: 'error', role: 'alert' },
    el('h2', {}, `GoLens cannot open ${fileName}`),
    el('p', {}, error.what),
    ...(error.offset !== undefined ? [el('p', {}, `Where: byte ${error.offset}`)] : []),
    ...(error.hint ? [el('p', {}, `Hint: ${error.hint}`)] : [])));
  app.removeAttribute('aria-busy');
}

// ---------------------------------------------------------------------------------------------
// Layout

function init(fileName: string, s: TraceViewSummary): void {
  summary = s;
  if (state.fileName !== fileName) state = { fileName };
  save({ fileName });
  view = state.t0 !== undefined && state.t1 !== undefined && state.t1 > state.t0 ? { t0: state.t0, t1: state.t1 } : { t0: 0, t1: Math.max(1, s.durationNs) };

  const colorBy = el('select', { id: 'color-by', 'aria-label': 'Colour goroutines by' },
    el('option', { value: 'goroutine' }, 'goroutine'), el('option', { value: 'function' }, 'function'));
  colorBy.value = state.colorBy ?? 'goroutine';
  colorBy.addEventListener('change', () => { save({ colorBy: colorBy.value as ColorBy }); cache = undefined; invalidate(); });
  const search = el('input', { id: 'g-search', type: 'search', placeholder: 'Goroutine id, function or label', 'aria-label': 'Search goroutines' });
  let timer: number | undefined;
  search.addEventListener('input', () => { clearTimeout(timer); timer = window.setTimeout(() => searchGoroutines(search.value), 150); });
  search.addEventListener('keydown', (e) => { if (e.key === 'Escape') { search.value = ''; searchGoroutines(''); canvas.focus(); } });
  const fit = el('button', { id: 'fit', title: 'Show the whole trace (F)' }, 'Fit');
  const unpin = el('button', { id: 'unpin', title: 'Remove the goroutine lanes you added' }, 'Clear goroutine lanes');
  unpin.addEventListener('click', () => { save({ pinned: [] }); buildLanes(); });
  fit.addEventListener('click', () => setView(0, s.durationNs));
  const zin = el('button', { id: 'zoom-in', title: 'Zoom in (W)', 'aria-label': 'Zoom in' }, '+');
  zin.addEventListener('click', () => zoomAt(0.5, (view.t0 + view.t1) / 2));
  const zout = el('button', { id: 'zoom-out', title: 'Zoom out (S)', 'aria-label': 'Zoom out' }, '−');
  zout.addEventListener('click', () => zoomAt(2, (view.t0 + view.t1) / 2));
  const meta = `${s.format} · ${formatDuration(s.durationNs)} · ${s.events.toLocaleString('en-US')} events · ${s.goroutines} goroutines · GOMAXPROCS ${s.gomaxprocs || '?'} · ${s.gcCycles} GC`;
  const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Timeline' },
    el('span', { class: 'title' }, fileName, el('span', { class: 'meta' }, meta)),
    el('label', {}, 'Colour by', colorBy), search, zout, zin, fit, unpin,
    el('span', { class: 'legend', 'aria-label': 'Goroutine states' },
      ...(['running', 'runnable', 'waiting', 'syscall'] as const).map((st) => el('span', { class: `swatch ${st}` }, st))),
    el('span', { class: 'hint' }, 'Wheel: zoom · drag: pan · shift-drag: zoom to range · W/A/S/D'));

  canvas = el('canvas', { id: 'timeline', tabindex: '0', role: 'img', 'aria-label': `Timeline of ${fileName}: procs, threads, GC and goroutines over time. W and S zoom, A and D pan, F fits.` });
  spacer = el('div', { class: 'spacer' });
  scroller = el('div', { class: 'lanes-scroll' }, canvas, spacer);
  details = el('section', { id: 'span-details', 'aria-label': 'Details' }, el('p', { class: 'placeholder' }, 'Click a span for its details.'));
  results = el('section', { id: 'results', 'aria-label': 'Goroutines found', hidden: '' });
  const findings = el('section', { id: 'findings', 'aria-label': 'Findings', 'aria-busy': 'true' },
    el('h2', {}, 'Findings'), el('p', { class: 'placeholder' }, 'Analysing leaks, contention, GC and scheduling…'));
  const side = el('aside', { class: 'side' }, findings, results, details);
  app.replaceChildren(toolbar, el('div', { class: 'trace-body' }, scroller, side), status);
  app.removeAttribute('aria-busy');
  ctx = canvas.getContext('2d', { alpha: false })!;

  buildLanes();
  wireInput();
  new ResizeObserver(() => invalidate()).observe(scroller);
  new MutationObserver(() => { palette = undefined; invalidate(); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  scroller.scrollTop = state.scrollTop ?? 0;
  scroller.addEventListener('scroll', () => { save({ scrollTop: scroller.scrollTop }); invalidate(); });
  if (state.mark) markRange = state.mark;
  if (state.selected) select(state.selected.lane, state.selected.t);
  setStatus(`Decoded and replayed in ${formatDuration(s.decodeMs * 1e6)}: ${s.procs.length} procs, ${s.threads.length} threads.`);
  requestAnimationFrame(frame);
}

function buildLanes(): void {
  const s = summary!;
  const out: Lane[] = [];
  out.push({ label: 'Goroutines', height: 40, kind: 'counter-g', fixed: true });
  out.push({ label: 'Heap', height: 36, kind: 'counter-heap', fixed: true });
  out.push({ ref: { kind: 'gc', id: 0 }, label: 'GC', height: LANE_H, kind: 'spans', fixed: true });
  out.push({ ref: { kind: 'stw', id: 0 }, label: 'STW', height: LANE_H, kind: 'spans', fixed: true });
  out.push({ ref: { kind: 'assist', id: 0 }, label: 'Mark assists', height: LANE_H, kind: 'spans', fixed: true });
  out.push({ ref: { kind: 'sweep', id: 0 }, label: 'Sweeps', height: LANE_H, kind: 'spans', fixed: true });
  if (s.cpuSamples) out.push({ label: 'CPU samples', height: 22, kind: 'counter-cpu', fixed: true });
  for (const g of state.pinned ?? []) out.push({ ref: { kind: 'goroutine', id: g }, label: `G${g}`, height: LANE_H, kind: 'spans', fixed: false });
  if (s.tasks) out.push({ ref: { kind: 'task', id: 0 }, label: 'Tasks', height: LANE_H, kind: 'spans', fixed: false });
  if (s.regions) out.push({ ref: { kind: 'region', id: 0 }, label: 'Regions', height: LANE_H, kind: 'spans', fixed: false });
  for (const p of s.procs) out.push({ ref: { kind: 'proc', id: p }, label: `P${p}`, height: LANE_H, kind: 'spans', fixed: false });
  for (const m of s.threads) out.push({ ref: { kind: 'thread', id: m }, label: `M${m}`, height: LANE_H, kind: 'spans', fixed: false });
  lanes = out;
  cache = undefined;
  invalidate();
}

const laneKey = (r: LaneRef) => `${r.kind}:${r.id}`;
const fixedHeight = () => RULER + lanes.filter((l) => l.fixed).reduce((a, l) => a + l.height + 1, 0);

function pin(ids: number[]): void {
  const pinned = [...new Set([...ids, ...(state.pinned ?? [])])].slice(0, 24);
  save({ pinned });
  buildLanes();
}

// ---------------------------------------------------------------------------------------------
// View, data and drawing

function setView(t0: number, t1: number): void {
  const dur = Math.max(1, summary!.durationNs);
  let w = Math.max(1000, Math.min(t1 - t0, dur * 1.2));
  if (w > dur) w = dur;
  let a = t0;
  if (a < 0) a = 0;
  if (a + w > dur) a = dur - w;
  view = { t0: a, t1: a + w };
  save({ t0: view.t0, t1: view.t1 });
  invalidate();
}

function zoomAt(factor: number, at: number): void {
  setView(at - (at - view.t0) * factor, at + (view.t1 - at) * factor);
}

function invalidate(): void { dirty = true; }

const plotWidth = () => Math.max(1, canvas.clientWidth - GUTTER);

/** Asks for tiles when the cached ones don't cover the view at its resolution. */
function ensureData(): void {
  if (!summary) return;
  const w = plotWidth();
  const nsPerPx = (view.t1 - view.t0) / w;
  const colorBy = state.colorBy ?? 'goroutine';
  const laneList = lanes.filter((l) => l.ref).map((l) => l.ref!);
  const laneSig = laneList.map(laneKey).join(',');
  const good = (c: { t0: number; t1: number; pixels: number; colorBy: ColorBy }, sig: string) =>
    c.t0 <= view.t0 && c.t1 >= view.t1 && c.colorBy === colorBy && sig === laneSig &&
    (c.t1 - c.t0) / c.pixels <= nsPerPx * 1.3 && (c.t1 - c.t0) / c.pixels >= nsPerPx / 4;
  if (cache && good(cache, [...cache.tiles.keys()].join(','))) return;
  if (inflight && good(inflight.q, inflight.q.lanes)) return;
  // Three screens wide at the view's resolution: panning a screen either way needs nothing new.
  const dur = summary.durationNs;
  const span = view.t1 - view.t0;
  const t0 = Math.max(0, view.t0 - span), t1 = Math.min(dur, view.t1 + span);
  const pixels = Math.min(16384, Math.max(1, Math.round((t1 - t0) / nsPerPx)));
  const id = nextRequest++;
  const q = { t0, t1, pixels, colorBy, lanes: laneSig };
  inflight = { id, q };
  request({ type: 'tiles', requestId: id, query: { t0, t1, pixels, lanes: laneList, colorBy, counters: true } }, (m) => {
    if (inflight?.id === id) inflight = undefined;
    if (m.type !== 'tiles') return;
    const tiles = new Map<string, Tile>();
    for (const t of m.tiles) tiles.set(laneKey(t.lane), decodeTile(t));
    cache = { t0, t1, pixels, colorBy, tiles, counters: m.counters ? decodeCounters(m.counters) : undefined };
    invalidate();
  });
}

function decodeTile(t: TileWire<ArrayBuffer>): Tile {
  const f64 = (b?: ArrayBuffer) => (b ? new Float64Array(b) : new Float64Array(0));
  return {
    lane: t.lane, mode: t.mode, names: t.names ?? [],
    start: f64(t.start), end: f64(t.end), key: f64(t.key), state: t.state ? new Uint8Array(t.state) : new Uint8Array(0),
    name: t.name ? new Int32Array(t.name) : new Int32Array(0), busy: t.busy ? new Float32Array(t.busy) : new Float32Array(0),
  };
}

function decodeCounters(c: CountersWire<ArrayBuffer>): Counters {
  return {
    heap: new Float64Array(c.heap), goal: new Float64Array(c.goal), runnable: new Float64Array(c.runnable), running: new Float64Array(c.running),
    waiting: new Float64Array(c.waiting), syscall: new Float64Array(c.syscall), cpu: new Float64Array(c.cpu),
  };
}

// Colours come from the theme: chart colours for states, hues for goroutines mixed toward
// the editor background the way the flame graph does.
interface Palette { bg: string; fg: string; muted: string; grid: string; focus: string; running: string; runnable: string; waiting: string; syscall: string; gc: string; stw: string; assist: string; heap: string; goal: string; dark: boolean; hc: boolean }
let palette: Palette | undefined;
const hues = new Map<number, string>();

function pal(): Palette {
  if (palette) return palette;
  const cs = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  const cls = document.body.classList;
  const dark = cls.contains('vscode-dark') || cls.contains('vscode-high-contrast');
  palette = {
    bg: v('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'), fg: v('--vscode-editor-foreground', dark ? '#ccc' : '#333'),
    muted: v('--vscode-descriptionForeground', '#888'), grid: v('--vscode-editorRuler-foreground', dark ? '#444' : '#ddd'),
    focus: v('--vscode-focusBorder', '#007fd4'), running: v('--vscode-charts-green', '#388a34'), runnable: v('--vscode-charts-yellow', '#bf8803'),
    waiting: v('--vscode-charts-blue', '#1a85ff'), syscall: v('--vscode-charts-purple', '#652d90'), gc: v('--vscode-charts-orange', '#d18616'),
    stw: v('--vscode-charts-red', '#e51400'), assist: v('--vscode-charts-purple', '#652d90'), heap: v('--vscode-charts-blue', '#1a85ff'),
    goal: v('--vscode-charts-orange', '#d18616'), dark, hc: cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light'),
  };
  hues.clear();
  return palette;
}

function hue(key: number): string {
  let c = hues.get(key);
  if (c) return c;
  // A stable, well-spread hue per key (golden angle), light or dark to suit the theme.
  const h = ((key * 137.508) % 360 + 360) % 360;
  const p = pal();
  c = p.dark ? `hsl(${h.toFixed(0)} 45% 42%)` : `hsl(${h.toFixed(0)} 60% 72%)`;
  hues.set(key, c);
  return c;
}

function stateColor(st: number): string {
  const p = pal();
  return st === 3 ? p.running : st === 2 ? p.runnable : st === 5 ? p.syscall : st === 4 ? p.waiting : p.muted;
}

function colorOf(lane: LaneRef, key: number, st: number): string {
  const p = pal();
  switch (lane.kind) {
    case 'goroutine': return stateColor(key);
    case 'proc': case 'thread': return st === 5 ? p.syscall : Number.isNaN(key) ? p.muted : hue(key);
    case 'gc': return p.gc;
    case 'stw': return p.stw;
    case 'assist': return p.assist;
    case 'sweep': return p.heap;
    default: return Number.isNaN(key) ? p.muted : hue(key);
  }
}

let markRange: { at: number; atEnd: number } | undefined;
let lanesScroll = -1;
let lanesOf: Lane[] = [];
let frameTimes: number[] = [];
let panning: { key: string; since: number; frames: number; last: number } | undefined;
const held = new Set<string>();

function frame(now: number): void {
  requestAnimationFrame(frame);
  // Keys held down move the view every frame, smoothly, whatever the frame rate.
  if (held.size && summary) {
    const dt = panning ? Math.min(50, now - panning.last) : 16;
    const span = view.t1 - view.t0;
    const speed = dt / 1000;
    if (held.has('a')) setView(view.t0 - span * speed, view.t1 - span * speed);
    if (held.has('d')) setView(view.t0 + span * speed, view.t1 + span * speed);
    if (held.has('w')) zoomAt(Math.pow(0.25, speed), (view.t0 + view.t1) / 2);
    if (held.has('s')) zoomAt(Math.pow(4, speed), (view.t0 + view.t1) / 2);
    if (panning) { panning.frames++; panning.last = now; }
  }
  if (!dirty || !summary) return;
  dirty = false;
  ensureData();
  const t = performance.now();
  draw();
  const ms = performance.now() - t;
  if (panning) frameTimes.push(ms);
  if (!firstPaintSent && cache) {
    firstPaintSent = true;
    const paint = performance.now() - startedAt;
    canvas.dataset.firstPaint = paint.toFixed(0);
    vscode.postMessage({ type: 'mark', name: 'traceFirstPaint', ms: paint });
    requestFindings();
  }
  canvas.dataset.rendered = String(Number(canvas.dataset.rendered ?? 0) + 1);
  // Where each lane is drawn (key:y:height in CSS pixels), for tests and accessibility tools:
  // rewritten when the lanes or the scroll change, not on every frame of a pan.
  if (scroller.scrollTop !== lanesScroll || lanesOf !== lanes) {
    lanesScroll = scroller.scrollTop; lanesOf = lanes;
    canvas.dataset.lanes = lanes.filter((l) => l.ref).map((l) => `${laneKey(l.ref!)}:${Math.round(laneY(l.ref!) ?? -1)}:${l.height}`).join(' ');
  }
  canvas.dataset.view = `${Math.round(view.t0)}-${Math.round(view.t1)}`;
  canvas.dataset.mode = cache ? [...cache.tiles.values()].filter((x) => x.lane.kind === 'proc').map((x) => x.mode[0]).join('') : '';
}

function draw(): void {
  const dpr = window.devicePixelRatio || 1;
  const cssW = scroller.clientWidth, cssH = scroller.clientHeight;
  const total = fixedHeight() + lanes.filter((l) => !l.fixed).reduce((a, l) => a + l.height + 1, 0) + 8;
  spacer.style.height = `${Math.max(0, total - cssH)}px`;
  if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
    canvas.width = Math.round(cssW * dpr); canvas.height = Math.round(cssH * dpr);
    canvas.style.width = `${cssW}px`; canvas.style.height = `${cssH}px`;
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const p = pal();
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, cssW, cssH);
  ctx.font = `11px ${getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family') || 'monospace'}`;
  ctx.textBaseline = 'middle';
  const w = cssW - GUTTER;
  const nsPerPx = (view.t1 - view.t0) / w;
  const x = (t: number) => GUTTER + (t - view.t0) / nsPerPx;

  // Scrolled lanes first, clipped below the fixed header; then the header over them.
  const head = fixedHeight();
  let y = head - scroller.scrollTop;
  ctx.save();
  ctx.beginPath(); ctx.rect(0, head, cssW, cssH - head); ctx.clip();
  for (const l of lanes) {
    if (l.fixed) continue;
    if (y + l.height >= head && y <= cssH) drawLane(l, y, x, w);
    y += l.height + 1;
  }
  ctx.restore();
  y = RULER;
  for (const l of lanes) {
    if (!l.fixed) continue;
    drawLane(l, y, x, w);
    y += l.height + 1;
  }
  ctx.fillStyle = p.grid;
  ctx.fillRect(0, head - 1, cssW, 1);
  drawRuler(x, nsPerPx, cssW, cssH);
  // The finding's moment, and the range being selected.
  const band = (a: number, b: number, color: string) => {
    const x0 = Math.max(GUTTER, x(a)), x1 = Math.min(cssW, Math.max(x(b), x(a) + 2));
    if (x1 < GUTTER || x0 > cssW) return;
    ctx.globalAlpha = 0.18; ctx.fillStyle = color; ctx.fillRect(x0, RULER, x1 - x0, cssH - RULER);
    ctx.globalAlpha = 1; ctx.strokeStyle = color; ctx.lineWidth = 1; ctx.strokeRect(x0 + 0.5, RULER + 0.5, x1 - x0 - 1, cssH - RULER - 1);
  };
  if (markRange) band(markRange.at, markRange.atEnd, p.focus);
  if (drag?.select && drag.moved) band(Math.min(drag.t0, drag.tNow), Math.max(drag.t0, drag.tNow), p.fg);
  if (selection) {
    const ly = laneY(selection.lane);
    if (ly !== undefined) {
      const x0 = Math.max(GUTTER, x(selection.start)), x1 = Math.min(cssW, Math.max(x(selection.end), x0 + 2));
      ctx.strokeStyle = p.fg; ctx.lineWidth = 2; ctx.strokeRect(x0, ly, x1 - x0, LANE_H - 1);
    }
  }
}

function laneY(ref: LaneRef): number | undefined {
  let y = RULER;
  for (const l of lanes) if (l.fixed) { if (l.ref && laneKey(l.ref) === laneKey(ref)) return y; y += l.height + 1; }
  y = fixedHeight() - scroller.scrollTop;
  for (const l of lanes) if (!l.fixed) { if (l.ref && laneKey(l.ref) === laneKey(ref)) return y; y += l.height + 1; }
  return undefined;
}

function laneAt(cy: number): Lane | undefined {
  if (cy < RULER) return undefined;
  const head = fixedHeight();
  let y = cy < head ? RULER : head - scroller.scrollTop;
  for (const l of lanes) {
    if (l.fixed !== cy < head) continue;
    if (cy >= y && cy < y + l.height) return l;
    y += l.height + 1;
  }
  return undefined;
}

function drawLane(l: Lane, y: number, x: (t: number) => number, w: number): void {
  const p = pal();
  ctx.fillStyle = p.muted;
  ctx.fillText(l.label, 8, y + l.height / 2, GUTTER - 12);
  ctx.fillStyle = p.grid;
  ctx.fillRect(GUTTER, y + l.height, w, 1);
  if (!cache) return;
  const c = cache;
  const cw = (c.t1 - c.t0) / c.pixels; // ns per cached column
  // Cached column k covers [c.t0 + k*cw, +cw): the columns on screen, merged where equal.
  const k0 = Math.max(0, Math.floor((view.t0 - c.t0) / cw)), k1 = Math.min(c.pixels, Math.ceil((view.t1 - c.t0) / cw));
  if (l.kind === 'counter-g' || l.kind === 'counter-heap' || l.kind === 'counter-cpu') {
    const cnt = c.counters;
    if (!cnt) return;
    if (l.kind === 'counter-g') {
      let max = 1;
      for (let k = k0; k < k1; k++) max = Math.max(max, cnt.running[k] + cnt.runnable[k] + cnt.syscall[k]);
      stacked([cnt.running, cnt.runnable, cnt.syscall], [p.running, p.runnable, p.syscall], max, y, l.height, k0, k1, c, x);
      label(`${Math.round(max)}`, y, l.height);
    } else if (l.kind === 'counter-heap') {
      let max = 1;
      for (let k = k0; k < k1; k++) max = Math.max(max, cnt.heap[k] || 0, cnt.goal[k] || 0);
      stacked([cnt.heap], [p.heap], max, y, l.height, k0, k1, c, x);
      line(cnt.goal, p.goal, max, y, l.height, k0, k1, c, x);
      label(formatBytes(max), y, l.height);
    } else {
      let max = 1;
      for (let k = k0; k < k1; k++) max = Math.max(max, cnt.cpu[k]);
      stacked([cnt.cpu], [p.gc], max, y, l.height, k0, k1, c, x);
    }
    return;
  }
  const tile = c.tiles.get(laneKey(l.ref!));
  if (!tile) return;
  const h = l.height - 2;
  if (tile.mode === 'spans') {
    let lastX = -1, lastColor = '';
    for (let j = 0; j < tile.start.length; j++) {
      let x0 = x(tile.start[j]), x1 = x(tile.end[j]);
      if (x1 < GUTTER || x0 > GUTTER + w) continue;
      x0 = Math.max(GUTTER, x0); x1 = Math.min(GUTTER + w, x1);
      const color = colorOf(l.ref!, tile.key[j], tile.state[j]);
      // Sub-pixel spans in the same pixel and colour are one rectangle.
      if (x1 - x0 < 1 && Math.floor(x0) === lastX && color === lastColor) continue;
      lastX = Math.floor(x0); lastColor = color;
      ctx.fillStyle = color;
      ctx.fillRect(x0, y + 1, Math.max(1, x1 - x0), h);
      if (x1 - x0 > 40) {
        const text = tile.names[tile.name[j]] ?? (l.ref!.kind === 'proc' || l.ref!.kind === 'thread' ? `G${tile.key[j]}` : '');
        if (text && !(state.colorBy === 'function' && (l.ref!.kind === 'proc' || l.ref!.kind === 'thread'))) {
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
    ctx.fillStyle = colorOf(l.ref!, key, st);
    ctx.fillRect(x0, y + 1 + h - bh, Math.max(1, x1 - x0), bh);
    k = e;
  }
}

function stacked(series: Float64Array[], colors: string[], max: number, y: number, h: number, k0: number, k1: number, c: Cache, x: (t: number) => number): void {
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

function line(series: Float64Array, color: string, max: number, y: number, h: number, k0: number, k1: number, c: Cache, x: (t: number) => number): void {
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

function label(text: string, y: number, h: number): void {
  ctx.fillStyle = pal().muted;
  ctx.fillText(text, 8, y + h - 7, GUTTER - 12);
}

function drawRuler(x: (t: number) => number, nsPerPx: number, cssW: number, cssH: number): void {
  const p = pal();
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
  ctx.fillText(`⟷ ${formatDuration(view.t1 - view.t0)}`, 8, RULER / 2, GUTTER - 12);
}

function formatBytes(b: number): string {
  const u = ['B', 'kB', 'MB', 'GB'];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
  return `${b.toFixed(b >= 10 || i === 0 ? 0 : 1)} ${u[i]}`;
}

// ---------------------------------------------------------------------------------------------
// Input: wheel zoom at the pointer, drag to pan, shift-drag to zoom to a range, click for
// details, W/A/S/D and F on the keyboard.

let drag: { x: number; t0: number; tNow: number; view: { t0: number; t1: number }; select: boolean; moved: boolean } | undefined;

function timeAtX(cx: number): number {
  return view.t0 + ((cx - GUTTER) / plotWidth()) * (view.t1 - view.t0);
}

function wireInput(): void {
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    if (e.shiftKey && !e.ctrlKey) {
      const d = ((e.deltaY || e.deltaX) / plotWidth()) * (view.t1 - view.t0);
      setView(view.t0 + d, view.t1 + d);
      return;
    }
    const cx = e.clientX - r.left;
    const at = cx < GUTTER ? (view.t0 + view.t1) / 2 : timeAtX(cx);
    zoomAt(Math.exp(e.deltaY * (e.ctrlKey ? 0.01 : 0.002)), at);
  }, { passive: false });
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const r = canvas.getBoundingClientRect();
    const cx = e.clientX - r.left;
    const t = timeAtX(cx);
    drag = { x: e.clientX, t0: t, tNow: t, view: { ...view }, select: e.shiftKey, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    if (Math.abs(dx) > 3) drag.moved = true;
    if (!drag.moved) return;
    if (drag.select) {
      drag.tNow = timeAtX(e.clientX - canvas.getBoundingClientRect().left);
      invalidate();
    } else {
      const d = (dx / plotWidth()) * (drag.view.t1 - drag.view.t0);
      setView(drag.view.t0 - d, drag.view.t1 - d);
    }
  });
  canvas.addEventListener('pointerup', (e) => {
    const d = drag;
    drag = undefined;
    if (!d) return;
    const r = canvas.getBoundingClientRect();
    if (d.select && d.moved) {
      const a = Math.min(d.t0, d.tNow), b = Math.max(d.t0, d.tNow);
      if (b - a > 0) setView(a, b);
      return;
    }
    if (d.moved) return;
    const lane = laneAt(e.clientY - r.top);
    const cx = e.clientX - r.left;
    if (lane?.ref && cx >= GUTTER) select(lane.ref, timeAtX(cx));
  });
  canvas.addEventListener('keydown', (e) => {
    const k = e.key.toLowerCase();
    if (['w', 'a', 's', 'd'].includes(k) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      if ((k === 'a' || k === 'd') && !panning) panning = { key: k, since: performance.now(), frames: 0, last: performance.now() };
      held.add(k);
      return;
    }
    if (k === 'f' || k === '0') { e.preventDefault(); setView(0, summary!.durationNs); return; }
    if (e.key === 'Escape') { selection = undefined; markRange = undefined; save({ selected: undefined, mark: undefined }); invalidate(); return; }
    if (e.key === '/') { e.preventDefault(); (document.getElementById('g-search') as HTMLInputElement).focus(); return; }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); scroller.scrollTop += e.key === 'ArrowDown' ? LANE_H * 3 : -LANE_H * 3; }
  });
  canvas.addEventListener('keyup', (e) => {
    const k = e.key.toLowerCase();
    held.delete(k);
    if (panning && panning.key === k) finishPan();
  });
  canvas.addEventListener('blur', () => { held.clear(); if (panning) finishPan(); });
}

/** A keyboard pan just ended: report its frame rate (frames drawn per second) and frame cost. */
function finishPan(): void {
  const p = panning!;
  panning = undefined;
  const secs = (performance.now() - p.since) / 1000;
  if (secs < 0.2) { frameTimes = []; return; }
  const fps = p.frames / secs;
  const sorted = frameTimes.slice().sort((a, b) => a - b);
  const p95 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] : 0;
  frameTimes = [];
  canvas.dataset.panFps = fps.toFixed(1);
  canvas.dataset.panDrawP95 = p95.toFixed(2);
  vscode.postMessage({ type: 'mark', name: 'panFps', ms: fps });
  vscode.postMessage({ type: 'mark', name: 'panDrawP95', ms: p95 });
}

// ---------------------------------------------------------------------------------------------
// Details, findings, goroutine search

function select(lane: LaneRef, t: number): void {
  const slop = ((view.t1 - view.t0) / plotWidth()) * 3;
  const id = nextRequest++;
  request({ type: 'spanAt', requestId: id, lane, t, slop }, (m) => {
    if (m.type !== 'details') return;
    if (!m.details) { details.replaceChildren(el('p', { class: 'placeholder' }, 'Nothing there.')); selection = undefined; invalidate(); return; }
    selection = { lane, start: m.details.start, end: m.details.end };
    save({ selected: { lane, t } });
    showDetails(m.details);
    invalidate();
  });
}

function frameButton(f: { fn: string; file: string; line: number }): HTMLElement {
  const b = el('button', { class: 'frame-link', title: `Open ${f.file}:${f.line}` }, el('span', { class: 'fn' }, f.fn), el('span', { class: 'loc' }, `${baseName(f.file)}:${f.line}`));
  b.addEventListener('click', () => vscode.postMessage({ type: 'openSource', file: f.file, line: f.line, function: f.fn }));
  return el('li', {}, b);
}

const baseName = (f: string) => f.slice(f.lastIndexOf('/') + 1);

function showDetails(d: SpanDetails): void {
  const rows: HTMLElement[] = [
    el('h2', {}, d.title),
    el('p', { class: 'when' }, `${timeLabel(d.start, 1000)} → ${timeLabel(d.end, 1000)} · ${formatDuration(d.end - d.start)}`),
  ];
  if (d.goroutine !== undefined) {
    const g = d.goroutine;
    const show = el('button', { class: 'link', title: 'Show this goroutine in its own lane' }, `G${g}`);
    show.addEventListener('click', () => pin([g]));
    rows.push(el('p', {}, 'Goroutine ', show, d.startFunction ? ` · ${d.startFunction}` : ''));
  }
  if (d.labels?.length) rows.push(el('p', { class: 'labels' }, `Labels: ${d.labels.join(', ')}`));
  if (d.stack.length) rows.push(el('h3', {}, d.state === 'runnable' ? 'Made runnable at' : 'Stack'), el('ul', { class: 'stack' }, ...d.stack.map(frameButton)));
  if (d.unblockedBy) {
    const u = d.unblockedBy;
    const show = el('button', { class: 'link', title: 'Show the goroutine that woke it' }, `G${u.goroutine}`);
    show.addEventListener('click', () => pin([u.goroutine]));
    rows.push(el('h3', {}, 'Unblocked by ', show), el('ul', { class: 'stack' }, ...u.stack.slice(0, 12).map(frameButton)));
  }
  if (d.createdBy) {
    rows.push(el('h3', {}, `Created by G${d.createdBy.goroutine}`), el('ul', { class: 'stack' }, ...d.createdBy.stack.slice(0, 6).map(frameButton)));
  }
  details.replaceChildren(...rows);
}

function requestFindings(): void {
  const t = performance.now();
  request({ type: 'findings', requestId: nextRequest++ }, (m) => {
    const section = document.getElementById('findings')!;
    section.removeAttribute('aria-busy');
    if (m.type !== 'findings') { section.replaceChildren(el('h2', {}, 'Findings'), el('p', { class: 'placeholder' }, 'The analyses failed; see the status line.')); return; }
    section.replaceWith(renderFindings(m.findings));
    vscode.postMessage({ type: 'mark', name: 'traceFindings', ms: performance.now() - t });
  });
}

function renderFindings(findings: TraceFinding[]): HTMLElement {
  const list = el('ol', { class: 'findings' });
  findings.forEach((f, i) => {
    const b = el('button', { class: `finding ${f.kind}`, 'data-index': String(i), title: f.advice ?? f.title },
      el('span', { class: `badge ${f.confidence}` }, `${f.kind} · ${f.confidence}`), el('span', { class: 'text' }, f.title));
    b.addEventListener('click', () => {
      if (f.place) reveal(f.place, f.title);
      if (f.site) vscode.postMessage({ type: 'openSource', file: f.site.file, line: f.site.line, function: f.site.function });
    });
    list.append(el('li', {}, b));
  });
  return el('section', { id: 'findings', 'aria-label': 'Findings' },
    el('h2', {}, `Findings (${findings.length})`), findings.length ? list : el('p', { class: 'placeholder' }, 'Nothing stands out in this trace.'));
}

function reveal(place: Place, title?: string): void {
  if (place.goroutines.length) pin(place.goroutines);
  markRange = { at: place.at, atEnd: place.atEnd };
  save({ mark: markRange });
  setView(place.t0, place.t1);
  if (place.goroutines.length) select({ kind: 'goroutine', id: place.goroutines[0] }, place.at + (place.atEnd - place.at) / 2);
  if (title) setStatus(title);
  scroller.scrollTop = 0;
}

function searchGoroutines(q: string): void {
  if (!q.trim()) { results.hidden = true; results.replaceChildren(); return; }
  const id = nextRequest++;
  request({ type: 'goroutines', requestId: id, query: q }, (m) => {
    if (m.type !== 'goroutines') return;
    results.hidden = false;
    const items = m.rows.map((r: GoroutineRow) => {
      const b = el('button', { class: 'goroutine', 'data-g': String(r.id) }, el('span', { class: 'gid' }, `G${r.id}`), ` ${r.startFunction || '(unknown)'} `,
        el('span', { class: 'state' }, r.state), ...(r.labels.length ? [el('span', { class: 'labels' }, ` ${r.labels.join(', ')}`)] : []));
      b.addEventListener('click', () => {
        pin([r.id]);
        const a = Number.isFinite(r.createdAt) ? r.createdAt : 0, e = Number.isFinite(r.endedAt) ? r.endedAt : summary!.durationNs;
        setView(a - (e - a) * 0.05, e + (e - a) * 0.05);
        scroller.scrollTop = 0;
      });
      return el('li', {}, b);
    });
    results.replaceChildren(el('h2', {}, `${m.total} goroutine${m.total === 1 ? '' : 's'} match${m.total === 1 ? 'es' : ''}${m.total > m.rows.length ? ` (first ${m.rows.length})` : ''}`), el('ul', { class: 'goroutines' }, ...items));
  });
}
