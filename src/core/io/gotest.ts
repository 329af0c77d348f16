// The io seam for `go test` with profiles: one test or benchmark of a package, its CPU and
// memory profiles (and a trace when asked) written to absolute paths in a run directory, with
// a timeout, cancellation and the output streamed as it comes. The go binary is the caller's
// (resolveGoBinary: never one inside the workspace).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGo } from './gorun';

export interface GoTestSpec {
  go: string;
  /** The package's directory (go test runs there, on `.`). */
  pkgDir: string;
  kind: 'test' | 'benchmark';
  /** TestX or BenchmarkX: matched exactly (`^name$`). */
  name: string;
  count?: number;
  trace?: boolean;
  /** Absolute; created if missing. Profiles, the trace and output.txt go here. */
  runDir: string;
  timeoutMs: number;
  env?: Record<string, string | undefined>;
}

export interface GoTestFiles {
  cpu: string;
  mem: string;
  trace?: string;
  output: string;
}

export interface GoTestResult {
  /** stdout and stderr as they came. */
  output: string;
  exitCode: number | null;
  ms: number;
  stopped?: 'timeout' | 'cancelled';
  files: GoTestFiles;
}

export function goTestFiles(spec: Pick<GoTestSpec, 'runDir' | 'trace'>): GoTestFiles {
  return {
    cpu: join(spec.runDir, 'cpu.pprof'), mem: join(spec.runDir, 'mem.pprof'),
    ...(spec.trace ? { trace: join(spec.runDir, 'trace.out') } : {}), output: join(spec.runDir, 'output.txt'),
  };
}

/** The arguments after `go`. The test binary goes into the run directory (go test -cpuprofile otherwise leaves it in the package). */
export function goTestArgs(spec: GoTestSpec): string[] {
  const f = goTestFiles(spec);
  const pattern = `^${spec.name}$`;
  const select = spec.kind === 'benchmark' ? ['-run', '^$', '-bench', pattern] : ['-run', pattern];
  return [
    'test', ...select, ...(spec.count ? ['-count', String(spec.count)] : []),
    '-cpuprofile', f.cpu, '-memprofile', f.mem, ...(f.trace ? ['-trace', f.trace] : []),
    '-o', join(spec.runDir, 'pkg.test'), '.',
  ];
}

function finishFiles(spec: GoTestSpec, output: string): GoTestFiles {
  const f = goTestFiles(spec);
  try { writeFileSync(f.output, output); } catch { /* the run dir vanished: the output is still returned */ }
  try { rmSync(join(spec.runDir, 'pkg.test'), { force: true }); } catch { /* best effort */ }
  return f;
}

/** Runs go test; resolves when it exits or is stopped (the whole process group killed on timeout or abort). */
export async function runGoTest(spec: GoTestSpec, opts: { signal?: AbortSignal; onOutput?: (chunk: string) => void } = {}): Promise<GoTestResult> {
  mkdirSync(spec.runDir, { recursive: true });
  const r = await runGo(spec.go, goTestArgs(spec), { cwd: spec.pkgDir, env: spec.env, timeoutMs: spec.timeoutMs, signal: opts.signal, onOutput: opts.onOutput });
  return { output: r.text, exitCode: r.exitCode, ms: r.ms, stopped: r.stopped, files: finishFiles(spec, r.text) };
}

/** runGoTest for the command line: the same go test, waited for synchronously. */
export function runGoTestSync(spec: GoTestSpec): GoTestResult {
  mkdirSync(spec.runDir, { recursive: true });
  const t0 = Date.now();
  const r = spawnSync(spec.go, goTestArgs(spec), {
    cwd: spec.pkgDir, env: { ...(spec.env ?? process.env) } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: spec.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 << 20,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const extra = r.error && !timedOut ? `${spec.go}: ${r.error.message}\n` : '';
  const output = (r.stdout ?? '') + (r.stderr ?? '') + extra;
  return { output, exitCode: r.status, ms: Date.now() - t0, stopped: timedOut ? 'timeout' : undefined, files: finishFiles(spec, output) };
}
