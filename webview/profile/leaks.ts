// The leak report of a goroutine profile: `golens leaks` on this file, one row per site.
// A row opens the blocking line; its "created at" button opens the go statement.
import { leakFindings, type LeakRow } from '../../src/core/analysis/leaks';
import { el } from '../shared/vscode';

function short(file: string): string {
  return file.split('/').slice(-2).join('/');
}

export function leakReport(rows: LeakRow[], open: (file: string, line: number) => void): HTMLElement {
  const total = rows.reduce((n, r) => n + r.count, 0);
  const head = el('div', { class: 'table-head' }, el('strong', {}, 'Goroutine leaks'),
    el('span', { id: 'leak-summary' }, rows.length
      ? `${total} goroutine${total === 1 ? '' : 's'} at ${rows.length} site${rows.length === 1 ? '' : 's'}`
      : 'none: no goroutine is parked on a channel, select, lock or Cond'));
  const tbody = el('tbody');
  const findings = leakFindings(rows);
  const advice = el('p', { id: 'leak-advice', class: 'advice', 'aria-live': 'polite' }, rows.length ? 'Select a site for why it is reported and the usual fix.' : '');
  for (const [i, r] of rows.entries()) {
    const created = r.createdAt
      ? { label: `${r.createdAt.function} ${short(r.createdAt.file)}:${r.createdAt.line}`, file: r.createdAt.file, line: r.createdAt.line }
      : r.goLine !== undefined ? { label: `go statement ${short(r.goFile ?? '')}:${r.goLine}`, file: r.goFile ?? '', line: r.goLine } : undefined;
    const createdCell = el('td', { class: 'created' });
    if (created) {
      const b = el('button', { class: 'link', title: `Open ${created.file}:${created.line}` }, created.label);
      b.addEventListener('click', (e) => { e.stopPropagation(); open(created.file, created.line); });
      createdCell.append(b);
    } else createdCell.append('-');
    const tr = el('tr', {
      tabindex: '0', 'data-function': r.blockedAt.function, 'data-file': r.blockedAt.file, 'data-line': String(r.blockedAt.line),
      title: `${r.why}${r.pattern ? ` · ${r.pattern}` : ''}`,
    },
    el('td', { class: 'count' }, String(r.count)),
    el('td', { class: 'confidence' }, el('span', { class: `badge ${r.confidence}` }, r.confidence)),
    el('td', { class: 'reason' }, r.reason, el('span', { class: 'pattern' }, r.pattern ?? '')),
    el('td', { class: 'blocked name' }, `${r.blockedAt.function} `, el('span', { class: 'loc' }, `${short(r.blockedAt.file)}:${r.blockedAt.line}`)),
    createdCell);
    const explain = () => {
      for (const s of tbody.querySelectorAll('tr.selected')) s.classList.remove('selected');
      tr.classList.add('selected');
      advice.replaceChildren(el('strong', {}, `${r.confidence}: ${r.why}. `), findings[i].advice ?? '');
    };
    const go = () => {
      explain();
      open(r.blockedAt.file, r.blockedAt.line);
    };
    tr.addEventListener('click', go);
    tr.addEventListener('focus', explain);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); go(); }
      else if (e.key === 'ArrowDown') { e.preventDefault(); (tr.nextElementSibling as HTMLElement | null)?.focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); (tr.previousElementSibling as HTMLElement | null)?.focus(); }
    });
    tbody.append(tr);
  }
  const table = el('table', { id: 'leaks', 'aria-label': 'Goroutine leaks' },
    el('thead', {}, el('tr', {}, ...[['Count', 'Goroutines parked at this site'], ['Confidence', 'proven, likely or possible'], ['Reason', 'What they wait for, and the leak pattern'], ['Blocked at', 'The user frame they are parked in'], ['Created at', 'The go statement that started them']].map(([h, t], i) => el('th', { scope: 'col', class: i >= 2 ? 'name' : '', title: t }, h)))),
    tbody);
  return el('section', { id: 'leaks-section', 'aria-label': 'Goroutine leaks' }, head, table, advice);
}
