// Two traces compared: each file is read once, in one pass that feeds every collector the
// trace, sched, gc and contention analyses need; their reports are then compared.
import { diffTraces, type TraceDiffResult, type TraceFacts } from '../analysis/tracediff';
import { FormatError, WrongKindError } from '../errors';
import { CONTENTION_NEEDS } from './contention';
import { decodeEach, type Decoded, type TraceNeeds } from './decode';
import { GC_NEEDS, gcOf } from './gc';
import { openArtifact, type LoadOptions } from './load';
import { SCHED_NEEDS, schedOf } from './sched';

/** Every collector the compared analyses need, for the one pass over each trace. */
export const TRACEDIFF_NEEDS: TraceNeeds = { summary: true, ...SCHED_NEEDS, ...GC_NEEDS, ...CONTENTION_NEEDS };

/** The facts of one decoded trace (a file of another kind: WrongKindError). */
export function traceFactsOf(d: Decoded): TraceFacts {
  if (d.kind !== 'trace') {
    throw new WrongKindError(d.kind === 'empty' ? 'the file is empty' : `not an execution trace (it is ${d.kind === 'profile' ? 'a profile' : `a ${d.kind} file`})`,
      'an execution trace', d.kind, 'golens diff compares two traces, or two profiles');
  }
  const t = d.trace();
  return { summary: t.summary!, sched: schedOf(d), gc: gcOf(d), contention: t.contention! };
}

/** The ranked differences between two traces. Throws FormatError, WrongKindError, InputError. */
export function traceDiffFrom(basePath: string, newPath: string, opts: LoadOptions = {}): TraceDiffResult {
  const [a, b] = decodeEach([basePath, newPath], opts, TRACEDIFF_NEEDS, (d) => ({ facts: traceFactsOf(d), side: { path: d.path, format: d.trace().summary!.format } }));
  return { base: a.side, new: b.side, ...diffTraces(a.facts, b.facts) };
}

/**
 * What `golens diff` compares: two traces or two profiles, by their content. A trace and a
 * file of another kind: a FormatError naming both (only the first bytes were read).
 */
export function diffKind(basePath: string, newPath: string, opts: LoadOptions = {}): 'traces' | 'profiles' {
  const kinds = [basePath, newPath].map((p) => { const a = openArtifact(p, opts); try { return a.kind; } finally { a.close(); } });
  if (kinds[0] === 'trace' && kinds[1] === 'trace') return 'traces';
  if (kinds[0] !== 'trace' && kinds[1] !== 'trace') return 'profiles';
  const [t, o] = kinds[0] === 'trace' ? [basePath, newPath] : [newPath, basePath];
  const other = kinds[kinds[0] === 'trace' ? 1 : 0];
  throw new FormatError(`cannot compare an execution trace (${t}) with ${other === 'profile' ? 'a profile' : `a ${other} file`} (${o})`, undefined,
    'give two traces (the trace diff) or two profiles (the profile diff)');
}
