// The code action on a GOGC setting (debug.SetGCPercent(N) in Go, "GOGC" in a launch
// configuration's env): the command it runs in the extension, and its argument.
import type { Gogc } from '../core/analysis/whatif';

export const WHATIF_COMMAND = 'golens.whatIf';

export interface WhatIfCommandArgs {
  /** The setting as Go reads it (a negative percentage is off). */
  gogc: Gogc;
  /** Where it was written, for the quick pick's title (e.g. `debug.SetGCPercent(200)`). */
  source: string;
  /** The trace to open, as a URI; without it the user picks one of the workspace's. */
  trace?: string;
}
