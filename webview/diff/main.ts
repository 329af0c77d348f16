// The comparison panel: base and new flame graphs side by side (one sample type, one search,
// one zoom), the differential flame graph below (width: new; red grew, green shrank), and
// golens diff's rows as regressions and improvements. Every string from a file is text.
import type { DiffRowData, DiffSummary, DiffViewData } from '../../src/protocol/diff';
import { percentage, scaledLabel } from '../../src/core/pprof/units';
import { formatShare } from '../shared/format';
import { savedState, statusLine } from '../shared/page';
import { el } from '../shared/vscode';
import { DiffHost } from './host';
import { renderLoadError } from '../shared/loaderror';
import type { RequestError } from '../shared/rpc';
import { byChange, byKind } from '../shared/flame/colors';
import { relativeChange } from '../shared/flame/diffcolor';
import { FlameGraph, pathOf, type HNode } from '../shared/flame/graph';
import { clickFramesByKey, tabbableFrames } from '../shared/flame/keyboard';
import { buildFlameTree, countMatches, type FlameNode } from '../shared/flame/tree';

interface State {
  sampleIndex?: number;
  normalize?: boolean;
  search?: string;
  /** Function names from the root's child to the zoomed frame; empty when not zoomed. */
  zoom?: string[];
}

type Side = 'base' | 'next' | 'diff';
interface Chart {
  side: Side;
  host: HTMLElement;
  graph?: FlameGraph;
  root?: FlameNode;
  renders: number;
}

const startedAt = performance.now();
let summary: DiffSummary | undefined;
let labels = { base: '', next: '' };
let settings = { topRows: 200 };
let view: DiffViewData<ArrayBuffer> | undefined;
let firstPaintSent = false;

const host = new DiffHost<State>({
  init: (m) => {
    summary = m.summary;
    settings = m.settings;
    labels = m.labels;
    renderShell(m.title, m.summary);
    requestView();
  },
  loadError: (m) => renderLoadError(app, `GoLens cannot compare ${m.title}`, `${m.fileName}: ${m.error.what}`, m.error),
});
const [state, save] = savedState<State>(host);

const app = document.getElementById('app')!;
const [status, setStatus] = statusLine();

// ---- layout ----

const sampleSelect = el('select', { id: 'sample', 'aria-label': 'Sample type' });
const normalize = el('input', { id: 'normalize', type: 'checkbox' });
const search = el('input', { id: 'search', type: 'search', placeholder: 'Search functions ( / )', 'aria-label': 'Search functions in all three graphs', spellcheck: 'false' });
const matchCount = el('span', { id: 'match-count', class: 'count', 'aria-live': 'polite' });
const resetButton = el('button', { id: 'reset', title: 'Reset zoom (Escape)' }, 'Reset zoom');
const details = el('div', { id: 'details', 'aria-live': 'polite' });
const charts: Record<Side, Chart> = {
  base: { side: 'base', host: el('div', { id: 'flame-base', class: 'flame', role: 'img', 'aria-label': 'Base flame graph' }), renders: 0 },
  next: { side: 'next', host: el('div', { id: 'flame-new', class: 'flame', role: 'img', 'aria-label': 'New flame graph' }), renders: 0 },
  diff: { side: 'diff', host: el('div', { id: 'flame-diff', class: 'flame', role: 'img', 'aria-label': 'Differential flame graph' }), renders: 0 },
};
const heads: Record<Side, HTMLElement> = {
  base: el('h3', { id: 'head-base' }), next: el('h3', { id: 'head-new' }), diff: el('h3', { id: 'head-diff' }),
};
const tables = {
  regressions: diffTable('regressions', 'Regressions (grew)'),
  improvements: diffTable('improvements', 'Improvements (shrank)'),
};

