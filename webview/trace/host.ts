// The trace page's one link to the extension: what it sends, the replies it waits for (by
// request id), and the messages the host pushes unasked. Nothing else posts or listens.
import type { ProfileError } from '../../src/protocol/profile';
import type { FromTraceWebview, LaneRef, Place, TilesQuery, ToTraceWebview, TraceViewSummary } from '../../src/protocol/trace';
import type { SavedTrace } from './saved';

interface VsCodeApi { postMessage(m: FromTraceWebview): void; getState(): SavedTrace | undefined; setState(s: SavedTrace): void }
declare function acquireVsCodeApi(): VsCodeApi;

/** What the host sends without being asked. */
export interface Pushed {
  progress(fraction: number, phase: string): void;
  init(fileName: string, summary: TraceViewSummary): void;
  loadError(fileName: string, error: ProfileError): void;
  reveal(place: Place, title?: string): void;
  sourceResult(found: boolean, message: string): void;
  /** A request failed (its callback still runs, with the error). */
  requestError(error: ProfileError): void;
}

export type Reply = ToTraceWebview;

export class TraceHost {
  private readonly api = acquireVsCodeApi();
  private readonly pending = new Map<number, (m: Reply) => void>();
  private nextRequest = 1;

  constructor(private readonly pushed: Pushed) {
    window.addEventListener('message', (e: MessageEvent<ToTraceWebview>) => this.receive(e.data));
  }

  ready(): void { this.api.postMessage({ type: 'ready' }); }

  /** Each returns its request id. */
  tiles(query: TilesQuery, then: (m: Reply) => void): number {
    return this.request((requestId) => ({ type: 'tiles', requestId, query }), then);
  }

  spanAt(lane: LaneRef, t: number, slop: number, then: (m: Reply) => void): number {
    return this.request((requestId) => ({ type: 'spanAt', requestId, lane, t, slop }), then);
  }

  goroutines(query: string, then: (m: Reply) => void): number {
    return this.request((requestId) => ({ type: 'goroutines', requestId, query }), then);
  }

  findings(then: (m: Reply) => void): number {
    return this.request((requestId) => ({ type: 'findings', requestId }), then);
  }

  openSource(file: string, line: number, fn: string): void {
    this.api.postMessage({ type: 'openSource', file, line, function: fn });
  }

  mark(name: string, ms: number): void {
    this.api.postMessage({ type: 'mark', name, ms });
  }

  getState(): SavedTrace | undefined { return this.api.getState(); }
  setState(s: SavedTrace): void { this.api.setState(s); }

  private request(make: (requestId: number) => FromTraceWebview & { requestId: number }, then: (m: Reply) => void): number {
    const id = this.nextRequest++;
    this.pending.set(id, then);
    this.api.postMessage(make(id));
    return id;
  }

  private receive(m: ToTraceWebview): void {
    switch (m.type) {
      case 'progress': this.pushed.progress(m.fraction, m.phase); return;
      case 'init': this.pushed.init(m.fileName, m.summary); return;
      case 'loadError': this.pushed.loadError(m.fileName, m.error); return;
      case 'tiles': case 'details': case 'goroutines': case 'findings': case 'error': {
        const h = this.pending.get(m.requestId);
        this.pending.delete(m.requestId);
        if (m.type === 'error') this.pushed.requestError(m.error);
        h?.(m);
        return;
      }
      case 'reveal': this.pushed.reveal(m.place, m.title); return;
      case 'sourceResult': this.pushed.sourceResult(m.found, m.message); return;
    }
  }
}
