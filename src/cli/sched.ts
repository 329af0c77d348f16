// `golens sched <trace|schedtrace.log> [--json] [--buckets N]`: runnable→running latency and
// its worst sites, P utilization and goroutine states over time, syscall time — from an
// execution trace, or from a GODEBUG=schedtrace[,scheddetail=1] log.
import { formatNs } from '../core/analysis/contention';
import type { Site } from '../core/analysis/finding';
import type { LatencyStats, SchedReport } from '../core/analysis/sched';
import { schedFrom } from '../core/artifacts/sched';
import { printable } from '../core/format';
import { one, parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

function siteJson(s: Site | null) {
  return s ? { function: s.function, file: s.file, line: s.line } : null;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function schedJson(r: SchedReport) {
  return {
    source: r.source, durationNs: r.durationNs, gomaxprocs: r.gomaxprocs, gomaxprocsMax: r.gomaxprocsMax,
    latency: r.latency,
    worst: r.worst.map((w) => ({ site: siteJson(w.site), by: w.by, startFunction: w.startFunction, goroutines: w.goroutines, ...w.latency })),
    utilization: { mean: r3(r.utilization.mean), saturatedNs: r.utilization.saturatedNs, idleWithRunnableNs: r.utilization.idleWithRunnableNs },
    timeline: r.timeline.map((x) => ({
      ...x, utilization: r3(x.utilization), running: r3(x.running), runnable: r3(x.runnable),
      waiting: x.waiting === null ? null : r3(x.waiting), syscall: x.syscall === null ? null : r3(x.syscall),
    })),
    syscalls: r.syscalls && { ...r.syscalls, sites: r.syscalls.sites.map((s) => ({ ...s, site: siteJson(s.site) })) },
    threads: r.threads,
    ...(r.maxQueued !== undefined ? { maxQueued: r.maxQueued } : {}),
  };
}

function short(s: Site | null): string {
  return s ? printable(`${s.function} ${s.file.slice(s.file.lastIndexOf('/') + 1)}:${s.line}`) : '?';
}

function lat(l: LatencyStats): string {
  return `p50 ${formatNs(l.p50Ns)}  p90 ${formatNs(l.p90Ns)}  p99 ${formatNs(l.p99Ns)}  max ${formatNs(l.maxNs)}  (${l.count} waits, ${formatNs(l.totalNs)} total)`;
}

/** At most `rows` timeline rows: neighbouring intervals averaged (queues and threads: their maximum). */
function coarsen(r: SchedReport, rows: number): SchedReport['timeline'] {
  const tl = r.timeline;
  if (tl.length <= rows) return tl;
  const out: SchedReport['timeline'] = [];
  const per = Math.ceil(tl.length / rows);
  for (let i = 0; i < tl.length; i += per) {
    const g = tl.slice(i, i + per);
    const span = g.reduce((a, x) => a + (x.endNs - x.startNs), 0) || 1;
    const avg = (f: (x: typeof g[number]) => number) => g.reduce((a, x) => a + f(x) * (x.endNs - x.startNs), 0) / span;
    const maxOf = (f: (x: typeof g[number]) => number | undefined) => { const v = g.map(f).filter((x): x is number => x !== undefined); return v.length ? Math.max(...v) : undefined; };
    out.push({
      startNs: g[0].startNs, endNs: g[g.length - 1].endNs, gomaxprocs: maxOf((x) => x.gomaxprocs)!, utilization: avg((x) => x.utilization),
      running: avg((x) => x.running), runnable: avg((x) => x.runnable),
      waiting: g[0].waiting === null ? null : avg((x) => x.waiting ?? 0), syscall: g[0].syscall === null ? null : avg((x) => x.syscall ?? 0),
      runqueue: maxOf((x) => x.runqueue), threads: maxOf((x) => x.threads), idleProcs: g[g.length - 1].idleProcs,
    });
  }
  return out;
}

function bar(u: number, width = 10): string {
  const n = Math.round(Math.max(0, Math.min(1, u)) * width);
  return '#'.repeat(n) + '.'.repeat(width - n);
}

export function cmdSched(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { booleans: ['json'], values: ['buckets'] });
  if (a.positional.length !== 1) throw new UsageError('sched needs exactly one execution trace or schedtrace log');
  const b = one(a, 'buckets');
  if (b !== undefined && !/^[1-9]\d{0,4}$/.test(b)) throw new UsageError(`--buckets needs a whole number from 1 to 99999, not ${JSON.stringify(b)}`);
  const r = schedFrom(a.positional[0], { ...decodeOptions, buckets: b === undefined ? undefined : Number(b) });
  if (a.bools.has('json')) {
    out(JSON.stringify(schedJson(r)) + '\n');
    return;
  }
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const lines = [
    `File: ${printable(a.positional[0])} (${r.source === 'trace' ? 'execution trace' : 'schedtrace log'})`,
    `Duration: ${formatNs(r.durationNs)}   GOMAXPROCS: ${r.gomaxprocs}${r.gomaxprocsMax !== r.gomaxprocs ? ` (up to ${r.gomaxprocsMax})` : ''}` +
      (r.threads ? `   Threads: ${r.threads.last} (max ${r.threads.max})` : ''),
    `P utilization: ${pct(r.utilization.mean)}   All Ps busy with goroutines waiting: ${formatNs(r.utilization.saturatedNs)}` +
      (r.durationNs ? ` (${pct(r.utilization.saturatedNs / r.durationNs)})` : '') +
      `   Goroutines waiting while a P was idle: ${formatNs(r.utilization.idleWithRunnableNs)}`,
  ];
  if (r.maxQueued !== undefined) lines.push(`Most goroutines queued in one sample: ${r.maxQueued}`);
  if (r.latency) {
    lines.push('', `Runnable→running latency: ${lat(r.latency)}`, '', 'Worst sites (by total wait):');
    lines.push(`${'total'.padStart(9)} ${'waits'.padStart(6)} ${'p90'.padStart(9)} ${'max'.padStart(9)} ${'gs'.padStart(4)}  site`);
    for (const w of r.worst) {
      const label = w.site ? `${short(w.site)} (${w.by}${w.startFunction && w.startFunction !== w.site.function ? `, runs ${printable(w.startFunction)}` : ''})` : printable(w.startFunction) || '(unknown)';
      lines.push(`${formatNs(w.latency.totalNs).padStart(9)} ${String(w.latency.count).padStart(6)} ${formatNs(w.latency.p90Ns).padStart(9)} ${formatNs(w.latency.maxNs).padStart(9)} ${String(w.goroutines).padStart(4)}  ${label}`);
    }
  }
  const tl = coarsen(r, 25);
  const detail = tl.length > 0 && tl[0].waiting !== null;
  lines.push('', `Over time${r.source === 'trace' ? ' (mean goroutines in each state)' : detail ? ' (goroutines per state at each sample)' : ' (at each sample)'}:`);
  const head = [`${'time'.padStart(9)}`, 'Ps busy'.padEnd(15), 'running'.padStart(7), 'runnable'.padStart(8)];
  if (detail) head.push('waiting'.padStart(7), 'syscall'.padStart(7));
  if (r.source === 'schedtrace') head.push('globalq'.padStart(7), 'threads'.padStart(7));
  lines.push(head.join(' '));
  for (const x of tl) {
    const row = [formatNs(x.startNs).padStart(9), `${bar(x.utilization)} ${pct(x.utilization).padStart(4)}`, x.running.toFixed(1).padStart(7), x.runnable.toFixed(1).padStart(8)];
    if (detail) row.push((x.waiting ?? 0).toFixed(1).padStart(7), (x.syscall ?? 0).toFixed(1).padStart(7));
    if (r.source === 'schedtrace') row.push(String(x.runqueue ?? '').padStart(7), String(x.threads ?? '').padStart(7));
    lines.push(row.join(' '));
  }
  if (r.syscalls) {
    lines.push('', `Syscalls: ${r.syscalls.count} (${formatNs(r.syscalls.totalNs)}), ${r.syscalls.blocked} blocked long enough to hand off the P`);
    for (const s of r.syscalls.sites.slice(0, 5)) lines.push(`${formatNs(s.totalNs).padStart(9)} ${String(s.count).padStart(6)} ${String(s.blocked).padStart(4)} blocked  ${short(s.site)}`);
  }
  out(lines.join('\n') + '\n');
}
