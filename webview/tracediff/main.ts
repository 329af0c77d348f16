// The trace comparison panel: `golens diff a.trace b.trace` as a table — wall time,
// scheduler latency, GC and blocking by site, each with base, new, change and impact —
// ranked, sortable by any column, rows reachable by keyboard; a site row opens its source
// line. Every string from a trace (function and file names) is text, never HTML.
import { formatDelta, formatRelative, formatValue, type DiffRow } from '../../src/core/analysis/tracediff';
import type { TraceDiffResult } from '../../src/protocol/tracediff';
import { formatShare } from '../shared/format';
import { renderLoadError } from '../shared/loaderror';
import { savedState, statusLine } from '../shared/page';
import { activateRow } from '../shared/rows';
import { el } from '../shared/vscode';
import { TraceDiffHost } from './host';

type SortKey = 'rank' | 'what' | 'base' | 'new' | 'change' | 'relative' | 'impact';
interface State {
  sort?: SortKey;
  descending?: boolean;
  /** The id of the row last opened or focused. */
  selected?: string;
}

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'rank', label: '#', numeric: true },
  { key: 'impact', label: 'Impact', numeric: true },
  { key: 'what', label: 'What', numeric: false },
  { key: 'base', label: 'Base', numeric: true },
  { key: 'new', label: 'New', numeric: true },
  { key: 'change', label: 'Change', numeric: true },
  { key: 'relative', label: 'Relative', numeric: true },
];

const startedAt = performance.now();
let diff: TraceDiffResult | undefined;
let labels = { base: '', next: '' };

const host = new TraceDiffHost<State>({
  init: (m) => {
    diff = m.diff;
    labels = m.labels;
    renderShell(m.title, m.diff);
    renderRows();
    requestAnimationFrame(() => host.mark('traceDiffFirstPaint', performance.now() - startedAt));
  },
  loadError: (m) => renderLoadError(app, `GoLens cannot compare ${m.title}`, `${m.fileName}: ${m.error.what}`, m.error),
});
const [state, save] = savedState<State>(host);
const app = document.getElementById('app')!;
const [status, setStatus] = statusLine();
const tbody = el('tbody');
const heads = new Map<SortKey, HTMLElement>();

/** A row's label: a metric, or a site's kind, function, file:line and how it was matched. */
function what(r: DiffRow): { main: string; sub: string } {
  if (!r.site) return { main: r.metric, sub: r.group === 'sched' ? 'scheduler' : r.group === 'gc' ? 'GC' : 'trace' };
  const s = r.site;
  const file = s.file.split('/').pop() ?? s.file;
  const lines = (l: number[]) => l.join(',');
  const at = s.baseLines.length && s.newLines.length && lines(s.baseLines) !== lines(s.newLines)
    ? `${lines(s.baseLines)}→${lines(s.newLines)}` : lines(s.newLines.length ? s.newLines : s.baseLines);
  const how = s.matchedBy === 'line' ? '' : s.matchedBy === 'function' ? ' · matched by function (lines moved)' : ` · ${s.matchedBy}`;
  return { main: `${s.function || '(unknown)'}  ${file}:${at}`, sub: `${r.metric} · ${s.baseCount}→${s.newCount} waits${how}` };
}

function sortValue(r: DiffRow, k: SortKey): number | string {
  switch (k) {
    case 'rank': return r.rank;
    case 'what': return what(r).main.toLowerCase();
    case 'base': return r.base ?? -Infinity;
    case 'new': return r.new ?? -Infinity;
    case 'change': return Math.abs(r.delta);
    case 'relative': return r.relative === null ? Infinity : Math.abs(r.relative);
    case 'impact': return r.impact ?? -1;
  }
}

function sorted(rows: DiffRow[]): DiffRow[] {
  const k = state.sort ?? 'rank';
  const dir = (state.descending ?? false) ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, k), y = sortValue(b, k);
    return (x < y ? -1 : x > y ? 1 : 0) * dir || a.rank - b.rank;
  });
}

