// The profile editor's page: toolbar, flame graph (d3-flame-graph), top table, details.
// Every string from the profile is inserted as text; the host does all decoding.
import { flamegraph } from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { Granularity, ProfileError, ProfileSummary, ToWebview, ViewData, ViewQuery } from '../../src/protocol/profile';
import { formatValue, percent } from '../shared/format';
import { connect, el } from '../shared/vscode';
import { buildTree, type FlameNode } from './tree';

interface State {
  sampleIndex?: number;
  granularity?: Granularity;
  search?: string;
  sort?: { key: 'flat' | 'cum' | 'function'; desc: boolean };
}

const startedAt = performance.now();
let summary: ProfileSummary | undefined;
let settings = { granularity: 'functions' as Granularity, topRows: 200 };
let view: ViewData<ArrayBuffer> | undefined;
let requestId = 0;
let firstPaintSent = false;
let chart: ReturnType<typeof flamegraph> | undefined;
let root: FlameNode | undefined;
let renders = 0;

const vscode = connect<State>(onMessage);
let state: State = vscode.getState() ?? {};
const save = (patch: Partial<State>) => { state = { ...state, ...patch }; vscode.setState(state); };

const app = document.getElementById('app')!;
const status = el('div', { id: 'status', role: 'status', 'aria-live': 'polite' });

function onMessage(m: ToWebview): void {
  switch (m.type) {
    case 'init':
      summary = m.summary;
      settings = m.settings;
      renderShell(m.fileName, m.summary);
      requestView();
      break;
    case 'view':
      if (m.requestId !== requestId) return; // a newer request is on its way
      view = m.view;
      renderView();
      break;
    case 'viewError':
      setStatus(`Cannot show this view: ${m.error.message}`);
      break;
    case 'loadError':
      renderLoadError(m.fileName, m.error);
      break;
    case 'sourceResult':
      setStatus(m.found ? `Opened ${m.message}` : `Source not found: ${m.message}`);
      break;
  }
}

function setStatus(s: string): void {
  status.textContent = s;
}

function renderLoadError(fileName: string, e: ProfileError): void {
  app.removeAttribute('aria-busy');
  app.replaceChildren(el('div', { class: 'error', role: 'alert' },
    el('h2', {}, `GoLens cannot open ${fileName}`),
    el('p', {}, e.what),
    ...(e.offset !== undefined ? [el('p', {}, 'Where: byte ', el('code', {}, String(e.offset)))] : []),
    ...(e.hint ? [el('p', {}, 'Hint: ', e.hint)] : []),
  ));
}

// ---- layout ----

const sampleSelect = el('select', { id: 'sample', 'aria-label': 'Sample type' });
const granularitySelect = el('select', { id: 'granularity', 'aria-label': 'Top table granularity' },
  el('option', { value: 'functions' }, 'functions'), el('option', { value: 'lines' }, 'lines'));
const search = el('input', { id: 'search', type: 'search', placeholder: 'Search functions ( / )', 'aria-label': 'Search functions', spellcheck: 'false' });
const matchCount = el('span', { id: 'match-count', class: 'count', 'aria-live': 'polite' });
const resetButton = el('button', { id: 'reset', title: 'Reset zoom (Escape)' }, 'Reset zoom');
const flameHost = el('div', { id: 'flame', role: 'img', 'aria-label': 'Flame graph' });
const details = el('div', { id: 'details', 'aria-live': 'polite' });
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
  const meta = [`${s.kind} profile`, `${s.samples} samples`];
  if (s.durationNanos) meta.push(formatValue(s.durationNanos, 'nanoseconds'));
  const toolbar = el('header', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Profile' },
    el('span', { class: 'title' }, fileName, el('span', { class: 'meta' }, meta.join(' · '))),
    el('label', {}, 'Sample', sampleSelect), search, matchCount, resetButton);
  const table = el('table', { id: 'top', 'aria-label': 'Top functions' },
    el('thead', {}, el('tr', {}, headers.flat, headers.flatPct, headers.cum, headers.cumPct, headers.function, headers.loc)), tbody);
  app.replaceChildren(toolbar, el('div', { class: 'panes' },
    el('section', { id: 'flame-section', 'aria-label': 'Flame graph' }, flameHost, details),
    el('section', { id: 'top-section', 'aria-label': 'Top table' },
      el('div', { class: 'table-head' }, el('label', {}, 'Top by', granularitySelect), topSummary), table)), status);

  sampleSelect.addEventListener('change', () => { save({ sampleIndex: Number(sampleSelect.value) }); requestView(); });
  granularitySelect.addEventListener('change', () => { save({ granularity: granularitySelect.value as Granularity }); requestView(); });
  search.addEventListener('input', () => { save({ search: search.value }); applySearch(); });
  resetButton.addEventListener('click', resetZoom);
  new ResizeObserver(() => { if (view) renderFlame(); }).observe(flameHost);
}

