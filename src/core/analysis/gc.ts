// GC pressure, from an execution trace or a gctrace log, as one report: cycles, stop-the-world
// pauses, mark assists and who paid them, the GC's share of the CPU, heap in use against the
// goal, the MMU curve, and advice grounded in those numbers.
import { formatBytes, formatNs, formatShare, percentile, siteLabel } from '../format';
import { NONE, type StackTable, type TraceReader } from '../trace/events';
import type { RuntimeModel } from '../runtime/model';
import { modelCollector, runPass, type CollectorFactory } from '../runtime/pass';
import type { GctraceCycle, GctraceLog } from '../text/gctrace';
import { isUserFrame, userFrame } from './frames';
import type { Finding, Site } from './finding';
import { GcUseCollector, type GcUse, type UtilOptions } from './gcuse';
import { logWindows, mmuCurve, StepBuilder, type MmuPoint, type StepFunction } from './mmu';

export interface StwKind {
  /** The reason in "stop-the-world (reason)", e.g. "GC mark termination". */
  kind: string;
  /** Whether it is one of the GC's own pauses (the MMU counts only those). */
  gc: boolean;
  count: number;
  totalNs: number;
  maxNs: number;
}

export interface StwStats {
  count: number;
  totalNs: number;
  maxNs: number;
  /** Nearest-rank percentiles of the pause durations. */
  p50Ns: number;
  p99Ns: number;
  byKind: StwKind[];
}

/** Goroutines that paid for mark assists, grouped by start function and `go` statement. */
export interface AssistPayer {
  function: string;
  createdAt: Site | null;
  goroutines: number;
  assistNs: number;
}

/** Where mark assists began: the allocation that ran out of credit (innermost user frame). */
export interface AllocationSite extends Site {
  assistNs: number;
  count: number;
}

export interface HeapPoint {
  timeNs: number;
  inUseBytes: number;
  goalBytes: number;
}

export interface HeapStats {
  peakInUseBytes: number;
  minGoalBytes: number;
  maxGoalBytes: number;
  /** Heap in use and the goal over time (at most MAX_HEAP_POINTS, the peaks kept). */
  samples: HeapPoint[];
}

/**
 * The GC's CPU by kind (proc-ns). From a trace, as the runtime counts it in runtime/metrics
 * (gcuse.ts: GcCpuUse); from a gctrace log, the cpu fields.
 */
export interface GcCpu {
  stwNs: number;
  backgroundNs: number;
  assistNs: number;
  idleNs: number;
  /** Proc time available in all: ∫ GOMAXPROCS dt. */
  capacityNs: number;
}

export interface GcReport {
  source: 'trace' | 'gctrace';
  /** GC cycles that began inside the trace (a gctrace log: cycle lines). */
  cycles: number;
  stw: StwStats;
  /** Time goroutines spent in mark assists (trace: wall time of the assist ranges; gctrace: assist CPU time). */
  markAssistNs: number;
  /**
   * The share of the procs' time the GC held, as the MMU counts it (trace: 1 − the whole-trace
   * mean utilization; idle-priority marking left out). It includes waits the runtime does not
   * count as CPU (the whole of each stop-the-world on every proc, the mark termination's
   * tail): what the what-if model predicts. gctrace: the same as gcCpuWorkFraction.
   */
  gcCpuFraction: number;
  /**
   * The GC's CPU as the runtime counts it (gcCpu: pauses, dedicated and fractional marking,
   * assists) over the proc time available; idle-priority marking left out, as the runtime's
   * GCCPUFraction does: it uses procs nobody else wanted. What the findings tell.
   */
  gcCpuWorkFraction: number;
  mmu: MmuPoint[];
  /** True when the MMU is estimated rather than measured (from a gctrace log). */
  mmuApproximate: boolean;
  durationNs: number;
  gomaxprocs: number;
  forcedCycles: number;
  /** Where runtime.GC() was called from, with the number of cycles it forced. */
  forcedAt: (Site & { count: number })[];
  gcCpu: GcCpu;
  assistPayers: AssistPayer[];
  allocationSites: AllocationSite[];
  heap: HeapStats;
  /** gctrace only: the runtime's own cumulative GC CPU percentage on the last line (whole percent, rounded down). */
  runtimeCpuPercent?: number;
  advice: string[];
  notes: string[];
}

