// The Goroutines panel: go tool trace's Goroutines page beside the timeline — goroutines by
// start function with their count and the split of their time. Columns sort by click or
// keyboard (the header buttons; again reverses); a row's button pins the group's goroutines
// in the timeline and scrolls to them; ↑/↓ move between rows. Sort and open survive hiding.
import type { ColumnKey, GoroutineGroupRow, GoroutineGroups } from '../../src/protocol/trace';
import { formatNs, formatShare } from '../shared/format';
import { el } from '../shared/vscode';
import type { TraceHost } from './host';
import type { Saved } from './saved';

export type GroupSortKey = ColumnKey | 'count' | 'name';

export interface GroupActions {
  pin(ids: number[]): void;
  /** Brings the pinned lanes (at the top of the scrolling lanes) into view. */
  scrollToTop(): void;
  status(text: string): void;
}

/** The columns shown, in order; the name column comes first and is the row's action. */
const COLUMNS: { key: GroupSortKey; label: string; title: string }[] = [
  { key: 'count', label: 'Count', title: 'Goroutines in the group' },
  { key: 'total', label: 'Total', title: 'Their time in the trace, from creation (or the trace\'s start) to exit (or its end)' },
  { key: 'running', label: 'Running', title: 'Execution time' },
  { key: 'runnable', label: 'Runnable', title: 'Scheduler wait: runnable, waiting for a P' },
  { key: 'sync', label: 'Sync', title: 'Blocked on sync (mutexes, sync.Cond, WaitGroup)' },
  { key: 'chan', label: 'Chan', title: 'Blocked on channel send, receive or select' },
  { key: 'net', label: 'Net', title: 'Blocked on the network' },
  { key: 'sleep', label: 'Sleep', title: 'Sleeping' },
  { key: 'other', label: 'Other', title: 'Blocked for other reasons (GC, system goroutine waits…)' },
  { key: 'syscall', label: 'Syscall', title: 'In a syscall, with or without its P' },
  { key: 'assist', label: 'GC assist', title: 'GC mark assist (overlaps the other columns)' },
];

export class GoroutineGroupsPanel {
  readonly toggle = el('button', { id: 'goroutines-toggle', 'aria-pressed': 'false', 'aria-controls': 'goroutine-groups', title: 'Goroutines by start function, as go tool trace\'s Goroutines page' }, 'Goroutines');
  readonly element = el('section', { id: 'goroutine-groups', 'aria-label': 'Goroutines by start function', hidden: '' });
  private data: GoroutineGroups | undefined;
  private asked = false;

  constructor(private readonly host: TraceHost, private readonly saved: Saved, private readonly actions: GroupActions) {
    this.toggle.addEventListener('click', () => this.setOpen(this.element.hidden));
    this.element.addEventListener('keydown', (e) => this.arrows(e));
    if (saved.value.goroutinesOpen) this.setOpen(true);
  }

  private get sort(): { key: GroupSortKey; desc: boolean } {
    return (this.saved.value.goroutinesSort as { key: GroupSortKey; desc: boolean } | undefined) ?? { key: 'running', desc: true };
  }

  setOpen(open: boolean): void {
    this.element.hidden = !open;
    this.toggle.setAttribute('aria-pressed', String(open));
    this.saved.save({ goroutinesOpen: open });
    if (open && !this.asked) {
      this.asked = true;
      const state = (st: 'loading' | 'ready' | 'failed') => { this.element.dataset.state = st; if (st === 'loading') this.element.setAttribute('aria-busy', 'true'); else this.element.removeAttribute('aria-busy'); };
      state('loading');
      this.element.replaceChildren(el('p', { class: 'placeholder' }, 'Summing goroutine times…'));
      this.host.goroutineGroups().then((d) => { this.data = d; this.render(); state('ready'); },
        () => { this.asked = false; state('failed'); this.element.replaceChildren(el('p', { class: 'placeholder' }, 'The goroutine analysis failed; see the status line.')); });
    }
  }

