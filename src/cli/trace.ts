// `golens trace <trace.out> [--json]`: decodes the trace generation by generation, replays it
// on the runtime model (which checks the scheduler's invariants) and prints the summary.
import { scaledLabel } from '../core/pprof/units';
import { Replayer } from '../core/runtime/replay';
import { SummaryBuilder, type TraceSummary } from '../core/trace/summary';
import { parseArgs, UsageError } from './args';
import { readTrace, withPath } from './inputkind';

export function traceSummary(path: string): TraceSummary {
  let summary: SummaryBuilder | undefined;
  let model: Replayer | undefined;
  readTrace(path, (reader) => {
    summary = new SummaryBuilder(reader.version, reader.strings);
    model = new Replayer(reader.strings, reader.stacks);
  }, (ev) => {
    summary!.add(ev);
    model!.add(ev);
  });
  // The replay checks the scheduler's invariants as it goes; finishing closes the last spans.
  withPath(path, () => model!.finish());
  return summary!.finish();
}

export function cmdTrace(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { booleans: ['json'] });
  if (a.positional.length !== 1) throw new UsageError('trace needs exactly one trace file');
  const s = traceSummary(a.positional[0]);
  if (a.bools.has('json')) {
    out(JSON.stringify({
      format: s.format, durationNs: s.durationNs, events: s.events, gomaxprocs: s.gomaxprocs,
      goroutinesCreated: s.goroutinesCreated, gcCycles: s.gcCycles, stw: s.stw, generations: s.generations,
    }) + '\n');
    return;
  }
  const ns = (v: number) => scaledLabel(v, 'nanoseconds', 'auto');
  out([
    `File: ${a.positional[0]}`,
    `Format: ${s.format} (${s.generations} generation${s.generations === 1 ? '' : 's'})`,
    `Duration: ${ns(s.durationNs)}   Events: ${s.events}   GOMAXPROCS: ${s.gomaxprocs || 'unknown'}`,
    `Goroutines created: ${s.goroutinesCreated}   GC cycles: ${s.gcCycles}   Stop-the-world: ${s.stw.count} pauses, ${ns(s.stw.totalNs)} total`,
  ].join('\n') + '\n');
}
