// The Labels view of the profile editor: a toolbar toggle, a choice of label key and of where its
// values go in the flame graph (pprof -tagroot: one subtree per value; -tagleaf: a frame on top of
// each stack), and the kept samples by value of that key (pprof -tags). Values are file strings,
// always inserted as text.
import type { LabelKeyTable, ViewFilters } from '../../src/protocol/profile';
import { formatShare, formatValue } from '../shared/format';
import { activateRow } from '../shared/rows';
import { el } from '../shared/vscode';

type SortKey = 'value' | 'total' | 'samples';

export interface LabelsState {
  on?: boolean;
  key?: string;
  at?: 'root' | 'leaf';
  sort?: { key: SortKey; desc: boolean };
}

export class LabelsPanel {
  readonly button: HTMLButtonElement;
  readonly element: HTMLElement;
  private readonly keySelect: HTMLSelectElement;
  private readonly atSelect: HTMLSelectElement;
  private readonly tbody = el('tbody');
  private readonly summary = el('span', { id: 'labels-summary', class: 'count' });
  private readonly headers: Record<SortKey, HTMLTableCellElement>;
  private last: { table: LabelKeyTable; unit: string; total: number } | undefined;

  constructor(private readonly keys: string[], private s: LabelsState, private readonly onChange: (s: LabelsState) => void) {
    const none = keys.length === 0;
    this.button = el('button', {
      id: 'labels-toggle', 'aria-pressed': String(!!s.on && !none), 'aria-controls': 'labels-section',
      title: none ? 'This profile has no labels' : 'Group the flame graph by a label and list the samples by its values (pprof -tagroot / -tagleaf, -tags)',
    }, 'Labels');
    if (none) this.button.disabled = true;
    this.keySelect = el('select', { id: 'label-key', 'aria-label': 'Label key' }, ...keys.map((k) => el('option', { value: k }, k)));
    this.atSelect = el('select', { id: 'label-at', 'aria-label': 'Where label values go in the flame graph' },
      el('option', { value: 'root' }, 'group at root'), el('option', { value: 'leaf' }, 'at leaf'));
    if (s.key && keys.includes(s.key)) this.keySelect.value = s.key;
    this.atSelect.value = s.at ?? 'root';
    this.headers = { value: this.sortHeader('value', 'Value'), total: this.sortHeader('total', 'Total'), samples: this.sortHeader('samples', 'Samples') };
    const table = el('table', { id: 'labels', 'aria-label': 'Samples by label value' },
      el('thead', {}, el('tr', {}, this.headers.value, this.headers.total, el('th', { scope: 'col' }, 'Share'), this.headers.samples)), this.tbody);
    this.element = el('section', { id: 'labels-section', 'aria-label': 'Labels' },
      el('div', { class: 'table-head' }, el('label', {}, 'Label', this.keySelect), el('label', {}, 'Values', this.atSelect), this.summary), table);
    this.element.hidden = !this.on;
    this.button.addEventListener('click', () => this.change({ on: !this.s.on }));
    this.keySelect.addEventListener('change', () => this.change({ key: this.keySelect.value }));
    this.atSelect.addEventListener('change', () => this.change({ at: this.atSelect.value as 'root' | 'leaf' }));
  }

  get on(): boolean {
    return !!this.s.on && this.keys.length > 0;
  }

  /** The view's filters with the label frames, and the key to tabulate, while the view is on. */
  query(filters: ViewFilters): { filters: ViewFilters; labelKey?: string } {
    if (!this.on) return { filters };
    const key = this.keySelect.value;
    return { filters: { ...filters, ...(this.atSelect.value === 'leaf' ? { tagLeaf: [key] } : { tagRoot: [key] }) }, labelKey: key };
  }

  show(table: LabelKeyTable | undefined, unit: string, total: number): void {
    if (!table) { this.last = undefined; this.tbody.replaceChildren(); return; }
    this.last = { table, unit, total };
    this.render();
  }

  private change(patch: Partial<LabelsState>): void {
    this.s = { ...this.s, ...patch, key: this.keySelect.value, at: this.atSelect.value as 'root' | 'leaf' };
    this.button.setAttribute('aria-pressed', String(this.on));
    this.element.hidden = !this.on;
    this.onChange(this.s);
  }

  private sortHeader(key: SortKey, label: string): HTMLTableCellElement {
    const b = el('button', { 'data-sort': key }, label);
    b.addEventListener('click', () => {
      const cur = this.s.sort ?? { key: 'total', desc: true };
      this.s = { ...this.s, sort: { key, desc: cur.key === key ? !cur.desc : key !== 'value' } };
      this.onChange(this.s);
      this.render();
    });
    return el('th', { scope: 'col', class: key === 'value' ? 'name' : '' }, b);
  }

  private render(): void {
    if (!this.last) return;
    const { table, unit, total } = this.last;
    const sort = this.s.sort ?? { key: 'total', desc: true };
    const dir = sort.desc ? -1 : 1;
    // Ties keep the host's order, which is pprof's (|total|, then value).
    const order = new Map(table.rows.map((r, i) => [r, i]));
    const rows = table.rows.slice().sort((a, b) =>
      (sort.key === 'value' ? dir * a.value.localeCompare(b.value) : dir * (a[sort.key] - b[sort.key])) || order.get(a)! - order.get(b)!);
    for (const [k, th] of Object.entries(this.headers)) {
      if (k === sort.key) th.setAttribute('aria-sort', sort.desc ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
    const tr = (r: { value: string; total: number; samples: number }, cls: string, name: string) => {
      const row = el('tr', { tabindex: '0', class: cls, 'data-value': r.value },
        el('td', { class: 'name', title: name }, name),
        el('td', { class: 'total' }, formatValue(r.total, unit)),
        el('td', { class: 'pct' }, formatShare(r.total, total)),
        el('td', { class: 'samples' }, cls === 'missing' ? '' : String(r.samples)));
      activateRow(row, () => {
        for (const s of this.tbody.querySelectorAll('tr.selected')) s.classList.remove('selected');
        row.classList.add('selected');
      });
      return row;
    };
    const body = rows.map((r) => tr(r, 'value', r.value));
    // Kept samples without the key: pprof's tagroot frame "<unknown>"; pprof -tags leaves them out.
    if (table.missing) body.push(tr({ value: '', total: table.missing, samples: 0 }, 'missing', `without ${table.key}`));
    this.tbody.replaceChildren(...body);
    this.summary.textContent = `${table.rows.length} value${table.rows.length === 1 ? '' : 's'} · ${formatValue(table.total, unit)} (${formatShare(table.total, total)}) of ${formatValue(total, unit)}`;
  }
}
