// `golens bench <pkg dir> <BenchmarkName|TestName> [--count N] [--trace] [--json]`: runs one
// benchmark (or test) with go test's CPU and memory profiles into .golens/runs/<name>/<time>/,
// prints its result lines, the CPU profile's top 10 and the change since the last run.
import { resolve } from 'node:path';
import { comparisonLine, completeRun, nsPerOp, prepareRun, type RunKind, type RunOutcome } from '../core/capture/runs';
import { ToolError } from '../core/errors';
import { printable } from '../core/format';
import { runGoTestSync } from '../core/io/gotest';
import { profileFromFile } from '../core/artifacts/profiles';
import { sampleIndex } from '../core/pprof/model';
import { stacks } from '../core/pprof/stacks';
import { top } from '../core/pprof/top';
import { isTestName } from '../core/source/gotests';
import { one, parseArgs, UsageError } from './args';
import { topTable } from './format';
import { decodeOptions } from './limits';

const USAGE = 'golens bench <package dir> <BenchmarkName|TestName> [--count N] [--trace] [--go PATH] [--timeout SECONDS] [--json]';

export interface BenchContext {
  /** Where .golens/runs goes (default: the current directory). */
  cwd?: string;
  env?: Record<string, string | undefined>;
}

function kindOf(name: string): RunKind {
  if (isTestName(name, 'Benchmark')) return 'benchmark';
  if (isTestName(name, 'Test')) return 'test';
  throw new UsageError(`${JSON.stringify(name)} is not a benchmark or test name (BenchmarkX or TestX, as go test runs them); ${USAGE}`);
}

/** go test's first line that says what went wrong (build errors, a missing package, a failed test). */
function firstProblem(output: string): string {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(#|no Go files|can't load|cannot find|go: |stat |.*\.go:\d+:\d+: |--- FAIL|panic:)/.test(l) && !l.startsWith('# ')) ?? lines.find((l) => !/^(FAIL|ok|PASS|exit status)\b/.test(l)) ?? lines[0] ?? 'no output';
}

export function cmdBench(argv: string[], out: (s: string) => void, err: (s: string) => void, ctx: BenchContext = {}): number {
  const a = parseArgs(argv, { values: ['count', 'go', 'timeout'], booleans: ['json', 'trace'] });
  if (a.positional.length !== 2) throw new UsageError(`bench needs a package directory and a benchmark name: ${USAGE}`);
  const [pkg, name] = a.positional;
  const kind = kindOf(name);
  const countText = one(a, 'count');
  if (countText !== undefined && !/^[1-9]\d{0,5}$/.test(countText)) throw new UsageError(`--count needs a positive whole number, not ${JSON.stringify(countText)}`);
  const timeoutText = one(a, 'timeout') ?? '600';
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || Number(timeoutText) <= 0) throw new UsageError(`--timeout needs seconds, not ${JSON.stringify(timeoutText)}`);
  const root = ctx.cwd ?? process.cwd();
  const env = ctx.env ?? process.env;
  const when = new Date();
  const spec = prepareRun({
    root, pkgDir: resolve(root, pkg), kind, name, count: countText ? Number(countText) : undefined, trace: a.bools.has('trace'),
    goSetting: one(a, 'go'), env, workspaceFolders: [], timeoutMs: Number(timeoutText) * 1000, when,
  });
  const o = completeRun(root, spec, runGoTestSync(spec), when);
  if (o.nothing) throw new ToolError(`no ${kind} matched ^${name}$ in ${pkg} (go test: no tests to run)`);
  if (o.result.stopped) throw new ToolError(`go test did not finish in ${timeoutText} s (--timeout); its output is in ${o.result.files.output}`);
  if (!o.record.ok) {
    err(o.result.output.endsWith('\n') || !o.result.output ? o.result.output : o.result.output + '\n');
    throw new ToolError(`go test failed in ${pkg}: ${firstProblem(o.result.output)} (output in ${o.result.files.output})`);
  }
  if (a.bools.has('json')) out(JSON.stringify(benchJson(o)) + '\n');
  else out(benchText(o));
  return 0;
}

function cpuTop(o: RunOutcome) {
  const prof = profileFromFile(o.result.files.cpu, decodeOptions);
  const si = sampleIndex(prof, 'cpu');
  const res = top(stacks(prof, si), 'functions');
  return { res, unit: prof.sampleTypes[si].unit };
}

function benchJson(o: RunOutcome) {
  const { res, unit } = cpuTop(o);
  const c = o.comparison;
  return {
    name: o.spec.name, kind: o.spec.kind, package: o.spec.pkgDir, runDir: o.spec.runDir, files: o.result.files,
    lines: o.lines, nsPerOp: nsPerOp(o.result.output, o.spec.name) ?? null,
    cpu: { unit, total: res.total, top: res.rows.slice(0, 10).map((r) => ({ name: r.printable, flat: r.flat, cum: r.cum })) },
    comparison: c ? { previous: c.previous, cpu: c.cpu ?? null, allocSpace: c.allocSpace ?? null, nsPerOp: c.nsPerOp ?? null, line: comparisonLine(c) } : null,
  };
}

function benchText(o: RunOutcome): string {
  const f = o.result.files;
  const lines = [
    `${o.spec.kind === 'benchmark' ? 'benchmark' : 'test'} ${printable(o.spec.name)} in ${printable(o.spec.pkgDir)} (${(o.result.ms / 1000).toFixed(1)} s)`,
    // go aligns the columns with tabs; printable() would show them as escapes.
    ...o.lines.map((l) => printable(l.replace(/\t/g, ' '))),
    `files in ${printable(o.spec.runDir)}:`,
    `  cpu profile     ${printable(f.cpu)}`,
    `  memory profile  ${printable(f.mem)}`,
    ...(f.trace ? [`  trace           ${printable(f.trace)}`] : []),
    `  go test output  ${printable(f.output)}`,
    '',
  ];
  const { res, unit } = cpuTop(o);
  const table = res.total === 0 ? 'The CPU profile has no samples (the run was too short to sample).\n' : topTable(res.rows.slice(0, 10), res.total, unit, ['Top 10 of the CPU profile:']);
  return lines.join('\n') + '\n' + table + (o.comparison ? `\n${comparisonLine(o.comparison)}\n` : '');
}
