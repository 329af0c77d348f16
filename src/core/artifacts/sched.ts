// Scheduler latency and utilization from a file: an execution trace or a
// GODEBUG=schedtrace[,scheddetail=1] log, told apart by their content.
import type { Finding } from '../analysis/finding';
import { schedFindings, schedFromModel, schedFromSchedtrace, type SchedReport } from '../analysis/sched';
import { FormatError, WrongKindError } from '../errors';
import { parseSchedtrace } from '../text/schedtrace';
import { decodeEach, FindingsOf, findingsOfFiles, type Decoded, type TraceNeeds } from './decode';
import type { LoadOptions } from './load';
import { isTextKind } from './sniff';

export interface SchedInputOptions {
  buckets?: number;
}

/** What the scheduler analysis needs of a trace. */
export const SCHED_NEEDS: TraceNeeds = { model: true };

/** The scheduler report of a decoded file: an execution trace or a schedtrace log (by content). */
export function schedOf(d: Decoded, opts: SchedInputOptions = {}): SchedReport {
  if (d.kind === 'trace') return schedFromModel(d.trace().model!, { buckets: opts.buckets });
  if (isTextKind(d.kind)) return schedFromSchedtrace(parseSchedtrace(d.artifact.text()));
  const hint = 'give an execution trace (runtime/trace) or the standard error of a run with GODEBUG=schedtrace=1000';
  if (d.kind === 'empty') throw new FormatError('the file is empty', undefined, hint);
  throw new WrongKindError('not an execution trace or a schedtrace log', 'an execution trace or a schedtrace log', d.kind, hint);
}

/** The scheduler report of one file. Throws FormatError, WrongKindError, InputError. */
export function schedFrom(path: string, opts: SchedInputOptions & LoadOptions = {}): SchedReport {
  return decodeEach([path], opts, SCHED_NEEDS, (d) => schedOf(d, opts))[0];
}

/** Scheduler findings for `golens report`, file by file: traces and schedtrace logs count, other files are skipped. */
export class SchedFindings extends FindingsOf<SchedReport> {
  constructor() { super((d) => schedOf(d), schedFindings, (d) => d.kind === 'trace' || d.kind === 'schedtrace'); }
}

/** Scheduler findings for `golens report`: files that are not traces or schedtrace logs are skipped. */
export function schedFindingsFromFiles(paths: string[], opts: LoadOptions = {}): Finding[] {
  const part = new SchedFindings();
  return findingsOfFiles(paths, opts, SCHED_NEEDS, (d) => part.add(d), () => part.findings());
}
