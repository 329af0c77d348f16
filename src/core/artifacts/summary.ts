// The summary `golens trace` prints: the trace decoded generation by generation and replayed
// on the runtime model, which checks the scheduler's invariants as it goes.
import { Replayer } from '../runtime/replay';
import { SummaryBuilder, type TraceSummary } from '../trace/summary';
import { type LoadOptions, withPath } from './load';
import { readTrace } from './trace';

export function traceSummaryFrom(path: string, opts: LoadOptions = {}): TraceSummary {
  let summary: SummaryBuilder | undefined;
  let model: Replayer | undefined;
  readTrace(path, (reader) => {
    summary = new SummaryBuilder(reader.version, reader.strings);
    model = new Replayer(reader.strings, reader.stacks);
  }, (ev) => {
    summary!.add(ev);
    model!.add(ev);
  }, opts);
  // Finishing the replay closes the last spans (and may find the trace broken).
  withPath(path, () => model!.finish());
  return summary!.finish();
}
