// The trace store and the artifact cache on their own thread: decoding and replaying a large
// trace takes seconds, and the language server must keep answering code lenses, hovers and
// diagnostics meanwhile. The lenses' artifacts are decoded here too, once per change.
// Messages: { seq, method, params } in; { seq, result } or { seq, progress } out;
// { cancel: seq } cancels an open in flight.
import { parentPort } from 'node:worker_threads';
import { ArtifactCache } from './artifacts';
import { TraceStore } from './traces';

export type TraceMethod = 'open' | 'findings' | 'tiles' | 'spanAt' | 'span' | 'goroutines' | 'close' | 'lensData';
export type ToTraceWorker = { seq: number; method: TraceMethod; params: unknown } | { cancel: number };
export type FromTraceWorker = { seq: number; result: unknown } | { seq: number; progress: { fraction: number; phase: string } } | { seq: number; error: string };

const port = parentPort;
if (port) {
  const store = new TraceStore();
  const artifacts = new ArtifactCache();
  const cancelled = new Set<number>();
  port.on('message', async (m: ToTraceWorker) => {
    if ('cancel' in m) { cancelled.add(m.cancel); return; }
    const { seq, method } = m;
    const params = m.params as never;
    try {
      let result: unknown;
      switch (method) {
        case 'open':
          result = await store.openTrace(params, (fraction, phase) => port.postMessage({ seq, progress: { fraction, phase } } satisfies FromTraceWorker),
            { get isCancellationRequested() { return cancelled.has(seq); } });
          break;
        case 'findings': result = await store.findingsOf(params); break;
        case 'tiles': result = store.tiles(params); break;
        case 'spanAt': result = store.spanAt(params); break;
        case 'span': result = store.span(params); break;
        case 'goroutines': result = store.goroutines(params); break;
        case 'close': store.close((params as { id: string }).id); result = null; break;
        case 'lensData': result = artifacts.refresh((params as { paths: string[] }).paths); break;
      }
      port.postMessage({ seq, result } satisfies FromTraceWorker);
    } catch (e) {
      port.postMessage({ seq, error: (e as Error)?.stack ?? String(e) } satisfies FromTraceWorker);
    } finally {
      cancelled.delete(seq);
    }
  });
}
