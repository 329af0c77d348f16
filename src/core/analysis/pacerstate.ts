// The GC pacer's two steady states, named once for every face (docs/WHATIF.md step 11 and "the
// pacer's two steady states"): the model's notes, `golens whatif`'s text and the trace editor's
// What-if panel all say them with these words. Pure text, no model in it.

/**
 * The pacer's steady state: 'zero', marks that begin within one allocation of the goal and
 * allocate nothing, so the cons/mark estimate and the runway stay near zero; 'runway', marks that
 * begin earlier, allocate and keep the runway.
 */
export type PacerState = 'zero' | 'runway';

/** Each state's short name (as in "this run had no runway") and what a Go programmer sees of it. */
export const PACER_STATES: Record<PacerState, { name: string; how: string }> = {
  zero: { name: 'no runway', how: 'each GC cycle starts right at the heap goal and the program waits for it to finish' },
  runway: { name: 'a runway', how: 'GC cycles start early and the program keeps allocating while they run' },
};

/** A state's name with what it means: "no runway (each GC cycle starts right at …)". */
export function pacerStateText(s: PacerState): string {
  return `${PACER_STATES[s].name} (${PACER_STATES[s].how})`;
}

/**
 * The one-line explanation: the two states, which one this trace's run was in when it is known,
 * and that a run's first cycles decide between them.
 */
export function pacerStatesText(traced?: PacerState): string {
  const two = `The GC settles into one of two steady states, set by a run's first cycles: ${pacerStateText('zero')}, or ${pacerStateText('runway')}.`;
  return traced ? `${two} This trace's run had ${PACER_STATES[traced].name}.` : two;
}
