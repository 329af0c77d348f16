// The profile pairs the comparison panels have open, decoded once and kept in this process.
import { readRegularFile } from '../core/io/file';
import { fileURLToPath } from 'node:url';
import { checkCompatible } from '../core/pprof/diff';
import { diffView } from '../core/pprof/diffview';
import { profileFromBytes } from '../core/artifacts/profiles';
import { profileKind, type Profile } from '../core/pprof/model';
import type { CallTree } from '../core/pprof/tree';
import { summarize } from '../core/pprof/view';
import { diffViewColumns, fromBase64, toBase64 } from '../protocol/columns';
import type { DiffSource, DiffViewParams, DiffViewResult, OpenDiffParams, OpenDiffResult } from '../protocol/diff';
import { toError } from './profiles';

interface Entry {
  base: Profile;
  next: Profile;
  views: Map<string, DiffViewResult>;
  trees: Map<string, CallTree>;
}

/** Views (and call trees) kept per comparison, least recently used dropped first. */
const VIEWS_KEPT = 8;

export class DiffStore {
  private readonly open = new Map<string, Entry>();

  /** `next`: the first id's number, as ProfileStore's. */
  constructor(private next = 1) {}

  async openDiff(params: OpenDiffParams): Promise<OpenDiffResult> {
    const sides: [DiffSource, Profile | undefined][] = [[params.base, undefined], [params.next, undefined]];
    for (const side of sides) {
      try {
        side[1] = profileFromBytes(side[0].base64 !== undefined ? fromBase64(side[0].base64) : readRegularFile(fileURLToPath(side[0].uri)));
      } catch (e) {
        return { ok: false, error: toError(e), fileName: displayName(side[0].uri) };
      }
    }
    const base = sides[0][1]!, next = sides[1][1]!;
    try {
      checkCompatible(base, next);
    } catch (e) {
      const what = (p: Profile, s: DiffSource) => `${displayName(s.uri)} (${profileKind(p)} profile)`;
      return { ok: false, error: toError(e), fileName: `${what(base, params.base)} and ${what(next, params.next)}` };
    }
    const id = `d${this.next++}`;
    this.open.set(id, { base, next, views: new Map(), trees: new Map() });
    return {
      ok: true,
      summary: { id, base: summarize(base, `${id}b`, displayName(params.base.uri)), next: summarize(next, `${id}n`, displayName(params.next.uri)) },
    };
  }

  view(params: DiffViewParams): DiffViewResult {
    const entry = this.open.get(params.id);
    if (!entry) return { ok: false, error: toError(new Error(`comparison ${params.id} is not open`)) };
    // Toggling normalize or the sample type back and forth asks for the same views again.
    const key = JSON.stringify(params.query);
    const hit = entry.views.get(key);
    if (hit) {
      entry.views.delete(key);
      entry.views.set(key, hit);
      return hit;
    }
    const res = this.compute(entry, params);
    if (res.ok) {
      entry.views.set(key, res);
      if (entry.views.size > VIEWS_KEPT) entry.views.delete(entry.views.keys().next().value!);
    }
    return res;
  }

  private compute(entry: Entry, params: DiffViewParams): DiffViewResult {
    try {
      // Trees for other widths (minFraction) are dropped oldest first, like the views.
      const trees = {
        get: (k: string) => entry.trees.get(k),
        set: (k: string, t: CallTree) => { entry.trees.set(k, t); if (entry.trees.size > VIEWS_KEPT) entry.trees.delete(entry.trees.keys().next().value!); },
      };
      const v = diffView(entry.base, entry.next, params.query, trees);
      return { ok: true, view: diffViewColumns(v, toBase64) };
    } catch (e) {
      return { ok: false, error: toError(e) };
    }
  }

  close(id: string): void {
    this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }
}

function displayName(uri: string): string {
  const i = Math.max(uri.lastIndexOf('/'), uri.lastIndexOf(':'));
  return decodeURIComponent(uri.slice(i + 1));
}
