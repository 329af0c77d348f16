// `golens tags`: pprof's -tags, per label key the kept samples' values by label value, printed
// as pprof prints them (its tabwriter aligns right, one space of padding), or as JSON.
import { profileFromFile } from '../core/artifacts/profiles';
import { printable } from '../core/format';
import { labelTables, type LabelTables } from '../core/pprof/labeltable';
import { merge } from '../core/pprof/merge';
import { stacks } from '../core/pprof/stacks';
import { percentage, scaledLabel } from '../core/pprof/units';
import { one, parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';
import { COMMON, filtersOf, pickSample } from './top';

export function cmdTags(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { ...COMMON, values: [...COMMON.values, 'key'] });
  if (a.positional.length === 0) throw new UsageError('tags needs a profile file');
  const prof = merge(a.positional.map((p) => profileFromFile(p, decodeOptions)));
  const si = pickSample(prof, one(a, 'sample'));
  const key = one(a, 'key');
  const t = labelTables(stacks(prof, si, filtersOf(a)), 'minimum', key);
  if (key !== undefined && t.keys.length === 0) {
    throw new UsageError(`no sample has the label ${JSON.stringify(key)} (this profile's keys: ${labelTables(stacks(prof, si), 'minimum').keys.map((k) => k.key).join(', ') || 'none'})`);
  }
  const st = prof.sampleTypes[si];
  if (a.bools.has('json')) {
    out(JSON.stringify({ sampleType: st.type, unit: st.unit, total: t.total, keys: t.keys }) + '\n');
  } else {
    out(tagsText(t, st.unit));
  }
}

/** pprof's -tags text for a table of label values. */
export function tagsText(t: LabelTables, unit: string): string {
  const fmt = (v: number) => scaledLabel(v, unit, 'minimum');
  let s = '';
  for (const k of t.keys) {
    const head = t.total > 0
      ? ` Total ${fmt(k.total)} of ${fmt(t.total)} (${percentage(k.total, t.total)})`
      : ` Total ${fmt(k.total)} of ${fmt(t.total)}`;
    const cells = k.rows.map((r) => [t.total > 0 ? `${fmt(r.total)} (${percentage(r.total, t.total)}):` : `${fmt(r.total)}:`, ` ${printable(r.value)}`]);
    // Column 0 holds "key:" and the rows' empty cell; column 1 only the rows' numbers.
    const w0 = Math.max(width(`${printable(k.key)}:`), width(' ')) + 1;
    const w1 = Math.max(0, ...cells.map((c) => width(c[0]))) + 1;
    s += `${pad(`${printable(k.key)}:`, w0)}${head}\n`;
    for (const [num, name] of cells) s += `${pad(' ', w0)}${pad(num, w1)}${name}\n`;
    s += '\n';
  }
  return s;
}

const width = (s: string) => [...s].length;
const pad = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;
