// What the trace editor does before its first paint, in one process: decode, replay and
// index a trace (TraceStore.openTrace), then the first tiles for every lane of a 1000-pixel
// view of the whole trace. Prints JSON timings; test/bench/traceview.mjs runs it.
// --progressive: opened as the editor opens it (answered after the first generation, the rest
// read behind); --first-paint: exit as soon as the first tiles are made (the process's wall
// and peak RSS are then those of the first paint); --findings: also wait for the findings
// (firstFindingsMs: the first findings so far told, allFindingsMs: the final ones, from the start);
// --memory: print the heap and RSS to stderr at each step (and every 5th growth), after a GC when --expose-gc is on.
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import type { LaneRef, TraceGrownParams, TraceViewSummary } from '../../src/protocol/trace';
import { TraceStore } from '../../src/server/traces';

function lanesOf(s: TraceViewSummary): LaneRef[] {
  return [
    { kind: 'gc', id: 0 }, { kind: 'stw', id: 0 }, { kind: 'assist', id: 0 }, { kind: 'sweep', id: 0 },
    ...s.procs.map((id) => ({ kind: 'proc' as const, id })), ...s.threads.map((id) => ({ kind: 'thread' as const, id })),
  ];
}

/** The peak RSS so far (KiB). */
const peakKb = () => process.resourceUsage().maxRSS;

/** With --memory, one line on stderr: where the memory is at this step. */
function memoryAt(on: boolean, t0: number, step: string): void {
  if (!on) return;
  const gc = (globalThis as { gc?: () => void }).gc;
  // Twice: V8 frees array buffers' memory behind a GC, and finishes that before the next one.
  if (gc) { gc(); gc(); }
  const m = process.memoryUsage(), h = getHeapStatistics(), mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s ${step}: rss ${mb(m.rss)} (peak ${mb(peakKb() * 1024)}), ` +
    `heap ${mb(m.heapUsed)} of ${mb(h.total_heap_size)}, array buffers ${mb(m.arrayBuffers)}${gc ? ' (after a GC)' : ''}\n`);
}

async function main(): Promise<void> {
  const path = process.argv[2];
  const memory = process.argv.includes('--memory');
  const withFindings = process.argv.includes('--findings');
  const progressive = process.argv.includes('--progressive');
  const firstPaintOnly = process.argv.includes('--first-paint');
  const store = new TraceStore();
  let done: (g: TraceGrownParams) => void = () => {};
  const fullyRead = new Promise<TraceGrownParams>((r) => { done = r; });
  let grows = 0;
  let firstFindingsMs: number | undefined, allFindingsMs: number | undefined, soFar = 0;
  // When each extent of the timeline could be painted, and when findings through each time came.
  const painted: { ms: number; extentNs: number }[] = [];
  const found: { ms: number; throughNs: number }[] = [];
  const t0 = performance.now();
  const res = await store.openTrace({ uri: pathToFileURL(path).toString(), progressive }, () => {}, undefined, (g) => {
    grows++;
    painted.push({ ms: performance.now() - t0, extentNs: g.summary.durationNs });
    if (grows % 5 === 0) memoryAt(memory, t0, `update ${grows}`);
    if (g.done) done(g);
  }, (f) => {
    const t = performance.now() - t0;
    firstFindingsMs ??= t;
    found.push({ ms: t, throughNs: f.findings.throughNs });
    if (f.findings.final) allFindingsMs = t; else soFar++;
  });
  if (!res.ok) throw new Error(res.error.message);
  const t1 = performance.now();
  const s = res.summary;
  const tiles = store.tiles({ id: s.id, query: { t0: 0, t1: s.durationNs, pixels: 1000, lanes: lanesOf(s), colorBy: 'goroutine', counters: true } });
  if (!tiles.ok) throw new Error(tiles.error.message);
  const t2 = performance.now();
  painted.unshift({ ms: t2 - t0, extentNs: s.durationNs });
  if (firstPaintOnly) {
    process.stdout.write(JSON.stringify({ firstPaintMs: t2 - t0 }) + '\n');
    process.exit(0);
  }
  // The whole trace: at once, or when the rest has been read.
  const whole = s.loading ? (await fullyRead).summary : s;
  if (s.loading) await store.loaded(s.id);
  const t3 = performance.now();
  const peakReadKb = peakKb();
  memoryAt(memory, t0, 'fully read');
  // A zoomed-in view in the middle: one thousandth of the trace.
  const mid = whole.durationNs / 2, w = whole.durationNs / 1000;
  store.tiles({ id: s.id, query: { t0: mid, t1: mid + w, pixels: 3000, lanes: lanesOf(whole), colorBy: 'goroutine', counters: true } });
  const t4 = performance.now();
  let findingsMs: number | undefined;
  if (withFindings) {
    const f = await store.findingsOf({ id: s.id });
    if (!f.ok) throw new Error(f.error.message);
    findingsMs = performance.now() - t0;
    // The whole-file path tells nothing before it is asked: its first findings are its findings.
    firstFindingsMs ??= findingsMs;
    allFindingsMs ??= findingsMs;
    memoryAt(memory, t0, 'findings');
  }
  // Each findings update against the paint of the timeline it covers (the first extent that reaches
  // its time): how far the findings lag what is on screen, update by update.
  const lags = found.map((x) => {
    const p = painted.find((q) => q.extentNs >= x.throughNs) ?? painted[painted.length - 1];
    return x.ms / Math.max(p.ms, t2 - t0);
  });
  process.stdout.write(JSON.stringify({
    findingsLags: lags,
    events: whole.events, openMs: t1 - t0, firstTilesMs: t2 - t1, firstPaintMs: t2 - t0, fullyReadMs: t3 - t0, grows,
    firstExtentNs: s.durationNs, extentNs: whole.durationNs, zoomedTilesMs: t4 - t3, findingsMs, firstFindingsMs, allFindingsMs, findingsUpdates: soFar,
    peakReadKb, peakRssKb: peakKb(),
  }) + '\n');
}

main().catch((e) => { process.stderr.write(`${(e as Error).message}\n`); process.exit(2); });