function currentQuery(): ViewQuery {
  const width = Math.max(flameHost.clientWidth, 400);
  return {
    sampleIndex: Number(sampleSelect.value), granularity: granularitySelect.value as Granularity,
    filters: {}, topLimit: settings.topRows,
    // Boxes narrower than a quarter pixel at full width are never drawn; don't ship them.
    minFraction: 1 / (width * 4),
  };
}

function requestView(): void {
  requestId++;
  setStatus('Computing…');
  vscode.postMessage({ type: 'view', requestId, query: currentQuery() });
}

function renderView(): void {
  if (!view || !summary) return;
  renderFlame();
  renderTable();
  const shownPct = view.total ? ` (${percent(view.shown, view.total)} of total)` : '';
  setStatus(`${view.sampleType}: ${formatValue(view.total, view.unit)} total${view.shown !== view.total ? `, ${formatValue(view.shown, view.unit)} shown${shownPct}` : ''}`);
  if (!firstPaintSent) {
    firstPaintSent = true;
    requestAnimationFrame(() => vscode.postMessage({ type: 'mark', name: 'firstPaint', ms: performance.now() - startedAt }));
  }
}

// ---- flame graph ----

/**
 * Box colours: each chart colour mixed with the editor background, so boxes are muted in
 * dark themes and pastel in light ones, and the editor foreground reads on all of them.
 * A probe element resolves the CSS (SVG fill attributes take no var() or color-mix()).
 */
function chartColors(): Record<FlameNode['kind'] | 'highlight', string> {
  const probe = document.body.appendChild(el('span', { class: 'color-probe' }));
  const resolve = (cls: string) => { probe.className = `color-probe ${cls}`; return getComputedStyle(probe).color; };
  const colors = {
    user: resolve('c-user'), std: resolve('c-std'), runtime: resolve('c-runtime'), root: resolve('c-root'), highlight: resolve('c-highlight'),
  };
  probe.remove();
  return colors;
}

function renderFlame(): void {
  if (!view || !summary) return;
  const sampleName = summary.sampleTypes[view.query.sampleIndex]?.type ?? '';
  root = buildTree(view, `all (${sampleName})`);
  const colors = chartColors();
  const total = root.value;
  const width = Math.max(flameHost.clientWidth - 16, 200);
  flameHost.replaceChildren();
  chart = flamegraph()
    .width(width)
    .cellHeight(18)
    .minFrameSize(1)
    // No enter animation: the graph appears complete; zooming animates (set after the first draw).
    .transitionDuration(0)
    .sort(true)
    .selfValue(false)
    .setColorMapper((d: { data: FlameNode; highlight?: boolean }) => (d.highlight ? colors.highlight : colors[d.data.kind]))
    .setSearchMatch((d: { data: FlameNode }, term: string) => !!term && d.data.name.toLowerCase().includes(term.toLowerCase()))
    .setSearchHandler((_results: unknown[], sum: number) => updateMatchCount(sum, total))
    .label((d: { data: FlameNode; value: number }) => frameLabel(d.data, d.value, total))
    .onClick((d: { data: FlameNode }) => {
      if (d.data.kind !== 'root') {
        details.textContent = frameLabel(d.data, d.data.value, total);
        vscode.postMessage({ type: 'openSource', file: d.data.file, line: d.data.line, function: d.data.name });
      }
    });
  // onHover exists in d3-flame-graph 4 but is missing from its type declarations.
  (chart as unknown as { onHover(f: (d: { data: FlameNode; value: number }) => void): void })
    .onHover((d) => { details.textContent = frameLabel(d.data, d.value, total); });
  select(flameHost).datum(root).call(chart as never);
  chart.transitionDuration(200);
  // d3-flame-graph grows new boxes over d3's default 250 ms; say "rendered" once they stand.
  const mine = ++renders;
  setTimeout(() => { if (mine === renders) flameHost.dataset.rendered = String(mine); }, 400);
  applySearch();
}

