// GC findings and `golens gc`: cycles and stop-the-world counts as Go's reference reader
// counts them, the MMU curve (its properties, and number for number against `go tool
// trace` where Go's accounting has no quirk), gctrace logs from every toolchain (forced
// cycles, lines cut by other output), and bad input.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { analyzeTraceGc, gcReportFromGctrace, gcReportFromTrace, stwStats, type GcReport } from '../../../src/core/analysis/gc';
import { GcUseCollector, type UtilOptions } from '../../../src/core/analysis/gcuse';
import { logWindows, meanOf, minimumWindowMeans, mmuCurve, type StepFunction } from '../../../src/core/analysis/mmu';
import { FormatError, InputError } from '../../../src/core/errors';
import { Replayer } from '../../../src/core/runtime/replay';
import { memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { summarize } from '../../../src/core/runtime/pass';
import { parseGctrace, type GctraceCycle } from '../../../src/core/text/gctrace';
import { cmdGc } from '../../../src/cli/gc';
import { gcFindingsFromFiles, gcFrom } from '../../../src/core/artifacts/gc';
import { UsageError } from '../../../src/cli/args';
import { goCompatUtilization } from '../helpers/gomu';
import { ROOT } from '../helpers/fixtures';

const REF = join(ROOT, 'test', 'fixtures', 'go-reference');
const TRACE_DIR = join(ROOT, 'test', 'fixtures', 'trace');
const GC_DIR = join(ROOT, 'test', 'fixtures', 'gctrace');
const GC_LOG_SRC = join(ROOT, 'test', 'fixtures', 'programs', 'gc-log', 'main.go');

/** Stop-the-world ranges begun in each reference trace, counted in `go tool trace -d=parsed` (Go 1.27). */
const GO_STW_COUNTS: Record<string, number> = {
  fmt_1_21_pprof_good: 2, http_1_19_good: 6, http_1_21_good: 4, stress_1_11_good: 502, stress_1_19_good: 668, stress_1_20_good: 670,
  stress_1_21_good: 700, stress_start_stop_1_11_good: 4, stress_start_stop_1_19_good: 10, stress_start_stop_1_21_good: 4,
  user_task_region_1_11_good: 0, user_task_region_1_19_good: 0, user_task_region_1_21_good: 0,
  'go122-annotations-stress.trace': 1, 'go122-annotations.trace': 1, 'go122-gc-stress.trace': 1,
};

const refExpected = existsSync(join(REF, 'expected.json'))
  ? JSON.parse(readFileSync(join(REF, 'expected.json'), 'utf8')) as Record<string, { ok: boolean; gcCycles?: number }>
  : {};

interface TraceCase { name: string; path: string; gcCycles: number; goStw?: number; dump?: string }

function traceCases(): TraceCase[] {
  const out: TraceCase[] = [];
  for (const dir of ['v1', 'v2']) {
    if (!existsSync(join(REF, dir))) continue;
    for (const f of readdirSync(join(REF, dir))) {
      const exp = refExpected[f.replace(/\.trace$/, '')] ?? refExpected[f];
      if (!exp?.ok) continue;
      out.push({ name: `${dir}/${f}`, path: join(REF, dir, f), gcCycles: exp.gcCycles!, goStw: GO_STW_COUNTS[f] ?? GO_STW_COUNTS[f.replace(/\.trace$/, '')] ?? (f.startsWith('go12') ? 0 : undefined) });
    }
  }
  for (const d of readdirSync(TRACE_DIR).filter((x) => /^go1\.\d+$/.test(x))) {
    for (const f of readdirSync(join(TRACE_DIR, d)).filter((x) => x.endsWith('.trace'))) {
      const base = f.replace(/\.trace$/, '');
      const exp = JSON.parse(readFileSync(join(TRACE_DIR, d, `${base}.expected.json`), 'utf8')) as { gcCycles: number };
      const dump = [`${base}.parsed.txt`, `${base}.parsed.txt.gz`].map((x) => join(TRACE_DIR, d, x)).find(existsSync);
      out.push({ name: `${d}/${f}`, path: join(TRACE_DIR, d, f), gcCycles: exp.gcCycles, dump });
    }
  }
  return out;
}

function readDump(path: string): string {
  const b = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(b) : b).toString('utf8');
}

