// What the trace editor does before its first paint, in one process: decode, replay and
// index a trace (TraceStore.openTrace), then the first tiles for every lane of a 1000-pixel
// view of the whole trace. Prints JSON timings; test/bench/traceview.mjs runs it.
import { pathToFileURL } from 'node:url';
import type { LaneRef } from '../../src/protocol/trace';
import { TraceStore } from '../../src/server/traces';

async function main(): Promise<void> {
  const path = process.argv[2];
  const withFindings = process.argv.includes('--findings');
  const store = new TraceStore();
  const t0 = performance.now();
  const res = await store.openTrace({ uri: pathToFileURL(path).toString() }, () => {});
  if (!res.ok) throw new Error(res.error.message);
  const t1 = performance.now();
  const s = res.summary;
  const lanes: LaneRef[] = [
    { kind: 'gc', id: 0 }, { kind: 'stw', id: 0 }, { kind: 'assist', id: 0 }, { kind: 'sweep', id: 0 },
    ...s.procs.map((id) => ({ kind: 'proc' as const, id })), ...s.threads.map((id) => ({ kind: 'thread' as const, id })),
  ];
  const tiles = store.tiles({ id: s.id, query: { t0: 0, t1: s.durationNs, pixels: 1000, lanes, colorBy: 'goroutine', counters: true } });
  if (!tiles.ok) throw new Error(tiles.error.message);
  const t2 = performance.now();
  // A zoomed-in view in the middle: one thousandth of the trace.
  const mid = s.durationNs / 2, w = s.durationNs / 1000;
  store.tiles({ id: s.id, query: { t0: mid, t1: mid + w, pixels: 3000, lanes, colorBy: 'goroutine', counters: true } });
  const t3 = performance.now();
  let findingsMs: number | undefined;
  if (withFindings) {
    const f = await store.findingsOf({ id: s.id });
    if (!f.ok) throw new Error(f.error.message);
    findingsMs = performance.now() - t3;
  }
  process.stdout.write(JSON.stringify({ events: s.events, openMs: t1 - t0, firstTilesMs: t2 - t1, zoomedTilesMs: t3 - t2, findingsMs }) + '\n');
}

main().catch((e) => { process.stderr.write(`${(e as Error).message}\n`); process.exit(2); });