const MAX_HEAP_POINTS = 200;
const MIN_WINDOW_NS = 10_000;
const PER_DECADE = 5;

export interface GcTraceOptions {
  util?: UtilOptions;
}

/** The GC's use of the procs, as a collector for a trace pass. */
export function gcUseCollector(opts: UtilOptions = {}): CollectorFactory<GcUse> {
  return (r) => new GcUseCollector(r.strings, opts);
}

/** Decodes and replays a trace in one pass, and reports on its GC. */
export function analyzeTraceGc(reader: TraceReader, opts: GcTraceOptions = {}): GcReport {
  const { model, use } = runPass(reader, { model: modelCollector, use: gcUseCollector(opts.util) });
  return gcReportFromTrace(model, use);
}

/** The report from a replayed model and the GC use collected over the same events. */
export function gcReportFromTrace(model: RuntimeModel, use: GcUse): GcReport {
  const stacks = model.stacks;
  const frames = (id: number) => stacks.get(id);

  let cycles = 0;
  for (let i = 0; i < model.gcCycles.count; i++) if (model.gcCycles.id(i) === 1) cycles++;

  const stw = stwStats(Array.from({ length: model.stw.count }, (_, i) => ({
    name: model.strings.get(model.stw.state(i)),
    ns: model.stw.end(i) - model.stw.start(i),
  })));

  // Forced cycles: runtime.GC on the stack of the cycle's beginning.
  const forced = new Map<string, Site & { count: number }>();
  let forcedCycles = 0;
  for (const id of use.cycleStacks) {
    const fr = frames(id);
    const k = fr.findIndex((f) => f.fn === 'runtime.GC');
    if (k < 0) continue;
    forcedCycles++;
    const callers = fr.slice(k + 1);
    const caller = callers.find((f) => isAppFrame(f.fn)) ?? callers[0] ?? fr[k];
    const key = `${caller.fn}\u0000${caller.file}\u0000${caller.line}`;
    const e = forced.get(key) ?? { function: caller.fn, file: caller.file, line: caller.line, count: 0 };
    e.count++;
    forced.set(key, e);
  }

  // Mark assists: by paying goroutine (start function, go statement) and by allocation site.
  let markAssistNs = 0;
  const firstAssistStack = new Map<number, number>();
  const sites = new Map<string, AllocationSite>();
  for (const a of use.assists) {
    const ns = a.end - a.start;
    markAssistNs += ns;
    if (a.stack !== NONE && !firstAssistStack.has(a.g)) firstAssistStack.set(a.g, a.stack);
    const f = a.stack !== NONE ? allocationFrame(frames(a.stack)) : undefined;
    const key = f ? `${f.fn}\u0000${f.file}\u0000${f.line}` : '';
    const s = sites.get(key) ?? { function: f?.fn ?? '(unknown)', file: f?.file ?? '', line: f?.line ?? 0, assistNs: 0, count: 0 };
    s.assistNs += ns;
    s.count++;
    sites.set(key, s);
  }
  const payers = new Map<string, AssistPayer & { ids: Set<number> }>();
  for (const a of use.assists) {
    const g = model.goroutines.get(a.g);
    const fn = startFunction(g?.startStack ?? NONE, firstAssistStack.get(a.g) ?? NONE, stacks, a.g);
    const cs = g && g.createStack !== NONE ? frames(g.createStack) : [];
    const created = cs.find((f) => isAppFrame(f.fn)) ?? userFrame(cs);
    const createdAt = created ? { function: created.fn, file: created.file, line: created.line } : null;
    const key = `${fn}\u0000${createdAt ? `${createdAt.file}:${createdAt.line}` : ''}`;
    const p = payers.get(key) ?? { function: fn, createdAt, goroutines: 0, assistNs: 0, ids: new Set<number>() };
    p.ids.add(a.g);
    p.goroutines = p.ids.size;
    p.assistNs += a.end - a.start;
    payers.set(key, p);
  }

  const heap = heapFromCounters(model);
  // The GC's CPU by kind as the runtime counts it (runtime/metrics /cpu/classes/gc/*), and
  // its share as GCCPUFraction does: idle marking left out (it uses procs nobody wanted). Not
  // from the utilization (gcProcNs), which keeps Go's MMU accounting: whole stop-the-world
  // ranges, and workers and assists for as long as they hold their proc.
  const gcCpu: GcCpu = {
    stwNs: use.cpu.pauseNs, backgroundNs: use.cpu.backgroundNs, assistNs: use.cpu.assistNs, idleNs: use.cpu.idleNs, capacityNs: use.capacityProcNs,
  };
  const workNs = gcCpu.stwNs + gcCpu.backgroundNs + gcCpu.assistNs;
  const report: GcReport = {
    source: 'trace',
    cycles,
    stw,
    markAssistNs,
    gcCpuFraction: use.capacityProcNs > 0 ? use.gcProcNs / use.capacityProcNs : 0,
    gcCpuWorkFraction: use.capacityProcNs > 0 ? Math.min(1, workNs / use.capacityProcNs) : 0,
    mmu: mmuOf(use.utilization),
    mmuApproximate: false,
    durationNs: model.end,
    gomaxprocs: use.gomaxprocs,
    forcedCycles,
    forcedAt: [...forced.values()].sort((a, b) => b.count - a.count),
    gcCpu,
    assistPayers: [...payers.values()].map(({ ids: _ids, ...p }) => p).sort((a, b) => b.assistNs - a.assistNs),
    allocationSites: [...sites.values()].sort((a, b) => b.assistNs - a.assistNs),
    heap,
    advice: [],
    notes: [],
  };
  if (model.gomaxprocs.count === 0) report.notes.push(`the trace does not record GOMAXPROCS; ${report.gomaxprocs} (the procs seen) is assumed`);
  report.advice = adviseGc(report);
  return report;
}