/** Replays a trace once, collecting GC use with the given options; returns the report and the use. */
function analyze(path: string, util?: UtilOptions) {
  const reader = openTrace(memorySource(readFileSync(path)));
  const replayer = new Replayer(reader.strings, reader.stacks);
  const collector = new GcUseCollector(reader.strings, util);
  for (let ev = reader.next(); ev; ev = reader.next()) { replayer.add(ev); collector.add(ev); }
  const model = replayer.finish();
  const use = collector.finish(model.end);
  return { model, use, report: gcReportFromTrace(model, use) };
}

/** f restricted to [t0, end]. */
function restrict(f: StepFunction, t0: number): StepFunction {
  const time: number[] = [t0], value: number[] = [NaN];
  for (let i = 0; i < f.count; i++) {
    if (f.time[i] <= t0) value[0] = f.value[i];
    else { time.push(f.time[i]); value.push(f.value[i]); }
  }
  return { count: time.length, time: Float64Array.from(time), value: Float64Array.from(value), end: f.end };
}

function markerLine(src: string, marker: string): number {
  const i = src.split('\n').findIndex((l) => l.includes(`// golens:${marker}`));
  assert.ok(i >= 0, `marker ${marker}`);
  return i + 1;
}

const cases = traceCases();

describe('GC report on every reference trace and trace fixture', () => {
  test('there are traces to check', () => assert.ok(cases.length >= 60, String(cases.length)));
  for (const c of cases) {
    test(c.name, () => {
      const bytes = readFileSync(c.path);
      const r = analyzeTraceGc(openTrace(memorySource(bytes)));
      const s = summarize(openTrace(memorySource(bytes)));
      assert.equal(r.cycles, c.gcCycles, 'cycles = the reference reader\'s gcCycles');
      assert.equal(r.cycles, s.gcCycles);
      assert.equal(r.stw.count, s.stw.count, 'stw.count = the summary\'s');
      assert.equal(r.stw.totalNs, s.stw.totalNs);
      if (c.goStw !== undefined) assert.equal(r.stw.count, c.goStw, 'stw.count = Go\'s stop-the-world RangeBegins');
      if (c.dump) {
        const dump = readDump(c.dump);
        const goStw = (dump.match(/^M=.* RangeBegin .*Name="stop-the-world/gm) ?? []).length;
        assert.equal(r.stw.count, goStw, 'stw.count = stop-the-world RangeBegins in the reference dump');
        // Each pause's kind is the reason Go's reader names, not another string of the trace.
        const goKinds = new Map<string, number>();
        for (const m of dump.matchAll(/^M=.* RangeBegin .*Name="stop-the-world \((.*)\)" Scope=/gm)) goKinds.set(m[1], (goKinds.get(m[1]) ?? 0) + 1);
        const kinds = new Map(r.stw.byKind.map((k) => [k.kind, k.count]));
        assert.deepEqual(new Map([...kinds].sort()), new Map([...goKinds].sort()), 'stw kinds = the reference dump\'s stop-the-world names');
      }
      // Pause statistics are consistent.
      assert.ok(r.stw.p50Ns <= r.stw.p99Ns && r.stw.p99Ns <= r.stw.maxNs);
      assert.equal(r.stw.byKind.reduce((a, k) => a + k.count, 0), r.stw.count);
      assert.ok(r.gcCpuFraction >= 0 && r.gcCpuFraction <= 1, String(r.gcCpuFraction));
      // The MMU curve: from 10 µs to the whole trace, non-decreasing, within [0, 1].
      if (r.durationNs > 10_000) {
        assert.equal(r.mmu[0].windowNs, 10_000);
        assert.equal(r.mmu.at(-1)!.windowNs, Math.round(r.durationNs));
      }
      for (let k = 0; k < r.mmu.length; k++) {
        const p = r.mmu[k];
        assert.ok(p.utilization >= 0 && p.utilization <= 1, `${p.windowNs}: ${p.utilization}`);
        if (k > 0) {
          assert.ok(p.windowNs > r.mmu[k - 1].windowNs);
          assert.ok(p.utilization >= r.mmu[k - 1].utilization, `MMU decreases at ${p.windowNs}`);
        }
      }
    });
  }
});

describe('MMU limits', () => {
  const withGc = cases.filter((c) => /stress_1_2|gc-stress|trace-gc|http_1_19|stress_start_stop_1_19/.test(c.name));
  for (const c of withGc) {
    test(c.name, () => {
      const { use, report } = analyze(c.path);
      const f = use.utilization;
      // The whole trace as one window is the mean utilization; with GOMAXPROCS constant it is 1 − GC CPU fraction.
      const whole = minimumWindowMeans(f, [report.durationNs])[0];
      assert.ok(Math.abs(whole - meanOf(f)) < 1e-9);
      const raw = minimumWindowMeans(f, report.mmu.map((p) => p.windowNs));
      assert.ok(Math.abs(report.mmu.at(-1)!.utilization - whole) < 1e-12, 'the curve ends at the whole-trace mean');
      assert.equal(report.mmu[0].utilization, Math.min(...raw), 'the bounded curve starts at the smallest raw value');
      report.mmu.forEach((p, k) => assert.ok(p.utilization <= raw[k] + 1e-15));
      // The GC's proc time is exactly its parts (STW × procs, background workers, assists).
      assert.ok(Math.abs(use.gcProcNs - (use.gcStwProcNs + use.backgroundNs + use.assistRunningNs)) <= 1e-6 * Math.max(1, use.gcProcNs));
      // A window no longer than the longest GC pause can sit inside it: utilization 0.
      const gcPauses = report.stw.byKind.filter((k) => k.gc);
      const longest = Math.max(0, ...gcPauses.map((k) => k.maxNs));
      if (longest > 0) assert.equal(minimumWindowMeans(f, [longest])[0], 0);
      // Counting only GC stop-the-world: the whole-trace MMU is 1 − the pauses' share of the time.
      const stwOnly = analyze(c.path, { stw: true, background: false, assist: false }).use;
      const stwShare = stwOnly.gcStwNs / report.durationNs;
      assert.ok(Math.abs(minimumWindowMeans(stwOnly.utilization, [report.durationNs])[0] - (1 - stwShare)) < 1e-9);
      // … and a window of any length is at least that bad somewhere only if a pause is in it: MMU ≥ 1 − w_pause/w.
      for (const w of logWindows(10_000, report.durationNs)) {
        const got = minimumWindowMeans(stwOnly.utilization, [w])[0];
        assert.ok(got >= 1 - stwOnly.gcStwNs / w - 1e-9, `STW-only MMU(${w}) = ${got} below the bound`);
      }
      const gmp = use.capacityProcNs / report.durationNs;
      if (Number.isInteger(gmp)) assert.ok(Math.abs(whole - (1 - report.gcCpuFraction)) < 1e-9, 'whole-trace MMU = 1 − gcCpuFraction');
      // The GC's CPU work is the runtime's CPU by kind, idle marking left out (gccpu.test.ts compares it with the runtime's own).
      const cpu = use.cpu.pauseNs + use.cpu.backgroundNs + use.cpu.assistNs;
      assert.ok(Math.abs(report.gcCpuWorkFraction - Math.min(1, cpu / use.capacityProcNs)) < 1e-12, 'gcCpuWorkFraction = (pause + background + assist) / capacity');
      // Counted the runtime's way, a pause is never longer than the whole stop-the-world range.
      assert.ok(use.cpu.pauseNs <= use.gcStwProcNs + 1e-6, `pause ${use.cpu.pauseNs} > STW ${use.gcStwProcNs}`);
    });
  }
});

interface GoMmu {
  trace: string;
  sha256: string;
  curves: Record<string, { curve: [number, number][]; xMin: number; xMax: number }>;
}

function goMmuFiles(): { file: string; trace: string }[] {
  const out: { file: string; trace: string }[] = [];
  if (!existsSync(GC_DIR)) return out;
  for (const d of readdirSync(GC_DIR)) {
    const dir = join(GC_DIR, d);
    if (d === 'captured' || !existsSync(dir) || d.endsWith('.md')) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.go-mmu.json'))) {
      const j = JSON.parse(readFileSync(join(dir, f), 'utf8')) as GoMmu;
      const trace = j.trace.startsWith('go-reference/') ? join(REF, j.trace.slice('go-reference/'.length))
        : j.trace.startsWith('trace/') ? join(ROOT, 'test', 'fixtures', j.trace) : join(ROOT, 'test', 'fixtures', j.trace);
      out.push({ file: join(dir, f), trace });
    }
  }
  return out;
}

describe('MMU against go tool trace (Go 1.27)', () => {
  const files = goMmuFiles();
  test('Go MMU curves are present for every toolchain and the reference traces', () => assert.ok(files.length >= 20, String(files.length)));
  for (const { file, trace } of files) {
    test(file.slice(GC_DIR.length + 1), () => {
      assert.ok(existsSync(trace), `${trace} missing`);
      const go = JSON.parse(readFileSync(file, 'utf8')) as GoMmu;
      const bytes = readFileSync(trace);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), go.sha256,
        `${go.trace} changed since its Go MMU curves were fetched: run MMU_ONLY=1 test/fixtures/generate-gctrace.sh`);
      const windows = (c: { curve: [number, number][] }) => c.curve.filter(([w]) => w >= 1000);
      const compare = (name: string, f: StepFunction, c: { curve: [number, number][] }) => {
        const ws = windows(c);
        const ours = minimumWindowMeans(f, ws.map(([w]) => w));
        ws.forEach(([w, u], k) => assert.ok(Math.abs(ours[k] - u) < 1e-9, `${name}: window ${w} ns: Go ${u}, ours ${ours[k]}`));
      };
      // 1. Go's accounting (its quirks reproduced) through our exact window minimum = Go's curve, and its length.
      const all = go.curves['stw|background|assist'];
      const goFn = goCompatUtilization(openTrace(memorySource(bytes)));
      compare('Go accounting', goFn, all);
      const len = goFn.end - goFn.time[0];
      if (all.xMax < all.xMin * 1e6) assert.equal(all.xMax, len, 'Go\'s series length');
      // 2. Our own accounting where Go's has no quirk: STW only (unless Go's STW count went negative) and assists only.
      const stwGo = goCompatUtilization(openTrace(memorySource(bytes)), { stw: true });
      compare('Go accounting, STW only', stwGo, go.curves.stw);
      if (!stwGo.stwNegative) {
        const ours = analyze(trace, { stw: true, background: false, assist: false }).use.utilization;
        compare('GoLens, STW only', restrict(ours, stwGo.time[0]), go.curves.stw);
      }
      const ours = analyze(trace, { stw: false, background: false, assist: true }).use.utilization;
      compare('GoLens, assists only', restrict(ours, goFn.time[0]), go.curves.assist);
    });
  }
});

