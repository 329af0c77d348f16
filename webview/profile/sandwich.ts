// The sandwich view: one function between its callers (a flame graph growing up from it
// toward main) and its callees (an icicle growing down from it), with pprof -peek's numbers
// for it in a header and its direct callers and callees as lists. Names are text, never HTML.
import type { SandwichData, SandwichTree } from '../../src/protocol/profile';
import { byKind } from '../shared/flame/colors';
import { FlameCursor } from '../shared/flame/keyboard';
import { buildFlameTree, type FlameNode } from '../shared/flame/tree';
import { formatShare, formatValue } from '../shared/format';
import { activateRow } from '../shared/rows';
import { el } from '../shared/vscode';

export interface SandwichHooks {
  /** The user chose a function (typed in the box, or a caller or callee picked). */
  choose(fn: string): void;
  open(file: string, line: number, fn: string): void;
}

export class SandwichPanel {
  readonly element: HTMLElement;
  readonly input = el('input', {
    id: 'sandwich-function', type: 'search', list: 'sandwich-functions', placeholder: 'Function (type a name, or press s on a row or frame)',
    'aria-label': 'Function in the sandwich', spellcheck: 'false',
  });
  private readonly options = el('datalist', { id: 'sandwich-functions' });
  private readonly title = el('h2', { id: 'sandwich-title', class: 'sandwich-title' });
  private readonly numbers = el('span', { id: 'sandwich-numbers', class: 'meta' });
  private readonly callerList = el('tbody');
  private readonly calleeList = el('tbody');
  private readonly callerHost = flameHost('sandwich-callers-flame', 'Callers flame graph: the function at the bottom, its callers above. Arrow keys move between frames, Enter zooms, s puts the selected frame in the sandwich.');
  private readonly calleeHost = flameHost('sandwich-callees-flame', 'Callees flame graph: the function at the top, what it calls below. Arrow keys move between frames, Enter zooms, s puts the selected frame in the sandwich.');
  private readonly note = el('p', { class: 'peek-note', id: 'sandwich-note' });
  private graphs: { callers?: FlameCursor; callees?: FlameCursor } = {};
  private data?: SandwichData<ArrayBuffer>;
  private unit = '';

  constructor(private readonly hooks: SandwichHooks) {
    const form = el('form', { class: 'sandwich-pick', role: 'search' }, el('label', {}, 'Sandwich of ', this.input), this.options);
    form.addEventListener('submit', (e) => { e.preventDefault(); if (this.input.value.trim()) hooks.choose(this.input.value.trim()); });
    // A pick from the suggestions chooses at once; typing waits for Enter.
    this.input.addEventListener('input', (e) => {
      if ((e as InputEvent).inputType === 'insertReplacementText' && this.input.value.trim()) hooks.choose(this.input.value.trim());
    });
    this.element = el('section', { id: 'sandwich', 'aria-label': 'Sandwich: callers and callees', hidden: '' },
      el('div', { class: 'table-head' }, form, this.title, this.numbers), this.note,
      el('div', { class: 'sandwich-half' }, listTable('sandwich-callers', 'Callers', this.callerList), this.callerHost),
      el('div', { class: 'sandwich-half' }, listTable('sandwich-callees', 'Callees', this.calleeList), this.calleeHost));
    for (const [host, which] of [[this.callerHost, 'callers'], [this.calleeHost, 'callees']] as const) {
      host.addEventListener('keydown', (e) => {
        const g = this.graphs[which];
        if (!g) return;
        if (e.key === 's' && g.selection.data.kind !== 'root') { e.preventDefault(); e.stopPropagation(); hooks.choose(g.selection.data.name); return; }
        g.key(e);
      });
      host.addEventListener('focus', () => this.graphs[which]?.mark());
    }
  }

  /** The functions the box offers (the top table's). */
  offer(names: string[]): void {
    this.options.replaceChildren(...names.map((n) => el('option', { value: n })));
  }