/** The program's own code: user frames (frames.ts) and test packages, not the test harness. */
function isAppFrame(fn: string): boolean {
  return (isUserFrame(fn) && !fn.startsWith('testing.') && fn !== '(unknown)') || /^[\w./-]+_test\./.test(fn);
}

const ALLOCATOR = /^runtime\.(mallocgc|gcAssistAlloc|deductAssistCredit|traceGCMarkAssist|traceLocker\.GCMarkAssist)/;
const ALLOC_ENTRY = /^runtime\.(new|make|grow|raw|convT|mapassign|concat|slicebytetostring|stringtoslice)/;

/**
 * Where an assist's allocation was made: the innermost user frame above the allocator; when
 * there is none (the runtime allocating for itself, e.g. the trace reader), the first frame
 * past the allocator's entry points (runtime.newobject, makeslice…).
 */
function allocationFrame<F extends { fn: string }>(frames: F[]): F | undefined {
  let last = -1;
  frames.forEach((f, i) => { if (ALLOCATOR.test(f.fn)) last = i; });
  const rest = frames.slice(last + 1);
  return rest.find((f) => isAppFrame(f.fn)) ?? rest.find((f) => !ALLOC_ENTRY.test(f.fn)) ?? rest[0] ?? frames[0];
}

/** The goroutine's start function: from its creation, else the outermost frame of a stack it had. */
function startFunction(startStack: number, anyStack: number, stacks: StackTable, g: number): string {
  if (startStack !== NONE) {
    const f = stacks.get(startStack)[0];
    if (f) return f.fn;
  }
  const fr = stacks.get(anyStack);
  for (let i = fr.length - 1; i >= 0; i--) {
    if (fr[i].fn !== 'runtime.goexit' && fr[i].fn !== 'runtime.main') return fr[i].fn;
  }
  return g === 1 ? 'main.main' : `goroutine ${g}`;
}

function mmuOf(util: StepFunction): MmuPoint[] {
  const dur = util.end - (util.count ? util.time[0] : 0);
  return dur > 0 ? mmuCurve(util, logWindows(MIN_WINDOW_NS, dur, PER_DECADE)) : [];
}

