// The findings panel: the trace's leaks, contention, GC and scheduling findings, asked for
// once the timeline has painted; a finding jumps to its moment (marked on the timeline),
// pins its goroutines and opens its line. The host's "reveal" lands here too. While a trace
// is still read, the findings so far are shown as such (the part of the run they cover), then
// replaced by the final ones.
import type { FindingsSoFar, Place, TraceFinding } from '../../src/protocol/trace';
import { formatNs } from '../shared/format';
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
  /** The final findings are shown: later "so far" ones (late messages) are ignored. */
  private final = false;

  constructor(private readonly host: TraceHost, private readonly saved: Saved, private readonly actions: RevealActions) {
    this.moment = saved.value.mark;
  }

  get element(): HTMLElement { return this.section; }
  get mark(): Moment | undefined { return this.moment; }

  request(): void {
    const t = performance.now();
    this.host.findings().then((findings) => {
      this.show(this.render(findings));
      this.final = true;
      this.host.mark('traceFindings', performance.now() - t);
    }, () => {
      this.section.removeAttribute('aria-busy');
      this.section.replaceChildren(el('h2', {}, 'Findings'), el('p', { class: 'placeholder' }, 'The analyses failed; see the status line.'));
    });
  }

  /** Findings told by the host: so far (over part of the run), or final. */
  update(f: FindingsSoFar): void {
    if (this.final) return;
    if (f.final) { this.final = true; this.show(this.render(f.findings)); return; }
    this.show(this.render(f.findings, f));
  }

  private show(rendered: HTMLElement): void {
    this.section.replaceWith(rendered);
    this.section = rendered;
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

  /** soFar: findings over the part of the run read so far (no leak can be judged before the end). */
  private render(findings: TraceFinding[], soFar?: FindingsSoFar): HTMLElement {
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
    if (soFar) {
      const covers = `Over the first ${formatNs(soFar.throughNs)} of the run (${(soFar.fraction * 100).toFixed(0)}% of the file read); updated as the rest is read. Leaks are judged at the end.`;
      return el('section', { id: 'findings', class: 'so-far', 'aria-label': 'Findings so far', 'aria-busy': 'true' },
        el('h2', {}, `Findings so far (${findings.length})`), el('p', { class: 'covers' }, covers),
        findings.length ? list : el('p', { class: 'placeholder' }, 'Nothing stands out so far.'));
    }
    return el('section', { id: 'findings', 'aria-label': 'Findings' },
      el('h2', {}, `Findings (${findings.length})`), findings.length ? list : el('p', { class: 'placeholder' }, 'Nothing stands out in this trace.'));
  }
}