  private sorted(groups: GoroutineGroupRow[]): GoroutineGroupRow[] {
    const { key, desc } = this.sort;
    const byName = (a: GoroutineGroupRow, b: GoroutineGroupRow) => (a.startFunction < b.startFunction ? -1 : a.startFunction > b.startFunction ? 1 : 0);
    const value = (g: GoroutineGroupRow) => (key === 'count' ? g.count : key === 'name' ? 0 : g.columns[key]);
    const sign = desc ? 1 : -1;
    return [...groups].sort((a, b) => (key === 'name' ? -sign * byName(a, b) : sign * (value(b) - value(a))) || byName(a, b));
  }

  /** Builds the table once; sorting reorders its rows in place, so focus stays on the header pressed. */
  private render(): void {
    const d = this.data;
    if (!d) return;
    const header = (k: GroupSortKey, label: string, title: string, cls: string) => {
      const b = el('button', { class: 'sort', 'data-key': k, title: `${title} — sort` }, label);
      b.addEventListener('click', () => {
        const now = this.sort;
        this.saved.save({ goroutinesSort: { key: k, desc: now.key === k ? !now.desc : k !== 'name' } });
        this.order();
      });
      return el('th', { scope: 'col', class: cls, 'data-key': k }, b);
    };
    const head = el('tr', {}, header('name', 'Start function', 'The goroutines\' start function', 'name'),
      ...COLUMNS.map((c) => header(c.key, c.label, c.title, 'num')), el('th', { scope: 'col', class: 'num' }, 'Share'));
    this.rows = new Map(d.groups.map((g) => {
      const label = g.startFunction || '(no stack trace sampled)';
      const pin = el('button', { class: 'pin-group', 'data-fn': g.startFunction, title: `Pin ${g.count === 1 ? 'this goroutine' : `these ${g.count} goroutines`} in the timeline` }, label);
      pin.addEventListener('click', () => {
        this.actions.pin(g.ids);
        this.actions.scrollToTop();
        this.actions.status(`Pinned ${g.ids.length > 24 ? `the first 24 of ${g.count}` : g.count} goroutine${g.count === 1 ? '' : 's'} of ${label}`);
      });
      const cells = COLUMNS.map((c) => {
        const v = c.key === 'count' ? g.count : g.columns[c.key as ColumnKey];
        return el('td', { class: `num ${v ? '' : 'zero'}`, 'data-key': c.key, 'data-value': String(v) }, c.key === 'count' ? String(v) : formatNs(v));
      });
      return [g, el('tr', { 'data-fn': g.startFunction, 'data-ids': g.ids.join(' ') }, el('th', { scope: 'row', class: 'name' }, pin), ...cells,
        el('td', { class: 'num share' }, formatShare(g.columns.running, d.totalExecNs)))];
    }));
    this.head = head;
    this.body = el('tbody', {});
    const table = el('table', { id: 'goroutine-table' },
      el('caption', {}, `${d.groups.length} groups by start function · times as go tool trace's · a row pins its goroutines`),
      el('thead', {}, head), this.body);
    this.element.replaceChildren(table);
    this.order();
  }

  private rows = new Map<GoroutineGroupRow, HTMLTableRowElement>();
  private head: HTMLElement | undefined;
  private body: HTMLElement | undefined;

  /** Puts the rows in the saved order and marks the sorted column. */
  private order(): void {
    const { key, desc } = this.sort;
    for (const th of this.head?.querySelectorAll<HTMLElement>('th[data-key]') ?? []) {
      if (th.dataset.key === key) th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
    this.body?.append(...this.sorted([...this.rows.keys()]).map((g) => this.rows.get(g)!));
  }

  /** ↑/↓ on a row's button moves to the row above or below. */
  private arrows(e: KeyboardEvent): void {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const t = e.target as HTMLElement;
    if (!t.classList.contains('pin-group')) return;
    const all = [...this.element.querySelectorAll<HTMLElement>('button.pin-group')];
    const next = all[all.indexOf(t) + (e.key === 'ArrowDown' ? 1 : -1)];
    if (next) { next.focus(); e.preventDefault(); }
  }
}
