// The comparison page's one link to the extension: every message it sends is a method here,
// and what the host pushes arrives at the handlers given to the constructor.
import type { DiffPageApi, DiffQuery, DiffViewData } from '../../src/protocol/diff';
import { HostRpc, type PushHandlers } from '../shared/rpc';

export class DiffHost<S> {
  private readonly rpc;

  constructor(pushes: PushHandlers<DiffPageApi>) {
    this.rpc = new HostRpc<DiffPageApi, S>(pushes);
  }

  ready(): void { this.rpc.notify('ready', undefined); }
  /** The comparison for a query; only the newest view's reply arrives. */
  view(query: DiffQuery): Promise<DiffViewData<ArrayBuffer>> { return this.rpc.latest('view', query); }
  openSource(file: string, line: number, fn: string): Promise<{ found: boolean; message: string }> { return this.rpc.request('openSource', { file, line, function: fn }); }
  mark(name: string, ms: number): void { this.rpc.notify('mark', { name, ms }); }

  getState(): S | undefined { return this.rpc.getState(); }
  setState(s: S): void { this.rpc.setState(s); }
}
