// `go test` runs of one test or benchmark with profiles: where each run goes
// (`.golens/runs/<name>/<UTC time>/`), which earlier run is "the last run" (same name, same
// package, finished and with a CPU profile), and how the two compare: the CPU profile's total,
// the memory profile's alloc_space (through the pprof diff core) and ns/op from the output.
import { isAbsolute, join, resolve } from 'node:path';
import { profileFromFile } from '../artifacts/profiles';
import { InputError, ToolError } from '../errors';
import { resolveGoBinary } from '../io/gobuild';
import type { GoTestResult, GoTestSpec } from '../io/gotest';
import { isDirectory, isFile, makeNewDir, readJsonRecord, readText, removeDir, subdirectories, writeJsonRecord } from '../io/rundirs';
import { diff } from '../pprof/diff';
import { sampleIndex } from '../pprof/model';
import { utcStamp } from './endpoints';

export type RunKind = 'test' | 'benchmark';

/** run.json: what a run was, so that a later run finds its predecessor. */
export interface RunRecord {
  name: string;
  kind: RunKind;
  /** The package directory, absolute. */
  package: string;
  count?: number;
  trace: boolean;
  startedAt: string;
  exitCode: number | null;
  ms: number;
  /** go test exited 0 and ran what was asked. */
  ok: boolean;
}

export interface Change {
  base: number;
  new: number;
  /** new / base − 1; undefined when the base is 0. */
  change?: number;
}

export interface RunComparison {
  /** The earlier run's directory. */
  previous: string;
  cpu?: Change;
  allocSpace?: Change;
  nsPerOp?: Change;
}

export const RUN_RECORD = 'run.json';

/** A name fit for a directory: Go identifiers are, but a lens argument is not trusted. */
export function runDirName(name: string): string {
  const s = name.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^\.+/, '_');
  return s.slice(0, 200) || '_';
}

export function runsOf(root: string, name: string): string {
  return join(root, '.golens', 'runs', runDirName(name));
}

/** A new, empty run directory: `<root>/.golens/runs/<name>/<UTC time>`, with -2, -3… when that second is taken. */
export function newRunDir(root: string, name: string, when: Date): string {
  const base = join(runsOf(root, name), utcStamp(when));
  if (makeNewDir(base)) return base;
  for (let n = 2; ; n++) if (makeNewDir(`${base}-${n}`)) return `${base}-${n}`;
}

/** Run directory names oldest first: by stamp, then by the -N of runs in the same second. */
export function orderRuns(names: string[]): string[] {
  const key = (s: string) => { const m = /^(.*?)(?:-(\d+))?$/.exec(s)!; return { stamp: m[1], n: m[2] ? Number(m[2]) : 1 }; };
  return names.slice().sort((a, b) => { const x = key(a), y = key(b); return x.stamp < y.stamp ? -1 : x.stamp > y.stamp ? 1 : x.n - y.n; });
}

function recordOf(dir: string): RunRecord | undefined {
  const r = readJsonRecord(join(dir, RUN_RECORD)) as Partial<RunRecord> | undefined;
  return r && typeof r === 'object' && typeof r.name === 'string' && typeof r.package === 'string' && typeof r.ok === 'boolean' ? (r as RunRecord) : undefined;
}

