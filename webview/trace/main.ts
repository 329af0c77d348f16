// The trace timeline: a <canvas> with a time ruler, counter graphs, GC/STW/assist lanes, one
// lane per P and per M, and lanes for goroutines the user picks; findings and details beside.
// The host pages tiles for the window on screen (spans when zoomed in, per-pixel summaries
// when zoomed out); panning draws from the tiles already here, so it never waits.
// This file wires the parts together; each keeps its own state.
import type { ProfileError } from '../../src/protocol/profile';
import type { ColorBy, FindingsSoFar, Place, TraceViewSummary } from '../../src/protocol/trace';
import type { Gogc } from '../../src/protocol/whatif';
import { formatNs } from '../shared/format';
import { renderLoadError } from '../shared/loaderror';
import { el } from '../shared/vscode';
import { DetailsPanel } from './details';
import { Drawing } from './drawing';
import { FindingsPanel } from './findings';
import { GoroutineGroupsPanel } from './goroutines';
import { TraceHost, type Pushed } from './host';
import { Input } from './input';
import { Lanes } from './lanes';
import { Saved } from './saved';
import { SlicePanel } from './slices';
import { GoroutineSearch } from './search';
import { TileCache } from './tiles';
import { Streaming } from './streaming';
import { metaText, toolbar } from './toolbar';
import { Viewport } from './viewport';
import { WhatIfPanel } from './whatif';

const startedAt = performance.now();

