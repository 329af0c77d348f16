// The summary `golens trace` prints: the trace decoded generation by generation in one pass
// that also replays it on the runtime model, which checks the scheduler's invariants (the
// goroutine spans the views need are not kept: a check needs none).
import type { TraceSummary } from '../trace/summary';
import { decodeEach } from './decode';
import type { LoadOptions } from './load';

export function traceSummaryFrom(path: string, opts: LoadOptions = {}): TraceSummary {
  return decodeEach([path], opts, { summary: true, check: true }, (d) => d.trace().summary!)[0];
}