/** Pause statistics from (name, duration) pairs; names are "stop-the-world (reason)" or bare reasons. */
export function stwStats(pauses: { name: string; ns: number }[]): StwStats {
  const ns = pauses.map((p) => p.ns).sort((a, b) => a - b);
  const kinds = new Map<string, StwKind>();
  for (const p of pauses) {
    const m = /^stop-the-world \((.*)\)$/.exec(p.name);
    const kind = m ? m[1] : p.name;
    const k = kinds.get(kind) ?? { kind, gc: kind.includes('GC'), count: 0, totalNs: 0, maxNs: 0 };
    k.count++;
    k.totalNs += p.ns;
    k.maxNs = Math.max(k.maxNs, p.ns);
    kinds.set(kind, k);
  }
  return {
    count: ns.length,
    totalNs: ns.reduce((a, b) => a + b, 0),
    maxNs: ns.length ? ns[ns.length - 1] : 0,
    p50Ns: percentile(ns, 0.5),
    p99Ns: percentile(ns, 0.99),
    byKind: [...kinds.values()].sort((a, b) => b.totalNs - a.totalNs),
  };
}

function heapFromCounters(model: RuntimeModel): HeapStats {
  const h = model.heapInUse, goal = model.heapGoal;
  let peak = 0, minGoal = Infinity, maxGoal = 0;
  for (let i = 0; i < h.count; i++) peak = Math.max(peak, h.value[i]);
  // A goal of 0 is the runtime's "not computed yet" (Go's reader shows it too), not a goal.
  for (let i = 0; i < goal.count; i++) { if (goal.value[i] > 0) minGoal = Math.min(minGoal, goal.value[i]); maxGoal = Math.max(maxGoal, goal.value[i]); }
  const points: HeapPoint[] = [];
  const goalAt = (t: number) => { const g = goal.at(t); return Number.isNaN(g) ? (goal.count ? goal.value[0] : 0) : g; };
  if (h.count <= MAX_HEAP_POINTS) {
    for (let i = 0; i < h.count; i++) points.push({ timeNs: h.time[i], inUseBytes: h.value[i], goalBytes: goalAt(h.time[i]) });
  } else {
    // One point per time bucket: the sample with the most heap in use.
    const width = (model.end || 1) / MAX_HEAP_POINTS;
    let best = -1, bucket = -1;
    const flush = () => { if (best >= 0) points.push({ timeNs: h.time[best], inUseBytes: h.value[best], goalBytes: goalAt(h.time[best]) }); };
    for (let i = 0; i < h.count; i++) {
      const b = Math.min(MAX_HEAP_POINTS - 1, Math.floor(h.time[i] / width));
      if (b !== bucket) { flush(); bucket = b; best = i; } else if (h.value[i] > h.value[best]) best = i;
    }
    flush();
  }
  return { peakInUseBytes: peak, minGoalBytes: Number.isFinite(minGoal) ? minGoal : 0, maxGoalBytes: maxGoal, samples: points };
}

// ---- gctrace ----

const MiB = 1 << 20;

/**
 * The report from a gctrace log. STW pauses are the two wall-clock STW components of each
 * line; the GC CPU fraction is the cpu fields (idle marking left out, as the runtime does)
 * over GOMAXPROCS × the time since the program started. The MMU is estimated (see
 * gctraceUtilization) and flagged so.
 */