  loading(fn: string): void {
    this.element.setAttribute('aria-busy', 'true');
    this.input.value = fn;
    this.title.textContent = fn;
  }

  show(s: SandwichData<ArrayBuffer>, unit: string): void {
    this.element.removeAttribute('aria-busy');
    this.data = s;
    this.unit = unit;
    this.element.dataset.function = s.function;
    if (!s.function) {
      this.numbers.textContent = '';
      this.note.textContent = 'No samples of this function under the current sample type and filters.';
      this.callerList.replaceChildren(); this.calleeList.replaceChildren();
      this.callerHost.replaceChildren(); this.calleeHost.replaceChildren();
      this.graphs = {};
      return;
    }
    this.title.textContent = s.function;
    this.numbers.textContent = `flat ${formatValue(s.flat, unit)} (${formatShare(s.flat, s.total)}) · cum ${formatValue(s.cum, unit)} (${formatShare(s.cum, s.total)})`;
    this.note.textContent = '';
    this.fill(this.callerList, s.callers, s.cum);
    this.fill(this.calleeList, s.callees, s.cum);
    this.draw();
  }

  /** Redraws both graphs at the section's width (after a resize or when the section appears). */
  draw(): void {
    const s = this.data;
    if (!s || !s.function || this.element.hidden) return;
    const width = Math.max(this.element.clientWidth - 24, 200);
    this.graphs.callers = this.graph(this.callerHost, s.callerTree, s.function, false, width);
    this.graphs.callees = this.graph(this.calleeHost, s.calleeTree, s.function, true, width);
  }

  private graph(host: HTMLElement, t: SandwichTree<ArrayBuffer>, fn: string, icicle: boolean, width: number): FlameCursor | undefined {
    const data = buildFlameTree(t, fn);
    // The root is the function itself, not "all": colour it as the function.
    const root: FlameNode = { ...data, name: fn, kind: 'user' };
    host.classList.toggle('icicle', icicle);
    const total = this.data?.total ?? 0;
    const label = (n: FlameNode, v: number) => `${n.name} — ${formatValue(v, this.unit)} (${formatShare(v, total)})${n.file ? ` — ${n.file.split('/').slice(-2).join('/')}:${n.line}` : ''}`;
    return new FlameCursor({
      host, data: root, width, inverted: icicle, fullHeight: true, color: byKind(), label,
      onActivate: (d) => this.hooks.open(d.data.file, d.data.line, d.data.name),
      onSelect: (d) => { host.dataset.selected = d.data.name; this.note.textContent = label(d.data, d.value); },
      onZoom: () => undefined,
      onHover: (text) => { this.note.textContent = text; },
      onSearch: () => undefined,
    });
  }

  private fill(body: HTMLElement, edges: SandwichData<ArrayBuffer>['callers'], cum: number): void {
    body.replaceChildren(...edges.map((e) => {
      const tr = el('tr', { tabindex: '0', 'data-name': e.name, 'data-value': String(e.value) },
        el('td', { class: 'cum' }, formatValue(e.value, this.unit)), el('td', { class: 'pct' }, formatShare(e.value, cum)),
        el('td', { class: 'name', title: e.name }, e.name, ...(e.inline ? [el('span', { class: 'tag' }, 'inline')] : [])));
      activateRow(tr, () => this.hooks.choose(e.name));
      return tr;
    }));
  }
}

function flameHost(id: string, label: string): HTMLElement {
  return el('div', { id, class: 'sandwich-flame', tabindex: '0', role: 'group', 'aria-roledescription': 'flame graph', 'aria-label': label });
}

function listTable(id: string, caption: string, body: HTMLElement): HTMLElement {
  return el('table', { id, class: 'sandwich-list', 'aria-label': `${caption}: call edge weight and share of the function's cum (Enter puts one in the sandwich)` },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, caption), el('th', { scope: 'col' }, '%'), el('th', { scope: 'col', class: 'name' }, 'Function'))), body);
}
