// Goroutine leaks from files: execution traces, goroutine and goroutineleak profiles and
// text goroutine dumps, each file's kind read from its content. Two or more goroutine
// profiles or dumps are snapshots over time (growth per site).
import { analyzeLeaks, goroutineProfileKind, leakFindings, leakReport, type LeakCensus, type LeakInput, type LeakRow } from '../analysis/leaks';
import type { Finding } from '../analysis/finding';
import { describeBytes, FormatError, WrongKindError } from '../errors';
import { profileKind } from '../pprof/model';
import { parseGoroutineDump } from '../text/goroutines';
import { decodeEach, type Decoded, type TraceNeeds } from './decode';
import { profileFormat } from './sniff';
import type { LoadOptions } from './load';

const READS = 'leaks reads execution traces, goroutine and goroutineleak profiles, and text goroutine dumps';
const EXPECTED = 'an execution trace, a goroutine or goroutineleak profile, or a text goroutine dump';

/** What the leak analysis needs of a trace. */
export const LEAK_NEEDS: TraceNeeds = { model: true };

/**
 * A file that holds no goroutines for leaks to read: another kind of profile, a text file
 * that is not a goroutine dump. `golens leaks` throws `error`; `golens report` skips it.
 */
export interface OtherInput {
  kind: 'other';
  source: string;
  error: WrongKindError;
}

/**
 * A decoded file as a leak input, its kind read from the content, not the name (an other
 * input's error does not name the file yet). Throws FormatError for broken files.
 */
export function leakInputOf(d: Decoded): LeakInput | OtherInput {
  const path = d.path;
  const other = (error: WrongKindError): OtherInput => ({ kind: 'other', source: path, error });
  switch (d.kind) {
    case 'trace': return { kind: 'trace', source: path, model: d.trace().model! };
    case 'empty': throw new FormatError('empty file', 0, READS);
    case 'goroutines': return { kind: 'dump', source: path, dump: parseGoroutineDump(d.artifact.text()) };
    case 'profile': {
      const profile = d.profile();
      if (!goroutineProfileKind(profile)) return other(new WrongKindError(`a ${profileKind(profile)} profile holds no goroutines`, EXPECTED, d.kind, READS));
      // A legacy goroutine profile is Go's debug=1 text, whose runtime frames (gopark, chanrecv…)
      // are unnamed: why a goroutine waits is not in it.
      if (profileFormat(d.artifact.contentHead) === 'legacy') {
        return other(new WrongKindError('a debug=1 goroutine profile leaves out the runtime frames that say why a goroutine waits', EXPECTED, d.kind,
          'capture /debug/pprof/goroutine?debug=2 (a dump) or without ?debug= (a protobuf profile); `golens top` reads this one'));
      }
      return { kind: 'profile', source: path, profile };
    }
    default:
      return other(new WrongKindError('not a goroutine dump, a pprof profile or an execution trace', EXPECTED, d.kind, `it is ${describeBytes(d.artifact.contentHead, d.artifact.contentHead === d.artifact.head ? d.artifact.size : undefined)}; ${READS}`, 0));
  }
}

/** A file's content as a leak input. Throws FormatError for broken files. */
export function readLeakInput(path: string, opts: LoadOptions = {}): LeakInput | OtherInput {
  const input = decodeEach([path], opts, LEAK_NEEDS, leakInputOf)[0];
  return input.kind === 'other' ? { ...input, error: input.error.inFile(path) } : input;
}

/** Leak rows for the files (see analyzeLeaks); a file leaks cannot read is an error (FormatError, WrongKindError, InputError). */
export function leaksFrom(paths: string[], opts: LoadOptions = {}): LeakRow[] {
  return leakReportFrom(paths, opts).rows;
}

/** The rows and what the files held (for saying why nothing leaked); errors as leaksFrom. */
export function leakReportFrom(paths: string[], opts: LoadOptions = {}): { rows: LeakRow[]; census: LeakCensus } {
  const inputs = decodeEach(paths, opts, LEAK_NEEDS, (d) => {
    const input = leakInputOf(d);
    if (input.kind === 'other') throw input.error;
    return input;
  });
  return leakReport(inputs);
}

/**
 * Leak findings for `golens report`, file by file: whichever files hold goroutines (traces,
 * goroutine and goroutineleak profiles, dumps) count; other files (CPU or heap profiles,
 * gctrace and schedtrace logs…) are skipped. add() throws FormatError for broken files.
 */
export class LeakFindings {
  private readonly inputs: LeakInput[] = [];
  add(d: Decoded): void {
    const input = leakInputOf(d);
    if (input.kind !== 'other') this.inputs.push(input);
  }
  findings(): Finding[] {
    return this.inputs.length ? leakFindings(analyzeLeaks(this.inputs)) : [];
  }
}

/** Leak findings from the files (as in `golens report`). Throws FormatError for broken files. */
export function leakFindingsFromFiles(paths: string[], opts: LoadOptions = {}): Finding[] {
  const part = new LeakFindings();
  decodeEach(paths, opts, LEAK_NEEDS, (d) => part.add(d));
  return part.findings();
}
