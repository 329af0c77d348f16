// The language server's side of the profile workers: each profile the profile editor opens,
// and each pair the comparison opens, is decoded and queried on a worker thread of its own
// (the trace worker's script). A big or hostile profile then holds up neither hovers, lenses
// and diagnostics on this thread nor the other open profiles; closing its tab, or cancelling
// its open, ends its thread and frees its memory at once.
import { DEFAULT_MAX_BYTES } from '../core/pprof/inflate';
import type { CloseDiffParams, DiffViewParams, DiffViewResult, OpenDiffParams, OpenDiffResult } from '../protocol/diff';
import type { LineCostsParams, LineCostsResult } from '../protocol/linecost';
import type {
  CloseProfileParams, OpenProfileParams, OpenProfileResult, ProfileError, ProfileGraphParams, ProfileGraphResult, ProfileListParams, ProfileListResult, ProfileSandwichParams, ProfileSandwichResult, ProfileViewParams, ProfileViewResult,
} from '../protocol/profile';
import { mapLineCosts } from './linecost';
import { displayName, toError } from './profiles';
import { type CancelToken, WorkerClient } from './traceclient';
import type { ProfileMethod } from './traceworker';

type Failed = { ok: false; error: ProfileError };

/** One worker: its store holds at most one profile (or one comparison). */
class ProfileWorker extends WorkerClient {
  /** A worker that stopped (out of memory on a hostile profile) answers as a failed request. */
  async ask<R>(method: ProfileMethod, params: unknown): Promise<R | Failed> {
    try {
      return await this.call(method, params) as R;
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }
}

/** Started after an open, so the next open finds a worker that has loaded; late enough not to slow the first view. */
const SPARE_DELAY_MS = 1000;

export class ProfileWorkers {
  /** golens.limits.maxBytes: the most read of one file, and inflated from one gzip'd profile. */
  maxBytes = DEFAULT_MAX_BYTES;
  private readonly open = new Map<string, ProfileWorker>();
  private spare: ProfileWorker | undefined;
  private spareTimer: ReturnType<typeof setTimeout> | undefined;
  /** Each worker numbers its store's ids from here: unique across workers. */
  private nextId = 1;

  /** `script`: the built worker, as TraceWorkerClient's. */
  constructor(private readonly script?: string, private readonly log: (s: string) => void = () => {}) {}

  openProfile(p: OpenProfileParams, token?: CancelToken): Promise<OpenProfileResult> {
    return this.opened<OpenProfileResult>('openProfile', { open: p, maxBytes: this.maxBytes }, token, 'profile', (r) => r.summary.id);
  }
  view(p: ProfileViewParams): Promise<ProfileViewResult> { return this.ask(p.id, 'profile', 'profileView', p); }
  list(p: ProfileListParams): Promise<ProfileListResult> { return this.ask(p.id, 'profile', 'profileList', p); }
  sandwich(p: ProfileSandwichParams): Promise<ProfileSandwichResult> { return this.ask(p.id, 'profile', 'profileSandwich', p); }
  graph(p: ProfileGraphParams): Promise<ProfileGraphResult> { return this.ask(p.id, 'profile', 'profileGraph', p); }
  /** Line costs on the profile's worker; their build paths mapped to workspace files here, where the sources are known. */
  async lineCosts(p: LineCostsParams, map: (buildPath: string) => string | undefined): Promise<LineCostsResult> {
    return mapLineCosts(await this.ask<LineCostsResult>(p.id, 'profile', 'lineCosts', p), map);
  }
  close(p: CloseProfileParams): void { this.end(p.id); }

  async openDiff(p: OpenDiffParams, token?: CancelToken): Promise<OpenDiffResult> {
    const res = await this.opened<OpenDiffResult>('openDiff', p, token, 'comparison', (r) => r.summary.id);
    return res.ok || 'fileName' in res ? res : { ...res, fileName: `${displayName(p.base.uri)} and ${displayName(p.next.uri)}` };
  }
  diffView(p: DiffViewParams): Promise<DiffViewResult> { return this.ask(p.id, 'comparison', 'diffView', p); }
  closeDiff(p: CloseDiffParams): void { this.end(p.id); }

  /** How many profiles and comparisons are open (each on its worker). */
  get size(): number { return this.open.size; }

  async dispose(): Promise<void> {
    clearTimeout(this.spareTimer);
    const all = [...this.open.values(), ...(this.spare ? [this.spare] : [])];
    this.open.clear();
    this.spare = undefined;
    await Promise.all(all.map((w) => w.dispose()));
  }

  /** Opens on a worker of its own, kept while what it opened is open; a cancelled open ends the worker. */
  private async opened<R extends { ok: boolean }>(method: ProfileMethod, params: unknown, token: CancelToken | undefined, what: string,
    idOf: (r: Extract<R, { ok: true }>) => string): Promise<R | Failed> {
    const w = this.spare ?? this.worker();
    this.spare = undefined;
    token?.onCancellationRequested?.(() => void w.dispose());
    const res = await w.ask<R>(method, params);
    if (token?.isCancellationRequested) {
      void w.dispose();
      return { ok: false, error: { what: 'cancelled', message: `opening the ${what} was cancelled` } };
    }
    if (res.ok) this.open.set(idOf(res as Extract<R, { ok: true }>), w); else void w.dispose();
    this.warmSpare();
    return res;
  }

  private ask<R>(id: string, what: string, method: ProfileMethod, params: unknown): Promise<R> {
    const w = this.open.get(id);
    // A worker that stopped took its profile with it.
    if (!w?.running) {
      this.open.delete(id);
      return Promise.resolve({ ok: false, error: toError(new Error(`${what} ${id} is not open`)) } as R);
    }
    return w.ask<R>(method, params) as Promise<R>;
  }

  private end(id: string): void {
    const w = this.open.get(id);
    this.open.delete(id);
    void w?.dispose();
  }

  private worker(): ProfileWorker {
    return new ProfileWorker(this.script, this.log, 'profile', { firstId: this.nextId++ });
  }

  private warmSpare(): void {
    if (this.spare || this.spareTimer) return;
    this.spareTimer = setTimeout(() => { this.spareTimer = undefined; this.spare ??= this.worker().warm(); }, SPARE_DELAY_MS);
    this.spareTimer.unref?.();
  }
}
