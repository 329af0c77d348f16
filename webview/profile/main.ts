// The profile editor's page: toolbar and filter row, flame graph (shared/flame), top table,
// source peek (peek.ts), in the flame graph's place the sandwich of callers and callees
// (sandwich.ts) or the call graph (callgraph.ts), and, for goroutine profiles, the leak report (leaks.ts). Every
// string from the profile is inserted as text; the host does all decoding. What the user
// set up lives in getState/setState, so hiding the tab loses nothing.
import type { Granularity, ProfileSummary, ViewData, ViewFilters, ViewQuery } from '../../src/protocol/profile';
import { formatShare, formatValue } from '../shared/format';
import { savedState, statusLine } from '../shared/page';
import { el } from '../shared/vscode';
import { ProfileHost } from './host';
import { renderLoadError } from '../shared/loaderror';
import type { RequestError } from '../shared/rpc';
import { FilterBar, type FilterState } from './filters';
import { byKind } from '../shared/flame/colors';
import { pathOf, type HNode } from '../shared/flame/graph';
import { FlameCursor } from '../shared/flame/keyboard';
import { buildFlameTree, countMatches, type FlameNode } from '../shared/flame/tree';
import { leakReport } from './leaks';
import { PeekPanel } from './peek';
import { SandwichPanel } from './sandwich';
import { CallGraphView, focusRegexp, type Viewport } from './callgraph';
import { LabelsPanel, type LabelsState } from './labels';
import { activateRow } from '../shared/rows';

/** What survives hiding the tab (the page is rebuilt from it; VS Code keeps it per editor). */
interface State {
  sampleIndex?: number;
  granularity?: Granularity;
  search?: string;
  sort?: { key: 'flat' | 'cum' | 'function'; desc: boolean };
  filters?: FilterState;
  /** Function names from the root to the zoomed and to the selected frame. */
  zoom?: string[];
  selected?: string[];
  icicle?: boolean;
  mergeRecursion?: boolean;
  /** The function in the source peek. */
  peek?: { function: string; file: string };
  /** The sandwich view shown in place of the flame graph, and its function. */
  sandwich?: boolean;
  sandwichFn?: string;
  /** The call graph shown in place of the flame graph, and where it was panned and zoomed. */
  graph?: boolean;
  graphView?: Viewport;
  /** The Labels view (labels.ts). */
  labels?: LabelsState;
}

const startedAt = performance.now();
let summary: ProfileSummary | undefined;
let settings = { granularity: 'functions' as Granularity, topRows: 200 };
let view: ViewData<ArrayBuffer> | undefined;
let firstPaintSent = false;
let viewArrived = 0;
let flame: FlameCursor | undefined;
let renders = 0;
let filterBar: FilterBar | undefined;
let filters: ViewFilters = {};
let labels: LabelsPanel | undefined;

const host = new ProfileHost<State>({
  init: (m) => {
    summary = m.summary;
    settings = m.settings;
    renderShell(m.fileName, m.summary);
    requestView();
  },
  loadError: (m) => renderLoadError(app, `GoLens cannot open ${m.fileName}`, m.error.what, m.error),
});
const [state, save] = savedState<State>(host);

const app = document.getElementById('app')!;
const [status, setStatus] = statusLine();

// ---- layout ----

const sampleSelect = el('select', { id: 'sample', 'aria-label': 'Sample type' });
const granularitySelect = el('select', { id: 'granularity', 'aria-label': 'Top table granularity' },
  el('option', { value: 'functions' }, 'functions'), el('option', { value: 'lines' }, 'lines'));
