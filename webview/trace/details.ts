// The details panel: what the clicked span was (state, goroutine, labels, stack, who
// unblocked it, who created it), with its frames as buttons that open the source; and the
// selected span, outlined on the timeline.
import type { LaneRef, SpanDetails } from '../../src/protocol/trace';
import { formatNs } from '../shared/format';
import { el } from '../shared/vscode';
import type { TraceHost } from './host';
import type { Saved } from './saved';
import { timeLabel } from './time';
import type { Viewport } from './viewport';

export interface Selection { lane: LaneRef; start: number; end: number }

const baseName = (f: string) => f.slice(f.lastIndexOf('/') + 1);

export class DetailsPanel {
  readonly element = el('section', { id: 'span-details', 'aria-label': 'Details' }, el('p', { class: 'placeholder' }, 'Click a span for its details.'));
  private selected: Selection | undefined;

  constructor(
    private readonly host: TraceHost,
    private readonly saved: Saved,
    private readonly viewport: Viewport,
    /** Show goroutines in their own lanes. */
    private readonly pin: (ids: number[]) => void,
    private readonly invalidate: () => void,
    /** Where a goroutine (or every goroutine of its start function) spent its time: the slice panel. */
    private readonly timeFlame?: { goroutine(g: number): void; startFunction(fn: string): void },
  ) {}

  get selection(): Selection | undefined { return this.selected; }

  /** Asks for the span on `lane` at `t` (within three pixels) and shows it. */
  select(lane: LaneRef, t: number): void {
    const slop = this.viewport.nsPerPixel() * 3;
    this.host.spanAt(lane, t, slop).then((details) => {
      if (!details) { this.element.replaceChildren(el('p', { class: 'placeholder' }, 'Nothing there.')); this.selected = undefined; this.invalidate(); return; }
      this.selected = { lane, start: details.start, end: details.end };
      this.saved.save({ selected: { lane, t } });
      this.show(details);
      this.invalidate();
    }, () => undefined);
  }

  /** Forgets the selected span (the panel keeps its text). */
  clear(): void {
    this.selected = undefined;
    this.saved.save({ selected: undefined });
  }

  private show(d: SpanDetails): void {
    const rows: HTMLElement[] = [
      el('h2', {}, d.title),
      el('p', { class: 'when' }, `${timeLabel(d.start, 1000)} → ${timeLabel(d.end, 1000)} · ${formatNs(d.end - d.start)}`),
    ];
    if (d.goroutine !== undefined) {
      const g = d.goroutine;
      const show = el('button', { class: 'link', title: 'Show this goroutine in its own lane' }, `G${g}`);
      show.addEventListener('click', () => this.pin([g]));
      rows.push(el('p', {}, 'Goroutine ', show, d.startFunction ? ` · ${d.startFunction}` : ''));
      const tf = this.timeFlame;
      if (tf) {
        const mine = el('button', { type: 'button', class: 'link', 'data-testid': 'time-flame-goroutine', title: 'A flame graph of its states and stacks, off-CPU time included' }, 'Where it spent its time');
        mine.addEventListener('click', () => tf.goroutine(g));
        const fn = d.startFunction;
        const all = fn ? el('button', { type: 'button', class: 'link', 'data-testid': 'time-flame-startfn', title: `The same for every goroutine that starts in ${fn}` }, 'every goroutine of this start function') : undefined;
        all?.addEventListener('click', () => tf.startFunction(fn!));
        rows.push(el('p', { class: 'time-flame' }, mine, ...(all ? [' · ', all] : [])));
      }
    }
    if (d.labels?.length) rows.push(el('p', { class: 'labels' }, `Labels: ${d.labels.join(', ')}`));
    if (d.stack.length) rows.push(el('h3', {}, d.state === 'runnable' ? 'Made runnable at' : 'Stack'), el('ul', { class: 'stack' }, ...d.stack.map((f) => this.frameButton(f))));
    if (d.unblockedBy) {
      const u = d.unblockedBy;
      const show = el('button', { class: 'link', title: 'Show the goroutine that woke it' }, `G${u.goroutine}`);
      show.addEventListener('click', () => this.pin([u.goroutine]));
      rows.push(el('h3', {}, 'Unblocked by ', show), el('ul', { class: 'stack' }, ...u.stack.slice(0, 12).map((f) => this.frameButton(f))));
    }
    if (d.createdBy) {
      rows.push(el('h3', {}, `Created by G${d.createdBy.goroutine}`), el('ul', { class: 'stack' }, ...d.createdBy.stack.slice(0, 6).map((f) => this.frameButton(f))));
    }
    this.element.replaceChildren(...rows);
  }

  private frameButton(f: { fn: string; file: string; line: number }): HTMLElement {
    const b = el('button', { class: 'frame-link', title: `Open ${f.file}:${f.line}` }, el('span', { class: 'fn' }, f.fn), el('span', { class: 'loc' }, `${baseName(f.file)}:${f.line}`));
    b.addEventListener('click', () => this.host.openSource(f.file, f.line, f.fn));
    return el('li', {}, b);
  }
}
