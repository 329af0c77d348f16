// The stores that decode on their own thread: decoding and replaying a large trace takes
// seconds, and so can decoding a large (or hostile) profile; the language server must keep
// answering code lenses, hovers and diagnostics meanwhile. The lenses' artifacts are decoded
// here too, once per change. The server runs one worker of this script for traces and the
// lenses, and one per open profile (or comparison) of the profile editor and the diff.
// Messages: { seq, method, params } in; { seq, result } or { seq, progress } out;
// { cancel: seq } cancels an open in flight; { grown } tells that a progressively opened trace grew,
// { found } its findings so far (then its final ones).
import { parentPort, workerData } from 'node:worker_threads';
import { ArtifactCache } from './artifacts';
import { DiffStore } from './diffs';
import { unmappedLineCosts } from './linecost';
import { ProfileStore } from './profiles';
import { openTraceDiff } from './tracediffs';
import type { TraceFindingsGrownParams, TraceGrownParams } from '../protocol/trace';
import { TraceStore } from './traces';

export type TraceMethod = 'open' | 'findings' | 'tiles' | 'spanAt' | 'span' | 'goroutines' | 'goroutineGroups' | 'slice' | 'whatif' | 'close' | 'lensData' | 'traceDiff';
export type ProfileMethod = 'openProfile' | 'profileView' | 'profileList' | 'profileSandwich' | 'profileGraph' | 'lineCosts' | 'closeProfile' | 'openDiff' | 'diffView' | 'closeDiff';
export type WorkerMethod = TraceMethod | ProfileMethod;
export type ToTraceWorker = { seq: number; method: WorkerMethod; params: unknown } | { cancel: number };
export type FromTraceWorker = { seq: number; result: unknown } | { seq: number; progress: { fraction: number; phase: string } } | { seq: number; error: string }
  | { seq: 0; grown: TraceGrownParams } | { seq: 0; found: TraceFindingsGrownParams };

const port = parentPort;
if (port) {
  const store = new TraceStore();
  const artifacts = new ArtifactCache();
  // Each profile worker numbers its ids from where the server tells it: ids stay unique across workers.
  const firstId = (workerData as { firstId?: number } | null)?.firstId ?? 1;
  const profiles = new ProfileStore(firstId);
  const diffs = new DiffStore(firstId);
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
            { get isCancellationRequested() { return cancelled.has(seq); } },
            (grown) => port.postMessage({ seq: 0, grown } satisfies FromTraceWorker),
            (found) => port.postMessage({ seq: 0, found } satisfies FromTraceWorker));
          break;
        case 'findings': result = await store.findingsOf(params); break;
        case 'tiles': result = store.tiles(params); break;
        case 'spanAt': result = store.spanAt(params); break;
        case 'span': result = store.span(params); break;
        case 'goroutines': result = store.goroutines(params); break;
        case 'goroutineGroups': await store.loaded((params as { id: string }).id); result = store.goroutineGroups(params); break;
        case 'slice': result = store.slice(params); break;
        case 'whatif': result = await store.whatIf(params); break;
        case 'close': store.close((params as { id: string }).id); result = null; break;
        case 'lensData': result = artifacts.refresh((params as { paths: string[] }).paths); break;
        case 'traceDiff': {
          const p = params as { open: Parameters<typeof openTraceDiff>[0]; maxBytes: number };
          result = openTraceDiff(p.open, p.maxBytes);
          break;
        }
        case 'openProfile': {
          // golens.limits.maxBytes travels with each open: the server's main thread reads the settings.
          const p = params as { open: Parameters<ProfileStore['openProfile']>[0]; maxBytes: number };
          profiles.maxBytes = p.maxBytes;
          result = await profiles.openProfile(p.open);
          break;
        }
        case 'profileView': result = profiles.view(params); break;
        case 'profileList': result = profiles.list(params); break;
        case 'profileSandwich': result = profiles.sandwich(params); break;
        case 'profileGraph': result = profiles.graph(params); break;
        case 'lineCosts': result = unmappedLineCosts(profiles.profile((params as { id: string }).id), params); break;
        case 'closeProfile': profiles.close((params as { id: string }).id); result = null; break;
        case 'openDiff': result = await diffs.openDiff(params); break;
        case 'diffView': result = diffs.view(params); break;
        case 'closeDiff': diffs.close((params as { id: string }).id); result = null; break;
      }
      port.postMessage({ seq, result } satisfies FromTraceWorker);
    } catch (e) {
      port.postMessage({ seq, error: (e as Error)?.stack ?? String(e) } satisfies FromTraceWorker);
    } finally {
      cancelled.delete(seq);
    }
  });
}