function renderShell(title: string, d: TraceDiffResult): void {
  app.removeAttribute('aria-busy');
  const headRow = el('tr', {}, ...COLUMNS.map((c) => {
    const button = el('button', { type: 'button', class: 'sort', 'data-key': c.key }, c.label);
    button.addEventListener('click', () => {
      const same = (state.sort ?? 'rank') === c.key;
      // A new column sorts biggest first (rank and names: first first).
      save({ sort: c.key, descending: same ? !(state.descending ?? false) : c.numeric && c.key !== 'rank' });
      renderRows();
    });
    const th = el('th', { scope: 'col', class: c.numeric ? 'num' : 'name' }, button);
    heads.set(c.key, th);
    return th;
  }));
  const table = el('table', { id: 'tracediff', 'aria-label': 'Differences between the two traces, ranked' }, el('thead', {}, headRow), tbody);
  app.replaceChildren(
    el('header', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Compare traces' },
      el('span', { class: 'title' }, title, el('span', { class: 'meta' }, 'execution traces'))),
    el('div', { class: 'scroll' },
      el('p', { class: 'sides', id: 'sides' },
        el('span', { id: 'side-base' }, `Base: ${labels.base} (${d.base.format})`), ' · ',
        el('span', { id: 'side-new' }, `New: ${labels.next} (${d.new.format})`)),
      el('p', { class: 'summary', id: 'summary' },
        `${d.changed} of ${d.rows.length} numbers differ. Impact: the change's weight in wall time, as a share of the longer trace (${formatValue(d.wallNs, 'ns')}); counts and bytes have none.`),
      table),
    status);
}

function renderRows(): void {
  if (!diff) return;
  const k = state.sort ?? 'rank';
  for (const [key, th] of heads) th.setAttribute('aria-sort', key === k ? (state.descending ? 'descending' : 'ascending') : 'none');
  let selected: HTMLElement | undefined;
  tbody.replaceChildren(...sorted(diff.rows).map((r) => {
    const w = what(r);
    const trend = r.delta === 0 ? 'same' : r.delta > 0 ? 'up' : 'down';
    const tr = el('tr', {
      tabindex: '0', 'data-id': r.id, 'data-rank': String(r.rank), 'data-group': r.group,
      'data-base': r.base === null ? '' : String(r.base), 'data-new': r.new === null ? '' : String(r.new),
      'data-delta': String(r.delta), 'data-impact': r.impact === null ? '' : String(r.impact),
      ...(r.site ? { 'data-function': r.site.function, 'data-file': r.site.file, 'data-base-count': String(r.site.baseCount), 'data-new-count': String(r.site.newCount) } : {}),
      class: r.site ? 'site' : 'metric',
    },
    el('td', { class: 'num rank' }, String(r.rank)),
    el('td', { class: 'num impact' }, r.impact === null ? '' : formatShare(r.impact)),
    el('td', { class: 'name' }, el('span', { class: 'main' }, w.main), el('span', { class: 'sub' }, w.sub)),
    el('td', { class: 'num base' }, formatValue(r.base, r.unit)),
    el('td', { class: 'num new' }, formatValue(r.new, r.unit)),
    el('td', { class: `num change ${trend}` }, formatDelta(r.delta, r.unit)),
    el('td', { class: `num relative ${trend}` }, formatRelative(r.relative)));
    tr.addEventListener('focus', () => save({ selected: r.id }));
    activateRow(tr, () => open(r, tr));
    if (r.id === state.selected) { tr.classList.add('selected'); selected = tr; }
    return tr;
  }));
  if (selected && document.activeElement === document.body) selected.focus({ preventScroll: false });
}

function open(r: DiffRow, tr: HTMLElement): void {
  for (const s of tbody.querySelectorAll('tr.selected')) s.classList.remove('selected');
  tr.classList.add('selected');
  save({ selected: r.id });
  if (!r.site) { setStatus(`${r.metric}: ${formatValue(r.base, r.unit)} → ${formatValue(r.new, r.unit)} (${formatDelta(r.delta, r.unit)})`); return; }
  const line = r.site.newLines[0] ?? r.site.baseLines[0] ?? 0;
  void host.openSource(r.site.file, line, r.site.function).then((o) => setStatus(o.found ? `Opened ${o.message}` : `Source not found: ${o.message}`));
}

app.append(status);
host.ready();
