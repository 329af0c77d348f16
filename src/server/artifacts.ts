// The workspace's artifacts (golens.artifacts), decoded once per change for every lens that
// reads them. Runs on the trace worker's thread: a trace is walked in one pass that feeds
// both the leak analysis (the replay) and the contention analysis; a profile is decoded
// once. A file is read again only when its size or modification time changed; what the
// lenses get is plain data (it crosses the thread boundary).
import { statSync } from 'node:fs';
import type { ContentionReport } from '../core/analysis/contention';
import { analyzeLeaks, leakFindings, type LeakInput, type LeakRow } from '../core/analysis/leaks';
import { locateFinding, type Place } from '../core/analysis/locate';
import { ContentionInputs, CONTENTION_NEEDS } from '../core/artifacts/contention';
import { decodeEach, type Decoded } from '../core/artifacts/decode';
import { leakInputOf, LEAK_NEEDS } from '../core/artifacts/leaks';
import type { LoadOptions } from '../core/artifacts/load';
import { FormatError, InputError } from '../core/errors';
import { SpanIndex } from '../core/runtime/queries';

/** What the lenses need from the artifacts, as plain data. */
export interface LensData {
  /** Leak rows over every artifact that holds goroutines; a trace's row with where it shows in the timeline. */
  leaks: { row: LeakRow; trace?: { trace: string; place: Place } }[];
  /** Lock contention over the traces and mutex/block profiles, and which traces it read. */
  contention: { report: ContentionReport; traces: string[] };
  /** Artifacts that could not be read, or that nothing in GoLens reads, with why (one line each). */
  errors: string[];
  /** How many artifacts were read and decoded for this refresh (the others had not changed). */
  decoded: number;
}

/** One artifact as decoded: its inputs to each analysis (none when it is of another kind). */
interface Entry {
  key: string;
  leak?: LeakInput;
  contention?: ContentionInputs;
  error?: string;
}

/** What a decoded artifact gives each lens. */
function decodeArtifact(d: Decoded): Omit<Entry, 'key'> {
  const out: Omit<Entry, 'key'> = {};
  const leak = leakInputOf(d);
  if (leak.kind !== 'other') out.leak = leak;
  const contention = new ContentionInputs();
  let contentionError: FormatError | InputError | undefined;
  contention.addOrSkip(d, (_path, e) => { contentionError = e; });
  if (!contentionError) out.contention = contention;
  // A file no lens reads is news unless another feature reads it (profiles: escapes, line costs).
  if (leak.kind === 'other' && !out.contention && d.kind !== 'profile') out.error = leak.error.inFile(d.path).message;
  return out;
}

export class ArtifactCache {
  private readonly entries = new Map<string, Entry>();
  private last: { keys: string; data: LensData } | undefined;

  constructor(private readonly opts: LoadOptions = {}) {}

  /** The lens data for the artifacts, reading only those that changed since they were last read. */
  refresh(paths: string[]): LensData {
    let decoded = 0;
    const entries: [string, Entry][] = [];
    for (const path of paths) {
      const key = statKey(path);
      let e = this.entries.get(path);
      if (!e || e.key !== key) {
        e = { key, ...this.decode(path) };
        this.entries.set(path, e);
        decoded++;
      }
      entries.push([path, e]);
    }
    for (const p of [...this.entries.keys()]) if (!paths.includes(p)) this.entries.delete(p);
    // Nothing changed: the same answer, not computed again.
    const keys = JSON.stringify(entries.map(([p, e]) => [p, e.key]));
    if (decoded === 0 && this.last?.keys === keys) return { ...this.last.data, decoded: 0 };
    const data = { ...combine(entries.map(([, e]) => e)), decoded };
    this.last = { keys, data };
    return data;
  }

  private decode(path: string): Omit<Entry, 'key'> {
    try {
      return decodeEach([path], this.opts, { ...LEAK_NEEDS, ...CONTENTION_NEEDS }, decodeArtifact)[0];
    } catch (e) {
      if (e instanceof FormatError || e instanceof InputError) return { error: e.message };
      return { error: `${path}: ${(e as Error)?.message ?? String(e)}` };
    }
  }
}

/** Size and modification time: a file whose key is unchanged is not read again. */
function statKey(path: string): string {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** The lenses' data over every artifact: leaks analysed together (snapshots over time show growth). */
function combine(entries: Entry[]): Omit<LensData, 'decoded'> {
  const errors = entries.flatMap((e) => (e.error ? [e.error] : []));
  const inputs = entries.flatMap((e) => (e.leak ? [e.leak] : []));
  const leaks = analyzeLeaks(inputs).map((row) => {
    const trace = inputs.find((i) => i.kind === 'trace' && row.sources.includes(i.source));
    if (trace?.kind !== 'trace' || !row.goroutines?.length) return { row };
    const place = locateFinding(trace.model, () => new SpanIndex(trace.model.gSpans), leakFindings([row])[0], row.goroutines);
    return place ? { row, trace: { trace: trace.source, place } } : { row };
  });
  const all = new ContentionInputs();
  for (const e of entries) if (e.contention) all.addAll(e.contention);
  return { leaks, contention: { report: all.report(), traces: all.traces.map((t) => t.path) }, errors };
}
