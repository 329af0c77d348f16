// `golens trace <trace.out> [--json]`: decodes the trace generation by generation, replays it
// on the runtime model (which checks the scheduler's invariants) and prints the summary.
import { traceSummaryFrom } from '../core/artifacts/summary';
import { formatNs, printable } from '../core/format';
import { traceWriters } from '../core/trace/open';
import { parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

export function cmdTrace(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { booleans: ['json'] });
  if (a.positional.length !== 1) throw new UsageError('trace needs exactly one trace file');
  const s = traceSummaryFrom(a.positional[0], decodeOptions);
  if (a.bools.has('json')) {
    out(JSON.stringify({
      format: s.format, durationNs: s.durationNs, events: s.events, gomaxprocs: s.gomaxprocs,
      goroutinesCreated: s.goroutinesCreated, gcCycles: s.gcCycles, stw: s.stw, generations: s.generations,
    }) + '\n');
    return;
  }
  const writers = traceWriters(s.format);
  out([
    `File: ${printable(a.positional[0])}`,
    `Format: ${s.format} (${writers ? `written by ${writers}; ` : ''}${s.generations} generation${s.generations === 1 ? '' : 's'})`,
    `Duration: ${formatNs(s.durationNs)}   Events: ${s.events}   GOMAXPROCS: ${s.gomaxprocs || 'unknown'}`,
    `Goroutines created: ${s.goroutinesCreated}   GC cycles: ${s.gcCycles}   Stop-the-world: ${s.stw.count} pauses, ${formatNs(s.stw.totalNs)} total`,
  ].join('\n') + '\n');
}
