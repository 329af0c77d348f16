// The trace editor's "What if" panel: the model's prediction for other GOGC, GOMEMLIMIT and
// GOMAXPROCS settings, from the input collected in the pass that opened the trace.
import { RequestType } from 'vscode-languageserver-protocol';
import type { Gogc, WhatIfReport, WhatIfResult, WhatIfSeries, WhatIfSettings } from '../core/analysis/whatif';
import type { ProfileError } from './errors';

export type { Gogc, WhatIfReport, WhatIfResult, WhatIfSeries, WhatIfSettings };

/** At most this many predicted heap points cross to the page (the lane is a few thousand pixels wide). */
export const WHATIF_MAX_POINTS = 4096;

/** `settings`: the scenario to predict; null asks only for the baseline and the model at it. */
export const TraceWhatIfRequest = new RequestType<TraceWhatIfParams, TraceWhatIfResult, void>('golens/trace/whatif');
export interface TraceWhatIfParams { id: string; settings: Partial<WhatIfSettings> | null }
export type TraceWhatIfResult = { ok: true; report: WhatIfReport } | { ok: false; error: ProfileError };
