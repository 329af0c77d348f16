// Lock contention from files: execution traces (waiter and releaser of every wait), mutex
// profiles (releasers) and block profiles (waiters), in any mix.
import {
  contentionFindings, contentionFromProfiles, mergeContention, profileSide, TraceContention, type ContentionReport,
} from '../analysis/contention';
import type { Finding } from '../analysis/finding';
import { FormatError, InputError, WrongKindError } from '../errors';
import type { Profile } from '../pprof/model';
import { type LoadOptions, withArtifact } from './load';
import { profileOf } from './profiles';
import { readTrace } from './trace';

interface Inputs {
  traces: { path: string; report: ContentionReport }[];
  block: { path: string; profile: Profile }[];
  mutex: { path: string; profile: Profile }[];
}

export function traceContention(path: string, opts: LoadOptions = {}): ContentionReport {
  let analysis: TraceContention | undefined;
  const end = readTrace(path, (r) => { analysis = new TraceContention(r.strings, r.stacks); }, (ev) => analysis!.add(ev), opts);
  return analysis!.finish(end);
}

function readInput(path: string, into: Inputs, opts: LoadOptions): void {
  const kind = withArtifact(path, opts, (a) => {
    if (a.kind === 'profile') {
      const profile = profileOf(a);
      (profileSide(profile) === 'mutex' ? into.mutex : into.block).push({ path, profile });
    }
    return a.kind;
  });
  if (kind === 'profile') return;
  if (kind === 'trace') {
    into.traces.push({ path, report: traceContention(path, opts) });
    return;
  }
  const hint = 'give an execution trace (runtime/trace), a mutex profile or a block profile';
  throw new WrongKindError(
    `${path}: ${kind === 'empty' ? 'the file is empty' : kind === 'schedtrace' ? 'a schedtrace log has no lock contention' : 'not an execution trace or a mutex/block profile'}`,
    'an execution trace, a mutex profile or a block profile', kind, hint,
  );
}

function profileReport(inputs: Inputs): ContentionReport {
  return contentionFromProfiles(inputs.block.map((b) => b.profile), inputs.mutex.map((m) => m.profile), {
    block: inputs.block.map((b) => b.path), mutex: inputs.mutex.map((m) => m.path),
  });
}

function reportOf(inputs: Inputs): ContentionReport {
  const parts = inputs.traces.map((t) => t.report);
  if (inputs.block.length || inputs.mutex.length) parts.push(profileReport(inputs));
  return mergeContention(parts);
}

/** The whole report for the files (throws on any bad one). */
export function contentionFrom(paths: string[], opts: LoadOptions = {}): ContentionReport {
  const inputs: Inputs = { traces: [], block: [], mutex: [] };
  for (const p of paths) readInput(p, inputs, opts);
  return reportOf(inputs);
}

/**
 * The report over those of the files that are traces or mutex/block profiles (what
 * `golens contention` gives on them); the others are passed to `skipped` with the error.
 */
export function contentionReportOf(paths: string[], skipped: (path: string, error: FormatError | InputError) => void, opts: LoadOptions = {}): { report: ContentionReport; traces: string[] } {
  const inputs: Inputs = { traces: [], block: [], mutex: [] };
  for (const p of paths) {
    try {
      readInput(p, inputs, opts);
    } catch (e) {
      if (e instanceof FormatError || e instanceof InputError) { skipped(p, e); continue; }
      throw e;
    }
  }
  return { report: reportOf(inputs), traces: inputs.traces.map((t) => t.path) };
}

/** Contention findings for `golens report`: files that are not traces or mutex/block profiles are skipped. */
export function contentionFindingsFromFiles(paths: string[], opts: LoadOptions = {}): Finding[] {
  const inputs: Inputs = { traces: [], block: [], mutex: [] };
  for (const p of paths) {
    try {
      readInput(p, inputs, opts);
    } catch (e) {
      if (e instanceof FormatError || e instanceof InputError) continue;
      throw e;
    }
  }
  const out: Finding[] = [];
  for (const t of inputs.traces) out.push(...contentionFindings(t.report, t.path));
  if (inputs.block.length || inputs.mutex.length) out.push(...contentionFindings(profileReport(inputs), inputs.block.concat(inputs.mutex).map((x) => x.path).join(', ')));
  return out;
}