function frameLabel(n: FlameNode, value: number, total: number): string {
  const unit = view?.unit ?? '';
  const loc = n.file ? ` — ${shortFile(n.file)}:${n.line}` : '';
  const self = n.kind !== 'root' ? `, self ${formatValue(n.self, unit)}` : '';
  return `${n.name} — ${formatValue(value, unit)} (${percent(value, total)})${self}${loc}`;
}

function applySearch(): void {
  if (!chart) return;
  const term = search.value.trim();
  if (term) chart.search(term);
  else { chart.clear(); matchCount.textContent = ''; }
}

function updateMatchCount(sum: number, total: number): void {
  const term = search.value.trim();
  if (!term || !root) { matchCount.textContent = ''; return; }
  const n = countMatches(root, term.toLowerCase());
  matchCount.textContent = `${n} match${n === 1 ? '' : 'es'} · ${percent(sum, total)}`;
}

function countMatches(n: FlameNode, term: string): number {
  let c = n.kind !== 'root' && n.name.toLowerCase().includes(term) ? 1 : 0;
  for (const ch of n.children) c += countMatches(ch, term);
  return c;
}

function resetZoom(): void {
  chart?.resetZoom();
  details.textContent = '';
}

// ---- top table ----

function renderTable(): void {
  if (!view) return;
  const sort = state.sort ?? { key: 'flat', desc: true };
  const rows = view.top.slice();
  const dir = sort.desc ? -1 : 1;
  rows.sort((a, b) => sort.key === 'function' ? dir * a.function.localeCompare(b.function) : dir * (a[sort.key] - b[sort.key]) || a.function.localeCompare(b.function));
  for (const [key, th] of [['flat', headers.flat], ['cum', headers.cum], ['function', headers.function]] as const) {
    if (sort.key === key) th.setAttribute('aria-sort', sort.desc ? 'descending' : 'ascending');
    else th.removeAttribute('aria-sort');
  }
  const unit = view.unit;
  const total = view.total;
  tbody.replaceChildren(...rows.map((r) => {
    const loc = r.file ? `${shortFile(r.file)}${r.line ? `:${r.line}` : ''}` : '';
    const tr = el('tr', { tabindex: '0', 'data-function': r.function, 'data-file': r.file, 'data-line': String(r.line) },
      el('td', { class: 'flat' }, formatValue(r.flat, unit)), el('td', { class: 'pct' }, percent(r.flat, total)),
      el('td', { class: 'cum' }, formatValue(r.cum, unit)), el('td', { class: 'pct' }, percent(r.cum, total)),
      el('td', { class: 'name', title: r.function }, r.function, ...(r.inline ? [el('span', { class: 'tag' }, r.inline)] : [])),
      el('td', { class: 'loc', title: r.file }, loc));
    const open = () => {
      for (const s of tbody.querySelectorAll('tr.selected')) s.classList.remove('selected');
      tr.classList.add('selected');
      vscode.postMessage({ type: 'openSource', file: r.file, line: r.line, function: r.function });
    };
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); open(); }
      else if (e.key === 'ArrowDown') { e.preventDefault(); (tr.nextElementSibling as HTMLElement | null)?.focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); (tr.previousElementSibling as HTMLElement | null)?.focus(); }
    });
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
  if (e.key === '/' && !inInput) { e.preventDefault(); search.focus(); search.select(); }
  else if (e.key === 'Escape') {
    if (e.target === search && search.value) { search.value = ''; save({ search: '' }); applySearch(); }
    else resetZoom();
  }
});

app.append(status);
vscode.postMessage({ type: 'ready' });