export function gcReportFromGctrace(log: GctraceLog): GcReport {
  const cs = log.cycles;
  const pauses: { name: string; ns: number }[] = [];
  const cpu: GcCpu = { stwNs: 0, backgroundNs: 0, assistNs: 0, idleNs: 0, capacityNs: 0 };
  let prevEnd = 0;
  const samples: HeapPoint[] = [];
  let peak = 0, minGoal = Infinity, maxGoal = 0;
  for (const c of cs) {
    pauses.push({ name: 'GC sweep termination', ns: c.clockNs.sweepTermination }, { name: 'GC mark termination', ns: c.clockNs.markTermination });
    cpu.stwNs += c.cpuNs.sweepTermination + c.cpuNs.markTermination;
    cpu.assistNs += c.cpuNs.assist;
    cpu.backgroundNs += c.cpuNs.background;
    cpu.idleNs += c.cpuNs.idle;
    const end = cycleEnd(c);
    // GOMAXPROCS of each line holds since the previous cycle ended.
    cpu.capacityNs += Math.max(0, end - prevEnd) * c.procs;
    prevEnd = Math.max(prevEnd, end);
    samples.push({ timeNs: c.startNs, inUseBytes: c.heapStartMiB * MiB, goalBytes: c.goalMiB * MiB });
    samples.push({ timeNs: end, inUseBytes: c.heapEndMiB * MiB, goalBytes: c.goalMiB * MiB });
    peak = Math.max(peak, c.heapStartMiB * MiB, c.heapEndMiB * MiB);
    minGoal = Math.min(minGoal, c.goalMiB * MiB);
    maxGoal = Math.max(maxGoal, c.goalMiB * MiB);
  }
  const gcNs = cpu.stwNs + cpu.assistNs + cpu.backgroundNs;
  const util = gctraceUtilization(cs);
  const forced = cs.filter((c) => c.forced).length;
  const report: GcReport = {
    source: 'gctrace',
    cycles: cs.length,
    stw: stwStats(pauses),
    markAssistNs: cpu.assistNs,
    gcCpuFraction: cpu.capacityNs > 0 ? Math.min(1, gcNs / cpu.capacityNs) : 0,
    gcCpuWorkFraction: cpu.capacityNs > 0 ? Math.min(1, gcNs / cpu.capacityNs) : 0,
    mmu: mmuOf(util),
    mmuApproximate: true,
    durationNs: prevEnd,
    gomaxprocs: cs.length ? cs[cs.length - 1].procs : 0,
    forcedCycles: forced,
    forcedAt: [],
    gcCpu: cpu,
    assistPayers: [],
    allocationSites: [],
    heap: { peakInUseBytes: peak, minGoalBytes: cs.length ? minGoal : 0, maxGoalBytes: maxGoal, samples: downsample(samples) },
    runtimeCpuPercent: cs.length ? cs[cs.length - 1].cpuPercent : undefined,
    advice: [],
    notes: [
      'gctrace prints heap sizes in whole MiB (rounded down), durations to two significant digits and start times to the millisecond (each start is taken as the middle of its millisecond)',
      'the MMU is estimated: stop-the-world pauses are exact, mark work is assumed spread evenly over each concurrent mark phase, and cycle start times are known to the millisecond',
      'a gctrace log does not say which goroutines or allocations paid for mark assists; record an execution trace for that',
    ],
  };
  if (log.missingCycles > 0) report.notes.push(`${log.missingCycles} cycle line(s) are missing from the log (gaps in the cycle numbers)`);
  if (log.malformedLines > 0) report.notes.push(`${log.malformedLines} gc line(s) were cut or garbled (interleaved output?) and skipped`);
  if (log.periodicCycles > 0) report.notes.push(`${log.periodicCycles} cycle(s) were forced by the 2-minute periodic GC ("GC forced")`);
  report.advice = adviseGc(report);
  return report;
}

function cycleEnd(c: GctraceCycle): number {
  return c.startNs + c.clockNs.sweepTermination + c.clockNs.concurrentMark + c.clockNs.markTermination;
}

/**
 * Mutator utilization estimated from gctrace: 0 during each STW pause (exact lengths);
 * during concurrent mark, the assist and background CPU spread evenly over the phase;
 * 1 between cycles. Start times are rounded down to the millisecond, so a cycle that would
 * overlap the previous one is moved after it.
 */
export function gctraceUtilization(cs: GctraceCycle[]): StepFunction {
  const b = new StepBuilder();
  b.push(0, 1);
  let t = 0;
  for (const c of cs) {
    const s = Math.max(t, c.startNs);
    const mark = c.clockNs.concurrentMark;
    const busy = mark > 0 ? (c.cpuNs.assist + c.cpuNs.background) / mark : 0;
    b.push(s, 0);
    b.push(s + c.clockNs.sweepTermination, Math.max(0, 1 - busy / Math.max(1, c.procs)));
    b.push(s + c.clockNs.sweepTermination + mark, 0);
    t = s + c.clockNs.sweepTermination + mark + c.clockNs.markTermination;
    b.push(t, 1);
  }
  return b.finish(t);
}

function downsample(points: HeapPoint[]): HeapPoint[] {
  if (points.length <= MAX_HEAP_POINTS) return points;
  const step = points.length / MAX_HEAP_POINTS;
  const out: HeapPoint[] = [];
  for (let k = 0; k < MAX_HEAP_POINTS; k++) {
    let best = Math.floor(k * step);
    for (let i = best; i < Math.min(points.length, Math.floor((k + 1) * step)); i++) if (points[i].inUseBytes > points[best].inUseBytes) best = i;
    out.push(points[best]);
  }
  return out;
}

// ---- advice and findings ----

