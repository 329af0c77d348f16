// The profile page's one link to the extension: every message it sends is a method here,
// and everything the host sends arrives at the one handler given to the constructor.
import type { ToWebview, ViewQuery } from '../../src/protocol/profile';
import { connect } from '../shared/vscode';

export class ProfileHost<S> {
  private readonly api;

  constructor(receive: (m: ToWebview) => void) {
    this.api = connect<S>(receive);
  }

  ready(): void { this.api.postMessage({ type: 'ready' }); }
  view(requestId: number, query: ViewQuery): void { this.api.postMessage({ type: 'view', requestId, query }); }
  peek(requestId: number, query: ViewQuery, fn: string, file: string): void { this.api.postMessage({ type: 'peek', requestId, query, function: fn, file }); }
  openSource(file: string, line: number, fn: string): void { this.api.postMessage({ type: 'openSource', file, line, function: fn }); }
  mark(name: string, ms: number): void { this.api.postMessage({ type: 'mark', name, ms }); }

  getState(): S | undefined { return this.api.getState(); }
  setState(s: S): void { this.api.setState(s); }
}