const search = el('input', { id: 'search', type: 'search', placeholder: 'Search functions ( / )', 'aria-label': 'Search functions', spellcheck: 'false' });
const matchCount = el('span', { id: 'match-count', class: 'count', 'aria-live': 'polite' });
const resetButton = el('button', { id: 'reset', title: 'Reset zoom (Escape)' }, 'Reset zoom');
const icicleButton = el('button', { id: 'icicle', 'aria-pressed': 'false', title: 'Draw the root at the top (icicle) instead of the bottom (flame graph)' }, 'Icicle');
const recursionButton = el('button', { id: 'merge-recursion', 'aria-pressed': 'false', title: 'Draw a function that calls itself directly as one box' }, 'Merge recursion');
const flameHost = el('div', {
  id: 'flame', tabindex: '0', role: 'group', 'aria-roledescription': 'flame graph',
  'aria-label': 'Flame graph. Arrow keys move between frames, Enter zooms, Escape resets, Home selects the root.',
});
const graphButton = el('button', { id: 'graph-toggle', 'aria-pressed': 'false', title: "Show pprof's call graph in place of the flame graph" }, 'Call graph');
let graphTimer: ReturnType<typeof setTimeout> | undefined;
const callGraph = new CallGraphView((name) => filterBar?.set('focus', focusRegexp(name)),
  // Pans and zooms come fast: save once they rest.
  (v) => { clearTimeout(graphTimer); graphTimer = setTimeout(() => save({ graphView: v }), 200); });
const peek = new PeekPanel((file, line) => openSource(file, line, ''), () => { save({ peek: undefined }); peek.hide(); });
const details = el('div', { id: 'details', 'aria-live': 'polite' });
const sandwichButton = el('button', { id: 'sandwich-toggle', 'aria-pressed': 'false', title: 'Show a function between its callers and callees (s on a top row or a frame picks it)' }, 'Sandwich');
const sandwich = new SandwichPanel({ choose: (fn) => chooseSandwich(fn), open: (file, line, fn) => openSource(file, line, fn) });
const topSummary = el('span', { id: 'top-summary' });
const tbody = el('tbody');
const headers = {
  flat: sortHeader('flat', 'Flat'), flatPct: el('th', { scope: 'col' }, 'Flat%'), cum: sortHeader('cum', 'Cum'),
  cumPct: el('th', { scope: 'col' }, 'Cum%'), function: sortHeader('function', 'Function'), loc: el('th', { scope: 'col', class: 'name' }, 'Location'),
};

function sortHeader(key: 'flat' | 'cum' | 'function', label: string): HTMLTableCellElement {
  const b = el('button', { 'data-sort': key }, label);
  b.addEventListener('click', () => {
    const cur = state.sort ?? { key: 'flat', desc: true };
    save({ sort: { key, desc: cur.key === key ? !cur.desc : key !== 'function' } });
    renderTable();
  });
  return el('th', { scope: 'col', class: key === 'function' ? 'name' : '' }, b);
}

