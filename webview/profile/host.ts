// The profile page's one link to the extension: every message it sends is a method here,
// and what the host pushes arrives at the handlers given to the constructor.
import type { ProfilePageApi, SourcePeek, ViewData, ViewQuery } from '../../src/protocol/profile';
import { HostRpc, type PushHandlers } from '../shared/rpc';

export class ProfileHost<S> {
  private readonly rpc;

  constructor(pushes: PushHandlers<ProfilePageApi>) {
    this.rpc = new HostRpc<ProfilePageApi, S>(pushes);
  }

  ready(): void { this.rpc.notify('ready', undefined); }
  /** The view for a query; only the newest view's reply arrives (a newer request is on its way). */
  view(query: ViewQuery): Promise<ViewData<ArrayBuffer>> { return this.rpc.latest('view', query); }
  /** The source peek of a function; only the newest peek's reply arrives. */
  peek(query: ViewQuery, fn: string, file: string): Promise<SourcePeek> { return this.rpc.latest('peek', { query, function: fn, file }); }
  openSource(file: string, line: number, fn: string): Promise<{ found: boolean; message: string }> { return this.rpc.request('openSource', { file, line, function: fn }); }
  mark(name: string, ms: number): void { this.rpc.notify('mark', { name, ms }); }

  getState(): S | undefined { return this.rpc.getState(); }
  setState(s: S): void { this.rpc.setState(s); }
}