function cyclesText(r: GcReport, perSec: number): string {
  if (r.cycles === 0) return r.source === 'trace' ? 'in a cycle that began before the trace' : 'no cycles';
  return `${r.cycles} cycle${r.cycles === 1 ? '' : 's'}, ${perSec.toFixed(perSec < 10 ? 1 : 0)}/s`;
}

/** The MMU for the smallest listed window at least w long (NaN if none). */
export function mmuAtLeast(mmu: MmuPoint[], w: number): number {
  return mmu.find((p) => p.windowNs >= w)?.utilization ?? NaN;
}

/** Plain advice: each line says what the numbers show and what to try. */
export function adviseGc(r: GcReport): string[] {
  const out: string[] = [];
  const perSec = r.durationNs > 0 ? r.cycles / (r.durationNs / 1e9) : 0;
  const goalMiB = r.heap.maxGoalBytes / MiB;
  if (r.gcCpuWorkFraction >= 0.1) {
    const sites = r.allocationSites.filter((s) => isAppFrame(s.function) && s.line > 0).slice(0, 3).map(siteLabel);
    out.push(`The GC used ${formatShare(r.gcCpuWorkFraction)} of the CPU (${cyclesText(r, perSec)}). ` +
      `Each doubling of GOGC (default 100) roughly halves the number of cycles for more heap; with a known memory budget, ` +
      `GOMEMLIMIT set to it and a higher GOGC (or GOGC=off) lets the heap grow until the limit instead of collecting early.` +
      (sites.length ? ` Allocating less where mark assists hit helps most: ${sites.join(', ')}.` : ''));
  }
  if (r.heap.maxGoalBytes > 0 && goalMiB <= 8 && perSec >= 20) {
    out.push(`The heap goal stays small (at most ${formatBytes(r.heap.maxGoalBytes)}, near the 4 MB floor × GOGC/100), so the GC runs ${perSec.toFixed(0)} times a second ` +
      `on a small live heap: a higher GOGC or a GOMEMLIMIT with room to spare trades memory for fewer cycles.`);
  }
  const gcNs = r.gcCpu.stwNs + r.gcCpu.backgroundNs + r.gcCpu.assistNs;
  if (r.gcCpu.assistNs > 0 && gcNs > 0 && r.gcCpu.assistNs / gcNs >= 0.2) {
    const payer = r.assistPayers[0];
    out.push(`Mark assists are ${formatShare(r.gcCpu.assistNs / gcNs)} of the GC's CPU: goroutines allocate faster than background marking keeps up, and pay in latency` +
      (payer ? ` (most: ${payer.function}${payer.goroutines > 1 ? ` ×${payer.goroutines}` : ''}, ${formatNs(payer.assistNs)})` : '') +
      `. Reduce or reuse those allocations (sync.Pool, preallocated buffers), or raise GOGC so the pacer starts marking earlier relative to the goal.`);
  }
  if (r.stw.maxNs >= 1e6) {
    const worst = r.stw.byKind.slice().sort((a, b) => b.maxNs - a.maxNs)[0];
    out.push(`The longest stop-the-world pause was ${formatNs(r.stw.maxNs)} (${worst.kind}); Go's pauses are usually well under a millisecond. ` +
      `Long ones mostly mean the world took long to stop — a goroutine in a tight loop without preemption points, CPU throttling (a container quota below GOMAXPROCS), or an overloaded machine.`);
  }
  const mmu10 = mmuAtLeast(r.mmu, 10e6);
  if (!Number.isNaN(mmu10) && mmu10 < 0.5 && r.durationNs >= 20e6) {
    out.push(`In the worst 10 ms window only ${formatShare(mmu10)} of the CPU was left to the program${r.mmuApproximate ? ' (estimated)' : ''}: latency-sensitive work sees GC as stalls of that size.`);
  }
  if (r.forcedCycles > 0) {
    const where = r.forcedAt.slice(0, 2).map(siteLabel).join(', ');
    out.push(`${r.forcedCycles} cycle(s) were forced by runtime.GC()${where ? ` at ${where}` : ''}; each one is a full, blocking collection — keep such calls out of hot paths and request handlers.`);
  }
  if (out.length === 0 && r.cycles > 0) {
    out.push(`GC looks healthy: ${formatShare(r.gcCpuWorkFraction)} of the CPU, pauses up to ${formatNs(r.stw.maxNs)}.`);
  }
  return out;
}

