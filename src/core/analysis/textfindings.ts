// The findings of a text artifact (goroutine dump, gctrace log, schedtrace log) placed on
// the lines of that text that show them: a leak on the header of its first goroutine, a GC
// finding on the cycle line that shows it, a scheduler finding on its SCHED line. The
// findings are those `golens report` gives for the file; only their placement is new.
import { FormatError } from '../errors';
import { parseGctrace, type GctraceCycle } from '../text/gctrace';
import { looksLikeGoroutineDump, parseGoroutineDump, type DumpGoroutine } from '../text/goroutines';
import { parseSchedtrace, type SchedSample } from '../text/schedtrace';
import type { Finding } from './finding';
import { gcFindings, gcReportFromGctrace } from './gc';
import { analyzeLeaks, dumpReason, leakFindings, type LeakRow } from './leaks';
import { schedFindings, schedFromSchedtrace } from './sched';

export type TextArtifactKind = 'goroutines' | 'gctrace' | 'schedtrace';

export interface LocatedFinding {
  finding: Finding;
  /** 1-based line of the text the finding is shown on. */
  line: number;
  /** Other lines that show the same thing (further goroutines of a leak, other forced cycles…), with a note each. */
  related: { line: number; note: string }[];
}

/** At most this many related lines per finding: a leak of 10,000 goroutines needs a few examples, not all. */
const MAX_RELATED = 20;

/** Throws FormatError when the text is not of that kind. `source` names the file in the findings (as `golens report` does). */
export function locatedFindings(kind: TextArtifactKind, text: string, source: string): LocatedFinding[] {
  switch (kind) {
    case 'goroutines': return dumpFindings(text, source);
    case 'gctrace': return gctraceFindings(text, source);
    case 'schedtrace': return schedtraceFindings(text, source);
  }
}

function dumpFindings(text: string, source: string): LocatedFinding[] {
  if (/^\s*goroutine profile: total \d+/.test(text)) {
    throw new FormatError('a debug=1 goroutine profile has no wait reasons', undefined, 'capture /debug/pprof/goroutine?debug=2 (a dump) or without ?debug= (a protobuf profile)');
  }
  if (!looksLikeGoroutineDump(text)) {
    throw new FormatError('no goroutine in this file', undefined, 'a goroutine dump has blocks that start "goroutine N [state]:" (debug=2 profiles, panics, SIGQUIT)');
  }
  const dump = parseGoroutineDump(text);
  const rows = analyzeLeaks([{ kind: 'dump', source, dump }]);
  const findings = leakFindings(rows);
  return rows.map((row, i) => {
    const members = dump.goroutines.filter((g) => isMember(g, row));
    const first = members[0];
    return {
      finding: findings[i],
      line: first?.textLine ?? 1,
      related: members.slice(1, 1 + MAX_RELATED).map((g) => ({ line: g.textLine, note: `goroutine ${g.id} [${g.state}]` })),
    };
  });
}

/** Whether a dump goroutine is one of a leak row's: same reason, blocked at the row's frame, made by its `go` statement. */
function isMember(g: DumpGoroutine, row: LeakRow): boolean {
  if (g.id <= 1 || dumpReason(g.state) !== row.reason) return false;
  const b = row.blockedAt;
  if (!g.frames.some((f) => f.fn === b.function && f.file === b.file && f.line === b.line)) return false;
  const c = row.createdAt;
  return !c || (g.createdBy !== null && g.createdBy.fn === c.function && g.createdBy.file === c.file && g.createdBy.line === c.line);
}

function gcCpu(c: GctraceCycle): number {
  return c.cpuNs.sweepTermination + c.cpuNs.assist + c.cpuNs.background + c.cpuNs.markTermination;
}

function gctraceFindings(text: string, source: string): LocatedFinding[] {
  const log = parseGctrace(text);
  const report = gcReportFromGctrace(log);
  const cs = log.cycles;
  return gcFindings(report, source).map((f) => {
    const e = f.evidence;
    if (e.gcCpuFraction !== undefined) {
      // The GC's share of the CPU: shown on the cycle that cost the most CPU.
      const worst = cs.reduce((a, c) => (gcCpu(c) > gcCpu(a) ? c : a), cs[0]);
      return { finding: f, line: worst.line, related: [] };
    }
    if (e.maxNs !== undefined && e.p99Ns !== undefined) {
      const worst = cs.find((c) => c.clockNs.sweepTermination === e.maxNs || c.clockNs.markTermination === e.maxNs) ?? cs[0];
      return { finding: f, line: worst.line, related: [] };
    }
    if (e.forcedCycles !== undefined) {
      const forced = cs.filter((c) => c.forced);
      return {
        finding: f, line: (forced[0] ?? cs[0]).line,
        related: forced.slice(1, 1 + MAX_RELATED).map((c) => ({ line: c.line, note: `gc ${c.n}, forced` })),
      };
    }
    return { finding: f, line: cs[0].line, related: [] };
  });
}

/** 1-based line of each sample: SCHED lines in order, matched to the samples the parser kept. */
function sampleLines(text: string, samples: SchedSample[]): number[] {
  const out: number[] = [];
  const lines = text.split('\n');
  let next = 0;
  for (let i = 0; i < lines.length && next < samples.length; i++) {
    const m = /SCHED (\d+)ms: /.exec(lines[i]);
    if (m && Number(m[1]) === samples[next].timeMs) out[next++] = i + 1;
  }
  for (; next < samples.length; next++) out[next] = 1;
  return out;
}

function schedtraceFindings(text: string, source: string): LocatedFinding[] {
  const log = parseSchedtrace(text);
  const report = schedFromSchedtrace(log);
  const s = log.samples;
  const at = sampleLines(text, s);
  const queued = (x: SchedSample) => x.runqueue + x.localRunqueues.reduce((a, b) => a + b, 0);
  return schedFindings(report, source).map((f) => {
    const e = f.evidence;
    if (e.saturatedNs !== undefined) {
      // Every P busy with goroutines queued: the fullest such sample, then the others.
      const sat = s.map((x, i) => ({ x, i })).filter(({ x }) => x.idleProcs === 0 && queued(x) > 0);
      const worst = sat.reduce((a, b) => (queued(b.x) > queued(a.x) ? b : a), sat[0]);
      return {
        finding: f, line: worst ? at[worst.i] : at[0],
        related: sat.filter((y) => y !== worst).slice(0, MAX_RELATED).map(({ x, i }) => ({ line: at[i], note: `SCHED ${x.timeMs}ms: idleprocs=0, ${queued(x)} queued` })),
      };
    }
    if (e.maxThreads !== undefined) {
      const i = Math.max(0, s.findIndex((x) => x.threads === e.maxThreads));
      return { finding: f, line: at[i], related: [] };
    }
    return { finding: f, line: at[0], related: [] };
  });
}
