// The trace page's one link to the extension: what it asks (each a promise settled by the
// reply with its id; a failed one is also told to the page's status line), what it tells,
// and the messages the host pushes unasked. Nothing else posts or listens.
import type { ProfileError } from '../../src/protocol/profile';
import type { FindingsSoFar, LaneRef, Place, SliceParams, TilesQuery, TracePageApi, TraceViewSummary } from '../../src/protocol/trace';
import { HostRpc, RequestError } from '../shared/rpc';
import type { Gogc, WhatIfSettings } from '../../src/protocol/whatif';
import type { SavedTrace } from './saved';

/** What the host sends without being asked. */
export interface Pushed {
  progress(fraction: number, phase: string): void;
  init(fileName: string, summary: TraceViewSummary): void;
  /** A trace read progressively grew, or is fully read (done). */
  grown(summary: TraceViewSummary, done: boolean, error?: ProfileError): void;
  loadError(fileName: string, error: ProfileError): void;
  reveal(place: Place, title?: string): void;
  /** Findings so far of a trace still being read, then its final findings. */
  findings(f: FindingsSoFar): void;
  /** Open the What-if panel at this GOGC (the code action on a GOGC setting). */
  whatIf(gogc: Gogc): void;
  /** The reply to openSource: opened where, or why not. */
  sourceResult(found: boolean, message: string): void;
  /** A request failed (its promise rejects too). */
  requestError(error: ProfileError): void;
}

type Result<M extends keyof TracePageApi['requests']> = Promise<TracePageApi['requests'][M]['result']>;

export class TraceHost {
  private readonly rpc: HostRpc<TracePageApi, SavedTrace>;

  constructor(private readonly pushed: Pushed) {
    this.rpc = new HostRpc<TracePageApi, SavedTrace>({
      progress: (m) => pushed.progress(m.fraction, m.phase),
      init: (m) => pushed.init(m.fileName, m.summary),
      grown: (m) => pushed.grown(m.summary, m.done, m.error),
      loadError: (m) => pushed.loadError(m.fileName, m.error),
      reveal: (m) => pushed.reveal(m.place, m.title),
      findings: (m) => pushed.findings(m),
      whatif: (m) => pushed.whatIf(m.gogc),
    });
  }

  ready(): void { this.rpc.notify('ready', undefined); }

  tiles(query: TilesQuery): Result<'tiles'> { return this.told(this.rpc.request('tiles', query)); }
  spanAt(lane: LaneRef, t: number, slop: number): Result<'spanAt'> { return this.told(this.rpc.request('spanAt', { lane, t, slop })); }
  goroutines(query: string): Result<'goroutines'> { return this.told(this.rpc.request('goroutines', { query })); }
  slice(query: SliceParams): Result<'slice'> { return this.told(this.rpc.request('slice', query)); }
  findings(): Result<'findings'> { return this.told(this.rpc.request('findings', undefined)); }
  goroutineGroups(): Result<'goroutineGroups'> { return this.told(this.rpc.request('goroutineGroups', undefined)); }
  whatIf(settings: Partial<WhatIfSettings> | null): Result<'whatif'> { return this.told(this.rpc.request('whatif', settings)); }

  /** Opens a frame's source; the status line says where, or why not. */
  openSource(file: string, line: number, fn: string): void {
    this.told(this.rpc.request('openSource', { file, line, function: fn })).then((r) => this.pushed.sourceResult(r.found, r.message), () => undefined);
  }

  mark(name: string, ms: number): void { this.rpc.notify('mark', { name, ms }); }

  getState(): SavedTrace | undefined { return this.rpc.getState(); }
  setState(s: SavedTrace): void { this.rpc.setState(s); }

  private told<T>(p: Promise<T>): Promise<T> {
    p.catch((e) => { if (e instanceof RequestError) this.pushed.requestError(e.error); });
    return p;
  }
}