/** Findings a programmer acts on; empty when the GC is not a problem worth a line. */
export function gcFindings(r: GcReport, source: string): Finding[] {
  const out: Finding[] = [];
  const top = r.allocationSites.find((s) => isAppFrame(s.function) && s.line > 0) ?? null;
  const site = (s: Site | null): Site | null => (s ? { function: s.function, file: s.file, line: s.line } : null);
  const perSec = r.durationNs > 0 ? r.cycles / (r.durationNs / 1e9) : 0;
  // The GC's CPU as the runtime counts it (gcCpuWorkFraction), not the procs it held.
  if (r.gcCpuWorkFraction >= 0.05) {
    out.push({
      kind: 'gc', source,
      title: `GC uses ${formatShare(r.gcCpuWorkFraction)} of the CPU (${cyclesText(r, perSec)})`,
      site: site(top),
      evidence: { gcCpuFraction: round4(r.gcCpuWorkFraction), cycles: r.cycles, durationNs: r.durationNs, gomaxprocs: r.gomaxprocs, maxHeapGoalBytes: r.heap.maxGoalBytes },
      confidence: r.gcCpuWorkFraction >= 0.25 ? 'likely' : 'possible',
      score: Math.round(r.gcCpuWorkFraction * 100),
      advice: 'Raise GOGC (fewer cycles for more heap) or set GOMEMLIMIT to the memory budget with a higher GOGC; allocate less at the sites where mark assists happen.',
    });
  }
  for (const s of r.allocationSites.filter((a) => isAppFrame(a.function) && a.line > 0).slice(0, 3)) {
    if (r.durationNs <= 0 || s.assistNs / r.durationNs < 0.01) continue;
    out.push({
      kind: 'gc', source,
      title: `Mark assists: ${formatNs(s.assistNs)} at ${siteLabel(s)} (${s.count} assists)`,
      site: site(s),
      evidence: { assistNs: s.assistNs, assists: s.count, shareOfTrace: round4(s.assistNs / r.durationNs) },
      confidence: s.assistNs / r.durationNs >= 0.05 ? 'likely' : 'possible',
      score: Math.round((100 * s.assistNs) / r.durationNs),
      advice: 'This allocation outruns background marking, so the goroutine is made to mark; allocate less here (reuse buffers, sync.Pool) or raise GOGC.',
    });
  }
  if (r.stw.maxNs >= 1e6) {
    out.push({
      kind: 'gc', source,
      title: `Stop-the-world pauses up to ${formatNs(r.stw.maxNs)} (p99 ${formatNs(r.stw.p99Ns)}, ${r.stw.count} pauses)`,
      site: null,
      evidence: { maxNs: r.stw.maxNs, p99Ns: r.stw.p99Ns, p50Ns: r.stw.p50Ns, count: r.stw.count, totalNs: r.stw.totalNs },
      confidence: r.stw.maxNs >= 10e6 ? 'likely' : 'possible',
      score: Math.min(100, Math.round(r.stw.maxNs / 1e6) * 5),
      advice: 'Long pauses usually mean the world took long to stop: tight loops, CPU throttling (container quota below GOMAXPROCS) or an overloaded machine.',
    });
  }
  for (const f of r.forcedAt) {
    out.push({
      kind: 'gc', source,
      title: `runtime.GC() forced ${f.count} cycle(s) from ${siteLabel(f)}`,
      site: site(f),
      evidence: { forcedCycles: f.count, cycles: r.cycles },
      confidence: 'possible',
      score: Math.min(50, f.count * 2),
      advice: 'A forced collection is a full, blocking cycle; keep runtime.GC() out of hot paths.',
    });
  }
  if (r.source === 'gctrace' && r.forcedCycles > 0) {
    out.push({
      kind: 'gc', source, title: `${r.forcedCycles} cycle(s) forced by runtime.GC()`, site: null,
      evidence: { forcedCycles: r.forcedCycles, cycles: r.cycles }, confidence: 'possible', score: Math.min(50, r.forcedCycles * 2),
      advice: 'A forced collection is a full, blocking cycle; keep runtime.GC() out of hot paths.',
    });
  }
  return out;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
