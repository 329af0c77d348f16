// The "What if" panel: GOGC, memory limit and GOMAXPROCS fields, Apply (or Enter) asks the
// server's model, and a table compares what the trace shows, the model at the trace's own
// settings and the scenario, with the model's notes. While a scenario is shown, the timeline
// draws its predicted heap, goal and GC cycles (predicted.ts). Fields, result and open
// survive hiding the tab.
import type { Gogc, WhatIfReport, WhatIfResult, WhatIfSeries } from '../../src/protocol/whatif';
import { el } from '../shared/vscode';
import type { TraceHost } from './host';
import type { Saved, SavedWhatIf } from './saved';
import { changeLabel, memLimitLabel, METRICS, parseSettings, settingsText, whatIfColumns, type SettingsText } from './whatifsettings';

const FIELDS: { key: keyof SettingsText; label: string; title: string; placeholder: string }[] = [
  { key: 'gogc', label: 'GOGC', title: 'GOGC: a whole number (100 is the default) or off', placeholder: '100' },
  { key: 'memlimit', label: 'Memory limit', title: 'GOMEMLIMIT: none, or a size such as 512MiB or 1.5GiB (B, KiB, MiB, GiB, TiB; kB, MB, GB are decimal)', placeholder: 'none' },
  { key: 'gomaxprocs', label: 'GOMAXPROCS', title: 'GOMAXPROCS: how many Ps run Go code at once', placeholder: '' },
];

export class WhatIfPanel {
  readonly toggle = el('button', { id: 'whatif-toggle', 'aria-pressed': 'false', 'aria-controls': 'whatif', title: 'What if: predict GOGC, memory limit and GOMAXPROCS from this trace' }, 'What if');
  readonly element = el('section', { id: 'whatif', 'aria-label': 'What if: GOGC, memory limit and GOMAXPROCS', hidden: '' });
  private readonly inputs = new Map<keyof SettingsText, HTMLInputElement>();
  private readonly error = el('p', { id: 'whatif-error', class: 'whatif-error', role: 'alert' });
  private readonly result = el('div', { class: 'whatif-result' });
  private readonly apply = el('button', { id: 'whatif-apply', type: 'submit', title: 'Predict this scenario (Enter)' }, 'Apply');
  private asking = 0;
  /** A GOGC the host asked to show (the code action), applied once the fields hold the trace's settings. */
  private presetGogc: Gogc | undefined;
  /** Said while the trace is still being read: the model needs the whole run, so the answer waits for it. */
  private readonly wait = el('p', { id: 'whatif-wait', class: 'whatif-wait', role: 'status' });
  private reading = false;