function diffTable(id: string, caption: string): { section: HTMLElement; tbody: HTMLTableSectionElement; count: HTMLElement } {
  const tbody = el('tbody');
  const count = el('span', { class: 'count' });
  const th = (label: string, cls = '') => el('th', { scope: 'col', class: cls }, label);
  const table = el('table', { id, 'aria-label': caption },
    el('thead', {}, el('tr', {}, th('Flat Δ'), th('Flat%'), th('Base'), th('New'), th('Cum Δ'), th('Cum%'), th('Function', 'name'))), tbody);
  const section = el('section', { class: 'diff-table', 'aria-label': caption }, el('div', { class: 'table-head' }, el('h3', {}, caption), count), table);
  return { section, tbody, count };
}

function renderShell(title: string, s: DiffSummary): void {
  app.removeAttribute('aria-busy');
  for (const [i, t] of s.next.sampleTypes.entries()) sampleSelect.append(el('option', { value: String(i) }, `${t.type} (${t.unit})`));
  const si = state.sampleIndex !== undefined && state.sampleIndex < s.next.sampleTypes.length ? state.sampleIndex : s.next.defaultSampleIndex;
  sampleSelect.value = String(si);
  normalize.checked = state.normalize ?? false;
  search.value = state.search ?? '';
  const toolbar = el('header', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Compare profiles' },
    el('span', { class: 'title' }, title, el('span', { class: 'meta' }, `${s.next.kind} profiles`)),
    el('label', {}, 'Sample', sampleSelect),
    el('label', { class: 'check', title: 'Scale the new profile so that its total equals the base\'s (pprof -normalize)' }, normalize, 'Normalize'),
    search, matchCount, resetButton);
  const side = (c: Side, label: string) => el('section', { class: 'side', id: `side-${c === 'next' ? 'new' : c}`, 'aria-label': label }, heads[c], charts[c].host);
  const legend = el('span', { class: 'legend', id: 'legend' },
    el('span', { class: 'swatch grow' }), 'grew', el('span', { class: 'swatch shrink' }), 'shrank',
    el('span', { class: 'legend-note' }, '· width: new profile · deeper colour: larger relative change'));
  app.replaceChildren(toolbar,
    el('div', { class: 'scroll' },
      el('div', { class: 'sides' }, side('base', 'Base profile'), side('next', 'New profile')),
      el('section', { class: 'diff-flame', id: 'side-diff', 'aria-label': 'Differential flame graph' },
        el('div', { class: 'diff-head' }, heads.diff, legend), charts.diff.host),
      el('div', { class: 'tables' }, tables.regressions.section, tables.improvements.section)),
    details, status);

  sampleSelect.addEventListener('change', () => { save({ sampleIndex: Number(sampleSelect.value) }); requestView(); });
  normalize.addEventListener('change', () => { save({ normalize: normalize.checked }); requestView(); });
  search.addEventListener('input', () => { save({ search: search.value }); applySearch(); });
  resetButton.addEventListener('click', () => zoomAll([]));
  let width = charts.diff.host.clientWidth;
  new ResizeObserver(() => {
    if (!view || charts.diff.host.clientWidth === width) return;
    width = charts.diff.host.clientWidth;
    renderFlames();
  }).observe(charts.diff.host);
}

function requestView(): void {
  setStatus('Comparing…');
  const width = Math.max(charts.diff.host.clientWidth, 400);
  // Boxes narrower than a quarter pixel of the widest graph are never drawn; don't ship them.
  host.view({ sampleIndex: Number(sampleSelect.value), normalize: normalize.checked, topLimit: settings.topRows, minFraction: 1 / (width * 4) }).then(
    (v) => { view = v; renderView(); },
    (e: RequestError) => setStatus(`Cannot compare: ${e.error.message}`));
}

