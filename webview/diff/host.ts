// The comparison page's one link to the extension: every message it sends is a method here,
// and everything the host sends arrives at the one handler given to the constructor.
import type { DiffQuery, FromDiffWebview, ToDiffWebview } from '../../src/protocol/diff';
import { channel } from '../shared/channel';

export class DiffHost<S> {
  private readonly api;

  constructor(receive: (m: ToDiffWebview) => void) {
    this.api = channel<S, ToDiffWebview, FromDiffWebview>(receive);
  }

  ready(): void { this.api.postMessage({ type: 'ready' }); }
  view(requestId: number, query: DiffQuery): void { this.api.postMessage({ type: 'view', requestId, query }); }
  /** The user zoomed: the host keeps the path for the next view. */
  zoom(path: string[]): void { this.api.postMessage({ type: 'zoom', path }); }
  openSource(file: string, line: number, fn: string): void { this.api.postMessage({ type: 'openSource', file, line, function: fn }); }
  mark(name: string, ms: number): void { this.api.postMessage({ type: 'mark', name, ms }); }

  getState(): S | undefined { return this.api.getState(); }
  setState(s: S): void { this.api.setState(s); }
}
