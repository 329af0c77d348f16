// The time-slice panel under the timeline: a flame graph of the CPU samples in a chosen
// range (alt-drag on the timeline, or "Use the view's range" from the keyboard), or of where
// one goroutine — or every goroutine of a start function — spent its time, off-CPU states
// included (core/analysis/timeslices: each state is a root-level box). Drawn by the shared
// flame widget; the range and the last graph asked for survive hiding the tab.
import type { ViewData } from '../../src/protocol/trace';
import { byKind } from '../shared/flame/colors';
import type { HNode } from '../shared/flame/graph';
import { FlameCursor } from '../shared/flame/keyboard';
import { buildFlameTree, type FlameNode } from '../shared/flame/tree';
import { formatNs, formatValue } from '../shared/format';
import { el } from '../shared/vscode';
import type { TraceHost } from './host';
import type { Saved, SliceAsked } from './saved';
import type { Viewport } from './viewport';

/** Go's regexp syntax for exactly this name (start functions hold dots, brackets, parentheses). */
const exactly = (s: string) => `^${s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`;

export class SlicePanel {
  readonly element: HTMLElement;
  private readonly rangeText = el('span', { class: 'slice-range', 'data-testid': 'slice-range' });
  private readonly title = el('h2', { class: 'slice-title' });
  private readonly detail = el('p', { class: 'slice-detail', role: 'status' });
  private readonly host_ = el('div', { class: 'slice-flame', tabindex: '0', 'aria-label': 'Time slice flame graph: arrows move, Enter zooms, Escape resets' });
  private readonly cpuButton = el('button', { type: 'button', 'data-testid': 'slice-cpu', title: 'The CPU samples in the chosen range, by stack' }, 'Flame graph of this range');
  private flame: FlameCursor | undefined;
  private asked = 0;

  constructor(private readonly host: TraceHost, private readonly saved: Saved, viewport: Viewport, private readonly invalidate: () => void) {
    const fromView = el('button', { type: 'button', 'data-testid': 'slice-from-view', title: 'Choose the range on screen (or alt-drag on the timeline)' }, "Use the view's range");
    fromView.addEventListener('click', () => this.setRange(viewport.t0, viewport.t1));
    const clear = el('button', { type: 'button', title: 'Forget the chosen range' }, 'Clear');
    clear.addEventListener('click', () => { this.saved.save({ slice: { ...this.saved.value.slice, range: undefined } }); this.showRange(); this.invalidate(); });
    this.cpuButton.addEventListener('click', () => {
      const r = this.range;
      if (!r) return;
      this.ask({ query: { view: 'cpu', from: r.from, to: r.to }, title: `CPU samples ${formatNs(r.from)} – ${formatNs(r.to)}` });
    });
    this.host_.addEventListener('keydown', (e) => this.flame?.key(e));
    this.element = el('section', { id: 'slices', 'aria-label': 'Time slices' },
      el('div', { class: 'slice-bar' }, el('span', {}, 'Range: '), this.rangeText, fromView, clear, this.cpuButton),
      this.title, this.detail, this.host_);
    this.showRange();
    const last = saved.value.slice?.last;
    if (last) this.ask(last);
  }

  /** The chosen range (alt-drag or the view's), for the drawing. */
  get range(): { from: number; to: number } | undefined { return this.saved.value.slice?.range; }

  setRange(from: number, to: number): void {
    const a = Math.max(0, Math.min(from, to)), b = Math.max(from, to);
    if (!(b > a)) return;
    this.saved.save({ slice: { ...this.saved.value.slice, range: { from: a, to: b } } });
    this.showRange();
    this.invalidate();
  }

  /** Where goroutine g spent its time (its states and stacks) over the whole trace. */
  goroutine(g: number): void {
    this.ask({ query: { view: 'time', goroutine: g }, title: `Where G${g} spent its time` });
  }

  /** The same for every goroutine that starts in fn. */
  startFunction(fn: string): void {
    this.ask({ query: { view: 'time', startFn: exactly(fn) }, title: `Where goroutines of ${fn} spent their time` });
  }

  private showRange(): void {
    const r = this.range;
    // The range in ns, for tests and tools: from-to.
    if (r) this.element.dataset.range = `${r.from}-${r.to}`; else delete this.element.dataset.range;
    this.rangeText.textContent = r ? `${formatNs(r.from)} – ${formatNs(r.to)} (${formatNs(r.to - r.from)})` : 'none (alt-drag on the timeline)';
    (this.cpuButton as HTMLButtonElement).disabled = !r;
  }

  private ask(a: SliceAsked): void {
    const mine = ++this.asked;
    this.saved.save({ slice: { ...this.saved.value.slice, last: a } });
    this.title.textContent = a.title;
    this.detail.textContent = 'Computing…';
    this.host_.removeAttribute('data-rendered');
    this.host.slice(a.query).then((v) => { if (mine === this.asked) this.draw(v, a); }, (e: Error) => { if (mine === this.asked) this.detail.textContent = `Error: ${e.message}`; });
  }

  private draw(v: ViewData<ArrayBuffer>, a: SliceAsked): void {
    const unit = v.unit;
    const total = new Float64Array(v.tree.total)[0] ?? 0;
    const fmt = (x: number) => (unit === 'nanoseconds' ? formatNs(x) : `${formatValue(x, unit)} sample${x === 1 ? '' : 's'}`);
    this.host_.dataset.total = String(total);
    this.host_.dataset.unit = unit;
    const data = buildFlameTree(v, a.query.view === 'cpu' ? 'CPU samples' : 'all states');
    // The root's children as text for tests and screen readers: name and value, largest first.
    this.host_.dataset.roots = JSON.stringify(data.children.map((c) => [c.name, c.value]).sort((x, y) => (y[1] as number) - (x[1] as number)));
    if (data.children.length === 0) {
      this.flame = undefined;
      this.host_.replaceChildren(el('p', { class: 'placeholder' }, a.query.view === 'cpu' ? 'No CPU samples in this range (the trace has them only when the CPU profiler ran).' : 'No time in this slice.'));
      this.detail.textContent = '';
      this.host_.dataset.rendered = 'empty';
      return;
    }
    const label = (n: FlameNode, value: number) => `${n.name}: ${fmt(value)} (${total ? ((100 * value) / total).toFixed(1) : '0'}%)`;
    this.detail.textContent = `Total ${fmt(total)}`;
    this.flame = new FlameCursor({
      host: this.host_, data, width: Math.max(this.host_.clientWidth - 16, 200), fullHeight: true, color: byKind(), label,
      onActivate: (d: HNode) => { if (d.data.file) this.host.openSource(d.data.file, d.data.line, d.data.name); },
      onSelect: (d: HNode) => { this.detail.textContent = label(d.data, d.value); },
      onZoom: () => undefined,
      onHover: (text) => { this.detail.textContent = text; },
      onSearch: () => undefined,
    });
    setTimeout(() => { this.host_.dataset.rendered = String(this.asked); }, 300);
  }
}