  constructor(private readonly host: TraceHost, private readonly saved: Saved, private readonly changed: () => void) {
    const form = el('form', { id: 'whatif-form', class: 'whatif-form', 'aria-describedby': 'whatif-error' });
    for (const f of FIELDS) {
      const input = el('input', { id: `whatif-${f.key}`, name: f.key, type: 'text', title: f.title, placeholder: f.placeholder, autocomplete: 'off', spellcheck: 'false', size: f.key === 'memlimit' ? '10' : '5' });
      if (f.key === 'gogc') input.setAttribute('list', 'whatif-gogc-values');
      if (f.key !== 'memlimit') input.setAttribute('inputmode', f.key === 'gomaxprocs' ? 'numeric' : 'text');
      input.addEventListener('input', () => {
        if (input.hasAttribute('aria-invalid')) { input.removeAttribute('aria-invalid'); this.error.textContent = ''; }
        this.saveText();
      });
      this.inputs.set(f.key, input);
      form.append(el('label', { for: input.id }, f.label), input);
    }
    const values = el('datalist', { id: 'whatif-gogc-values' }, ...['25', '50', '100', '200', '400', 'off'].map((v) => el('option', { value: v })));
    form.append(values, this.apply, el('span', { class: 'whatif-legend', 'aria-label': 'Timeline legend' },
      el('span', { class: 'key heap' }, 'predicted heap'), el('span', { class: 'key goal' }, 'predicted goal'), el('span', { class: 'key gc' }, 'predicted GC')));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.applyNow(); });
    this.element.append(form, this.error, this.wait, this.result);
    this.toggle.addEventListener('click', () => this.setOpen(this.element.hidden));
    const s = saved.value.whatif;
    if (s?.text) this.fill(s.text);
    if (s?.report) this.render(s.report);
    // Shown again: open as it was, quietly (the timeline is not built yet; it asks `shown`).
    if (s?.open) this.setOpen(true, false);
  }

  /** The scenario the timeline draws: the last one predicted, while the panel is open. */
  get shown(): (WhatIfResult & WhatIfSeries) | undefined {
    return this.element.hidden ? undefined : this.saved.value.whatif?.report?.scenarios[0];
  }

  setOpen(open: boolean, tell = true): void {
    this.element.hidden = !open;
    this.toggle.setAttribute('aria-pressed', String(open));
    this.save({ open });
    if (tell) this.changed();
    // The first time: the trace's own settings and the model at them, which also fill the fields.
    if (open && !this.saved.value.whatif?.report) this.ask(null);
  }

  /** Opens the panel at this GOGC, the other fields as they are (or at the trace's settings), and predicts it. */
  preset(gogc: Gogc): void {
    this.presetGogc = gogc;
    if (this.element.hidden) this.setOpen(true);
    // Without a report the trace's settings are on their way; they apply it (see ask).
    if (this.saved.value.whatif?.report && this.element.dataset.state !== 'loading') this.applyPreset();
  }

  private applyPreset(): void {
    const g = this.presetGogc;
    if (g === undefined) return;
    this.presetGogc = undefined;
    this.inputs.get('gogc')!.value = String(g);
    this.saveText();
    this.applyNow();
  }

  private applyNow(): void {
    const text = this.text();
    const p = parseSettings(text);
    if (!p.ok) {
      const input = this.inputs.get(p.field)!;
      input.setAttribute('aria-invalid', 'true');
      this.error.textContent = p.error;
      input.focus();
      return;
    }
    this.error.textContent = '';
    this.ask(p.value);
  }

  private ask(settings: Parameters<TraceHost['whatIf']>[0]): void {
    const n = ++this.asking;
    this.state('loading');
    this.host.whatIf(settings).then((report) => {
      if (n !== this.asking) return;
      // Only the scenario's series is drawn: the model's is not kept (the saved state stays small).
      this.save({ report: { ...report, model: { ...report.model, heap: [], cycles: [] } } });
      if (!this.saved.value.whatif?.text) { this.fill(settingsText(report.baseline)); this.saveText(); }
      this.render(report);
      this.state('ready');
      this.changed();
      this.applyPreset();
    }, (e: unknown) => {
      if (n !== this.asking) return;
      this.state('failed');
      this.error.textContent = `The model failed: ${e instanceof Error ? e.message : String(e)}`;
    });
  }

  /** The trace is (still, or no longer) being read behind the first paint. */
  setReading(on: boolean): void {
    this.reading = on;
    this.sayWait();
  }

  private sayWait(): void {
    this.wait.textContent = this.element.dataset.state === 'loading' && this.reading ? 'Still reading the trace: the model needs the whole run and answers once it is read.' : '';
  }

  private state(st: 'loading' | 'ready' | 'failed'): void {
    this.element.dataset.state = st;
    this.sayWait();
    if (st === 'loading') this.element.setAttribute('aria-busy', 'true'); else this.element.removeAttribute('aria-busy');
  }

  private render(r: WhatIfReport): void {
    const sc = r.scenarios[0];
    const { columns: cols, states } = whatIfColumns(r);
    const head = el('tr', {}, el('th', { scope: 'col' }, ''), ...cols.map((c) => el('th', {
      scope: 'col', class: 'num', 'data-col': c.key, title: c.title, ...(c.describedBy && states ? { 'aria-describedby': c.describedBy } : {}),
    }, c.label)));
    const setting = (label: string, f: (x: WhatIfResult) => string) => el('tr', { class: 'setting' }, el('th', { scope: 'row' }, label),
      ...cols.map((c) => el('td', { class: 'num', 'data-col': c.key }, c.of && !c.change ? f(c.of) : '')));
    const rows = METRICS.map((m) => el('tr', { 'data-key': m.key }, el('th', { scope: 'row', title: m.title }, m.label),
      ...cols.map((c) => {
        if (c.change) return el('td', { class: 'num', 'data-col': c.key }, c.of ? changeLabel(c.of[m.key], r.model[m.key]) : '');
        const v = c.of?.[m.key];
        return el('td', { class: 'num', 'data-col': c.key, ...(v !== undefined ? { 'data-value': String(v) } : {}) }, v === undefined ? '—' : m.format(v));
      })));
    const from = `go ${r.goVersion} trace${r.writtenBy ? ` (${r.writtenBy})` : ''}`;
    const caption = sc ? `${from} · predicted from this trace's allocation and scheduling` : `${from} · set GOGC, a memory limit or GOMAXPROCS and Apply`;
    const table = el('table', { id: 'whatif-table' }, el('caption', {}, caption), el('thead', {}, head),
      el('tbody', {}, setting('GOGC', (x) => String(x.gogc)), setting('Memory limit', (x) => memLimitLabel(x.memlimit)), setting('GOMAXPROCS', (x) => String(x.gomaxprocs)), ...rows));
    const notes = r.notes.length ? el('ul', { class: 'whatif-notes', 'aria-label': 'What the model assumed' }, ...r.notes.map((n) => el('li', {}, n))) : el('span', {});
    // Which of the pacer's two steady states each column is, where the table has the other one.
    const legend = el('p', { id: 'whatif-states', class: 'whatif-states' }, states ?? '');
    this.result.replaceChildren(table, legend, notes);
    this.element.dataset.scenario = sc ? JSON.stringify({ gogc: sc.gogc, memlimit: sc.memlimit, gomaxprocs: sc.gomaxprocs }) : '';
  }

  private text(): SettingsText {
    const v = (k: keyof SettingsText) => this.inputs.get(k)!.value;
    return { gogc: v('gogc'), memlimit: v('memlimit'), gomaxprocs: v('gomaxprocs') };
  }

  private fill(t: SettingsText): void { for (const [k, input] of this.inputs) input.value = t[k]; }

  private saveText(): void { this.save({ text: this.text() }); }

  private save(patch: Partial<SavedWhatIf>): void {
    this.saved.save({ whatif: { ...this.saved.value.whatif, ...patch } });
  }
}
