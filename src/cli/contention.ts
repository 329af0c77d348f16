// `golens contention <file>... [--json]`: lock contention from execution traces (waiter and
// releaser of every wait), mutex profiles (releasers) and block profiles (waiters), in any mix.
import {
  contentionFindings, contentionFromProfiles, formatNs, mergeContention, profileSide, TraceContention,
  type ContentionReport, type WaitSite,
} from '../core/analysis/contention';
import type { Finding, Site } from '../core/analysis/finding';
import { FormatError } from '../core/errors';
import { decodeProfile } from '../core/pprof/decode';
import type { Profile } from '../core/pprof/model';
import { parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';
import { inputKind, readAll, readTrace, withPath } from './inputkind';

interface Inputs {
  traces: { path: string; report: ContentionReport }[];
  block: { path: string; profile: Profile }[];
  mutex: { path: string; profile: Profile }[];
}

export function traceContention(path: string): ContentionReport {
  let analysis: TraceContention | undefined;
  const end = readTrace(path, (r) => { analysis = new TraceContention(r.strings, r.stacks); }, (ev) => analysis!.add(ev));
  return analysis!.finish(end);
}

function readInput(path: string, into: Inputs): void {
  const kind = inputKind(path);
  if (kind === 'trace') {
    into.traces.push({ path, report: traceContention(path) });
    return;
  }
  if (kind === 'profile') {
    withPath(path, () => {
      const profile = decodeProfile(readAll(path), decodeOptions);
      (profileSide(profile) === 'mutex' ? into.mutex : into.block).push({ path, profile });
    });
    return;
  }
  throw new FormatError(
    `${path}: ${kind === 'empty' ? 'the file is empty' : kind === 'schedtrace' ? 'a schedtrace log has no lock contention' : 'not an execution trace or a mutex/block profile'}`,
    undefined, 'give an execution trace (runtime/trace), a mutex profile or a block profile',
  );
}

function profileReport(inputs: Inputs): ContentionReport {
  return contentionFromProfiles(inputs.block.map((b) => b.profile), inputs.mutex.map((m) => m.profile), {
    block: inputs.block.map((b) => b.path), mutex: inputs.mutex.map((m) => m.path),
  });
}

function reportOf(inputs: Inputs): ContentionReport {
  const parts = inputs.traces.map((t) => t.report);
  if (inputs.block.length || inputs.mutex.length) parts.push(profileReport(inputs));
  return mergeContention(parts);
}

/** The whole report for files given on the command line (throws on any bad one). */
export function contentionReport(paths: string[]): ContentionReport {
  const inputs: Inputs = { traces: [], block: [], mutex: [] };
  for (const p of paths) readInput(p, inputs);
  return reportOf(inputs);
}

/**
 * The report over those of the files that are traces or mutex/block profiles (what
 * `golens contention` gives on them); the others are passed to `skipped` with why.
 */
export function contentionReportOf(paths: string[], skipped: (path: string, why: string) => void): { report: ContentionReport; traces: string[] } {
  const inputs: Inputs = { traces: [], block: [], mutex: [] };
  for (const p of paths) {
    try {
      readInput(p, inputs);
    } catch (e) {
      if (e instanceof FormatError || e instanceof UsageError) { skipped(p, e.message); continue; }
      throw e;
    }
  }
  return { report: reportOf(inputs), traces: inputs.traces.map((t) => t.path) };
}

/** Contention findings for `golens report`: files that are not traces or mutex/block profiles are skipped. */
export function contentionFindingsFromFiles(paths: string[]): Finding[] {
  const inputs: Inputs = { traces: [], block: [], mutex: [] };
  for (const p of paths) {
    try {
      readInput(p, inputs);
    } catch (e) {
      if (e instanceof FormatError || e instanceof UsageError) continue;
      throw e;
    }
  }
  const out: Finding[] = [];
  for (const t of inputs.traces) out.push(...contentionFindings(t.report, t.path));
  if (inputs.block.length || inputs.mutex.length) out.push(...contentionFindings(profileReport(inputs), inputs.block.concat(inputs.mutex).map((x) => x.path).join(', ')));
  return out;
}

function siteJson(s: Site | null) {
  return s ? { function: s.function, file: s.file, line: s.line } : null;
}

function siteOut(s: WaitSite) {
  return {
    waitNs: s.waitNs, count: s.count, waiter: siteJson(s.waiter), releaser: siteJson(s.releaser), kind: s.kind, source: s.source,
    ...(s.maxNs !== undefined ? { maxNs: s.maxNs } : {}),
    ...(s.convoy ? { convoy: { max: s.convoy.max, mean: Number(s.convoy.mean.toFixed(3)), spanNs: s.convoy.spanNs } } : {}),
    ...(s.unreleased ? { unreleased: s.unreleased } : {}),
    ...(s.releaserNs !== undefined ? { releaserNs: s.releaserNs, releaserCount: s.releaserCount } : {}),
    ...(s.releasers && s.releasers.length > 1 ? { releasers: s.releasers.map((r) => ({ ...r, site: siteJson(r.site) })) } : {}),
    ...(s.inputs ? { inputs: s.inputs } : {}),
  };
}

function short(s: Site | null): string {
  if (!s) return '?';
  return `${s.function} ${s.file.slice(s.file.lastIndexOf('/') + 1)}:${s.line}`;
}

function table(title: string, sites: WaitSite[], arrow: string): string[] {
  if (!sites.length) return [`${title}: none`];
  const total = sites.reduce((a, s) => a + s.waitNs, 0);
  const lines = [`${title}: ${sites.length} site${sites.length === 1 ? '' : 's'}, ${formatNs(total)} waited`];
  lines.push(`${'wait'.padStart(9)} ${'waits'.padStart(7)} ${'max'.padStart(9)} ${'convoy'.padStart(9)}  ${'kind'.padEnd(12)} waiter ${arrow} releaser`);
  for (const s of sites) {
    const convoy = s.convoy ? `${s.convoy.max}/${s.convoy.mean.toFixed(1)}` : '';
    const extra = [
      s.unreleased ? `${s.unreleased} still waiting at the end` : '',
      s.releasers && s.releasers.length > 1 ? `${s.releasers.length} releasers` : '',
      s.source !== 'trace' ? s.source : '',
    ].filter(Boolean).join('; ');
    lines.push(
      `${formatNs(s.waitNs).padStart(9)} ${String(s.count).padStart(7)} ${(s.maxNs !== undefined ? formatNs(s.maxNs) : '').padStart(9)} ${convoy.padStart(9)}  ${s.kind.padEnd(12)} ${short(s.waiter)} ${arrow} ${short(s.releaser)}${extra ? `  (${extra})` : ''}`,
    );
  }
  return lines;
}

export function cmdContention(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { booleans: ['json'] });
  if (a.positional.length === 0) throw new UsageError('contention needs a trace, a mutex profile or a block profile');
  const r = contentionReport(a.positional);
  if (a.bools.has('json')) {
    out(JSON.stringify({ sites: r.sites.map(siteOut), channels: r.channels.map(siteOut), runtime: r.runtime, traceNs: r.traceNs }) + '\n');
    return;
  }
  const lines = [`File: ${a.positional.join(', ')}`];
  if (r.traceNs) lines.push(`Trace: ${formatNs(r.traceNs)}`);
  lines.push('', ...table('Lock contention', r.sites, '←'), '', ...table('Channel waits', r.channels, '←'));
  if (r.runtime.count) lines.push('', `Runtime-internal waiting (its own goroutines, locks and semaphores): ${formatNs(r.runtime.waitNs)} in ${r.runtime.count} waits`);
  lines.push('', 'convoy = most goroutines waiting at that site at once / mean while any waited; ← = woken by');
  out(lines.join('\n') + '\n');
}
