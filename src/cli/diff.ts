// `golens diff <base> <new>`: the difference of two profiles (pprof's -diff_base, with top's
// filters, granularities and sample types), or of two traces. A module of its own so that
// `golens top` does not load the trace diff (and the trace decoders behind it).
import { diffKind, traceDiffFrom } from '../core/artifacts/tracediff';
import { profileFromFile } from '../core/artifacts/profiles';
import { printable } from '../core/format';
import { diff } from '../core/pprof/diff';
import { scaledLabel } from '../core/pprof/units';
import { one, parseArgs, UsageError } from './args';
import { diffTable } from './format';
import { decodeOptions } from './limits';
import { COMMON, filtersOf, granularityOf, limitOf, pickSample } from './top';
import { traceDiffJson, traceDiffText } from './tracediff';

export function cmdDiff(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { ...COMMON, booleans: ['json', 'normalize'] });
  if (a.positional.length !== 2) throw new UsageError('diff needs exactly two profiles or two traces: <base> <new>');
  // Two traces: the trace diff (its own numbers; the profile options do not apply).
  if (diffKind(a.positional[0], a.positional[1], decodeOptions) === 'traces') {
    const r = traceDiffFrom(a.positional[0], a.positional[1], decodeOptions);
    out(a.bools.has('json') ? JSON.stringify(traceDiffJson(r)) + '\n' : traceDiffText(r));
    return;
  }
  const [base, next] = a.positional.map((p) => profileFromFile(p, decodeOptions));
  const si = pickSample(next, one(a, 'sample'));
  const g = granularityOf(a);
  const res = diff(base, next, { sampleIndex: si, normalize: a.bools.has('normalize'), granularity: g, filters: filtersOf(a) });
  const rows = res.rows.slice(0, limitOf(a));
  const st = next.sampleTypes[si];
  if (a.bools.has('json')) {
    out(JSON.stringify({
      sampleType: st.type, unit: st.unit, baseTotal: res.baseTotal, newTotal: res.newTotal,
      rows: rows.map((r) => ({ name: r.name, function: r.function, ...(g === 'lines' ? { file: r.file, line: r.line } : {}), flat: r.flat, cum: r.cum })),
    }) + '\n');
  } else {
    const h = [`Base: ${printable(a.positional[0])}`, `New:  ${printable(a.positional[1])}${a.bools.has('normalize') ? ' (normalized)' : ''}`, `Type: ${printable(st.type)}`,
      `Base total ${scaledLabel(res.baseTotal, st.unit, 'auto')}, new total ${scaledLabel(res.newTotal, st.unit, 'auto')}; percentages of the base total`];
    out(diffTable(rows, res.baseTotal, st.unit, h));
  }
}
