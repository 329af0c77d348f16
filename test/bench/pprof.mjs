#!/usr/bin/env node
// Benchmark: decode + top of a large real allocation profile (~131k distinct stacks, written
// by test/fixtures/programs/manystacks) with `golens top` against `go tool pprof -top` on the
// same file. Prints median wall time and peak RSS of each and the ratios; --check exits 1
// when GoLens misses its targets (≤ 0.5× the wall time, ≤ 0.25× the peak memory).
// Peak RSS comes from wait4(2)'s rusage of exactly the measured process (via python3).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, findGo, goEnv, report } from './measure.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(repo, '.cache', 'bench');
const runs = Number(process.env.GOLENS_BENCH_RUNS ?? 5);
const check = process.argv.includes('--check');
const TARGET = { wall: 0.5, rss: 0.25 };

const go = findGo();
const cli = join(repo, 'dist', 'cli.js');
if (!existsSync(cli)) { console.error('bench: dist/cli.js is missing; run npm run build'); process.exit(2); }

mkdirSync(out, { recursive: true });
const profile = join(out, 'manystacks.pprof');
if (!existsSync(profile)) {
  const bin = join(out, 'manystacks');
  execFileSync(go, ['build', '-o', bin, './manystacks'], { cwd: join(repo, 'test', 'fixtures', 'programs'), env: goEnv, stdio: 'inherit' });
  execFileSync(bin, ['-o', profile], { stdio: 'inherit' });
}
// `go tool pprof` may build pprof on first use; warm it, then also time the binary it runs.
execFileSync(go, ['tool', 'pprof', '-top', '-nodecount=1', profile], { env: goEnv, stdio: 'ignore' });
const pprofBin = execFileSync(go, ['tool', '-n', 'pprof'], { env: goEnv, encoding: 'utf8' }).trim();

const goVersion = execFileSync(go, ['version'], { encoding: 'utf8' }).trim();
console.log(`file: ${profile} (${(statSync(profile).size / 1024).toFixed(0)} KiB gzip)`);
console.log(`reference: ${goVersion}; ${runs} runs each after a warm-up; medians\n`);
const golens = bench('golens top', ['node', cli, 'top', profile, '-n', '20'], runs);
const goTool = bench('go tool pprof -top', [go, 'tool', 'pprof', '-top', '-nodecount=20', profile], runs);
const pprof = bench('pprof -top (binary)', [pprofBin, '-top', '-nodecount=20', profile], runs);

const ok = report(golens, [goTool, pprof], TARGET);
if (check && !ok) process.exit(1);
