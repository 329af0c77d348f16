#!/usr/bin/env node
// Benchmark: decode + top of a large real allocation profile (~131k distinct stacks, written
// by test/fixtures/programs/manystacks) with `golens top` against `go tool pprof -top` on the
// same file. Prints median wall time and peak RSS of each and the ratios; --check exits 1
// when GoLens misses its targets (≤ 0.5× the wall time, ≤ 0.25× the peak memory).
// Peak RSS comes from wait4(2)'s rusage of exactly the measured process (via python3).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(repo, '.cache', 'bench');
const runs = Number(process.env.GOLENS_BENCH_RUNS ?? 5);
const check = process.argv.includes('--check');
const TARGET = { wall: 0.5, rss: 0.25 };

function findGo() {
  if (process.env.GOLENS_GO) return process.env.GOLENS_GO;
  const debs = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((d) => /^go-1\.\d+$/.test(d)) : [];
  debs.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  for (const d of debs.reverse()) if (existsSync(`/usr/lib/${d}/bin/go`)) return `/usr/lib/${d}/bin/go`;
  const r = spawnSync('go', ['version']);
  if (r.status === 0) return 'go';
  console.error('bench: no Go toolchain (install one with ../shared/tools/install-go-toolchains.sh or set GOLENS_GO)');
  process.exit(2);
}

const go = findGo();
const goEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' };
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

function measure(cmd) {
  const r = spawnSync('python3', ['-c', MEASURE, ...cmd], { env: goEnv, encoding: 'utf8' });
  const [wall, rssKb, code] = r.stdout.trim().split(' ').map(Number);
  if (r.status !== 0 || code !== 0) throw new Error(`${cmd.join(' ')} failed (${r.stderr || code})`);
  return { wall, rss: rssKb * 1024 };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
function bench(name, cmd) {
  measure(cmd); // warm-up: page cache, compiled code
  const wall = [], rss = [];
  for (let i = 0; i < runs; i++) { const m = measure(cmd); wall.push(m.wall); rss.push(m.rss); }
  return { name, wall: median(wall), rss: median(rss) };
}

const goVersion = execFileSync(go, ['version'], { encoding: 'utf8' }).trim();
console.log(`file: ${profile} (${(statSync(profile).size / 1024).toFixed(0)} KiB gzip)`);
console.log(`reference: ${goVersion}; ${runs} runs each after a warm-up; medians\n`);
const golens = bench('golens top', ['node', cli, 'top', profile, '-n', '20']);
const goTool = bench('go tool pprof -top', [go, 'tool', 'pprof', '-top', '-nodecount=20', profile]);
const pprof = bench('pprof -top (binary)', [pprofBin, '-top', '-nodecount=20', profile]);

const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;
console.log(`${'tool'.padEnd(22)} ${'wall'.padStart(9)} ${'peak RSS'.padStart(10)}`);
for (const r of [golens, goTool, pprof]) console.log(`${r.name.padEnd(22)} ${(r.wall * 1000).toFixed(0).padStart(6)} ms ${mb(r.rss).padStart(10)}`);
let ok = true;
console.log('');
for (const ref of [goTool, pprof]) {
  const w = golens.wall / ref.wall, m = golens.rss / ref.rss;
  const pass = w <= TARGET.wall && m <= TARGET.rss;
  ok &&= pass;
  console.log(`golens / ${ref.name}: wall ${w.toFixed(2)}× (target ≤ ${TARGET.wall}×), peak memory ${m.toFixed(2)}× (target ≤ ${TARGET.rss}×) ${pass ? 'ok' : 'MISSED'}`);
}
if (check && !ok) process.exit(1);
