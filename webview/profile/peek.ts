// The source peek: the selected function's lines with flat and cum per line (pprof -list),
// the file read by the extension from the workspace and shown as text.
import type { SourcePeek } from '../../src/protocol/profile';
import { formatShare, formatValue } from '../shared/format';
import { el } from '../shared/vscode';
import { activateRow } from '../shared/rows';

export class PeekPanel {
  readonly element: HTMLElement;
  private readonly title = el('span', { class: 'peek-title' });
  private readonly body = el('tbody');
  private readonly note = el('p', { class: 'peek-note' });

  constructor(private readonly onOpen: (file: string, line: number) => void, onClose: () => void) {
    const close = el('button', { id: 'peek-close', class: 'icon', title: 'Close the source peek', 'aria-label': 'Close the source peek' }, '×');
    close.addEventListener('click', onClose);
    const table = el('table', { id: 'peek-lines', 'aria-label': 'Source lines with flat and cumulative values' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Flat'), el('th', { scope: 'col' }, 'Cum'), el('th', { scope: 'col' }, 'Line'), el('th', { scope: 'col', class: 'name' }, 'Source'))),
      this.body);
    this.element = el('section', { id: 'peek', 'aria-label': 'Source peek', hidden: '' },
      el('div', { class: 'table-head' }, this.title, close), this.note, table);
  }

  loading(fn: string): void {
    this.element.hidden = false;
    this.element.setAttribute('aria-busy', 'true');
    this.title.textContent = fn;
  }

  hide(): void {
    this.element.hidden = true;
  }

  show(p: SourcePeek, unit: string, total: number): void {
    this.element.hidden = false;
    this.element.removeAttribute('aria-busy');
    this.title.replaceChildren(el('strong', {}, p.function), ` — ${p.resolved || p.file} · flat ${formatValue(p.flat, unit)}, cum ${formatValue(p.cum, unit)} (${formatShare(p.cum, total)})`);
    this.note.textContent = p.message ? `Source not shown: ${p.message}` : '';
    this.note.hidden = !p.message;
    this.body.replaceChildren(...p.lines.map((l) => {
      const tr = el('tr', { tabindex: '0', 'data-line': String(l.line), class: l.flat || l.cum ? 'hot' : '' },
        el('td', { class: 'flat' }, l.flat ? formatValue(l.flat, unit) : '.'),
        el('td', { class: 'cum' }, l.cum ? formatValue(l.cum, unit) : '.'),
        el('td', { class: 'lineno' }, String(l.line)),
        el('td', { class: 'code' }, el('code', {}, l.text)));
      const open = () => this.onOpen(p.file, l.line);
      activateRow(tr, open);
      return tr;
    }));
    this.body.querySelector<HTMLElement>('tr.hot')?.scrollIntoView({ block: 'nearest' });
  }
}
