// The filter row: pprof's focus / ignore / hide / show regexps and tagfocus / tagignore
// label filters, checked here with core's own parsers so a bad regexp is an inline error.
import type { ViewFilters } from '../../src/protocol/profile';
import { compileGoRegexp } from '../../src/core/pprof/regexp';
import { tagMatcher } from '../../src/core/pprof/tags';
import { el } from '../shared/vscode';

export interface FilterState {
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  /** Several label filters are separated by ";". */
  tagFocus?: string;
  tagIgnore?: string;
}

type Key = keyof FilterState;

const FIELDS: { key: Key; label: string; title: string; tag?: boolean }[] = [
  { key: 'focus', label: 'Focus', title: 'Keep only samples with a frame matching this regexp (pprof -focus)' },
  { key: 'ignore', label: 'Ignore', title: 'Drop samples with a frame matching this regexp (pprof -ignore)' },
  { key: 'hide', label: 'Hide', title: 'Remove frames matching this regexp from the stacks (pprof -hide)' },
  { key: 'show', label: 'Show', title: 'Keep only frames matching this regexp in the stacks (pprof -show)' },
  { key: 'tagFocus', label: 'Tag focus', title: 'Keep samples whose labels match: key=regexp, or a numeric range like bytes=1kb: (pprof -tagfocus); several separated by ;', tag: true },
  { key: 'tagIgnore', label: 'Tag ignore', title: 'Drop samples whose labels match: key=regexp (pprof -tagignore); several separated by ;', tag: true },
];

export function splitTags(s: string | undefined): string[] {
  return (s ?? '').split(';').map((t) => t.trim()).filter(Boolean);
}

/** The filters core takes; throws RegexpError (or RangeError) for what it would reject. */
export function toFilters(f: FilterState): ViewFilters {
  const out: ViewFilters = {};
  for (const k of ['focus', 'ignore', 'hide', 'show'] as const) {
    const v = f[k]?.trim();
    if (v) { compileGoRegexp(v, k); out[k] = v; }
  }
  const tf = splitTags(f.tagFocus), ti = splitTags(f.tagIgnore);
  for (const t of tf) tagMatcher(t, 'tagfocus');
  for (const t of ti) tagMatcher(t, 'tagignore');
  if (tf.length) out.tagFocus = tf;
  if (ti.length) out.tagIgnore = ti;
  return out;
}

export class FilterBar {
  readonly element: HTMLElement;
  private readonly inputs = new Map<Key, HTMLInputElement>();
  private readonly error = el('span', { id: 'filter-error', class: 'filter-error', role: 'alert' });
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(initial: FilterState, labelKeys: string[], private readonly onApply: (f: FilterState, filters: ViewFilters) => void) {
    const keys = el('datalist', { id: 'label-keys' }, ...labelKeys.map((k) => el('option', { value: `${k}=` })));
    const fields = FIELDS.map((f) => {
      const input = el('input', {
        id: `filter-${f.key}`, type: 'text', class: 'filter', spellcheck: 'false', autocomplete: 'off',
        placeholder: f.tag ? (labelKeys.length ? `${labelKeys[0]}=regexp` : 'no labels') : 'regexp', title: f.title, 'aria-label': `${f.label} (${f.title})`,
        ...(f.tag ? { list: 'label-keys' } : {}),
      });
      input.value = initial[f.key] ?? '';
      if (f.tag && labelKeys.length === 0 && !input.value) input.disabled = true;
      input.addEventListener('input', () => { clearTimeout(this.timer); this.timer = setTimeout(() => this.apply(), 400); });
      input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); this.apply(); } });
      this.inputs.set(f.key, input);
      return el('label', { class: 'filter-field' }, f.label, input);
    });
    const clear = el('button', { id: 'filter-clear', title: 'Remove every filter' }, 'Clear');
    clear.addEventListener('click', () => { for (const i of this.inputs.values()) i.value = ''; this.apply(); });
    this.element = el('div', { class: 'filterbar', role: 'group', 'aria-label': 'Filters' }, ...fields, clear, keys, this.error);
    this.check();
  }

  state(): FilterState {
    const s: FilterState = {};
    for (const [k, i] of this.inputs) if (i.value.trim()) s[k] = i.value;
    return s;
  }

  /** Marks the first bad field; the filters when all are good. */
  check(): ViewFilters | undefined {
    for (const i of this.inputs.values()) i.removeAttribute('aria-invalid');
    const s = this.state();
    for (const f of FIELDS) {
      try {
        toFilters({ [f.key]: s[f.key] });
      } catch (e) {
        this.inputs.get(f.key)!.setAttribute('aria-invalid', 'true');
        this.error.textContent = (e as Error).message;
        return undefined;
      }
    }
    this.error.textContent = '';
    return toFilters(s);
  }

  /** An error the host reported for these filters. */
  showError(message: string): void {
    this.error.textContent = message;
  }

  /** Sets one field (the call graph's node focus) and applies the row. */
  set(key: Key, value: string): void {
    const input = this.inputs.get(key);
    if (input) input.value = value;
    this.apply();
  }

  apply(): void {
    clearTimeout(this.timer);
    const filters = this.check();
    if (filters) this.onApply(this.state(), filters);
  }
}
