// The language server's side of the worker thread (traceworker.ts): the same questions as the
// stores on the worker, asked across a thread. A worker starts on the first question and
// lives on. TraceWorkerClient asks about traces and the lenses' artifacts; ProfileWorkers
// (profileclient.ts) ask workers of the same script, one per open profile or comparison.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  CloseTraceParams, OpenTraceParams, OpenTraceResult, TraceFindingsParams, TraceFindingsResult, TraceGoroutineGroupsParams, TraceGoroutineGroupsResult, TraceGoroutinesParams, TraceGoroutinesResult, TraceSliceParams, TraceSliceResult,
  TraceFindingsGrownParams, TraceGrownParams, TraceSpanAtParams, TraceSpanParams, TraceSpanResult, TraceTilesParams, TraceTilesResult,
} from '../protocol/trace';
import type { OpenTraceDiffParams, OpenTraceDiffResult } from '../protocol/tracediff';
import type { TraceWhatIfParams, TraceWhatIfResult } from '../protocol/whatif';
import type { LensData } from './artifacts';
import type { Cancellation } from './traces';
import type { FromTraceWorker, ToTraceWorker, WorkerMethod } from './traceworker';

interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (fraction: number, phase: string) => void }
export type CancelToken = Cancellation & { onCancellationRequested?: (f: () => void) => unknown };

/** Typed questions to one worker thread, with progress and cancellation; a crashed worker is started again on the next question. */
export class WorkerClient {
  private worker: Worker | undefined;
  private seq = 1;
  private readonly pending = new Map<number, Pending>();
  /** Told each growth of a progressively opened trace (the worker reads it after answering the open). */
  onGrown: ((g: TraceGrownParams) => void) | undefined;
  /** Told the findings so far of a progressively opened trace, then its final findings. */
  onFound: ((f: TraceFindingsGrownParams) => void) | undefined;
  /** Traces the worker is still reading behind an answered open: if it stops, they are told so (done, with the error). */
  protected readonly growing = new Map<string, TraceGrownParams['summary']>();

  /**
   * `script`: the built worker (dist/traceworker.js beside dist/server.js by default);
   * `label` names it in messages; `data` is the worker's workerData.
   */
  constructor(protected readonly script = join(__dirname, 'traceworker.js'), protected readonly log: (s: string) => void = () => {}, private readonly label = 'trace', private readonly data?: unknown) {}

  get running(): boolean { return this.worker !== undefined; }

  /** Starts the worker now, so that it has loaded by the time it is asked. */
  warm(): this { this.start(); return this; }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // A large trace's model lives in this thread: give it the room the process has.
    const w = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: 8192 }, workerData: this.data });
    w.on('message', (m: FromTraceWorker) => {
      if ('grown' in m) {
        if (m.grown.done) this.growing.delete(m.grown.id); else this.growing.set(m.grown.id, m.grown.summary);
        this.onGrown?.(m.grown);
        return;
      }
      if ('found' in m) { this.onFound?.(m.found); return; }
      const p = this.pending.get(m.seq);
      if (!p) return;
      if ('progress' in m) { p.progress?.(m.progress.fraction, m.progress.phase); return; }
      this.pending.delete(m.seq);
      if ('error' in m) p.reject(new Error(m.error)); else p.resolve(m.result);
    });
    // A crash (out of memory on a huge trace) fails what was asked, and the next question starts a new worker.
    const fail = (why: string) => {
      this.log(`${this.label} worker stopped: ${why}`);
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`the ${this.label} reader stopped (${why})`));
      this.pending.clear();
      for (const [id, summary] of this.growing) this.onGrown?.({ id, summary, done: true, error: { what: 'stopped', message: `the ${this.label} reader stopped (${why}) before the whole trace was read` } });
      this.growing.clear();
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => { if (this.pending.size || this.worker === w) fail(`exit code ${code}`); });
    this.worker = w;
    return w;
  }

  protected call(method: WorkerMethod, params: unknown, progress?: (fraction: number, phase: string) => void, token?: CancelToken): Promise<unknown> {
    const w = this.start();
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, progress });
      token?.onCancellationRequested?.(() => w.postMessage({ cancel: seq } satisfies ToTraceWorker));
      w.postMessage({ seq, method, params } satisfies ToTraceWorker);
    });
  }
}

export class TraceWorkerClient extends WorkerClient {
  openTrace(p: OpenTraceParams, progress: (fraction: number, phase: string) => void, token?: CancelToken): Promise<OpenTraceResult> {
    return (this.call('open', p, progress, token) as Promise<OpenTraceResult>).then((res) => {
      // Answered after its first generation: the worker reads the rest (unless it already has).
      if (res.ok && res.summary.loading && !this.growing.has(res.summary.id)) this.growing.set(res.summary.id, res.summary);
      return res;
    });
  }
  findingsOf(p: TraceFindingsParams): Promise<TraceFindingsResult> { return this.call('findings', p) as Promise<TraceFindingsResult>; }
  tiles(p: TraceTilesParams): Promise<TraceTilesResult> { return this.call('tiles', p) as Promise<TraceTilesResult>; }
  spanAt(p: TraceSpanAtParams): Promise<TraceSpanResult> { return this.call('spanAt', p) as Promise<TraceSpanResult>; }
  span(p: TraceSpanParams): Promise<TraceSpanResult> { return this.call('span', p) as Promise<TraceSpanResult>; }
  goroutines(p: TraceGoroutinesParams): Promise<TraceGoroutinesResult> { return this.call('goroutines', p) as Promise<TraceGoroutinesResult>; }
  goroutineGroups(p: TraceGoroutineGroupsParams): Promise<TraceGoroutineGroupsResult> { return this.call('goroutineGroups', p) as Promise<TraceGoroutineGroupsResult>; }
  slice(p: TraceSliceParams): Promise<TraceSliceResult> { return this.call('slice', p) as Promise<TraceSliceResult>; }
  whatIf(p: TraceWhatIfParams): Promise<TraceWhatIfResult> { return this.call('whatif', p) as Promise<TraceWhatIfResult>; }
  async close(p: CloseTraceParams): Promise<void> { this.growing.delete(p.id); if (this.running) await this.call('close', p); }
  /** Two traces compared (each read once, on the worker). */
  traceDiff(p: OpenTraceDiffParams, maxBytes: number): Promise<OpenTraceDiffResult> { return this.call('traceDiff', { open: p, maxBytes }) as Promise<OpenTraceDiffResult>; }
  /** The lenses' data for the artifacts (decoded on the worker, each only when it changed). */
  lensData(paths: string[]): Promise<LensData> {
    // No artifacts and no worker yet: nothing to decode, no thread to start.
    if (paths.length === 0 && !this.running) return Promise.resolve({ leaks: [], contention: { report: { sites: [], channels: [], runtime: { waitNs: 0, count: 0 }, traceNs: 0 }, traces: [] }, errors: [], decoded: 0 });
    return this.call('lensData', { paths }) as Promise<LensData>;
  }
}