function renderShell(fileName: string, s: ProfileSummary): void {
  app.removeAttribute('aria-busy');
  for (const [i, t] of s.sampleTypes.entries()) sampleSelect.append(el('option', { value: String(i) }, `${t.type} (${t.unit})`));
  const si = state.sampleIndex !== undefined && state.sampleIndex < s.sampleTypes.length ? state.sampleIndex : s.defaultSampleIndex;
  sampleSelect.value = String(si);
  granularitySelect.value = state.granularity ?? settings.granularity;
  search.value = state.search ?? '';
  icicleButton.setAttribute('aria-pressed', String(!!state.icicle));
  recursionButton.setAttribute('aria-pressed', String(!!state.mergeRecursion));
  sandwichButton.setAttribute('aria-pressed', String(!!state.sandwich));
  filterBar = new FilterBar(state.filters ?? {}, s.labelKeys, (fs, f) => { filters = f; save({ filters: fs, zoom: undefined, selected: undefined }); requestView(); });
  filters = filterBar.check() ?? {};
  labels = new LabelsPanel(s.labelKeys, state.labels ?? {}, (ls) => {
    const regroup = JSON.stringify(labels!.query({})) !== JSON.stringify(lastLabelQuery);
    save(regroup ? { labels: ls, zoom: undefined, selected: undefined } : { labels: ls });
    if (regroup) requestView();
  });
  const meta = [`${s.kind} profile`, `${s.samples} samples`];
  if (s.durationNanos) meta.push(formatValue(s.durationNanos, 'nanoseconds'));
  const toolbar = el('header', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Profile' },
    el('span', { class: 'title' }, fileName, el('span', { class: 'meta' }, meta.join(' · '))),
    el('label', {}, 'Sample', sampleSelect), search, matchCount, icicleButton, recursionButton, labels.button, resetButton, sandwichButton, graphButton);
  const table = el('table', { id: 'top', 'aria-label': 'Top functions' },
    el('thead', {}, el('tr', {}, headers.flat, headers.flatPct, headers.cum, headers.cumPct, headers.function, headers.loc)), tbody);
  const flameSection = el('section', { id: 'flame-section', 'aria-label': 'Flame graph' }, flameHost, details);
  // Goroutine profiles open as the leak report, the flame graph beside it.
  const upper = s.leaks ? [leakReport(s.leaks, (file, line) => openSource(file, line, '')), flameSection, sandwich.element, callGraph.element] : [flameSection, sandwich.element, callGraph.element, labels.element];
  flameSection.hidden = !!state.sandwich;
  sandwich.element.hidden = !state.sandwich;
  app.replaceChildren(toolbar, filterBar.element, el('div', { class: 'panes' },
    el('div', { id: 'upper', class: s.leaks ? 'with-leaks' : '' }, ...upper),
    el('div', { id: 'lower' },
      el('section', { id: 'top-section', 'aria-label': 'Top table' },
        el('div', { class: 'table-head' }, el('label', {}, 'Top by', granularitySelect), topSummary), table),
      peek.element)), status);

  sampleSelect.addEventListener('change', () => { save({ sampleIndex: Number(sampleSelect.value) }); requestView(); });
  granularitySelect.addEventListener('change', () => { save({ granularity: granularitySelect.value as Granularity }); requestView(); });
  search.addEventListener('input', () => { save({ search: search.value }); applySearch(); });
  resetButton.addEventListener('click', resetZoom);
  graphButton.addEventListener('click', () => { save({ graph: !state.graph, sandwich: false }); showGraphOrFlame(); });
  showGraphOrFlame(false);
  icicleButton.addEventListener('click', () => {
    save({ icicle: !state.icicle });
    icicleButton.setAttribute('aria-pressed', String(!!state.icicle));
    renderFlame();
  });
  recursionButton.addEventListener('click', () => {
    save({ mergeRecursion: !state.mergeRecursion, zoom: [] });
    recursionButton.setAttribute('aria-pressed', String(!!state.mergeRecursion));
    requestView();
  });
  sandwichButton.addEventListener('click', () => showSandwich(!state.sandwich));
  flameHost.addEventListener('keydown', (e) => {
    // s: the selected frame's function in the sandwich view.
    if (e.key === 's' && flame && flame.selection.data.kind !== 'root') { e.preventDefault(); chooseSandwich(flame.selection.data.name); return; }
    flame?.key(e);
  });
  let sandwichWidth = 0;
  new ResizeObserver(() => {
    if (sandwich.element.clientWidth === sandwichWidth) return;
    sandwichWidth = sandwich.element.clientWidth;
    sandwich.draw();
  }).observe(sandwich.element);
  flameHost.addEventListener('focus', () => flame?.mark());
  // Redraw only when the width changes (the height follows the graph).
  let width = 0;
  new ResizeObserver(() => {
    if (flameHost.clientWidth === width) return;
    width = flameHost.clientWidth;
    if (view) renderFlame();
  }).observe(flameHost);
}

let lastLabelQuery: unknown;

