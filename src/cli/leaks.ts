// `golens leaks <file>... [--json]`: goroutine leaks from execution traces, goroutine and
// goroutineleak profiles and text goroutine dumps, each file's kind read from its content.
// Two or more goroutine profiles or dumps are snapshots over time (growth per site).
import { analyzeLeaks, goroutineProfileKind, leakFindings, leakRowJson, PATTERN_ADVICE, type LeakInput, type LeakRow } from '../core/analysis/leaks';
import type { Finding } from '../core/analysis/finding';
import { FormatError, preview } from '../core/errors';
import { decodeProfile, gunzip, isGzip } from '../core/pprof/decode';
import { profileKind } from '../core/pprof/model';
import { scaledLabel } from '../core/pprof/units';
import { replay } from '../core/runtime/replay';
import { looksLikeGoroutineDump, parseGoroutineDump } from '../core/text/goroutines';
import { openTrace, traceVersion } from '../core/trace/open';
import { parseArgs, UsageError } from './args';
import { head, openSource, readAll } from './inputkind';
import { decodeOptions } from './limits';

const READS = 'leaks reads execution traces, goroutine and goroutineleak profiles, and text goroutine dumps';

/**
 * A file that holds no goroutines for leaks to read: another kind of profile, a text file
 * that is not a goroutine dump. `golens leaks` throws `error`; `golens report` skips it.
 */
export interface OtherInput {
  kind: 'other';
  source: string;
  error: FormatError | UsageError;
}

/** A file's content as a leak input, its kind read from the content, not the name. Throws FormatError for broken files. */
export function readLeakInput(path: string): LeakInput | OtherInput {
  const first = head(path, 16);
  try {
    if (traceVersion(first) !== undefined) {
      const src = openSource(path);
      try {
        return { kind: 'trace', source: path, model: replay(openTrace(src)) };
      } finally {
        src.close();
      }
    }
    const bytes = readAll(path);
    if (bytes.length === 0) throw new FormatError('empty file', 0, READS);
    const raw = isGzip(bytes) ? gunzip(bytes, decodeOptions) : bytes;
    if (looksLikeText(raw)) {
      const text = new TextDecoder().decode(raw);
      if (/^\s*goroutine profile: total \d+/.test(text)) {
        return other(path, new FormatError('a debug=1 goroutine profile has no wait reasons', 0,
          'capture /debug/pprof/goroutine?debug=2 (a dump) or without ?debug= (a protobuf profile)'));
      }
      if (!looksLikeGoroutineDump(text)) {
        return other(path, new FormatError('not a goroutine dump, a pprof profile or an execution trace', 0, `it starts with ${preview(raw, 24)}; ${READS}`));
      }
      return { kind: 'dump', source: path, dump: parseGoroutineDump(text) };
    }
    const profile = decodeProfile(raw);
    if (!goroutineProfileKind(profile)) return other(path, new UsageError(`${path}: a ${profileKind(profile)} profile holds no goroutines; ${READS}`));
    return { kind: 'profile', source: path, profile };
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${path}: ${e.what}`, e.offset, e.hint);
    throw e;
  }
}

function other(path: string, error: FormatError | UsageError): OtherInput {
  return { kind: 'other', source: path, error: error instanceof FormatError ? new FormatError(`${path}: ${error.what}`, error.offset, error.hint) : error };
}

/** Leak rows for the files (see analyzeLeaks); a file leaks cannot read is an error (FormatError or UsageError). */
export function leakRowsFromFiles(paths: string[]): LeakRow[] {
  const inputs: LeakInput[] = [];
  for (const p of paths) {
    const input = readLeakInput(p);
    if (input.kind === 'other') throw input.error;
    inputs.push(input);
  }
  return analyzeLeaks(inputs);
}

/**
 * For `golens report`: leak findings from whichever files hold goroutines (traces, goroutine
 * and goroutineleak profiles, dumps); other files (CPU or heap profiles, gctrace and
 * schedtrace logs…) are skipped. Throws FormatError for broken files.
 */
export function leakFindingsFromFiles(paths: string[]): Finding[] {
  const inputs: LeakInput[] = [];
  for (const p of paths) {
    const input = readLeakInput(p);
    if (input.kind !== 'other') inputs.push(input);
  }
  return inputs.length ? leakFindings(analyzeLeaks(inputs)) : [];
}

export function cmdLeaks(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { booleans: ['json'] });
  if (a.positional.length === 0) throw new UsageError('leaks needs at least one file: an execution trace, goroutine profiles or dumps, a goroutineleak profile');
  const rows = leakRowsFromFiles(a.positional);
  if (a.bools.has('json')) {
    out(JSON.stringify({ leaks: rows.map(leakRowJson) }) + '\n');
    return;
  }
  out(leaksTable(rows, a.positional));
}

export function leaksTable(rows: LeakRow[], files: string[]): string {
  const lines = [`File${files.length === 1 ? '' : 's'}: ${files.join(', ')}`];
  if (rows.length === 0) {
    lines.push('No goroutine leaks: no goroutine is parked on a channel, select, lock or Cond (running, runnable, sleeping and I/O-waiting ones are not leaks).');
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
      blocked = scaledLabel(r.blockedNs, 'nanoseconds', 'auto');
      if (r.traceShare !== undefined) blocked += ` (${Math.round(r.traceShare * 100)}%)`;
    }
    table.push([
      String(r.count) + (r.growth ? ` (${r.growth.join('→')})` : ''),
      r.confidence,
      r.reason,
      `${r.blockedAt.function} ${shortFile(r.blockedAt.file)}:${r.blockedAt.line}`,
      r.createdAt ? `${r.createdAt.function} ${shortFile(r.createdAt.file)}:${r.createdAt.line}` : r.goLine !== undefined ? `go statement ${shortFile(r.goFile ?? '')}:${r.goLine}` : '-',
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
  return lines.join('\n') + '\n';
}

/** The last two path elements: enough to find the file, short enough for a table. */
function shortFile(file: string): string {
  const parts = file.split('/');
  return parts.slice(-2).join('/');
}

/** No control bytes other than tab, newline and carriage return in the first 512: a text file, not protobuf. */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return false;
    if (c === 127) return false;
  }
  return n > 0;
}
