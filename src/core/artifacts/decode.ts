// A file decoded at most once for any number of analyses: a trace is walked in one pass
// that feeds every collector the analyses asked for (the replay, the contention pairs, the
// GC's use of the procs, the summary counts), a profile is decoded once, a text is read once.
import { TraceContention, type ContentionReport } from '../analysis/contention';
import { gcUseCollector } from '../analysis/gc';
import { goroutineCollector, type GoroutineReport } from '../analysis/goroutines';
import type { GcUse } from '../analysis/gcuse';
import type { Finding } from '../analysis/finding';
import { FormatError, InputError } from '../errors';
import type { Profile } from '../pprof/model';
import type { RuntimeModel } from '../runtime/model';
import { checkCollector, modelCollector, runPass, summaryCollector, type Factories } from '../runtime/pass';
import type { TraceSummary } from '../trace/summary';
import { openArtifact, withPath, type Artifact, type LoadOptions } from './load';
import type { ArtifactKind } from './sniff';
import { openTraceSource } from './trace';

let profileDecoder: typeof import('./profiles') | undefined;
/**
 * ./profiles, required when a profile is first decoded: the pprof decoder it brings (protobufjs,
 * long, pako) is not loaded on a trace's path (`golens trace`).
 */
const profiles = () => (profileDecoder ??= require('./profiles') as typeof import('./profiles'));

/** What the analyses need from a trace: the collectors its one pass runs. */
export interface TraceNeeds {
  summary?: boolean;
  model?: boolean;
  /** The replay only as a check of the trace's invariants (a model without goroutine spans). */
  check?: boolean;
  contention?: boolean;
  gcUse?: boolean;
  goroutines?: boolean;
}

export interface TraceResults {
  /** The header's version, e.g. "go 1.23". */
  version: string;
  /** The time of the last event. */
  end: number;
  summary?: TraceSummary;
  model?: RuntimeModel;
  check?: RuntimeModel;
  contention?: ContentionReport;
  gcUse?: GcUse;
  goroutines?: GoroutineReport;
}

/** The collectors for the needs, always in the same order (they intern into one string table). */
function collectors(needs: TraceNeeds): Factories {
  const f: Factories = {};
  if (needs.summary) f.summary = summaryCollector;
  if (needs.model) f.model = modelCollector;
  else if (needs.check) f.check = checkCollector;
  if (needs.contention) f.contention = (r) => new TraceContention(r.strings, r.stacks);
  if (needs.gcUse) f.gcUse = gcUseCollector();
  if (needs.goroutines) f.goroutines = goroutineCollector;
  return f;
}

/** One pass over an artifact's trace with the collectors the needs name. */
function passTrace(a: Artifact, needs: TraceNeeds): TraceResults {
  const reader = openTraceSource(a.source, { inflate: a.limits });
  const r = runPass(reader, collectors(needs)) as Partial<TraceResults> & { end: number };
  return { ...r, version: reader.version };
}

/** The result, or the error (a broken file is decoded, and found broken, once). */
function attempt<T>(f: () => T): T | Error {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error) return e;
    throw e;
  }
}

/** An opened file and what has been decoded of it so far. */
export class Decoded {
  private traceResults: TraceResults | Error | undefined;
  private decodedProfile: Profile | Error | undefined;

  constructor(readonly artifact: Artifact, private readonly needs: TraceNeeds) {}

  get path(): string { return this.artifact.path; }
  get kind(): ArtifactKind { return this.artifact.kind; }

  /** The trace's pass (run on first use, with every collector this file's analyses need). */
  trace(): TraceResults {
    this.traceResults ??= attempt(() => passTrace(this.artifact, this.needs));
    if (this.traceResults instanceof Error) throw this.traceResults;
    return this.traceResults;
  }

  /** The profile (decoded on first use). */
  profile(): Profile {
    this.decodedProfile ??= attempt(() => profiles().profileOf(this.artifact));
    if (this.decodedProfile instanceof Error) throw this.decodedProfile;
    return this.decodedProfile;
  }
}

/**
 * Opens each file once, in order, and gives it to `each` (FormatErrors get the path in
 * front); the file is closed after. A trace's pass runs the collectors `needs` names.
 */
export function decodeEach<T>(paths: string[], opts: LoadOptions, needs: TraceNeeds, each: (d: Decoded) => T): T[] {
  return paths.map((p) => {
    const a = openArtifact(p, opts);
    try {
      return withPath(p, () => each(new Decoded(a, needs)));
    } finally {
      a.close();
    }
  });
}

/**
 * One analysis's findings for `golens report`, file by file: the files `accepts` takes are
 * analysed with `of`; one that turns out broken (a FormatError) is skipped, like a file of
 * another kind.
 */
export class FindingsOf<R> {
  private readonly out: Finding[] = [];
  constructor(
    private readonly of: (d: Decoded) => R,
    private readonly toFindings: (r: R, path: string) => Finding[],
    private readonly accepts: (d: Decoded) => boolean = () => true,
  ) {}
  add(d: Decoded): void {
    if (!this.accepts(d)) return;
    let r: R;
    try {
      r = this.of(d);
    } catch (e) {
      if (e instanceof FormatError) return;
      throw e;
    }
    this.out.push(...this.toFindings(r, d.path));
  }
  findings(): Finding[] {
    return this.out;
  }
}

/**
 * The findings of one analysis over `golens report`'s files: each file is decoded on its own
 * and given to `add`; a file that cannot be read at all (missing, a device) is skipped, as a
 * file of another kind is by `add` itself.
 */
export function findingsOfFiles(paths: string[], opts: LoadOptions, needs: TraceNeeds, add: (d: Decoded) => void, findings: () => Finding[]): Finding[] {
  for (const p of paths) {
    try {
      decodeEach([p], opts, needs, add);
    } catch (e) {
      if (e instanceof InputError) continue;
      throw e;
    }
  }
  return findings();
}
