// Scheduler latency and utilization from a file: an execution trace or a
// GODEBUG=schedtrace[,scheddetail=1] log, told apart by their content.
import type { Finding } from '../analysis/finding';
import { schedFindings, schedFromModel, schedFromSchedtrace, type SchedReport } from '../analysis/sched';
import { FormatError, InputError, WrongKindError } from '../errors';
import { Replayer } from '../runtime/replay';
import { parseSchedtrace } from '../text/schedtrace';
import { openArtifact, type LoadOptions, withArtifact } from './load';
import { isTextKind } from './sniff';
import { readTrace } from './trace';

export interface SchedInputOptions {
  buckets?: number;
}

/** The scheduler report of one file: an execution trace or a schedtrace log (by content). */
export function schedFrom(path: string, opts: SchedInputOptions & LoadOptions = {}): SchedReport {
  const kind = withArtifact(path, opts, (a) => {
    if (isTextKind(a.kind)) return { report: schedFromSchedtrace(parseSchedtrace(a.text())) };
    return a.kind;
  });
  if (typeof kind === 'object') return kind.report;
  if (kind === 'trace') {
    let replayer: Replayer | undefined;
    readTrace(path, (r) => { replayer = new Replayer(r.strings, r.stacks); }, (ev) => replayer!.add(ev), opts);
    return schedFromModel(replayer!.finish(), { buckets: opts.buckets });
  }
  const hint = 'give an execution trace (runtime/trace) or the standard error of a run with GODEBUG=schedtrace=1000';
  if (kind === 'empty') throw new FormatError(`${path}: the file is empty`, undefined, hint);
  throw new WrongKindError(`${path}: not an execution trace or a schedtrace log`, 'an execution trace or a schedtrace log', kind, hint);
}

/** Scheduler findings for `golens report`: files that are not traces or schedtrace logs are skipped. */
export function schedFindingsFromFiles(paths: string[], opts: LoadOptions = {}): Finding[] {
  const out: Finding[] = [];
  for (const p of paths) {
    let r: SchedReport;
    try {
      const a = openArtifact(p, opts);
      const kind = a.kind;
      a.close();
      if (kind !== 'trace' && kind !== 'schedtrace') continue;
      r = schedFrom(p, opts);
    } catch (e) {
      if (e instanceof FormatError || e instanceof InputError) continue;
      throw e;
    }
    out.push(...schedFindings(r, p));
  }
  return out;
}