function renderView(): void {
  if (!view || !summary) return;
  const v = view;
  const fmt = (x: number) => scaledLabel(x, v.unit, 'auto');
  heads.base.textContent = `Base: ${labels.base} — ${fmt(v.base.total)}`;
  heads.next.textContent = `New: ${labels.next} — ${fmt(v.next.total)}`;
  heads.diff.textContent = v.query.normalize
    ? `Difference, new normalized to the base total (×${v.ratio.toFixed(4)})`
    : `Difference: ${sign(v.newTotal - v.baseTotal, fmt)} of ${fmt(v.baseTotal)}`;
  renderFlames();
  renderTables();
  const norm = v.query.normalize ? `, new scaled by ${v.ratio.toFixed(4)}` : '';
  setStatus(`${v.sampleType}: base ${fmt(v.baseTotal)}, new ${fmt(v.newTotal)}${norm}; ${v.regressionCount} grew, ${v.improvementCount} shrank`);
  if (!firstPaintSent) {
    firstPaintSent = true;
    requestAnimationFrame(() => host.mark('diffFirstPaint', performance.now() - startedAt));
  }
}

function sign(v: number, fmt: (x: number) => string): string {
  return (v > 0 ? '+' : '') + fmt(v);
}

// ---- flame graphs ----

function renderFlames(): void {
  if (!view || !summary) return;
  const v = view;
  const name = summary.next.sampleTypes[v.query.sampleIndex]?.type ?? '';
  const kind = byKind();
  draw(charts.base, buildFlameTree(v.base, `all (${name})`), kind);
  draw(charts.next, buildFlameTree(v.next, `all (${name})`), kind);
  draw(charts.diff, buildFlameTree(v.diff, `all (${name})`, v.diff.baseValue), byChange());
  if (state.zoom?.length) zoomAll(state.zoom);
  applySearch();
}

function draw(c: Chart, root: FlameNode, color: (d: HNode) => string): void {
  c.root = root;
  const total = root.value;
  const label = c.side === 'diff' ? (n: FlameNode) => diffLabel(n) : (n: FlameNode, value: number) => frameLabel(n, value, total);
  c.graph = new FlameGraph({
    host: c.host, data: root, width: Math.max(c.host.clientWidth - 8, 160), color, label,
    onClick: (d, byPage) => {
      details.textContent = label(d.data, d.value);
      // A zoom copied from another graph (zoomAll) is not copied again.
      if (!byPage) zoomAll(pathOf(d));
    },
    onHover: (text) => { details.textContent = text; },
    onSearch: () => updateMatchCount(),
  });
  tabbableFrames(c.host);
  // The root is the bottom row: show it, and let the tall towers scroll up.
  const box = c.host.parentElement;
  if (box) box.scrollTop = box.scrollHeight;
  // d3-flame-graph grows new boxes over d3's default 250 ms; say "rendered" once they stand.
  const mine = ++c.renders;
  setTimeout(() => { if (mine === c.renders) c.host.dataset.rendered = String(mine); }, 400);
}

function frameLabel(n: FlameNode, value: number, total: number): string {
  const unit = view?.unit ?? '';
  const loc = n.file ? ` — ${shortFile(n.file)}:${n.line}` : '';
  return `${n.name} — ${scaledLabel(value, unit, 'auto')} (${formatShare(value, total)})${loc}`;
}

function diffLabel(n: FlameNode): string {
  const unit = view?.unit ?? '';
  const fmt = (x: number) => scaledLabel(x, unit, 'auto');
  const r = relativeChange(n);
  const rel = n.base === 0 ? (n.value === 0 ? '' : ', new') : `, ${r >= 0 ? '+' : ''}${formatShare(n.value - n.base, Math.abs(n.base))}`;
  return `${n.name} — new ${fmt(n.value)}, base ${fmt(n.base)}, Δ ${sign(n.value - n.base, fmt)}${rel}`;
}

/** Zooms every graph to the deepest frame it has along `path` (all the way out for []); the page's saved state keeps it. */
function zoomAll(path: string[]): void {
  for (const c of Object.values(charts)) {
    if (!c.graph) continue;
    const node = c.graph.zoomAlong(path);
    c.host.dataset.zoom = path.slice(0, node.depth).join(' › ');
    tabbableFrames(c.host);
  }
  if (!path.length) details.textContent = '';
  save({ zoom: path });
}