/** The newest finished run of the same name and package before `current` (a run directory), with its CPU profile. */
export function lastRun(root: string, name: string, pkgDir: string, current?: string): string | undefined {
  const parent = runsOf(root, name);
  const names = orderRuns(subdirectories(parent));
  const until = current ? names.indexOf(current.slice(parent.length + 1)) : names.length;
  for (let i = (until < 0 ? names.length : until) - 1; i >= 0; i--) {
    const dir = join(parent, names[i]);
    const rec = recordOf(dir);
    if (rec?.ok && rec.name === name && resolve(rec.package) === resolve(pkgDir) && isFile(join(dir, 'cpu.pprof'))) return dir;
  }
  return undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The result lines of that benchmark in go test's output (`BenchmarkX-8  1000  1234 ns/op …`). */
export function benchmarkLines(output: string, name: string): string[] {
  const re = new RegExp(`^${escapeRe(name)}(?:-\\d+)?\\s+\\d+\\s+[\\d.]+ ns/op`);
  return output.split(/\r?\n/).filter((l) => re.test(l));
}

/** The mean ns/op over the benchmark's lines (one per -count), or undefined. */
export function nsPerOp(output: string, name: string): number | undefined {
  const v = benchmarkLines(output, name).map((l) => Number(/\s([\d.]+) ns\/op/.exec(l)![1])).filter(Number.isFinite);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
}

/** True when go test ran nothing of what was asked (it says "no tests to run", or printed no line for the benchmark). */
export function matchedNothing(kind: RunKind, name: string, output: string): boolean {
  if (/no tests to run/.test(output)) return true;
  return kind === 'benchmark' && /^(ok|PASS)\b/m.test(output) && benchmarkLines(output, name).length === 0;
}

function change(base: number | undefined, next: number | undefined): Change | undefined {
  if (base === undefined || next === undefined) return undefined;
  return { base, new: next, change: base === 0 ? undefined : next / base - 1 };
}

function totals(prev: string, cur: string, file: string, type: string): Change | undefined {
  const a = join(prev, file), b = join(cur, file);
  if (!isFile(a) || !isFile(b)) return undefined;
  try {
    const pa = profileFromFile(a), pb = profileFromFile(b);
    const r = diff(pa, pb, { sampleIndex: sampleIndex(pb, type) });
    return change(r.baseTotal, r.newTotal);
  } catch {
    return undefined;
  }
}

/** The change from the previous run to this one: CPU total, alloc_space total and ns/op (benchmarks). */
export function compareRuns(previous: string, current: string, name: string, outputs: { previous: string; current: string }): RunComparison {
  return {
    previous,
    cpu: totals(previous, current, 'cpu.pprof', 'cpu'),
    allocSpace: totals(previous, current, 'mem.pprof', 'alloc_space'),
    nsPerOp: change(nsPerOp(outputs.previous, name), nsPerOp(outputs.current, name)),
  };
}

/** "+12%", "−3%", "+0.4%" (U+2212 minus, as a reader expects). */
export function formatChange(c: number): string {
  const pct = c * 100;
  const digits = Math.abs(pct) < 9.95 ? 1 : 0;
  const text = Math.abs(pct).toFixed(digits);
  if (Number(text) === 0) return '±0%';
  return `${pct > 0 ? '+' : '\u2212'}${text}%`;
}

/** "compared with the last run: +12% cpu, −3% alloc_space, +1.5% ns/op". */
export function comparisonLine(c: RunComparison): string {
  const parts: string[] = [];
  const add = (what: string, x?: Change) => { if (x?.change !== undefined) parts.push(`${formatChange(x.change)} ${what}`); };
  add('cpu', c.cpu);
  add('alloc_space', c.allocSpace);
  add('ns/op', c.nsPerOp);
  return `compared with the last run: ${parts.length ? parts.join(', ') : 'nothing to compare (no CPU samples or allocations in one of them)'}`;
}

export interface RunRequest {
  /** Where `.golens/runs/` goes: the workspace folder, or the current directory. */
  root: string;
  pkgDir: string;
  kind: RunKind;
  name: string;
  count?: number;
  trace?: boolean;
  /** golens.goPath / --go. */
  goSetting?: string;
  env: Record<string, string | undefined>;
  /** Folders whose go binaries are refused (the workspace). */
  workspaceFolders: string[];
  timeoutMs: number;
  when: Date;
}

/** Checks the request and makes its run directory: the spec for runGoTest / runGoTestSync. Throws InputError or ToolError. */
export function prepareRun(req: RunRequest): GoTestSpec {
  const pkgDir = resolve(req.pkgDir);
  if (!isAbsolute(req.root)) throw new InputError(req.root, 'the runs folder must be an absolute path');
  if (!isDirectory(pkgDir)) throw new InputError(req.pkgDir, 'no such package directory');
  const go = resolveGoBinary({ setting: req.goSetting, env: req.env, workspaceFolders: req.workspaceFolders });
  if ('error' in go) throw new ToolError(go.error);
  if (req.count !== undefined && !(Number.isInteger(req.count) && req.count > 0)) throw new InputError(String(req.count), '-count must be a positive whole number');
  return {
    go: go.path, pkgDir, kind: req.kind, name: req.name, count: req.count, trace: !!req.trace,
    runDir: newRunDir(req.root, req.name, req.when), timeoutMs: req.timeoutMs, env: req.env,
  };
}

export interface RunOutcome {
  spec: GoTestSpec;
  result: GoTestResult;
  record: RunRecord;
  /** The benchmark's result lines (benchmarks only). */
  lines: string[];
  /** go test ran nothing of what was asked: the run directory was removed. */
  nothing: boolean;
  comparison?: RunComparison;
}

/** Records a finished run and compares it with the last one. */
export function completeRun(root: string, spec: GoTestSpec, result: GoTestResult, when: Date): RunOutcome {
  const nothing = !result.stopped && matchedNothing(spec.kind, spec.name, result.output);
  const ok = result.exitCode === 0 && !result.stopped && !nothing && isFile(result.files.cpu);
  const record: RunRecord = {
    name: spec.name, kind: spec.kind, package: spec.pkgDir, ...(spec.count ? { count: spec.count } : {}), trace: !!spec.trace,
    startedAt: when.toISOString(), exitCode: result.exitCode, ms: result.ms, ok,
  };
  const lines = spec.kind === 'benchmark' ? benchmarkLines(result.output, spec.name) : [];
  if (nothing || result.stopped === 'cancelled') {
    removeDir(spec.runDir);
    return { spec, result, record, lines, nothing };
  }
  writeJsonRecord(join(spec.runDir, RUN_RECORD), record);
  const prev = ok ? lastRun(root, spec.name, spec.pkgDir, spec.runDir) : undefined;
  const comparison = prev ? compareRuns(prev, spec.runDir, spec.name, { previous: readText(join(prev, 'output.txt')), current: result.output }) : undefined;
  return { spec, result, record, lines, nothing, comparison };
}