/** The page: a progress bar while the host reads the trace, then the timeline or the error. */
class TracePage implements Pushed {
  private readonly app = document.getElementById('app')!;
  private readonly status = el('div', { id: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly host = new TraceHost(this);
  private readonly saved = new Saved(this.host);
  private timeline: {
    reveal(place: Place, title?: string): void; whatIf(gogc: Gogc): void; grown(summary: TraceViewSummary, done: boolean, error?: ProfileError): void;
    findings(f: FindingsSoFar): void;
  } | undefined;
  /** Findings told before the timeline was made. */
  private earlyFindings: FindingsSoFar | undefined;

  start(): void { this.host.ready(); }

  progress(fraction: number, phase: string): void {
    const app = this.app;
    const p = app.querySelector('progress') ?? app.appendChild(el('progress', { max: '1', 'aria-label': 'Reading the trace' }));
    (p as HTMLProgressElement).value = fraction;
    const label = app.querySelector('.loading');
    if (label) label.textContent = `Reading the trace: ${phase} ${(fraction * 100).toFixed(0)}% (cancel from the notification, or close the tab)`;
  }

  init(fileName: string, summary: TraceViewSummary): void {
    this.timeline = openTimeline(this.app, this.status, this.host, this.saved, fileName, summary, (s) => this.setStatus(s));
    if (this.earlyFindings) this.timeline.findings(this.earlyFindings);
    this.earlyFindings = undefined;
  }

  findings(f: FindingsSoFar): void {
    if (this.timeline) this.timeline.findings(f); else this.earlyFindings = f;
  }

  grown(summary: TraceViewSummary, done: boolean, error?: ProfileError): void { this.timeline?.grown(summary, done, error); }

  loadError(fileName: string, error: ProfileError): void {
    renderLoadError(this.app, `GoLens cannot open ${fileName}`, error.what, error);
  }

  reveal(place: Place, title?: string): void { this.timeline?.reveal(place, title); }

  whatIf(gogc: Gogc): void { this.timeline?.whatIf(gogc); }

  sourceResult(found: boolean, message: string): void { this.setStatus(found ? `Opened ${message}` : `Source not found: ${message}`); }

  requestError(error: ProfileError): void { this.setStatus(`Error: ${error.message}`); }

  private setStatus(s: string): void { this.status.textContent = s; }
}

/** Builds the timeline page for a decoded trace and connects its parts. */
function openTimeline(app: HTMLElement, status: HTMLElement, host: TraceHost, saved: Saved, fileName: string, s: TraceViewSummary, setStatus: (s: string) => void) {
  saved.forFile(fileName);
  // The parts call each other only from events and frames, all after this function returns.
  const redraw = () => drawing.invalidate();
  const viewport: Viewport = new Viewport(s.durationNs, saved.value, (): number => drawing.canvas.clientWidth, (v) => { saved.save({ t0: v.t0, t1: v.t1 }); redraw(); });
  const tiles = new TileCache(host, s.durationNs, redraw);
  const lanes = new Lanes(s, saved, () => { tiles.clear(); redraw(); });
  const pin = (ids: number[]) => lanes.pin(ids);
  const show = (t0: number, t1: number) => viewport.set(t0, t1);
  const scrollToTop = () => { drawing.scroller.scrollTop = 0; };
  const slices = new SlicePanel(host, saved, viewport, redraw);
  const details = new DetailsPanel(host, saved, viewport, pin, redraw, slices);
  const findings = new FindingsPanel(host, saved, {
    pin, show, scrollToTop, status: setStatus, select: (g, t) => details.select({ kind: 'goroutine', id: g }, t),
  });
  const whatif: WhatIfPanel = new WhatIfPanel(host, saved, () => { lanes.showPredicted(whatif.shown !== undefined); redraw(); });
  const search = new GoroutineSearch(host, s.durationNs, { pin, show, scrollToTop, leave: () => drawing.canvas.focus() });
  const drawing: Drawing = new Drawing(fileName, startedAt, viewport, lanes, tiles, () => saved.value.colorBy,
    { mark: () => findings.mark, selecting: () => input.selecting() ?? slices.range, selection: () => details.selection, predicted: () => whatif.shown },
    {
      tick: (now) => input.tick(now),
      drew: (ms) => input.drew(ms),
      firstPaint: (ms) => { host.mark('traceFirstPaint', ms); findings.request(); },
    });

  const groups = new GoroutineGroupsPanel(host, saved, { pin, scrollToTop, status: setStatus });
  const bar = toolbar(fileName, s, saved.value.colorBy ?? 'goroutine', search.input);
  bar.element.insertBefore(groups.toggle, bar.unpin);
  bar.element.insertBefore(whatif.toggle, bar.unpin);
  bar.colorBy.addEventListener('change', () => { saved.save({ colorBy: bar.colorBy.value as ColorBy }); tiles.clear(); redraw(); });
  bar.unpin.addEventListener('click', () => lanes.unpinAll());
  const side = el('aside', { class: 'side' }, findings.element, search.results, details.element);
  app.replaceChildren(bar.element, el('div', { class: 'trace-body' }, drawing.scroller, side), groups.element, whatif.element, slices.element, status);
  app.removeAttribute('aria-busy');

  lanes.showPredicted(whatif.shown !== undefined);
  whatif.setReading(s.loading !== undefined);
  lanes.build();
  const input: Input = new Input(drawing.canvas, drawing.scroller, viewport, lanes, {
    select: (lane, t) => details.select(lane, t),
    clear: () => { details.clear(); findings.clearMark(); redraw(); },
    focusSearch: () => search.focus(),
    invalidate: redraw,
    range: (from, to) => slices.setRange(from, to),
    panMeasured: (fps, p95) => { host.mark('panFps', fps); host.mark('panDrawP95', p95); },
  });
  input.wireButtons(bar);
  const scroller = drawing.scroller;
  scroller.scrollTop = saved.value.scrollTop ?? 0;
  scroller.addEventListener('scroll', () => { saved.save({ scrollTop: scroller.scrollTop }); redraw(); });
  const selected = saved.value.selected;
  if (selected) details.select(selected.lane, selected.t);
  setStatus(s.loading
    ? `The first ${formatNs(s.durationNs)} of the run shown after ${formatNs(s.decodeMs * 1e6)}; reading the rest.`
    : `Decoded and replayed in ${formatNs(s.decodeMs * 1e6)}: ${s.procs.length} procs, ${s.threads.length} threads.`);
  // Read progressively: the extent, lanes and numbers grow as the rest of the file arrives.
  const streaming = new Streaming(s, [
    { extend: (g) => { viewport.extend(g.durationNs); tiles.extend(g.durationNs); search.durationNs = g.durationNs; lanes.update(g); bar.meta.textContent = metaText(g); redraw(); } },
  ], setStatus);
  if (s.loading) bar.element.insertBefore(streaming.element, bar.fit);
  drawing.start();
  return {
    reveal: (place: Place, title?: string) => findings.reveal(place, title),
    findings: (f: FindingsSoFar) => findings.update(f),
    whatIf: (gogc: Gogc) => whatif.preset(gogc),
    grown: (g: TraceViewSummary, done: boolean, error?: ProfileError) => {
      streaming.grown(g, done, error);
      if (done) whatif.setReading(false);
      if (done && !error) setStatus(`Decoded and replayed in ${formatNs(g.decodeMs * 1e6)}: ${g.procs.length} procs, ${g.threads.length} threads.`);
    },
  };
}

new TracePage().start();
