// Shared by the benchmarks: the Go toolchain to compare against, and wall time + peak RSS of
// exactly one process (wait4(2)'s rusage through python3), medians over several runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const goEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' };

/** The Go toolchain: GOLENS_GO, else /usr/lib/go-<want>, else the newest /usr/lib/go-1.N, else `go`. */
export function findGo(want) {
  if (process.env.GOLENS_GO) return process.env.GOLENS_GO;
  if (want && existsSync(`/usr/lib/go-${want}/bin/go`)) return `/usr/lib/go-${want}/bin/go`;
  const debs = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((d) => /^go-1\.\d+$/.test(d)) : [];
  debs.sort((a, b) => Number(b.slice(5)) - Number(a.slice(5)));
  for (const d of debs) if (existsSync(`/usr/lib/${d}/bin/go`)) return `/usr/lib/${d}/bin/go`;
  if (spawnSync('go', ['version']).status === 0) return 'go';
  console.error('bench: no Go toolchain (install with scripts/install-go.sh or set GOLENS_GO)');
  process.exit(2);
}

const MEASURE = `
import os, sys, time
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    fd = os.open(os.devnull, os.O_WRONLY); os.dup2(fd, 1); os.dup2(fd, 2)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(f"{time.perf_counter() - t:.6f} {ru.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
`;

export function measure(cmd) {
  const r = spawnSync('python3', ['-c', MEASURE, ...cmd], { env: goEnv, encoding: 'utf8' });
  const [wall, rssKb, code] = r.stdout.trim().split(' ').map(Number);
  if (r.status !== 0 || code !== 0) throw new Error(`${cmd.join(' ')} failed (${r.stderr || `exit ${code}`})`);
  return { wall, rss: rssKb * 1024 };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/** Median wall time and peak RSS over `runs` runs after one warm-up. */
export function bench(name, cmd, runs) {
  measure(cmd);
  const wall = [], rss = [];
  for (let i = 0; i < runs; i++) { const m = measure(cmd); wall.push(m.wall); rss.push(m.rss); }
  return { name, wall: median(wall), rss: median(rss) };
}

/**
 * The same for several commands measured against each other, in rounds: one warm-up each, then
 * each round runs every command once, in turn, each round from the next one. On a shared machine the load drifts over a
 * minute; alternating puts the same drift under every command, where a block of runs of one
 * command then a block of the next would time them under different loads.
 */
/**
 * A second's pause before a run: a process that has just freed 1.4 GB (go tool trace) leaves the
 * kernel busy for a while, and a run starting then (node's compiler thread wants the second core)
 * took up to 1.3× its time.
 */
function settle() {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

export function benchAlternating(cmds, runs) {
  for (const { cmd } of cmds) measure(cmd);
  const walls = cmds.map(() => []), rsss = cmds.map(() => []);
  for (let i = 0; i < runs; i++) {
    // Each round starts with the next command, so that each follows each other as often (a
    // process that leaves the machine busy, freeing 1.4 GB, slows whatever runs after it).
    for (let j = 0; j < cmds.length; j++) {
      const k = (i + j) % cmds.length;
      settle();
      const m = measure(cmds[k].cmd);
      walls[k].push(m.wall);
      rsss[k].push(m.rss);
    }
  }
  return cmds.map(({ name }, k) => ({ name, wall: median(walls[k]), rss: median(rsss[k]), walls: walls[k] }));
}

export const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;

/** Prints a table of results and golens' ratios against each reference; returns whether all met the targets. */
export function report(golens, refs, target) {
  console.log(`${'tool'.padEnd(30)} ${'wall'.padStart(9)} ${'peak RSS'.padStart(10)}`);
  for (const r of [golens, ...refs]) console.log(`${r.name.padEnd(30)} ${(r.wall * 1000).toFixed(0).padStart(6)} ms ${mb(r.rss).padStart(10)}`);
  console.log('');
  let ok = true;
  for (const ref of refs) {
    const w = golens.wall / ref.wall, m = golens.rss / ref.rss;
    const pass = w <= target.wall && m <= target.rss;
    ok &&= pass;
    console.log(`golens / ${ref.name}: wall ${w.toFixed(2)}× (target ≤ ${target.wall}×), peak memory ${m.toFixed(2)}× (target ≤ ${target.rss}×) ${pass ? 'ok' : 'MISSED'}`);
  }
  return ok;
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the benchmarks keep what they make (not committed). */
export const benchDir = join(repo, '.cache', 'bench');

/**
 * The trace of a program of test/fixtures/programs (`program`: pipeline, the default bench's busy
 * pipeline, or manygs, a server making a goroutine per connection and per request's worker) of
 * `mb` MiB, built by the toolchain `tool` and kept as .cache/bench/<name>-<mb>mb.trace once made.
 * By size, not by seconds: how many events a second brings depends on the machine and its load,
 * and the figures are compared with the issue's sizes. The program takes `-o FILE -mb N`.
 */
export function programTrace(tool, program, name, mb) {
  mkdirSync(benchDir, { recursive: true });
  const trace = join(benchDir, `${name}-${mb}mb.trace`);
  if (existsSync(trace)) return trace;
  const bin = join(benchDir, name);
  execFileSync(tool, ['build', '-o', bin, `./${program}`], { cwd: join(repo, 'test', 'fixtures', 'programs'), env: goEnv, stdio: 'inherit' });
  execFileSync(bin, ['-o', trace, '-mb', String(mb)], { stdio: 'inherit' });
  return trace;
}

/** The program whose trace the trace benches read: GOLENS_BENCH_TRACE_PROGRAM, else pipeline. */
export const benchProgram = process.env.GOLENS_BENCH_TRACE_PROGRAM ?? 'pipeline';