describe('mmu engine', () => {
  const f = (pts: [number, number][], end: number): StepFunction =>
    ({ count: pts.length, time: Float64Array.from(pts, (p) => p[0]), value: Float64Array.from(pts, (p) => p[1]), end });
  test('exact minimum window means on a hand-made function', () => {
    // 1 on [0,10), 0 on [10,12), 0.5 on [12,20), 1 on [20,30].
    const u = f([[0, 1], [10, 0], [12, 0.5], [20, 1]], 30);
    assert.deepEqual(minimumWindowMeans(u, [1, 2, 4, 10, 30, 100]), [0, 0, 0.5 * 2 / 4, (0 * 2 + 0.5 * 8) / 10, (10 + 0 + 4 + 10) / 30, (10 + 0 + 4 + 10) / 30]);
  });
  test('raw MMU need not be monotone; the reported curve is', () => {
    const u = f([[0, 0], [1, 1], [2, 0]], 3);
    assert.deepEqual(minimumWindowMeans(u, [1, 2, 3]), [0, 0.5, 1 / 3]);
    assert.deepEqual(mmuCurve(u, [1, 2, 3]).map((p) => p.utilization), [0, 1 / 3, 1 / 3]);
  });
  test('log-spaced windows from 10 µs to the whole trace', () => {
    const w = logWindows(10_000, 1e9);
    assert.equal(w[0], 10_000);
    assert.equal(w.at(-1), 1e9);
    assert.equal(w.length, 26);
    assert.deepEqual(logWindows(10_000, 5_000), [5_000]);
    assert.deepEqual(logWindows(10_000, 0), []);
  });
  test('stwStats: nearest-rank percentiles and kinds', () => {
    const s = stwStats([10, 20, 30, 40, 1000].map((ns, i) => ({ name: i % 2 ? 'stop-the-world (GC mark termination)' : 'stop-the-world (GOMAXPROCS)', ns })));
    assert.deepEqual([s.count, s.totalNs, s.maxNs, s.p50Ns, s.p99Ns], [5, 1100, 1000, 30, 1000]);
    assert.deepEqual(s.byKind.map((k) => [k.kind, k.gc, k.count]), [['GOMAXPROCS', false, 3], ['GC mark termination', true, 2]]);
  });
});

