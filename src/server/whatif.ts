// The "What if" panel's answers: the model's prediction from the input the opening pass
// collected, with the predicted heap thinned to what a lane can show (its peaks kept).
import { predictWhatIf, type WhatIfInput } from '../core/analysis/whatif';
import { WHATIF_MAX_POINTS, type TraceWhatIfResult, type WhatIfReport, type WhatIfSeries, type WhatIfSettings } from '../protocol/whatif';
import { toError } from './profiles';

export function answerWhatIf(input: WhatIfInput, settings: Partial<WhatIfSettings> | null, maxPoints = WHATIF_MAX_POINTS): TraceWhatIfResult {
  try {
    const r = predictWhatIf(input, settings ? [settings] : []);
    const report: WhatIfReport = { ...r, model: { ...r.model, heap: thinHeap(r.model.heap, maxPoints) }, scenarios: r.scenarios.map((s) => ({ ...s, heap: thinHeap(s.heap, maxPoints) })) };
    return { ok: true, report };
  } catch (e) {
    return { ok: false, error: toError(e) };
  }
}

type HeapPoint = WhatIfSeries['heap'][number];

/**
 * At most `max` points: the series cut into max/2 equal spans of time, each kept as its lowest
 * and highest heap point in time order, so the sawtooth's peaks and troughs survive.
 */
export function thinHeap(heap: HeapPoint[], max: number): HeapPoint[] {
  if (heap.length <= max || heap.length < 2) return heap;
  const buckets = Math.max(1, Math.floor(max / 2));
  const t0 = heap[0].timeNs, span = heap[heap.length - 1].timeNs - t0 || 1;
  const out: HeapPoint[] = [];
  let i = 0;
  for (let b = 0; b < buckets && i < heap.length; b++) {
    const until = b === buckets - 1 ? Infinity : t0 + ((b + 1) * span) / buckets;
    let lo: HeapPoint | undefined, hi: HeapPoint | undefined;
    for (; i < heap.length && heap[i].timeNs < until; i++) {
      const p = heap[i];
      if (!lo || p.inUseBytes < lo.inUseBytes) lo = p;
      if (!hi || p.inUseBytes > hi.inUseBytes) hi = p;
    }
    if (!lo || !hi) continue;
    if (lo === hi) out.push(lo);
    else if (lo.timeNs <= hi.timeNs) out.push(lo, hi);
    else out.push(hi, lo);
  }
  return out;
}
