// The profiles the editor has open, decoded once and kept in this process.
import { readRegularFile } from '../core/io/file';
import { DEFAULT_MAX_BYTES } from '../core/pprof/inflate';
import { fileURLToPath } from 'node:url';
import { analyzeLeaks, goroutineProfileKind } from '../core/analysis/leaks';
import { FormatError, WrongKindError } from '../core/errors';
import { profileFromBytes } from '../core/artifacts/profiles';
import type { Profile } from '../core/pprof/model';
import { callGraph } from '../core/pprof/graph';
import { functionLines } from '../core/pprof/list';
import { RegexpError } from '../core/pprof/regexp';
import { profileView, summarize, viewStacks } from '../core/pprof/view';
import { sandwich } from '../core/pprof/sandwich';
import { fromBase64, sandwichColumns, toBase64, viewColumns } from '../protocol/columns';
import type {
  OpenProfileParams, OpenProfileResult, ProfileError, ProfileGraphParams, ProfileGraphResult, ProfileListParams, ProfileListResult, ProfileSandwichParams, ProfileSandwichResult, ProfileSummary, ProfileViewParams, ProfileViewResult,
} from '../protocol/profile';

export class ProfileStore {
  /** golens.limits.maxBytes: the most read of one file, and inflated from one gzip'd profile. */
  maxBytes = DEFAULT_MAX_BYTES;
  private readonly open = new Map<string, { uri: string; profile: Profile; refs: number }>();

  /** `next`: the first id's number (a restarted worker's store must not reuse an earlier one's ids). */
  constructor(private next = 1) {}

  async openProfile(params: OpenProfileParams): Promise<OpenProfileResult> {
    const name = displayName(params.uri);
    try {
      const bytes = params.base64 !== undefined ? fromBase64(params.base64) : readRegularFile(fileURLToPath(params.uri), this.maxBytes, 'the golens.limits.maxBytes setting');
      const profile = profileFromBytes(bytes, { maxBytes: this.maxBytes, raiseWith: 'the golens.limits.maxBytes setting' });
      const id = `p${this.next++}`;
      this.open.set(id, { uri: params.uri, profile, refs: 1 });
      const summary: ProfileSummary = summarize(profile, id, name);
      // A goroutine profile opens as the leak report of `golens leaks` on that file.
      if (goroutineProfileKind(profile)) {
        const source = params.uri.startsWith('file:') ? fileURLToPath(params.uri) : params.uri;
        summary.leaks = analyzeLeaks([{ kind: 'profile', source, profile }]);
      }
      return { ok: true, summary };
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }

  view(params: ProfileViewParams): ProfileViewResult {
    const entry = this.open.get(params.id);
    if (!entry) return { ok: false, error: toError(new Error(`profile ${params.id} is not open`)) };
    try {
      const v = profileView(entry.profile, params.query);
      return { ok: true, view: viewColumns(v, toBase64) };
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }

  /** pprof -list numbers of one function under the view's sample type and filters. */
  list(params: ProfileListParams): ProfileListResult {
    const entry = this.open.get(params.id);
    if (!entry) return { ok: false, error: toError(new Error(`profile ${params.id} is not open`)) };
    try {
      const set = viewStacks(entry.profile, params.query.sampleIndex, params.query.filters);
      return { ok: true, lines: functionLines(set, params.function, params.file) };
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }

  /** pprof -peek numbers and the caller and callee trees of one function, under the view's sample type and filters. */
  sandwich(params: ProfileSandwichParams): ProfileSandwichResult {
    const entry = this.open.get(params.id);
    if (!entry) return { ok: false, error: toError(new Error(`profile ${params.id} is not open`)) };
    try {
      const set = viewStacks(entry.profile, params.query.sampleIndex, params.query.filters);
      return { ok: true, sandwich: sandwichColumns(sandwich(set, params.function, params.minFraction), toBase64) };
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }

  /** pprof's call graph under the view's sample type and filters. */
  graph(params: ProfileGraphParams): ProfileGraphResult {
    const entry = this.open.get(params.id);
    if (!entry) return { ok: false, error: toError(new Error(`profile ${params.id} is not open`)) };
    try {
      const set = viewStacks(entry.profile, params.query.sampleIndex, params.query.filters);
      return { ok: true, graph: callGraph(set, params.options) };
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }

  close(id: string): void {
    this.open.delete(id);
  }

  /** The decoded profile behind an id, while it is open. */
  profile(id: string): Profile | undefined {
    return this.open.get(id)?.profile;
  }

  get size(): number {
    return this.open.size;
  }
}

/** The file name of a URI, for titles and messages. */
export function displayName(uri: string): string {
  const i = uri.lastIndexOf('/');
  return decodeURIComponent(i >= 0 ? uri.slice(i + 1) : uri);
}

export function toError(e: unknown): ProfileError {
  if (e instanceof WrongKindError) return { what: e.what, offset: e.offset, hint: e.hint, message: e.message, found: e.found };
  if (e instanceof FormatError) return { what: e.what, offset: e.offset, hint: e.hint, message: e.message };
  if (e instanceof RegexpError || e instanceof RangeError) return { what: e.message, message: e.message };
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'ENOENT') return { what: 'file not found', message: 'file not found' };
  const what = err instanceof Error ? err.message : String(e);
  return { what, message: what };
}