describe('trace-gc fixtures: planted facts', () => {
  for (const d of readdirSync(TRACE_DIR).filter((x) => /^go1\.\d+$/.test(x))) {
    test(d, () => {
      const exp = JSON.parse(readFileSync(join(TRACE_DIR, d, 'trace-gc.expected.json'), 'utf8')) as {
        planted: { forcedGCs: number; gomaxprocs: number; lines: { marker: string; line: number }[]; finished: { goLine: number }[] };
      };
      const line = (m: string) => exp.planted.lines.find((l) => l.marker === m)!.line;
      const r = analyzeTraceGc(openTrace(memorySource(readFileSync(join(TRACE_DIR, d, 'trace-gc.trace')))));
      assert.equal(r.forcedCycles, exp.planted.forcedGCs);
      assert.deepEqual(r.forcedAt.map((f) => [f.function, f.line, f.count]), [['main.main', line('forcedgc'), 3]]);
      assert.equal(r.gomaxprocs, exp.planted.gomaxprocs);
      assert.ok(r.markAssistNs > 0, 'mark assists happen');
      // User allocation sites are the planted ones; the rest is the runtime allocating for itself (the trace reader).
      assert.ok(r.allocationSites.some((s) => s.function.startsWith('main.')));
      for (const s of r.allocationSites) {
        if (s.function.startsWith('runtime')) continue;
        assert.ok((s.function === 'main.churn' && s.line === line('alloc')) || (s.function === 'main.buildList' && s.line === line('node')), `${s.function}:${s.line}`);
      }
      for (const p of r.assistPayers) {
        if (p.function.startsWith('runtime')) continue; // the trace reader goroutine allocates too
        if (p.function === 'main.main') assert.equal(p.createdAt, null);
        else {
          assert.match(p.function, /^main\.main\.func\d+$/);
          assert.equal(p.createdAt?.line, exp.planted.finished[0].goLine);
        }
      }
      assert.equal(r.assistPayers.reduce((a, p) => a + p.assistNs, 0), r.markAssistNs);
      assert.ok(r.heap.samples.length > 0 && r.heap.peakInUseBytes > 4 << 20);
      assert.ok(r.advice.some((a) => a.includes('runtime.GC()')));
    });
  }
});

