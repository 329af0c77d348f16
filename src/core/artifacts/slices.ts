// Time slices of a trace file (`golens slice`): the replayed model, then the profile the query asks for.
import { sliceProfile, type SliceQuery } from '../analysis/timeslices';
import type { Profile } from '../pprof/model';
import { FormatError, WrongKindError } from '../errors';
import { decodeEach, type TraceNeeds } from './decode';
import type { LoadOptions } from './load';

export const SLICE_NEEDS: TraceNeeds = { model: true };

export interface SliceResult {
  profile: Profile;
  /** The trace's last event (ns since its first). */
  end: number;
}

/** The slice of one trace file. Throws FormatError, WrongKindError, InputError. */
export function sliceFrom(path: string, q: SliceQuery, opts: LoadOptions = {}): SliceResult {
  return decodeEach([path], opts, SLICE_NEEDS, (d) => {
    if (d.kind === 'empty') throw new FormatError('the file is empty', undefined, 'give an execution trace (runtime/trace)');
    if (d.kind !== 'trace') throw new WrongKindError('not an execution trace', 'an execution trace', d.kind, 'give a file runtime/trace, go test -trace or /debug/pprof/trace wrote');
    const model = d.trace().model!;
    return { profile: sliceProfile(model, q), end: model.end };
  })[0];
}
