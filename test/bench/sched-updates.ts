// The scheduler report "so far" as the trace editor makes it while it reads: a trace read
// generation by generation, the scan kept up after each, a report made after every N-th
// generation (argument 2, default 1) and once at the end. Prints JSON: the reports' total and
// each one's time (ms; the scan's walk not counted), the final report's, and a hash of the
// final report (old and new builds must print the same). Run: npm run build, then
// node dist/test/bench/sched-updates.js <trace> [N]
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { schedFromModel } from '../../src/core/analysis/sched';
import { SchedScan } from '../../src/core/analysis/schedscan';
import { modelCollector, TracePass } from '../../src/core/runtime/pass';
import type { Replayer } from '../../src/core/runtime/replay';
import { memorySource } from '../../src/core/trace/events';
import { openTrace } from '../../src/core/trace/open';

const [file, everyArg] = process.argv.slice(2);
if (!file) { process.stderr.write('usage: sched-updates <trace> [every N generations]\n'); process.exit(2); }
const every = Math.max(1, Number(everyArg ?? 1) || 1);
let live: Replayer | undefined;
const pass = new TracePass(openTrace(memorySource(new Uint8Array(readFileSync(file)))), { model: (r) => (live = modelCollector(r) as Replayer) });
let scan: SchedScan | undefined;
let gens = 0, reportsMs = 0;
const per: number[] = [];
while (pass.step()) {
  const model = live!.model;
  scan ??= new SchedScan(model, { sweep: true });
  scan.scan();
  if (++gens % every === 0) {
    const t = performance.now();
    schedFromModel(model, { scan, timeline: false });
    const d = performance.now() - t;
    reportsMs += d;
    per.push(Math.round(d * 10) / 10);
  }
}
const { model } = pass.finish();
const t = performance.now();
const final = schedFromModel(model, { scan: (scan && scan.model === model ? scan : new SchedScan(model)).scan(), timeline: false });
const finalMs = performance.now() - t;
const hash = createHash('sha256').update(JSON.stringify(final)).digest('hex').slice(0, 12);
process.stdout.write(JSON.stringify({ generations: gens, every, reports: per.length, reportsMs: Math.round(reportsMs), finalMs: Math.round(finalMs), per, hash }) + '\n');