function currentQuery(): ViewQuery {
  const width = Math.max(flameHost.clientWidth, 400);
  const withLabels = labels?.query(filters) ?? { filters };
  lastLabelQuery = labels?.query({});
  return {
    sampleIndex: Number(sampleSelect.value), granularity: granularitySelect.value as Granularity,
    filters: withLabels.filters, topLimit: settings.topRows,
    ...(withLabels.labelKey !== undefined ? { labelKey: withLabels.labelKey } : {}),
    // Boxes narrower than a pixel are never drawn; don't ship them. Under the zoomed
    // frame, a pixel is of that frame's width.
    minFraction: 1 / width,
    ...(state.zoom?.length ? { zoom: state.zoom } : {}),
    ...(state.mergeRecursion ? { mergeRecursion: true } : {}),
  };
}

function requestView(): void {
  setStatus('Computing…');
  host.view(currentQuery()).then(
    (v) => { view = v; viewArrived = performance.now(); renderView(); if (state.graph) requestGraph(); },
    (e: RequestError) => { setStatus(`Cannot show this view: ${e.error.message}`); filterBar?.showError(e.error.message); });
}

function renderView(): void {
  if (!view || !summary) return;
  renderFlame();
  renderTable();
  labels?.show(view.labels, view.unit, view.total);
  if (state.peek) requestPeek(state.peek.function, state.peek.file);
  sandwich.offer([...new Set(view.top.map((r) => r.function))]);
  if (state.sandwich && state.sandwichFn) requestSandwich(state.sandwichFn);
  const shownPct = view.total ? ` (${formatShare(view.shown, view.total)} of total)` : '';
  // The host draws at most its budget of levels below the zoomed frame: say what is left out.
  const deeper = view.deeper ?? 0;
  flameHost.dataset.deeper = String(deeper);
  const hidden = deeper ? ` — ${deeper.toLocaleString('en-US')} deeper frame level${deeper === 1 ? '' : 's'} hidden: zoom in to see them` : '';
  setStatus(`${view.sampleType}: ${formatValue(view.total, view.unit)} total${view.shown !== view.total ? `, ${formatValue(view.shown, view.unit)} shown${shownPct}` : ''}${hidden}`);
  if (!firstPaintSent) {
    firstPaintSent = true;
    requestAnimationFrame(() => {
      host.mark('firstPaint', performance.now() - startedAt);
      // The webview's own share: from the view's arrival to the painted frame.
      host.mark('firstRender', performance.now() - viewArrived);
    });
  }
}

// ---- call graph ----

/** The toggle: the call graph in place of the flame graph (asked for when a view is there). */
function showGraphOrFlame(request = true): void {
  const on = !!state.graph;
  graphButton.setAttribute('aria-pressed', String(on));
  callGraph.hidden = !on;
  // The call graph and the sandwich each take the flame graph's place; one at a time.
  sandwichButton.setAttribute('aria-pressed', String(!!state.sandwich));
  sandwich.element.hidden = on || !state.sandwich;
  flameHost.parentElement!.hidden = on || !!state.sandwich;
  if (on && request && view) requestGraph();
}

let graphRestored = false;

/** The first graph after the page (re)loads keeps the saved pan and zoom; later ones are fitted. */
function requestGraph(): void {
  callGraph.loading();
  host.graph(currentQuery(), {}).then(
    (g) => {
      if (!view) return;
      callGraph.show(g, view.unit, graphRestored ? undefined : state.graphView);
      graphRestored = true;
    },
    (e: RequestError) => setStatus(`Cannot draw the call graph: ${e.error.message}`));
}

// ---- flame graph ----

