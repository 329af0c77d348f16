// The language server's side of the profile worker: the profile editor's and the comparison's
// profiles are decoded and queried on a worker thread (the trace worker's script, a thread of
// their own), so a big or hostile profile never holds up hovers, lenses or diagnostics.
import { DEFAULT_MAX_BYTES } from '../core/pprof/inflate';
import type { CloseDiffParams, DiffViewParams, DiffViewResult, OpenDiffParams, OpenDiffResult } from '../protocol/diff';
import type { LineCostsParams, LineCostsResult } from '../protocol/linecost';
import type {
  CloseProfileParams, OpenProfileParams, OpenProfileResult, ProfileListParams, ProfileListResult, ProfileViewParams, ProfileViewResult,
} from '../protocol/profile';
import { mapLineCosts } from './linecost';
import { displayName, toError } from './profiles';
import { WorkerClient } from './traceclient';

export class ProfileWorkerClient extends WorkerClient {
  /** golens.limits.maxBytes: the most read of one file, and inflated from one gzip'd profile. */
  maxBytes = DEFAULT_MAX_BYTES;

  constructor(script?: string, log?: (s: string) => void) { super(script, log, 'profile'); }

  openProfile(p: OpenProfileParams): Promise<OpenProfileResult> {
    return this.ask(this.call('openProfile', { open: p, maxBytes: this.maxBytes }) as Promise<OpenProfileResult>);
  }
  view(p: ProfileViewParams): Promise<ProfileViewResult> { return this.ask(this.call('profileView', p) as Promise<ProfileViewResult>); }
  list(p: ProfileListParams): Promise<ProfileListResult> { return this.ask(this.call('profileList', p) as Promise<ProfileListResult>); }
  /** Line costs on the worker; their build paths mapped to workspace files here, where the sources are known. */
  async lineCosts(p: LineCostsParams, map: (buildPath: string) => string | undefined): Promise<LineCostsResult> {
    return mapLineCosts(await this.ask(this.call('lineCosts', p) as Promise<LineCostsResult>), map);
  }
  // Closing on a worker that stopped has nothing left to close.
  async close(p: CloseProfileParams): Promise<void> { if (this.running) await this.call('closeProfile', p).catch(() => undefined); }

  openDiff(p: OpenDiffParams): Promise<OpenDiffResult> {
    return this.ask(this.call('openDiff', p) as Promise<OpenDiffResult>, { fileName: `${displayName(p.base.uri)} and ${displayName(p.next.uri)}` });
  }
  diffView(p: DiffViewParams): Promise<DiffViewResult> { return this.ask(this.call('diffView', p) as Promise<DiffViewResult>); }
  async closeDiff(p: CloseDiffParams): Promise<void> { if (this.running) await this.call('closeDiff', p).catch(() => undefined); }

  /** A worker that stopped (out of memory on a hostile profile) answers as a failed request, in the request's own shape. */
  private async ask<R>(res: Promise<R>, more: object = {}): Promise<R> {
    try {
      return await res;
    } catch (e) {
      return { ok: false, error: toError(e), ...more } as R;
    }
  }
}
