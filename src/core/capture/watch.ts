// Watching a running program's goroutines: a goroutine profile (debug=0) every interval for
// a duration, each reduced at once to what the leak analysis keeps (core/analysis/leaks.ts),
// then, where the server has it (Go 1.26 with GOEXPERIMENT=goroutineleakprofile, 1.27), the
// goroutineleak profile. The analysis over them is `golens leaks` over the same files.
import { connectionLines, leakReportOfSnapshots, leakSnapshot, type LeakCensus, type LeakRow, type LeakSnapshot } from '../analysis/leaks';
import { FormatError } from '../errors';
import { decodeProfile } from '../pprof/decode';
import type { Profile } from '../pprof/model';
import { join } from 'node:path';
import { HttpError } from '../io/http';
import { nodeInflater } from '../io/inflate';
import { ensureFolderOf, saveWhole, SaveError } from '../io/save';
import { capture, CaptureError } from './capture';
import { captureTarget, utcStamp, type CaptureKind, type CaptureTarget } from './endpoints';
import type { WatchSite, WatchSnapshot } from './snapshot';

export type { WatchSite, WatchSnapshot };

/** A watch that cannot go on: one sentence saying what and where (unreachable, timeout, HTTP status, HTML, not a profile). */
export class WatchError extends Error {
  override readonly name = 'WatchError';
}

/** `500ms`, `2s`, `1m`, `1m30s`, `1.5s` → milliseconds (Go's time.ParseDuration units from ms up). */
export function parseDuration(text: string, what = 'duration'): number {
  const s = text.trim();
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  let rest = s;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw new WatchError(`${what} ${JSON.stringify(text)} is not a duration: write it as Go does, e.g. 500ms, 2s, 1m`);
    ms += Number(m[1]) * unit[m[2]];
    rest = rest.slice(m[0].length);
  }
  if (!s || !(ms > 0)) throw new WatchError(`${what} ${JSON.stringify(text)} is not a positive duration: e.g. 500ms, 2s, 1m`);
  return ms;
}

export interface WatchOptions {
  everyMs: number;
  forMs: number;
  signal?: AbortSignal;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Largest profile accepted (default 256 MiB). */
  maxBytes?: number;
  onSnapshot?(s: WatchSnapshot): void;
  /**
   * The analysis over the snapshots so far, after each from the second on (the same rows the end
   * gives for those snapshots; the goroutineleak profile comes only at the end).
   */
  onRows?(rows: LeakRow[], snapshots: number): void;
  /** Keeps a profile's bytes (a file for `golens leaks`, lenses); returns the name it is known by from then on. */
  save?(kind: 'goroutine' | 'goroutineleak', index: number, bytes: Uint8Array, when: Date): Promise<string> | string;
  /** Clock and sleep (tests keep the real ones). */
  now?: () => number;
}

export interface WatchResult {
  /** As `golens leaks` over the snapshots (and the goroutineleak profile) reports them. */
  rows: LeakRow[];
  census: LeakCensus;
  snapshots: WatchSnapshot[];
  /** The goroutineleak profile's source when the server had the endpoint; undefined when it answered 404. */
  leakProfile?: string;
  /** Stopped by the signal before the duration ended (the analysis covers what was taken). */
  stopped: boolean;
}

/** A `save` for WatchOptions that keeps each profile in `dir` as `NNN-<UTC time>-<kind>.pprof`, whole or not at all. */
export function saveSnapshotsIn(dir: string): (kind: 'goroutine' | 'goroutineleak', index: number, bytes: Uint8Array, when: Date) => string {
  return (kind, index, bytes, when) => {
    const file = join(dir, `${String(index).padStart(3, '0')}-${utcStamp(when)}-${kind}.pprof`);
    try {
      ensureFolderOf(file);
      saveWhole(file, bytes);
    } catch (e) {
      if (e instanceof SaveError) throw new WatchError(e.message);
      throw e;
    }
    return file;
  };
}

/** How many snapshots a watch takes: one at the start and one every interval up to the duration. */
export function snapshotCount(everyMs: number, forMs: number): number {
  return Math.floor(forMs / everyMs + 1e-9) + 1;
}

