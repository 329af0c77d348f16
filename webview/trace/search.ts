// Goroutine search: an id, a function or a label typed in the toolbar lists the goroutines
// that match; one clicked gets its own lane and the view spans its life.
import type { GoroutineRow } from '../../src/protocol/trace';
import { el } from '../shared/vscode';
import type { TraceHost } from './host';

export interface SearchActions {
  pin(ids: number[]): void;
  show(t0: number, t1: number): void;
  scrollToTop(): void;
  /** Escape in the box: back to the timeline. */
  leave(): void;
}

export class GoroutineSearch {
  readonly input = el('input', { id: 'g-search', type: 'search', placeholder: 'Goroutine id, function or label', 'aria-label': 'Search goroutines' });
  readonly results = el('section', { id: 'results', 'aria-label': 'Goroutines found', hidden: '' });
  private timer: number | undefined;

  /** The trace's extent (it grows while a trace is read progressively). */
  durationNs: number;

  constructor(private readonly host: TraceHost, durationNs: number, private readonly actions: SearchActions) {
    this.durationNs = durationNs;
    const input = this.input;
    input.addEventListener('input', () => { clearTimeout(this.timer); this.timer = window.setTimeout(() => this.search(input.value), 150); });
    input.addEventListener('keydown', (e) => { if (e.key === 'Escape') { input.value = ''; this.search(''); actions.leave(); } });
  }

  focus(): void { this.input.focus(); }

  private search(q: string): void {
    const results = this.results;
    if (!q.trim()) { results.hidden = true; results.replaceChildren(); return; }
    this.host.goroutines(q).then((m) => {
      results.hidden = false;
      const items = m.rows.map((r: GoroutineRow) => {
        const b = el('button', { class: 'goroutine', 'data-g': String(r.id) }, el('span', { class: 'gid' }, `G${r.id}`), ` ${r.startFunction || '(unknown)'} `,
          el('span', { class: 'state' }, r.state), ...(r.labels.length ? [el('span', { class: 'labels' }, ` ${r.labels.join(', ')}`)] : []));
        b.addEventListener('click', () => {
          this.actions.pin([r.id]);
          const a = Number.isFinite(r.createdAt) ? r.createdAt : 0, e = Number.isFinite(r.endedAt) ? r.endedAt : this.durationNs;
          this.actions.show(a - (e - a) * 0.05, e + (e - a) * 0.05);
          this.actions.scrollToTop();
        });
        return el('li', {}, b);
      });
      results.replaceChildren(el('h2', {}, `${m.total} goroutine${m.total === 1 ? '' : 's'} match${m.total === 1 ? 'es' : ''}${m.total > m.rows.length ? ` (first ${m.rows.length})` : ''}`), el('ul', { class: 'goroutines' }, ...items));
    }, () => undefined);
  }
}