// ---- gctrace ----

const gcDirs = existsSync(GC_DIR) ? readdirSync(GC_DIR).filter((d) => /^go1\.\d+$/.test(d)) : [];

interface Facts { gomaxprocsForced: number; gomaxprocs: number; forcedGCs: number; cyclesBeforeTrace: number; cyclesAfterTrace: number; decoys: string[] }

function cpuFieldsByRegex(text: string): { n: number; ns: number }[] {
  const out: { n: number; ns: number }[] = [];
  for (const m of text.matchAll(/gc (\d+) @[\d.]+s \d+%: [\d.+]+ ms clock, ([\d.]+)\+([\d.]+)\/([\d.]+)\/([\d.]+)\+([\d.]+) ms cpu/g)) {
    out.push({ n: Number(m[1]), ns: [m[2], m[3], m[4], m[5], m[6]].map((x) => Math.round(Number(x) * 1e6)).reduce((a, b) => a + b, 0) });
  }
  return out;
}

describe('gctrace logs from every toolchain', () => {
  test('fixtures exist for every toolchain', () => assert.ok(gcDirs.length >= 8, gcDirs.join(',')));
  const src = readFileSync(GC_LOG_SRC, 'utf8');
  for (const d of gcDirs) {
    test(d, () => {
      const text = readFileSync(join(GC_DIR, d, 'gc-log.log'), 'utf8');
      const facts = JSON.parse(readFileSync(join(GC_DIR, d, 'gc-log.facts.json'), 'utf8')) as Facts;
      const log = parseGctrace(text);
      const cs = log.cycles;
      assert.equal(log.malformedLines, 0);
      assert.equal(log.missingCycles, 0);
      assert.equal(cs.length, facts.cyclesAfterTrace, 'every cycle of the run');
      assert.deepEqual(cs.map((c) => c.n), cs.map((_, i) => i + 1));
      // The 3 forced cycles: the first three, at GOMAXPROCS 1; the rest at 2.
      assert.deepEqual(cs.filter((c) => c.forced).map((c) => c.n), [1, 2, 3].map((k) => facts.cyclesBeforeTrace + k));
      for (const c of cs) assert.equal(c.procs, c.forced ? facts.gomaxprocsForced : facts.gomaxprocs, `gc ${c.n} P`);
      for (const c of cs) {
        assert.ok(c.heapStartMiB >= 0 && c.goalMiB >= 4, `gc ${c.n} goal ${c.goalMiB}`);
        assert.notEqual(c.stacksMiB, null);
        assert.ok(c.startNs >= 0);
      }
      // Every field: the cpu components sum as a plain regex reads them; the decoys are not cycles.
      assert.deepEqual(cs.map((c) => ({ n: c.n, ns: Object.values(c.cpuNs).reduce((a, b) => a + b, 0) })), cpuFieldsByRegex(text));
      for (const decoy of facts.decoys) assert.ok(!cs.some((c) => text.split('\n')[c.line - 1] === decoy));
      const r = gcReportFromGctrace(log);
      assert.equal(r.cycles, cs.length);
      assert.equal(r.forcedCycles, 3);
      assert.equal(r.stw.count, 2 * cs.length);
      assert.equal(r.stw.totalNs, cs.reduce((a, c) => a + c.clockNs.sweepTermination + c.clockNs.markTermination, 0));
      assert.equal(r.markAssistNs, cs.reduce((a, c) => a + c.cpuNs.assist, 0));
      assert.ok(r.gcCpuFraction > 0 && r.gcCpuFraction < 1);
      // The runtime prints its own cumulative figure (whole percent, rounded down); on a 10 ms run with
      // start times to the millisecond, ours from the cpu fields stays within a few points of it.
      assert.ok(Math.abs(r.gcCpuFraction * 100 - r.runtimeCpuPercent!) < 8, `${r.gcCpuFraction} vs ${r.runtimeCpuPercent}%`);
      assert.equal(r.mmuApproximate, true);
      for (let k = 1; k < r.mmu.length; k++) assert.ok(r.mmu[k].utilization >= r.mmu[k - 1].utilization);
      assert.ok(r.mmu.every((p) => p.utilization >= 0 && p.utilization <= 1));
      const longest = Math.max(...cs.map((c) => Math.max(c.clockNs.sweepTermination, c.clockNs.markTermination)));
      if (longest >= 10_000) assert.equal(r.mmu[0].utilization, 0, 'a 10 µs window fits in the longest pause');

      // The execution trace of the same run.
      const t = gcFrom(join(GC_DIR, d, 'gc-log.trace'));
      assert.equal(t.forcedCycles, 3);
      assert.deepEqual(t.forcedAt.map((f) => [f.function, f.line]), [['main.main', markerLine(src, 'line forcedgc')]]);
      const inTrace = cs.filter((c) => c.n > facts.cyclesBeforeTrace && c.n <= facts.cyclesAfterTrace).length;
      assert.ok(Math.abs(t.cycles - inTrace) <= 1, `trace ${t.cycles} cycles, log ${inTrace} during the trace`);
      for (const s of t.allocationSites.filter((a) => a.function.startsWith('main.'))) {
        assert.ok([markerLine(src, 'line alloc'), markerLine(src, 'line node')].includes(s.line), `${s.function}:${s.line}`);
      }
    });
  }

  test('a real log whose first gc line was cut by the program\'s output', () => {
    const text = readFileSync(join(GC_DIR, 'captured', 'go1.27-interleaved.log'), 'utf8');
    assert.ok(text.includes('2->2gc-log: forced GC 1 done\n->2 MB'), 'the fixture still holds the cut');
    const log = parseGctrace(text);
    assert.equal(log.malformedLines, 0);
    assert.equal(log.cycles.length, 12);
    assert.deepEqual(log.cycles.filter((c) => c.forced).map((c) => c.n), [1, 2, 3]);
    const c1 = log.cycles[0];
    assert.deepEqual([c1.heapStartMiB, c1.heapEndMiB, c1.liveMiB, c1.goalMiB, c1.procs, c1.line], [2, 2, 2, 4, 2, 3]);
    assert.deepEqual(c1.clockNs, { sweepTermination: 110_000, concurrentMark: 190_000, markTermination: 7_000 });
  });
});

