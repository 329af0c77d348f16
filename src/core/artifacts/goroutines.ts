// Goroutine analysis (go tool trace's Goroutines pages) of an execution trace file.
import type { GoroutineReport } from '../analysis/goroutines';
import { FormatError, WrongKindError } from '../errors';
import { decodeEach, type Decoded, type TraceNeeds } from './decode';
import type { LoadOptions } from './load';

/** What the goroutine analysis needs of a trace. */
export const GOROUTINES_NEEDS: TraceNeeds = { goroutines: true };

/** The goroutine report of a decoded file, which must be an execution trace. */
export function goroutinesOf(d: Decoded): GoroutineReport {
  if (d.kind === 'trace') return d.trace().goroutines!;
  const hint = 'give an execution trace (runtime/trace, go test -trace, /debug/pprof/trace)';
  if (d.kind === 'empty') throw new FormatError('the file is empty', undefined, hint);
  throw new WrongKindError('not an execution trace', 'an execution trace', d.kind, hint);
}

/** The goroutine report of one trace file. Throws FormatError, WrongKindError, InputError. */
export function goroutinesFrom(path: string, opts: LoadOptions = {}): GoroutineReport {
  return decodeEach([path], opts, GOROUTINES_NEEDS, goroutinesOf)[0];
}
