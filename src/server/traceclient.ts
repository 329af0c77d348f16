// The language server's side of the trace worker (traceworker.ts): the same questions as the
// TraceStore and the ArtifactCache, asked across a thread. The worker starts on the first
// question and lives on.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  CloseTraceParams, OpenTraceParams, OpenTraceResult, TraceFindingsParams, TraceFindingsResult, TraceGoroutinesParams, TraceGoroutinesResult,
  TraceSpanAtParams, TraceSpanParams, TraceSpanResult, TraceTilesParams, TraceTilesResult,
} from '../protocol/trace';
import type { LensData } from './artifacts';
import type { Cancellation } from './traces';
import type { FromTraceWorker, ToTraceWorker, TraceMethod } from './traceworker';

interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (fraction: number, phase: string) => void }

export class TraceWorkerClient {
  private worker: Worker | undefined;
  private seq = 1;
  private readonly pending = new Map<number, Pending>();

  /** `script`: the built worker (dist/traceworker.js beside dist/server.js by default). */
  constructor(private readonly script = join(__dirname, 'traceworker.js'), private readonly log: (s: string) => void = () => {}) {}

  openTrace(p: OpenTraceParams, progress: (fraction: number, phase: string) => void, token?: Cancellation & { onCancellationRequested?: (f: () => void) => unknown }): Promise<OpenTraceResult> {
    return this.call('open', p, progress, token) as Promise<OpenTraceResult>;
  }
  findingsOf(p: TraceFindingsParams): Promise<TraceFindingsResult> { return this.call('findings', p) as Promise<TraceFindingsResult>; }
  tiles(p: TraceTilesParams): Promise<TraceTilesResult> { return this.call('tiles', p) as Promise<TraceTilesResult>; }
  spanAt(p: TraceSpanAtParams): Promise<TraceSpanResult> { return this.call('spanAt', p) as Promise<TraceSpanResult>; }
  span(p: TraceSpanParams): Promise<TraceSpanResult> { return this.call('span', p) as Promise<TraceSpanResult>; }
  goroutines(p: TraceGoroutinesParams): Promise<TraceGoroutinesResult> { return this.call('goroutines', p) as Promise<TraceGoroutinesResult>; }
  async close(p: CloseTraceParams): Promise<void> { if (this.worker) await this.call('close', p); }
  /** The lenses' data for the artifacts (decoded on the worker, each only when it changed). */
  lensData(paths: string[]): Promise<LensData> {
    // No artifacts and no worker yet: nothing to decode, no thread to start.
    if (paths.length === 0 && !this.worker) return Promise.resolve({ leaks: [], contention: { report: { sites: [], channels: [], runtime: { waitNs: 0, count: 0 }, traceNs: 0 }, traces: [] }, errors: [], decoded: 0 });
    return this.call('lensData', { paths }) as Promise<LensData>;
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // A large trace's model lives in this thread: give it the room the process has.
    const w = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: 8192 } });
    w.on('message', (m: FromTraceWorker) => {
      const p = this.pending.get(m.seq);
      if (!p) return;
      if ('progress' in m) { p.progress?.(m.progress.fraction, m.progress.phase); return; }
      this.pending.delete(m.seq);
      if ('error' in m) p.reject(new Error(m.error)); else p.resolve(m.result);
    });
    // A crash (out of memory on a huge trace) fails what was asked, and the next question starts a new worker.
    const fail = (why: string) => {
      this.log(`trace worker stopped: ${why}`);
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`the trace reader stopped (${why})`));
      this.pending.clear();
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => { if (this.pending.size || this.worker === w) fail(`exit code ${code}`); });
    this.worker = w;
    return w;
  }

  private call(method: TraceMethod, params: unknown, progress?: (fraction: number, phase: string) => void, token?: { onCancellationRequested?: (f: () => void) => unknown; isCancellationRequested: boolean }): Promise<unknown> {
    const w = this.start();
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, progress });
      token?.onCancellationRequested?.(() => w.postMessage({ cancel: seq } satisfies ToTraceWorker));
      w.postMessage({ seq, method, params } satisfies ToTraceWorker);
    });
  }
}