describe('gctrace parsing', () => {
  const lines = gcDirs.map((d) => readFileSync(join(GC_DIR, d, 'gc-log.log'), 'utf8').split('\n').find((l) => /^gc \d+ @.* P$/.test(l))!);
  const one = (text: string): GctraceCycle => {
    const log = parseGctrace(text);
    assert.equal(log.cycles.length, 1, text);
    return log.cycles[0];
  };

  test('a line cut anywhere by another line is re-joined (every toolchain, every cut)', () => {
    for (const line of lines) {
      const want = one(line);
      for (let k = 1; k < line.length; k++) {
        const text = `${line.slice(0, k)}some program output\n${line.slice(k)}\n`;
        const got = parseGctrace(text);
        assert.equal(got.malformedLines, 0, JSON.stringify(text));
        assert.deepEqual({ ...got.cycles[0], line: 0 }, { ...want, line: 0 }, JSON.stringify(text));
      }
    }
  });
  test('other output before the line, CRLF, and a line whose rest never comes', () => {
    const line = lines[lines.length - 1];
    assert.equal(one(`2026-11-23T15:00:00Z stderr F ${line}`).n, one(line).n);
    assert.equal(one(`partial program output${line}\r\n`).n, one(line).n);
    const log = parseGctrace(`${line.slice(0, 40)}\nx\ny\nz\n${line}\n`);
    assert.equal(log.cycles.length, 1);
    assert.equal(log.malformedLines, 1);
  });
  test('every field, forced, Go 1.26 goroutine-leak checks, old lines without stacks and globals', () => {
    const c = one('gc 7 @12.345s 4% (checking for goroutine leaks): 0.018+1.2+0.025 ms clock, 0.073+0.35/0.98/0.21+0.10 ms cpu, 4->5->1 MB, 5 MB goal, 1 MB stacks, 2 MB globals, 8 P (forced)');
    assert.deepEqual(c, {
      n: 7, startNs: 12_345_500_000, cpuPercent: 4, leakCheck: true,
      clockNs: { sweepTermination: 18_000, concurrentMark: 1_200_000, markTermination: 25_000 },
      cpuNs: { sweepTermination: 73_000, assist: 350_000, background: 980_000, idle: 210_000, markTermination: 100_000 },
      heapStartMiB: 4, heapEndMiB: 5, liveMiB: 1, goalMiB: 5, stacksMiB: 1, globalsMiB: 2, procs: 8, forced: true, periodic: false, line: 1,
    });
    const old = one('gc 3 @0.101s 1%: 0.011+12+0.004 ms clock, 0.045+0.10/3.0/9.1+0.017 ms cpu, 4->4->0 MB, 5 MB goal, 4 P');
    assert.deepEqual([old.stacksMiB, old.globalsMiB, old.forced, old.clockNs.concurrentMark], [null, null, false, 12_000_000]);
  });
  test('periodic GC, gaps in the cycle numbers, and two runs in one log', () => {
    const l = (n: number, at: string) => `gc ${n} @${at}s 0%: 0.01+0.1+0.01 ms clock, 0.02+0/0.1/0+0.02 ms cpu, 4->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P`;
    const log = parseGctrace([l(1, '0.010'), 'GC forced', l(2, '120.010'), l(5, '130.000'), 'program restarted', l(1, '0.005'), ''].join('\n'));
    assert.deepEqual(log.cycles.map((c) => c.periodic), [false, true, false, false]);
    assert.equal(log.periodicCycles, 1);
    assert.equal(log.missingCycles, 2);
    assert.equal(log.restarts, 1);
    const [, , third, fourth] = log.cycles;
    assert.ok(fourth.startNs > third.startNs, 'the second run comes after the first');
  });
  test('no cycle line → FormatError', () => {
    for (const text of ['', 'hello\nworld\n', 'gc 0 is not a gctrace line\ngc 12 @ lunch: 3+4 ms\n', '\u0000\u0001\u0002binary', lines[0].slice(0, 60)]) {
      assert.throws(() => parseGctrace(text), FormatError, JSON.stringify(text));
    }
  });
});