for (const c of Object.values(charts)) clickFramesByKey(c.host);

function applySearch(): void {
  const term = search.value.trim();
  for (const c of Object.values(charts)) c.graph?.search(term);
  updateMatchCount();
}

function updateMatchCount(): void {
  const term = search.value.trim().toLowerCase();
  if (!term) { matchCount.textContent = ''; return; }
  matchCount.textContent = `base ${countMatches(charts.base.root, term)} · new ${countMatches(charts.next.root, term)} matches`;
}

// ---- tables ----

function renderTables(): void {
  if (!view) return;
  const v = view;
  fill(tables.regressions, v.regressions, v.regressionCount);
  fill(tables.improvements, v.improvements, v.improvementCount);
}

function fill(t: { tbody: HTMLTableSectionElement; count: HTMLElement }, rows: DiffRowData[], total: number): void {
  const v = view!;
  // The same text as `golens diff`: pprof's labels, percentages of the base total.
  const fmt = (x: number) => scaledLabel(x, v.unit, 'auto');
  const pct = (x: number) => (x < 0 ? '-' : '+') + percentage(x, v.baseTotal).trim();
  t.tbody.replaceChildren(...rows.map((r) => {
    const tr = el('tr', {
      tabindex: '0', 'data-function': r.function, 'data-file': r.file,
      'data-flat': `${r.flat.base},${r.flat.new},${r.flat.delta}`, 'data-cum': `${r.cum.base},${r.cum.new},${r.cum.delta}`,
    },
    el('td', { class: `flat-delta ${trend(r.flat.delta)}` }, sign(r.flat.delta, fmt)), el('td', { class: 'pct' }, pct(r.flat.delta)),
    el('td', { class: 'base' }, fmt(r.flat.base)), el('td', { class: 'new' }, fmt(r.flat.new)),
    el('td', { class: `cum-delta ${trend(r.cum.delta)}` }, sign(r.cum.delta, fmt)), el('td', { class: 'pct' }, pct(r.cum.delta)),
    el('td', { class: 'name', title: r.file ? `${r.function} — ${r.file}` : r.function }, r.function));
    const open = () => {
      for (const s of document.querySelectorAll('.diff-table tr.selected')) s.classList.remove('selected');
      tr.classList.add('selected');
      void host.openSource(r.file, r.line, r.function).then((o) => setStatus(o.found ? `Opened ${o.message}` : `Source not found: ${o.message}`));
    };
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); open(); }
      else if (e.key === 'ArrowDown') { e.preventDefault(); (tr.nextElementSibling as HTMLElement | null)?.focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); (tr.previousElementSibling as HTMLElement | null)?.focus(); }
    });
    return tr;
  }));
  t.count.textContent = rows.length === 0 ? 'none' : `${total} function${total === 1 ? '' : 's'}${total > rows.length ? `, first ${rows.length} shown` : ''}`;
}

function trend(delta: number): string {
  return delta > 0 ? 'grew' : delta < 0 ? 'shrank' : '';
}

function shortFile(f: string): string {
  return f.split('/').slice(-2).join('/');
}

// ---- keyboard ----

document.addEventListener('keydown', (e) => {
  const inInput = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
  if (e.key === '/' && !inInput) { e.preventDefault(); search.focus(); search.select(); }
  else if (e.key === 'Escape') {
    if (e.target === search && search.value) { search.value = ''; save({ search: '' }); applySearch(); }
    else zoomAll([]);
  }
});

// A theme change restyles the page but not the SVG fills computed from it: redraw.
let themeFrame = 0;
new MutationObserver(() => {
  cancelAnimationFrame(themeFrame);
  themeFrame = requestAnimationFrame(() => { if (view) renderFlames(); });
}).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });

app.append(status);
host.ready();
