// `golens leaks <file>... [--json]`: goroutine leaks from execution traces, goroutine and
// goroutineleak profiles and text goroutine dumps, each file's kind read from its content.
// Two or more goroutine profiles or dumps are snapshots over time (growth per site).
import { censusLines, connectionLines, leakRowJson, PATTERN_ADVICE, type LeakCensus, type LeakRow } from '../core/analysis/leaks';
import { leakReportFrom } from '../core/artifacts/leaks';
import { formatNs, formatShare, printable } from '../core/format';
import { parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

export function cmdLeaks(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { booleans: ['json'] });
  if (a.positional.length === 0) throw new UsageError('leaks needs at least one file: an execution trace, goroutine profiles or dumps, a goroutineleak profile');
  const { rows, census } = leakReportFrom(a.positional, decodeOptions);
  if (a.bools.has('json')) {
    out(JSON.stringify({ leaks: rows.map(leakRowJson), seen: census }) + '\n');
    return;
  }
  out(leaksTable(rows, a.positional, census));
}

export function leaksTable(rows: LeakRow[], files: string[], census?: LeakCensus): string {
  const lines = [`File${files.length === 1 ? '' : 's'}: ${printable(files.join(', '))}`];
  if (rows.length === 0) {
    lines.push('No goroutine leaks: none of the program\'s goroutines is parked on a channel, select, lock or Cond (running, runnable, sleeping and I/O-waiting ones are not leaks).');
    if (census) lines.push(...censusLines(census).map((l) => `  ${printable(l)}`));
    return lines.join('\n') + '\n';
  }
  const total = rows.reduce((n, r) => n + r.count, 0);
  const by = (c: string) => rows.filter((r) => r.confidence === c).reduce((n, r) => n + r.count, 0);
  const conf = ['proven', 'likely', 'possible'].map((c) => [c, by(c)] as const).filter(([, n]) => n > 0).map(([c, n]) => `${n} ${c}`).join(', ');
  lines.push(`${total} goroutine${total === 1 ? '' : 's'} at ${rows.length} leak site${rows.length === 1 ? '' : 's'} (${conf})`, '');
  const table = [['Goroutines', 'Confidence', 'Reason', 'Blocked at', 'Created at', 'Blocked for', 'Pattern']];
  for (const r of rows) {
    let blocked = '';
    if (r.blockedNs !== undefined) {
      blocked = formatNs(r.blockedNs);
      if (r.traceShare !== undefined) blocked += ` (${formatShare(r.traceShare)})`;
    }
    table.push([
      String(r.count) + (r.growth ? ` (${r.growth.join('→')})` : ''),
      r.confidence,
      printable(r.reason),
      printable(`${r.blockedAt.function} ${shortFile(r.blockedAt.file)}:${r.blockedAt.line}`),
      printable(r.createdAt ? `${r.createdAt.function} ${shortFile(r.createdAt.file)}:${r.createdAt.line}` : r.goLine !== undefined ? `go statement ${shortFile(r.goFile ?? '')}:${r.goLine}` : '-'),
      blocked || '-',
      r.pattern ?? '-',
    ]);
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) {
    lines.push(row.map((cell, c) => (c === 0 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
  }
  const patterns = [...new Set(rows.map((r) => r.pattern).filter((p) => p !== undefined))];
  if (patterns.length) {
    lines.push('');
    for (const p of patterns) lines.push(`${p}: ${PATTERN_ADVICE[p]}`);
  }
  const conns = census ? connectionLines(census) : [];
  if (conns.length) lines.push('', ...conns.map(printable));
  return lines.join('\n') + '\n';
}

/** The last two path elements: enough to find the file, short enough for a table. */
function shortFile(file: string): string {
  const parts = file.split('/');
  return parts.slice(-2).join('/');
}