function renderFlame(): void {
  if (!view || !summary) return;
  const sampleName = summary.sampleTypes[view.query.sampleIndex]?.type ?? '';
  const data = buildFlameTree(view, `all (${sampleName})`);
  const total = data.value;
  const mine = ++renders;
  const done = () => setTimeout(() => { if (mine === renders) flameHost.dataset.rendered = String(mine); }, 400);
  if (data.children.length === 0) {
    flame = undefined;
    flameHost.replaceChildren(el('p', { class: 'placeholder' }, Object.keys(view.query.filters).length ? 'No samples match these filters.' : 'This profile has no samples of this type.'));
    done();
    return;
  }
  const label = (n: FlameNode, value: number) => frameLabel(n, value, total);
  flameHost.classList.toggle('icicle', !!state.icicle);
  flame = new FlameCursor({
    host: flameHost, data, width: Math.max(flameHost.clientWidth - 16, 200), inverted: !!state.icicle, fullHeight: true, color: byKind(), label,
    onActivate: (d) => openSource(d.data.file, d.data.line, d.data.name),
    onSelect: (d, by) => selectFrame(d, by, label),
    onZoom: zoomed,
    onHover: (text) => { details.textContent = text; },
    onSearch: (sum) => updateMatchCount(sum, total),
  });
  flame.restore(state.zoom, state.selected);
  // d3-flame-graph grows new boxes over d3's default 250 ms; say "rendered" once they stand.
  done();
  applySearch();
}

/**
 * A zoom: remembered; and when the host left out frames too narrow at the old scale,
 * the view is asked for again with the detail under the zoomed frame.
 */
function zoomed(path: string[]): void {
  save({ zoom: path });
  if (!view?.pruned) return;
  const had = view.query.zoom ?? [];
  if (had.length === path.length && had.every((n, i) => n === path[i])) return;
  requestView();
}

let peekTimer: ReturnType<typeof setTimeout> | undefined;

function selectFrame(d: HNode, by: 'click' | 'key' | 'restore', label: (n: FlameNode, v: number) => string): void {
  save({ selected: pathOf(d) });
  details.textContent = label(d.data, d.value);
  flameHost.dataset.selected = d.data.name;
  if (d.data.kind === 'root' || by === 'restore') return;
  // Keys move fast: list the source once the selection rests.
  clearTimeout(peekTimer);
  peekTimer = setTimeout(() => requestPeek(d.data.name, d.data.file), by === 'key' ? 250 : 0);
}

function requestPeek(fn: string, file: string): void {
  save({ peek: { function: fn, file } });
  peek.loading(fn);
  host.peek(currentQuery(), fn, file).then(
    (p) => { if (view) peek.show(p, view.unit, view.total); },
    (e: RequestError) => setStatus(`Cannot list the source: ${e.error.message}`));
}

// ---- sandwich ----

function showSandwich(on: boolean): void {
  save(on ? { sandwich: true, graph: false } : { sandwich: false });
  sandwichButton.setAttribute('aria-pressed', String(on));
  graphButton.setAttribute('aria-pressed', String(!!state.graph));
  callGraph.hidden = !state.graph;
  const flameSection = document.getElementById('flame-section');
  if (flameSection) flameSection.hidden = on;
  sandwich.element.hidden = !on;
  if (!on) { flameHost.focus(); renderFlame(); return; }
  if (state.sandwichFn) requestSandwich(state.sandwichFn);
  else sandwich.input.focus();
}

/** Puts a function in the sandwich (turning the view on) and moves focus there. */
function chooseSandwich(fn: string): void {
  save({ sandwichFn: fn });
  if (!state.sandwich) showSandwich(true);
  else requestSandwich(fn);
}

function requestSandwich(fn: string): void {
  sandwich.loading(fn);
  const width = Math.max(sandwich.element.clientWidth, 400);
  host.sandwich(currentQuery(), fn, 1 / width).then(
    (s) => { if (view) sandwich.show(s, view.unit); },
    (e: RequestError) => setStatus(`Cannot show the sandwich: ${e.error.message}`));
}

function openSource(file: string, line: number, fn: string): void {
  // A label pseudo-frame (pprof's -tagroot/-tagleaf) carries the key as its file and no line.
  const f = view?.query.filters;
  if (line === 0 && (f?.tagRoot?.includes(file) || f?.tagLeaf?.includes(file))) {
    setStatus(`"${fn}" is a value of the label ${file}, not a place in the source`);
    return;
  }
  void host.openSource(file, line, fn).then((o) => setStatus(o.found ? `Opened ${o.message}` : `Source not found: ${o.message}`));
}

