// The summary `golens trace` prints: the trace decoded generation by generation in one pass
// that also replays it on the runtime model, which checks the scheduler's invariants.
import type { TraceSummary } from '../trace/summary';
import { decodeEach } from './decode';
import type { LoadOptions } from './load';

export function traceSummaryFrom(path: string, opts: LoadOptions = {}): TraceSummary {
  return decodeEach([path], opts, { summary: true, model: true }, (d) => d.trace().summary!)[0];
}
