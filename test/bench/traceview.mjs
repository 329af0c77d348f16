#!/usr/bin/env node
// Benchmark: how soon a large real trace can be looked at. GoLens: open the trace as the
// editor does (progressively: answered after its first generation, the rest read behind) and
// answer the first tile request (what the trace editor waits for before its first paint), in
// one process that exits then; and, in another, read it all and compute the findings. Go: `go tool trace` from start until its web UI listens
// (it parses the whole trace first). Same file, wall time and peak RSS, and the ratios.
// The trace: GOLENS_BENCH_VIEW_TRACE, else the pipeline trace of GOLENS_BENCH_VIEW_MB MiB (default 26);
// GOLENS_BENCH_TRACE_PROGRAM=manygs: a server's trace instead (test/fixtures/programs/manygs: a goroutine per
// connection and per request's worker, ~585K goroutines in 26 MiB where the pipeline's has 30).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProgram, findGo, goEnv, measure, programTrace } from './measure.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(repo, 'dist', 'test', 'bench', 'traceview-open.js');
if (!existsSync(entry)) { console.error('bench: dist/test/bench/traceview-open.js is missing; run npm run build'); process.exit(2); }
const go = findGo('1.23');
// The trace: GOLENS_BENCH_VIEW_TRACE, else the pipeline trace of GOLENS_BENCH_VIEW_MB MiB (issue 12: 26, and 198
// for the large one), made here if missing.
const trace = process.env.GOLENS_BENCH_VIEW_TRACE ?? programTrace(go, benchProgram, benchProgram, process.env.GOLENS_BENCH_VIEW_MB ?? process.env.GOLENS_BENCH_TRACE_MB ?? '26');
if (!existsSync(trace)) { console.error(`bench: ${trace} is missing`); process.exit(2); }

/** The load average now, to print beside a figure (the machine is shared). */
const load = () => `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
const timing = JSON.parse(execFileSync('node', [entry, trace, '--progressive', '--findings'], { encoding: 'utf8', maxBuffer: 1 << 20 }));
const timingLoad = load();
const golens = measure(['node', entry, trace, '--progressive', '--first-paint']);
const golensLoad = load();

/** go tool trace: seconds until it says its viewer is listening, and its peak RSS then. */
function goTraceReady() {
  return new Promise((resolvePromise, reject) => {
    const t = performance.now();
    const child = spawn(go, ['tool', 'trace', '-http=127.0.0.1:0', trace], { env: { ...goEnv, BROWSER: 'none' } });
    let out = '';
    const onData = (d) => {
      out += d;
      if (!/listening on|Trace viewer is listening/i.test(out)) return;
      const wall = (performance.now() - t) / 1000;
      // The peak RSS of the tool itself (go tool execs the trace binary as a child).
      let rss = 0;
      // Its children are listed before it is killed: once it is gone they are no longer its children (and would live on, holding the pipes).
      const kids = childPids(child.pid);
      for (const pid of [child.pid, ...kids]) {
        try { const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8')); if (m) rss = Math.max(rss, Number(m[1]) * 1024); } catch { /* gone */ }
      }
      for (const pid of kids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      child.kill('SIGKILL');
      resolvePromise({ wall, rss, load: load() });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`go tool trace exited ${code}: ${out.slice(-300)}`)));
  });
}

/** Children of any of its threads (Go starts a child from whichever thread runs the goroutine). */
function childPids(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
      try { return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { return []; }
    });
  } catch { return []; }
}

const goReady = await goTraceReady();
const mb = statSync(trace).size / 2 ** 20;
const f = (s) => `${s.toFixed(2)} s`;
const m = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
console.log(`file: ${trace} (${mb.toFixed(0)} MB, ${timing.events} events); reference: ${execFileSync(go, ['version'], { encoding: 'utf8' }).trim()}`);
console.log(`golens trace view, first paint data: ${f(golens.wall)}, peak ${m(golens.rss)} (${golensLoad})`);
console.log(`  in-process: open ${(timing.openMs / 1000).toFixed(2)} s, first tiles ${timing.firstTilesMs.toFixed(0)} ms (extent ${(timing.firstExtentNs / 1e9).toFixed(2)} s of ${(timing.extentNs / 1e9).toFixed(2)} s); ` +
  `fully read ${(timing.fullyReadMs / 1000).toFixed(2)} s (${timing.grows} updates), peak ${m((timing.peakReadKb ?? timing.peakRssKb) * 1024)}; zoomed tiles ${timing.zoomedTilesMs.toFixed(0)} ms; ` +
  `findings ${(timing.findingsMs / 1000).toFixed(2)} s after the start = ${(timing.findingsMs / timing.firstPaintMs).toFixed(1)}× the first paint, peak ${m(timing.peakRssKb * 1024)} (${timingLoad})`);
console.log(`golens trace view, fully read: ${(timing.fullyReadMs / 1000).toFixed(2)} s, peak ${m((timing.peakReadKb ?? timing.peakRssKb) * 1024)}; ` +
  `after findings: ${(timing.findingsMs / 1000).toFixed(2)} s, peak ${m(timing.peakRssKb * 1024)} (${timingLoad})`);
// Findings as they are ready: the first (so far, while the rest is read) and the final ones, from the start, beside the in-process first paint.
const paintMs = timing.firstPaintMs;
console.log(`golens trace view findings, first findings: ${f(timing.firstFindingsMs / 1000)} = ${(timing.firstFindingsMs / paintMs).toFixed(1)}× the first paint; ` +
  `all findings: ${f(timing.allFindingsMs / 1000)} = ${(timing.allFindingsMs / paintMs).toFixed(1)}× the first paint ` +
  `(first paint ${f(paintMs / 1000)} in-process, ${timing.findingsUpdates} updates so far) (${timingLoad})`);
// Issue 12's "findings <= 2x paint" was set when the first paint waited for the whole file: against the
// timeline painted whole (the last generation read), the final findings' lag is what is left of it.
console.log(`golens trace view findings after the whole timeline: all findings ${f(timing.allFindingsMs / 1000)} = ` +
  `${(timing.allFindingsMs / timing.fullyReadMs).toFixed(2)}× the whole trace painted (fully read ${f(timing.fullyReadMs / 1000)}) (${timingLoad})`);
// Findings as they are ready: each update against the paint of the part of the timeline it covers.
if (timing.findingsLags?.length) {
  const lags = timing.findingsLags;
  console.log(`golens trace view findings behind the paint: ${lags.length} updates, each one's findings / when the timeline through its time was painted: ` +
    `${lags.map((x) => `${x.toFixed(2)}×`).join(', ')}; worst ${Math.max(...lags).toFixed(2)}× (target ≤ 2×) (${timingLoad})`);
}
console.log(`go tool trace until its viewer listens: ${f(goReady.wall)}, peak ${m(goReady.rss)} (${goReady.load})`);
console.log(`ratio: ${(golens.wall / goReady.wall).toFixed(2)}× wall, ${(golens.rss / goReady.rss).toFixed(2)}× peak RSS`);
