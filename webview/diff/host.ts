// The comparison page's one link to the extension: what it asks besides what every page
// asks (shared/rpc.ts PageHost); what the host pushes arrives at the constructor's handlers.
import type { DiffPageApi, DiffQuery, DiffViewData } from '../../src/protocol/diff';
import { PageHost } from '../shared/rpc';

export class DiffHost<S> extends PageHost<DiffPageApi, S> {
  /** The comparison for a query; only the newest view's reply arrives. */
  view(query: DiffQuery): Promise<DiffViewData<ArrayBuffer>> { return this.rpc.latest('view', query); }
}
