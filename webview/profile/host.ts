// The profile page's one link to the extension: what it asks besides what every page
// asks (shared/rpc.ts PageHost); what the host pushes arrives at the constructor's handlers.
import type { CallGraph, GraphOptions, ProfilePageApi, SandwichData, SourcePeek, ViewData, ViewQuery } from '../../src/protocol/profile';
import { PageHost } from '../shared/rpc';

export class ProfileHost<S> extends PageHost<ProfilePageApi, S> {
  /** The view for a query; only the newest view's reply arrives (a newer request is on its way). */
  view(query: ViewQuery): Promise<ViewData<ArrayBuffer>> { return this.rpc.latest('view', query); }
  /** The source peek of a function; only the newest peek's reply arrives. */
  peek(query: ViewQuery, fn: string, file: string): Promise<SourcePeek> { return this.rpc.latest('peek', { query, function: fn, file }); }
  /** A function's callers and callees (the sandwich view); only the newest reply arrives. */
  sandwich(query: ViewQuery, fn: string, minFraction: number): Promise<SandwichData<ArrayBuffer>> { return this.rpc.latest('sandwich', { query, function: fn, minFraction }); }
  /** The call graph; only the newest graph's reply arrives. */
  graph(query: ViewQuery, options: GraphOptions): Promise<CallGraph> { return this.rpc.latest('graph', { query, options }); }
}
