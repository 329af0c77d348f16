// `golens gc <trace|gctrace.log> [--json]`: GC cycles, pauses, mark assists, the GC's CPU
// share, heap against goal, the MMU curve and advice — from an execution trace (replayed on
// the runtime model) or a GODEBUG=gctrace=1 log, told apart by their first bytes.
import type { GcReport } from '../core/analysis/gc';
import { gcFrom } from '../core/artifacts/gc';
import { formatBytes, formatNs, formatShare, printable, siteLabel } from '../core/format';
import { parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

/** The JSON form: the fields relied on first, in that order, then the rest. */
export function gcJson(r: GcReport): Record<string, unknown> {
  return {
    cycles: r.cycles,
    stw: { count: r.stw.count, totalNs: r.stw.totalNs, maxNs: r.stw.maxNs, p50Ns: r.stw.p50Ns, p99Ns: r.stw.p99Ns, byKind: r.stw.byKind },
    markAssistNs: r.markAssistNs,
    gcCpuFraction: r.gcCpuFraction,
    mmu: r.mmu,
    source: r.source,
    mmuApproximate: r.mmuApproximate,
    durationNs: r.durationNs,
    gomaxprocs: r.gomaxprocs,
    forcedCycles: r.forcedCycles,
    forcedAt: r.forcedAt,
    gcCpu: r.gcCpu,
    gcCpuWorkFraction: r.gcCpuWorkFraction,
    assistPayers: r.assistPayers,
    allocationSites: r.allocationSites,
    heap: r.heap,
    ...(r.runtimeCpuPercent !== undefined ? { runtimeCpuPercent: r.runtimeCpuPercent } : {}),
    advice: r.advice,
    notes: r.notes,
  };
}

const short = (file: string) => printable(file.split('/').pop() ?? file);

export function gcText(path: string, r: GcReport): string {
  const L: string[] = [];
  L.push(`File: ${printable(path)} (${r.source === 'trace' ? 'execution trace' : 'gctrace log'})`);
  L.push(`Duration: ${formatNs(r.durationNs)}   GOMAXPROCS: ${r.gomaxprocs}`);
  const forced = r.forcedCycles
    ? ` (${r.forcedCycles} forced by runtime.GC${r.forcedAt.length ? ` at ${r.forcedAt.map(siteLabel).join(', ')}` : ''})`
    : '';
  L.push(`GC cycles: ${r.cycles}${forced}`);
  const c = r.gcCpu;
  L.push(`GC CPU: ${formatShare(r.gcCpuWorkFraction)} of the procs' time (stop-the-world ${formatShare(c.capacityNs ? c.stwNs / c.capacityNs : 0)}, ` +
    `background marking ${formatShare(c.capacityNs ? c.backgroundNs / c.capacityNs : 0)}, assists ${formatShare(c.capacityNs ? c.assistNs / c.capacityNs : 0)}; ` +
    `idle-time marking ${formatShare(c.capacityNs ? c.idleNs / c.capacityNs : 0)} not counted)` +
    (r.runtimeCpuPercent !== undefined ? `; the runtime's own figure: ${r.runtimeCpuPercent}%` : '') +
    (r.source === 'trace' ? `; procs held by the GC (as the MMU counts them): ${formatShare(r.gcCpuFraction)}` : ''));
  L.push(`Stop-the-world: ${r.stw.count} pauses, total ${formatNs(r.stw.totalNs)}, max ${formatNs(r.stw.maxNs)}, p50 ${formatNs(r.stw.p50Ns)}, p99 ${formatNs(r.stw.p99Ns)}`);
  for (const k of r.stw.byKind) {
    L.push(`  ${printable(k.kind).padEnd(28)} ${String(k.count).padStart(6)}  total ${formatNs(k.totalNs).padStart(9)}  max ${formatNs(k.maxNs).padStart(9)}`);
  }
  L.push(`Mark assists: ${formatNs(r.markAssistNs)}${r.source === 'trace' ? ' (wall time in assists)' : ' (CPU)'}`);
  if (r.assistPayers.length) {
    L.push('  paid by:');
    for (const p of r.assistPayers.slice(0, 8)) {
      L.push(`    ${formatNs(p.assistNs).padStart(9)}  ${printable(p.function)}${p.goroutines > 1 ? ` ×${p.goroutines}` : ''}${p.createdAt ? `  (go statement at ${short(p.createdAt.file)}:${p.createdAt.line})` : ''}`);
    }
  }
  if (r.allocationSites.length) {
    L.push('  at allocations:');
    for (const s of r.allocationSites.slice(0, 8)) {
      L.push(`    ${formatNs(s.assistNs).padStart(9)}  ${s.line ? siteLabel(s) : printable(s.function)}  (${s.count} assist${s.count === 1 ? '' : 's'})`);
    }
  }
  const h = r.heap;
  L.push(`Heap: peak in use ${formatBytes(h.peakInUseBytes)}; goal ${formatBytes(h.minGoalBytes)} … ${formatBytes(h.maxGoalBytes)}`);
  if (h.samples.length) {
    const rows = Math.min(8, h.samples.length);
    L.push(`  ${'time'.padStart(10)}  ${'in use'.padStart(10)}  ${'goal'.padStart(10)}`);
    for (let k = 0; k < rows; k++) {
      const s = h.samples[Math.round((k * (h.samples.length - 1)) / Math.max(1, rows - 1))];
      L.push(`  ${formatNs(s.timeNs).padStart(10)}  ${formatBytes(s.inUseBytes).padStart(10)}  ${formatBytes(s.goalBytes).padStart(10)}`);
    }
  }
  if (r.mmu.length) {
    L.push(`MMU${r.mmuApproximate ? ' (estimated)' : ''} — worst share of the CPU left to the program in any window of at least:`);
    const cells = r.mmu.map((p) => `${formatNs(p.windowNs)} ${formatShare(p.utilization)}`);
    for (let k = 0; k < cells.length; k += 6) L.push(`  ${cells.slice(k, k + 6).map((s) => s.padEnd(16)).join('')}`.trimEnd());
  }
  if (r.advice.length) {
    L.push('Advice:');
    for (const a of r.advice) L.push(`  - ${printable(a)}`);
  }
  if (r.notes.length) {
    L.push('Notes:');
    for (const n of r.notes) L.push(`  - ${printable(n)}`);
  }
  return L.join('\n') + '\n';
}

export function cmdGc(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { booleans: ['json'] });
  if (a.positional.length !== 1) throw new UsageError('gc needs exactly one file: an execution trace or a GODEBUG=gctrace=1 log');
  const path = a.positional[0];
  const r = gcFrom(path, decodeOptions);
  out(a.bools.has('json') ? JSON.stringify(gcJson(r)) + '\n' : gcText(path, r));
}
