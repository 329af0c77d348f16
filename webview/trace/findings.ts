// The findings panel: the trace's leaks, contention, GC and scheduling findings, asked for
// once the timeline has painted; a finding jumps to its moment (marked on the timeline),
// pins its goroutines and opens its line. The host's "reveal" lands here too.
import type { Place, TraceFinding } from '../../src/protocol/trace';
import { el } from '../shared/vscode';
import type { TraceHost } from './host';
import type { Saved } from './saved';

export interface Moment { at: number; atEnd: number }

export interface RevealActions {
  pin(ids: number[]): void;
  show(t0: number, t1: number): void;
  select(goroutine: number, t: number): void;
  status(text: string): void;
  scrollToTop(): void;
}

export class FindingsPanel {
  private section = el('section', { id: 'findings', 'aria-label': 'Findings', 'aria-busy': 'true' },
    el('h2', {}, 'Findings'), el('p', { class: 'placeholder' }, 'Analysing leaks, contention, GC and scheduling…'));
  /** The revealed finding's moment, marked on the timeline. */
  private moment: Moment | undefined;

  constructor(private readonly host: TraceHost, private readonly saved: Saved, private readonly actions: RevealActions) {
    this.moment = saved.value.mark;
  }

  get element(): HTMLElement { return this.section; }
  get mark(): Moment | undefined { return this.moment; }

  request(): void {
    const t = performance.now();
    this.host.findings().then((findings) => {
      this.section.removeAttribute('aria-busy');
      const rendered = this.render(findings);
      this.section.replaceWith(rendered);
      this.section = rendered;
      this.host.mark('traceFindings', performance.now() - t);
    }, () => {
      this.section.removeAttribute('aria-busy');
      this.section.replaceChildren(el('h2', {}, 'Findings'), el('p', { class: 'placeholder' }, 'The analyses failed; see the status line.'));
    });
  }

  /** Shows a place: its goroutines pinned and the first selected, its moment marked, zoomed to its window. */
  reveal(place: Place, title?: string): void {
    const a = this.actions;
    if (place.goroutines.length) a.pin(place.goroutines);
    this.moment = { at: place.at, atEnd: place.atEnd };
    this.saved.save({ mark: this.moment });
    a.show(place.t0, place.t1);
    if (place.goroutines.length) a.select(place.goroutines[0], place.at + (place.atEnd - place.at) / 2);
    if (title) a.status(title);
    a.scrollToTop();
  }

  /** Escape: the mark goes. */
  clearMark(): void {
    this.moment = undefined;
    this.saved.save({ mark: undefined });
  }

  private render(findings: TraceFinding[]): HTMLElement {
    const list = el('ol', { class: 'findings' });
    findings.forEach((f, i) => {
      const b = el('button', { class: `finding ${f.kind}`, 'data-index': String(i), title: f.advice ?? f.title },
        el('span', { class: `badge ${f.confidence}` }, `${f.kind} · ${f.confidence}`), el('span', { class: 'text' }, f.title));
      b.addEventListener('click', () => {
        if (f.place) this.reveal(f.place, f.title);
        if (f.site) this.host.openSource(f.site.file, f.site.line, f.site.function);
      });
      list.append(el('li', {}, b));
    });
    return el('section', { id: 'findings', 'aria-label': 'Findings' },
      el('h2', {}, `Findings (${findings.length})`), findings.length ? list : el('p', { class: 'placeholder' }, 'Nothing stands out in this trace.'));
  }
}
