// What if GOGC, GOMEMLIMIT or GOMAXPROCS were different: the pacer and scheduler models over
// one execution trace (its single pass: the replay and the GC's use of the procs).
import { predictWhatIf, whatIfInputFrom, type WhatIfInput, type WhatIfReport, type WhatIfSettings } from '../analysis/whatif';
import { WrongKindError } from '../errors';
import { decodeEach, type Decoded, type TraceNeeds } from './decode';
import type { LoadOptions } from './load';

export const WHATIF_NEEDS: TraceNeeds = { model: true, gcUse: true };

/** The models' input from a decoded file. Throws WrongKindError unless it is an execution trace. */
export function whatIfInputOf(d: Decoded): WhatIfInput {
  if (d.kind !== 'trace') throw new WrongKindError(`not an execution trace (${d.kind})`, 'an execution trace', d.kind, 'record one with runtime/trace or go test -trace', 0);
  const t = d.trace();
  return whatIfInputFrom(t.model!, t.gcUse!, t.version);
}

/**
 * The what-if report of one trace file; the scenarios may depend on the trace (e.g. half its
 * GOMAXPROCS). Throws FormatError, WrongKindError, InputError.
 */
export function whatIfFrom(path: string, scenarios: Partial<WhatIfSettings>[] | ((inp: WhatIfInput) => Partial<WhatIfSettings>[]), opts: LoadOptions = {}): WhatIfReport {
  return decodeEach([path], opts, WHATIF_NEEDS, (d) => {
    const inp = whatIfInputOf(d);
    return predictWhatIf(inp, typeof scenarios === 'function' ? scenarios(inp) : scenarios);
  })[0];
}
