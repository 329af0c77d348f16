// `golens contention <file>... [--json]`: lock contention from execution traces (waiter and
// releaser of every wait), mutex profiles (releasers) and block profiles (waiters), in any mix.
import type { WaitSite } from '../core/analysis/contention';
import { formatNs, siteLabel } from '../core/format';
import type { Site } from '../core/analysis/finding';
import { contentionFrom } from '../core/artifacts/contention';
import { printable } from '../core/format';
import { parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

function siteJson(s: Site | null) {
  return s ? { function: s.function, file: s.file, line: s.line } : null;
}

function siteOut(s: WaitSite) {
  return {
    waitNs: s.untimed ? null : s.waitNs, count: s.uncounted ? null : s.count, ...(s.uncounted ? { uncounted: true } : {}), ...(s.untimed ? { untimed: true } : {}), waiter: siteJson(s.waiter), releaser: siteJson(s.releaser), kind: s.kind, source: s.source,
    ...(s.maxNs !== undefined ? { maxNs: s.maxNs } : {}),
    ...(s.convoy ? { convoy: { max: s.convoy.max, mean: Number(s.convoy.mean.toFixed(3)), spanNs: s.convoy.spanNs } } : {}),
    ...(s.unreleased ? { unreleased: s.unreleased } : {}),
    ...(s.releaserNs !== undefined ? { releaserNs: s.releaserNs, releaserCount: s.releaserCount } : {}),
    ...(s.releasers && s.releasers.length > 1 ? { releasers: s.releasers.map((r) => ({ ...r, site: siteJson(r.site) })) } : {}),
    ...(s.inputs ? { inputs: s.inputs } : {}),
  };
}

function table(title: string, sites: WaitSite[], arrow: string): string[] {
  if (!sites.length) return [`${title}: none`];
  const total = sites.reduce((a, s) => a + s.waitNs, 0);
  const waits = sites.reduce((a, s) => a + s.count, 0);
  const sum = sites.every((s) => s.untimed) ? `${waits} waits` : `${formatNs(total)} waited`;
  const lines = [`${title}: ${sites.length} site${sites.length === 1 ? '' : 's'}, ${sum}`];
  lines.push(`${'wait'.padStart(9)} ${'waits'.padStart(7)} ${'max'.padStart(9)} ${'convoy'.padStart(9)}  ${'kind'.padEnd(12)} waiter ${arrow} releaser`);
  for (const s of sites) {
    const convoy = s.convoy ? `${s.convoy.max}/${s.convoy.mean.toFixed(1)}` : '';
    const extra = [
      s.unreleased ? `${s.unreleased} still waiting at the end` : '',
      s.releasers && s.releasers.length > 1 ? `${s.releasers.length} releasers` : '',
      s.source !== 'trace' ? s.source : '',
    ].filter(Boolean).join('; ');
    lines.push(
      `${(s.untimed ? '—' : formatNs(s.waitNs)).padStart(9)} ${(s.uncounted ? '—' : String(s.count)).padStart(7)} ${(s.maxNs !== undefined ? formatNs(s.maxNs) : '').padStart(9)} ${convoy.padStart(9)}  ${s.kind.padEnd(12)} ${siteLabel(s.waiter)} ${arrow} ${siteLabel(s.releaser)}${extra ? `  (${extra})` : ''}`,
    );
  }
  return lines;
}

export function cmdContention(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { booleans: ['json'] });
  if (a.positional.length === 0) throw new UsageError('contention needs a trace, a mutex profile or a block profile');
  const r = contentionFrom(a.positional, decodeOptions);
  if (a.bools.has('json')) {
    out(JSON.stringify({ sites: r.sites.map(siteOut), channels: r.channels.map(siteOut), runtime: r.runtime, ...(r.foreign ? { foreign: r.foreign } : {}), traceNs: r.traceNs }) + '\n');
    return;
  }
  const lines = [`File: ${printable(a.positional.join(', '))}`];
  if (r.traceNs) lines.push(`Trace: ${formatNs(r.traceNs)}`);
  lines.push('', ...table('Lock contention', r.sites, '←'), '', ...table('Channel waits', r.channels, '←'));
  if (r.runtime.waitNs || r.runtime.count) lines.push('', `Runtime-internal waiting (its own goroutines, locks and semaphores): ${formatNs(r.runtime.waitNs)}${r.runtime.count ? ` in ${r.runtime.count} waits` : ''}`);
  if (r.foreign) {
    const what = [r.foreign.waitNs ? formatNs(r.foreign.waitNs) : '', r.foreign.count ? `${r.foreign.count} waits` : ''].filter(Boolean).join(' in ');
    lines.push('', `Waiting in stacks with no Go frame (no runtime or sync function: a Java, .NET or C++ lock profile, or a binary without symbols): ${what || 'none'}. ` +
      'GoLens places waits by Go\'s lock APIs; `golens top` shows where these happened.');
  }
  lines.push('', 'convoy = most goroutines waiting at that site at once / mean while any waited; ← = woken by');
  if ([...r.sites, ...r.channels].some((s) => s.uncounted)) lines.push('waits — = the profile records how long was waited, not how often');
  if ([...r.sites, ...r.channels].some((s) => s.untimed)) lines.push('wait — = the profile records how often goroutines waited, not how long');
  out(lines.join('\n') + '\n');
}
