// `golens peek`: pprof's -peek, the callers and callees of every function a Go regexp matches,
// with the call edge weights, in pprof's table (or as JSON).
import { profileFromFile } from '../core/artifacts/profiles';
import { printable } from '../core/format';
import { merge } from '../core/pprof/merge';
import { peek, type PeekEdge, type PeekResult } from '../core/pprof/peek';
import { compileGoRegexp } from '../core/pprof/regexp';
import { stacks } from '../core/pprof/stacks';
import { outputUnit, percentage, scaledLabel } from '../core/pprof/units';
import { parseArgs, one, UsageError } from './args';
import { COMMON, filtersOf, granularityOf, header, pickSample } from './top';
import { decodeOptions } from './limits';

const SEPARATOR = '----------------------------------------------------------+-------------';
// pprof's legend, tabs and trailing spaces included.
const LEGEND = '      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ';

/**
 * pprof's -peek table: per matching node its callers, itself, its callees. `unit` is the sample
 * unit; `out` the unit shown ("minimum": pprof's choice from the smallest value in the graph).
 */
export function peekTable(res: PeekResult, unit: string, header: string[], out = 'minimum'): string {
  const shownUnit = out === 'minimum' ? outputUnit(res.minValue, res.total, unit) : out;
  const fmt = (v: number) => scaledLabel(v, unit, shownUnit);
  const lines = [...header, `Showing nodes accounting for ${fmt(res.shown)}, ${percentage(res.shown, res.total).trim()} of ${fmt(res.total)} total`];
  lines.push(SEPARATOR, LEGEND);
  const edge = (e: PeekEdge, cum: number) => `${fmt(e.value).padStart(50)} ${percentage(e.value, cum)} |   ${printable(e.name)}${e.inline ? ' (inline)' : ''}`;
  let sum = 0;
  for (const n of res.entries) {
    lines.push(SEPARATOR);
    for (const e of n.callers) lines.push(edge(e, n.cum));
    sum += n.flat;
    lines.push(`${fmt(n.flat).padStart(10)} ${percentage(n.flat, res.total)} ${percentage(sum, res.total)} ${fmt(n.cum).padStart(10)} ${percentage(n.cum, res.total)}                | ${printable(n.name)}`);
    for (const e of n.callees) lines.push(edge(e, n.cum));
  }
  lines.push(SEPARATOR);
  return lines.join('\n') + '\n';
}

export function cmdPeek(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { ...COMMON, values: COMMON.values.filter((v) => v !== 'nodecount'), aliases: { s: 'sample' } });
  if (a.positional.length < 2) throw new UsageError('peek needs one or more profiles and then a regular expression, e.g. golens peek cpu.pprof \'main\\.work$\'');
  const files = a.positional.slice(0, -1);
  const source = a.positional[a.positional.length - 1];
  const re = compileGoRegexp(source, 'peek');
  const prof = merge(files.map((p) => profileFromFile(p, decodeOptions)));
  const si = pickSample(prof, one(a, 'sample'));
  const g = granularityOf(a);
  const res = peek(stacks(prof, si, filtersOf(a)), re, g);
  if (res.entries.length === 0) {
    throw new UsageError(`peek: no ${g === 'lines' ? 'line' : 'function'} matches ${JSON.stringify(source)} in ${files.join(', ')}; the regexp is matched against the names golens top prints`);
  }
  const st = prof.sampleTypes[si];
  if (a.bools.has('json')) {
    const edges = (l: PeekEdge[]) => l.map((e) => ({ name: e.name, value: e.value, ...(e.inline ? { inline: true } : {}) }));
    out(JSON.stringify({
      sampleType: st.type, unit: st.unit, total: res.total, regexp: source,
      functions: res.entries.map((n) => ({
        function: n.name, file: n.file, ...(g === 'lines' ? { line: n.line } : {}), flat: n.flat, cum: n.cum,
        callers: edges(n.callers), callees: edges(n.callees),
      })),
    }) + '\n');
  } else {
    out(peekTable(res, st.unit, header(prof, files, si)));
  }
}
