#!/usr/bin/env node
// Benchmark: decode + replay of a large real execution trace (a busy pipeline program,
// test/fixtures/programs/pipeline, traced for a few seconds with Go 1.23) by `golens trace`,
// against `go tool trace -pprof=sched` (Go 1.23) on the same file. Prints median wall time
// and peak RSS, the ratios, events per second and bytes per event; --check exits 1 when
// GoLens misses its targets (≤ 0.5× the wall time, ≤ 0.25× the peak memory).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, findGo, goEnv, report } from './measure.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(repo, '.cache', 'bench');
const runs = Number(process.env.GOLENS_BENCH_RUNS ?? 3);
const seconds = process.env.GOLENS_BENCH_TRACE_SECONDS ?? '3';
const cli = join(repo, 'dist', 'cli.js');
if (!existsSync(cli)) { console.error('bench: dist/cli.js is missing; run npm run build'); process.exit(2); }

const go = findGo('1.23');
mkdirSync(out, { recursive: true });
const trace = join(out, `pipeline-${seconds}s.trace`);
if (!existsSync(trace)) {
  const bin = join(out, 'pipeline');
  execFileSync(go, ['build', '-o', bin, './pipeline'], { cwd: join(repo, 'test', 'fixtures', 'programs'), env: goEnv, stdio: 'inherit' });
  execFileSync(bin, ['-o', trace, '-d', `${seconds}s`], { stdio: 'inherit' });
}
const summary = JSON.parse(execFileSync('node', [cli, 'trace', trace, '--json'], { encoding: 'utf8' }));
const size = statSync(trace).size;
console.log(`file: ${trace} (${(size / 2 ** 20).toFixed(1)} MB, ${summary.format}, ${summary.events} events, ${summary.generations} generations)`);
console.log(`reference: ${execFileSync(go, ['version'], { encoding: 'utf8' }).trim()}; ${runs} runs each after a warm-up; medians\n`);

const golens = bench('golens trace (decode + replay)', ['node', cli, 'trace', trace, '--json'], runs);
const goTrace = bench('go tool trace -pprof=sched', [go, 'tool', 'trace', '-pprof=sched', trace], runs);
const ok = report(golens, [goTrace], { wall: 0.5, rss: 0.25 });
console.log(`\ngolens: ${(summary.events / golens.wall / 1e6).toFixed(1)} M events/s, ${(size / summary.events).toFixed(1)} bytes/event in the file, ${(golens.rss / summary.events).toFixed(0)} bytes of peak RSS per event`);
if (process.argv.includes('--check') && !ok) process.exit(1);
