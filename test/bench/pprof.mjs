#!/usr/bin/env node
// Benchmark: decode + top of a large real allocation profile (~1M distinct stacks, written by
// test/fixtures/programs/manystacks -depth 20) with `golens top` against `go tool pprof -top`
// on the same file (issue 12's pprof row). Prints each figure with the 1-minute load average
// measured around it, golens' ratios to pprof's and the targets; --check exits 1 when GoLens
// misses them (≤ 0.05× pprof's wall time and peak memory).
// Peak RSS comes from wait4(2)'s rusage of exactly the measured process (via python3).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGo, goEnv, mb, measure } from './measure.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(repo, '.cache', 'bench');
const runs = Number(process.env.GOLENS_BENCH_RUNS ?? 5);
// pprof takes about a minute and gigabytes per run on this file: fewer runs of it by default.
const refRuns = Number(process.env.GOLENS_BENCH_REF_RUNS ?? 1);
const check = process.argv.includes('--check');
const DEPTH = 20;
const TARGET = { wall: 0.05, rss: 0.05 };

const go = findGo();
const cli = join(repo, 'dist', 'cli.js');
if (!existsSync(cli)) { console.error('bench: dist/cli.js is missing; run npm run build'); process.exit(2); }

mkdirSync(out, { recursive: true });
const profile = join(out, `manystacks-d${DEPTH}.pprof`);
if (!existsSync(profile)) {
  const bin = join(out, 'manystacks');
  execFileSync(go, ['build', '-o', bin, './manystacks'], { cwd: join(repo, 'test', 'fixtures', 'programs'), env: goEnv, stdio: 'inherit' });
  execFileSync(bin, ['-o', profile, '-depth', String(DEPTH)], { stdio: 'inherit' });
}
// `go tool pprof` may build pprof on first use: warm it on a small fixture, not this file.
const small = join(repo, 'test', 'fixtures', 'pprof', 'go1.27', 'heap.pprof');
execFileSync(go, ['tool', 'pprof', '-top', '-nodecount=1', small], { env: goEnv, stdio: 'ignore' });

const load = () => loadavg()[0];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
/** Median wall time and peak RSS over n runs (after a warm-up when asked), with the load average before and after. */
function run(name, cmd, n, warm) {
  if (warm) measure(cmd);
  const before = load();
  const wall = [], rss = [];
  for (let i = 0; i < n; i++) { const m = measure(cmd); wall.push(m.wall); rss.push(m.rss); }
  return { name, wall: median(wall), rss: median(rss), load: [before, load()] };
}

const goVersion = execFileSync(go, ['version'], { encoding: 'utf8' }).trim();
console.log(`file: ${profile} (${(statSync(profile).size / 2 ** 20).toFixed(1)} MB gzip, ~${(2 ** DEPTH / 1e6).toFixed(1)}M stacks)`);
console.log(`reference: ${goVersion}; golens ${runs} runs after a warm-up, pprof ${refRuns}; medians; load = 1-min load average before/after\n`);
const golens = run('golens top', ['node', cli, 'top', profile, '-n', '20'], runs, true);
const pprof = run('go tool pprof -top', [go, 'tool', 'pprof', '-top', '-nodecount=20', profile], refRuns, false);

const fmt = (r) => `${r.name.padEnd(20)} ${(r.wall * 1000).toFixed(0).padStart(7)} ms ${mb(r.rss).padStart(10)}   (load ${r.load.map((x) => x.toFixed(2)).join(' → ')})`;
console.log(fmt(golens));
console.log(fmt(pprof));
const w = golens.wall / pprof.wall, m = golens.rss / pprof.rss;
const ok = w <= TARGET.wall && m <= TARGET.rss;
console.log(`\ngolens / pprof: wall ${w.toFixed(3)}× (target ≤ ${TARGET.wall}×, ${(TARGET.wall * pprof.wall).toFixed(2)} s), peak memory ${m.toFixed(3)}× (target ≤ ${TARGET.rss}×, ${mb(TARGET.rss * pprof.rss)}) ${ok ? 'ok' : 'MISSED'}`);
if (check && !ok) process.exit(1);
