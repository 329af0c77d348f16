// Goroutine leaks from files: execution traces, goroutine and goroutineleak profiles and
// text goroutine dumps, each file's kind read from its content. Two or more goroutine
// profiles or dumps are snapshots over time (growth per site).
import { analyzeLeaks, goroutineProfileKind, leakFindings, type LeakInput, type LeakRow } from '../analysis/leaks';
import type { Finding } from '../analysis/finding';
import { FormatError, preview, WrongKindError } from '../errors';
import { profileKind } from '../pprof/model';
import { replay } from '../runtime/replay';
import { parseGoroutineDump } from '../text/goroutines';
import { type LoadOptions, withArtifact } from './load';
import { profileOf } from './profiles';
import { openTraceSource } from './trace';

const READS = 'leaks reads execution traces, goroutine and goroutineleak profiles, and text goroutine dumps';
const EXPECTED = 'an execution trace, a goroutine or goroutineleak profile, or a text goroutine dump';

/**
 * A file that holds no goroutines for leaks to read: another kind of profile, a text file
 * that is not a goroutine dump. `golens leaks` throws `error`; `golens report` skips it.
 */
export interface OtherInput {
  kind: 'other';
  source: string;
  error: WrongKindError;
}

/** A file's content as a leak input, its kind read from the content, not the name. Throws FormatError for broken files. */
export function readLeakInput(path: string, opts: LoadOptions = {}): LeakInput | OtherInput {
  return withArtifact(path, opts, (a): LeakInput | OtherInput => {
    const other = (error: WrongKindError): OtherInput => ({ kind: 'other', source: path, error: error.inFile(path) });
    switch (a.kind) {
      case 'trace': return { kind: 'trace', source: path, model: replay(openTraceSource(a.source)) };
      case 'empty': throw new FormatError('empty file', 0, READS);
      case 'goroutines': return { kind: 'dump', source: path, dump: parseGoroutineDump(a.text()) };
      case 'goroutines-debug1':
        return other(new WrongKindError('a debug=1 goroutine profile has no wait reasons', EXPECTED, a.kind,
          'capture /debug/pprof/goroutine?debug=2 (a dump) or without ?debug= (a protobuf profile)', 0));
      case 'profile': {
        const profile = profileOf(a);
        if (!goroutineProfileKind(profile)) return other(new WrongKindError(`a ${profileKind(profile)} profile holds no goroutines`, EXPECTED, a.kind, READS));
        return { kind: 'profile', source: path, profile };
      }
      default:
        return other(new WrongKindError('not a goroutine dump, a pprof profile or an execution trace', EXPECTED, a.kind, `it starts with ${preview(a.content(), 24)}; ${READS}`, 0));
    }
  });
}

/** Leak rows for the files (see analyzeLeaks); a file leaks cannot read is an error (FormatError, WrongKindError, InputError). */
export function leaksFrom(paths: string[], opts: LoadOptions = {}): LeakRow[] {
  const inputs: LeakInput[] = [];
  for (const p of paths) {
    const input = readLeakInput(p, opts);
    if (input.kind === 'other') throw input.error;
    inputs.push(input);
  }
  return analyzeLeaks(inputs);
}

/**
 * For `golens report`: leak findings from whichever files hold goroutines (traces, goroutine
 * and goroutineleak profiles, dumps); other files (CPU or heap profiles, gctrace and
 * schedtrace logs…) are skipped. Throws FormatError for broken files.
 */
export function leakFindingsFromFiles(paths: string[], opts: LoadOptions = {}): Finding[] {
  const inputs: LeakInput[] = [];
  for (const p of paths) {
    const input = readLeakInput(p, opts);
    if (input.kind !== 'other') inputs.push(input);
  }
  return inputs.length ? leakFindings(analyzeLeaks(inputs)) : [];
}
