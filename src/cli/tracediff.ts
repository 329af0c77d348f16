// `golens diff <a.trace> <b.trace> [--json]`: two traces of one program as numbers, the
// differences ranked by their weight in wall time (README: "Comparing two traces").
import { formatDelta, formatRelative, formatValue, type DiffRow, type TraceDiffResult } from '../core/analysis/tracediff';
import { formatNs, formatShare, printable } from '../core/format';

/** The JSON form (README documents it): sides, the longer wall time, the ranked rows. */
export function traceDiffJson(r: TraceDiffResult): Record<string, unknown> {
  return {
    kind: 'trace diff', base: r.base, new: r.new, wallNs: r.wallNs, changed: r.changed,
    rows: r.rows.map((x) => ({
      rank: x.rank, id: x.id, group: x.group, metric: x.metric, unit: x.unit, base: x.base, new: x.new, delta: x.delta,
      relative: x.relative, impact: x.impact, ...(x.site ? { site: x.site } : {}),
    })),
  };
}

/** A row's label: a metric, or a blocking site with its lines and how it was matched. */
export function rowLabel(x: DiffRow): string {
  if (!x.site) return x.metric;
  const s = x.site;
  const file = s.file.split('/').pop() ?? s.file;
  const lines = s.baseLines.join(',') === s.newLines.join(',') || !s.baseLines.length || !s.newLines.length
    ? (s.baseLines.length ? s.baseLines : s.newLines).join(',')
    : `${s.baseLines.join(',')}→${s.newLines.join(',')}`;
  const how = s.matchedBy === 'line' ? '' : `  [${s.matchedBy === 'function' ? 'matched by function' : s.matchedBy}]`;
  return `${x.metric}: ${printable(s.function || '(unknown)')} (${printable(file)}:${lines}) ${s.baseCount}→${s.newCount} waits${how}`;
}

export function traceDiffText(r: TraceDiffResult): string {
  const L = [
    `Base: ${printable(r.base.path)} (${printable(r.base.format)})`,
    `New:  ${printable(r.new.path)} (${printable(r.new.format)})`,
    `${r.changed} of ${r.rows.length} numbers differ; ranked by impact = the change's weight in wall time, as a share of the longer trace (${formatNs(r.wallNs)})`,
    '',
    `${'#'.padStart(3)} ${'impact'.padStart(7)} ${'base'.padStart(10)} ${'new'.padStart(10)} ${'change'.padStart(11)} ${'rel'.padStart(7)}  what`,
  ];
  for (const x of r.rows) {
    L.push(`${String(x.rank).padStart(3)} ${(x.impact === null ? '' : formatShare(x.impact)).padStart(7)} ${formatValue(x.base, x.unit).padStart(10)} ${formatValue(x.new, x.unit).padStart(10)} ` +
      `${formatDelta(x.delta, x.unit).padStart(11)} ${formatRelative(x.relative).padStart(7)}  ${rowLabel(x)}`);
  }
  L.push('', 'impact: time totals and maxima as they are, a percentile or maximum as one event of that change, GC CPU share × GOMAXPROCS; counts and bytes have none (ranked after, by relative change)');
  return L.join('\n') + '\n';
}