// ---- the command ----

function run(args: string[]): string {
  let s = '';
  cmdGc(args, (x) => { s += x; });
  return s;
}

describe('golens gc', () => {
  const traceGc = join(TRACE_DIR, 'go1.27', 'trace-gc.trace');
  const gclog = join(GC_DIR, 'go1.27', 'gc-log.log');
  test('--json: the contract fields first, in order', () => {
    for (const file of [traceGc, gclog]) {
      const j = JSON.parse(run([file, '--json'])) as Record<string, unknown> & { stw: Record<string, unknown>; mmu: Record<string, unknown>[] };
      assert.deepEqual(Object.keys(j).slice(0, 5), ['cycles', 'stw', 'markAssistNs', 'gcCpuFraction', 'mmu']);
      assert.deepEqual(Object.keys(j.stw).slice(0, 5), ['count', 'totalNs', 'maxNs', 'p50Ns', 'p99Ns']);
      assert.ok(j.mmu.length > 0);
      for (const p of j.mmu) assert.deepEqual(Object.keys(p), ['windowNs', 'utilization']);
      for (const k of ['cycles', 'markAssistNs', 'gcCpuFraction']) assert.equal(typeof j[k], 'number');
    }
    const j = JSON.parse(run([traceGc, '--json'])) as GcReport;
    assert.equal(j.cycles, 13);
    assert.equal(j.source, 'trace');
    assert.equal((JSON.parse(run([gclog, '--json'])) as GcReport).source, 'gctrace');
  });
  test('human output', () => {
    const s = run([traceGc]);
    assert.match(s, /^File: .*trace-gc\.trace \(execution trace\)$/m);
    assert.match(s, /^GC cycles: 13 \(3 forced by runtime\.GC at main\.main \(main\.go:90\)\)$/m);
    assert.match(s, /^Stop-the-world: 28 pauses/m);
    assert.match(s, /^MMU — /m);
    assert.match(s, /^Advice:$/m);
    const g = run([gclog]);
    assert.match(g, /\(gctrace log\)/);
    assert.match(g, /^MMU \(estimated\)/m);
  });
  test('bad input: FormatError, InputError or UsageError, one line', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'golens-gc-'));
    const write = (name: string, data: Uint8Array | string) => { const p = join(tmp, name); writeFileSync(p, data); return p; };
    const bytes = readFileSync(traceGc);
    const cases: [string, string | Uint8Array][] = [
      ['empty', ''], ['text', 'hello world\n'], ['gzip', Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0)],
      ['truncated.trace', bytes.subarray(0, Math.floor(bytes.length / 2))], ['future.trace', 'go 1.99 trace\0\0\0'],
      ['pprof', readFileSync(join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'cpu.pprof'))],
    ];
    for (const [name, data] of cases) {
      const p = write(name, data);
      assert.throws(() => run([p]), (e: unknown) => e instanceof FormatError && !e.message.includes('\n') && e.message.startsWith(p), name);
    }
    assert.throws(() => run([join(tmp, 'missing')]), InputError);
    assert.throws(() => run([tmp]), InputError);
    assert.throws(() => run([]), UsageError);
    assert.throws(() => run([traceGc, gclog]), UsageError);
    assert.throws(() => run([traceGc, '--bogus']), UsageError);
  });
  test('gcFindingsFromFiles: gc findings from traces and logs; other files skipped', () => {
    const findings = gcFindingsFromFiles([traceGc, gclog, join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'cpu.pprof'), join(GC_DIR, 'nope.log')]);
    assert.ok(findings.length > 0);
    assert.ok(findings.every((f) => f.kind === 'gc' && (f.source === traceGc || f.source === gclog)));
    const forced = findings.find((f) => f.source === traceGc && f.title.startsWith('runtime.GC()'));
    assert.deepEqual(forced?.site, { function: 'main.main', file: 'golens.example/fixtures/trace-gc/main.go', line: 90 });
    assert.ok(findings.some((f) => f.source === gclog));
    for (const f of findings) assert.ok(['proven', 'likely', 'possible'].includes(f.confidence) && Number.isFinite(f.score));
  });
});

test('a heap goal of 0 (not computed yet) is not the smallest goal', () => {
  // A Go 1.25 trace of encoding/json's tests (felixge/traceutils): Go's reader reports a goal of
  // 0 before the first cycle sets one.
  const bytes = readFileSync(join(ROOT, 'test', 'fixtures', 'wild', 'traces', 'traceutils', '1.25__test-encoding-json.trace'));
  const r = analyzeTraceGc(openTrace(memorySource(bytes)));
  assert.ok(r.heap.samples.some((s) => s.goalBytes === 0), 'the trace has a goal of 0');
  assert.ok(r.heap.minGoalBytes > 0, String(r.heap.minGoalBytes));
  assert.ok(r.heap.minGoalBytes <= r.heap.maxGoalBytes);
});
