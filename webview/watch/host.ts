// The watch page's one link to the extension: what every page asks, and Stop.
import type { WatchPageApi } from '../../src/protocol/watch';
import { PageHost } from '../shared/rpc';

export class WatchHost<S> extends PageHost<WatchPageApi, S> {
  /** Ends the watch now; the host still analyses what was taken and pushes done. */
  stop(): void { this.rpc.notify('stop', undefined); }
}