function frameLabel(n: FlameNode, value: number, total: number): string {
  const unit = view?.unit ?? '';
  const loc = n.file ? ` — ${shortFile(n.file)}:${n.line}` : '';
  const self = n.kind !== 'root' ? `, self ${formatValue(n.self, unit)}` : '';
  return `${n.name} — ${formatValue(value, unit)} (${formatShare(value, total)})${self}${loc}`;
}

function applySearch(): void {
  if (!flame) return;
  const term = search.value.trim();
  flame.search(term);
  if (!term) matchCount.textContent = '';
}

function updateMatchCount(sum: number, total: number): void {
  const term = search.value.trim();
  if (!term || !flame) { matchCount.textContent = ''; return; }
  const n = countMatches(flame.data, term.toLowerCase());
  matchCount.textContent = `${n} match${n === 1 ? '' : 'es'} · ${formatShare(sum, total)}`;
}

function resetZoom(): void {
  flame?.resetZoom();
}

// ---- top table ----

function renderTable(): void {
  if (!view) return;
  const sort = state.sort ?? { key: 'flat', desc: true };
  // Ties keep the host's order, which is pprof's (|flat|, then name, then |cum|).
  const order = new Map(view.top.map((r, i) => [r, i]));
  const dir = sort.desc ? -1 : 1;
  const rows = view.top.slice().sort((a, b) => (sort.key === 'function' ? dir * a.function.localeCompare(b.function) : dir * (a[sort.key] - b[sort.key]))
    || order.get(a)! - order.get(b)!);
  for (const [key, th] of [['flat', headers.flat], ['cum', headers.cum], ['function', headers.function]] as const) {
    if (sort.key === key) th.setAttribute('aria-sort', sort.desc ? 'descending' : 'ascending');
    else th.removeAttribute('aria-sort');
  }
  const unit = view.unit;
  const total = view.total;
  tbody.replaceChildren(...rows.map((r) => {
    const loc = r.file ? `${shortFile(r.file)}${r.line ? `:${r.line}` : ''}` : '';
    const tr = el('tr', { tabindex: '0', 'data-function': r.function, 'data-file': r.file, 'data-line': String(r.line) },
      el('td', { class: 'flat' }, formatValue(r.flat, unit)), el('td', { class: 'pct' }, formatShare(r.flat, total)),
      el('td', { class: 'cum' }, formatValue(r.cum, unit)), el('td', { class: 'pct' }, formatShare(r.cum, total)),
      el('td', { class: 'name', title: r.function }, r.function, ...(r.inline ? [el('span', { class: 'tag' }, r.inline)] : [])),
      el('td', { class: 'loc', title: r.file }, loc));
    const open = () => {
      for (const s of tbody.querySelectorAll('tr.selected')) s.classList.remove('selected');
      tr.classList.add('selected');
      openSource(r.file, r.line, r.function);
      requestPeek(r.function, r.file);
    };
    activateRow(tr, open);
    tr.addEventListener('keydown', (e) => { if (e.key === 's') { e.preventDefault(); chooseSandwich(r.function); } });
    return tr;
  }));
  topSummary.textContent = `${view.topCount} ${view.query.granularity === 'lines' ? 'lines' : 'functions'}${view.topCount > rows.length ? `, first ${rows.length} shown` : ''}`;
}

function shortFile(f: string): string {
  const parts = f.split('/');
  return parts.slice(-2).join('/');
}

// ---- keyboard ----

document.addEventListener('keydown', (e) => {
  const inInput = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
  if (e.defaultPrevented) return;
  if (e.key === '/' && !inInput) { e.preventDefault(); search.focus(); search.select(); }
  else if (e.key === 'Escape') {
    if (e.target === search && search.value) { search.value = ''; save({ search: '' }); applySearch(); }
    else if (!inInput || e.target === search) resetZoom();
  }
});

app.append(status);
host.ready();