/** Watches the program at `address` (any form captureTarget takes). Rejects with WatchError or CaptureUsageError only. */
export async function watchGoroutines(address: string, opts: WatchOptions): Promise<WatchResult> {
  if (!(opts.everyMs > 0) || !(opts.forMs >= opts.everyMs)) throw new WatchError('the interval must be positive and no longer than the duration (e.g. --every 1s --for 30s)');
  const target = captureTarget(address, 'goroutine');
  const now = opts.now ?? Date.now;
  const n = snapshotCount(opts.everyMs, opts.forMs);
  const start = now();
  const reduced: LeakSnapshot[] = [];
  const snapshots: WatchSnapshot[] = [];
  let stopped = false;
  for (let i = 0; i < n; i++) {
    if (i > 0 && !(await sleepUntil(start + i * opts.everyMs, now, opts.signal))) { stopped = true; break; }
    const when = new Date(now());
    let got: { bytes: Uint8Array; profile: Profile } | null;
    try {
      got = await fetchProfile(target, opts);
    } catch (e) {
      if (e instanceof HttpError && e.kind === 'cancelled') { stopped = true; break; }
      throw e;
    }
    if (!got) throw new WatchError(`${target.url} answered 404: is net/http/pprof served at this address?`);
    const source = opts.save ? await opts.save('goroutine', i, got.bytes, when) : `${target.url}@${when.toISOString()}`;
    const snap = leakSnapshot({ kind: 'profile', source, profile: got.profile })!;
    reduced.push(snap);
    const s: WatchSnapshot = { index: i, time: when.getTime(), total: snap.census.goroutines, sites: snap.rows.map(siteOf), source };
    const connections = connectionLines(snap.census);
    if (connections.length) s.connections = connections;
    snapshots.push(s);
    opts.onSnapshot?.(s);
    if (opts.onRows && reduced.length >= 2) opts.onRows(leakReportOfSnapshots(reduced).rows, reduced.length);
  }
  let leakProfile: string | undefined;
  if (!stopped && reduced.length) {
    const leakTarget = captureTarget(address, 'goroutineleak');
    const when = new Date(now());
    try {
      const got = await fetchProfile(leakTarget, opts);
      if (got) {
        leakProfile = opts.save ? await opts.save('goroutineleak', reduced.length, got.bytes, when) : `${leakTarget.url}@${when.toISOString()}`;
        reduced.push(leakSnapshot({ kind: 'profile', source: leakProfile, profile: got.profile })!);
      }
    } catch (e) {
      if (!(e instanceof HttpError && e.kind === 'cancelled')) throw e;
      stopped = true;
    }
  }
  const { rows, census } = leakReportOfSnapshots(reduced);
  return { rows, census, snapshots, leakProfile, stopped };
}

/** A group's key across snapshots: the grouping the leak analysis uses for profiles (reason and blocking site). */
export function siteKey(r: LeakRow): string {
  return `${r.reason} ${r.blockedAt.function} ${r.blockedAt.file}:${r.blockedAt.line}`;
}

/** A group as the watch shows it: its key, its label (blocking site ← go statement) and count. */
export function siteOf(r: LeakRow): WatchSite {
  const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);
  const go = r.goLine !== undefined ? ` ← go ${base(r.goFile ?? '')}:${r.goLine}` : '';
  return { key: siteKey(r), label: `${r.blockedAt.function} (${base(r.blockedAt.file)}:${r.blockedAt.line})${go}`, count: r.count };
}

/**
 * One profile from the endpoint, judged as `golens capture` judges it: null for 404 (the
 * endpoint does not exist), the decoded profile of the expected kind, WatchError for anything else.
 */
async function fetchProfile(target: CaptureTarget, opts: WatchOptions): Promise<{ bytes: Uint8Array; profile: Profile } | null> {
  let got;
  try {
    got = await capture(target, { timeoutMs: opts.timeoutMs ?? 30_000, maxBytes: opts.maxBytes ?? 256 << 20, signal: opts.signal });
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    if (e.kind === 'cancelled') throw new HttpError('cancelled', e.message);
    if (e.status === 404) return null;
    throw new WatchError(`${target.kind} snapshot: ${e.message}`);
  }
  let profile: Profile;
  try {
    profile = decodeProfile(got.bytes, { maxBytes: opts.maxBytes ?? 256 << 20, inflater: nodeInflater });
  } catch (e) {
    if (e instanceof FormatError) throw new WatchError(`${target.url} did not answer with a pprof profile: ${e.message}`);
    throw e;
  }
  const kind = profile.sampleTypes[0]?.type;
  if (kind !== target.kind) throw new WatchError(`${target.url} answered with a ${kind ?? 'typeless'} profile, not a ${target.kind as CaptureKind} profile`);
  return { bytes: got.bytes, profile };
}

/** Waits until `at`; false when the signal stopped the wait. */
function sleepUntil(at: number, now: () => number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const done = (ok: boolean) => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); resolve(ok); };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), Math.max(0, at - now()));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
