// `golens trace <trace.out> [--json]`: decodes the trace generation by generation, replays it
// on the runtime model (which checks the scheduler's invariants) and prints the summary.
import { FormatError } from '../core/errors';
import { fileSource } from '../core/io/file';
import { scaledLabel } from '../core/pprof/units';
import { Replayer } from '../core/runtime/replay';
import { openTrace } from '../core/trace/open';
import { SummaryBuilder, type TraceSummary } from '../core/trace/summary';
import { parseArgs, UsageError } from './args';

export function traceSummary(path: string): TraceSummary {
  let src;
  try {
    src = fileSource(path);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    const reader = openTrace(src);
    const summary = new SummaryBuilder(reader.version, reader.strings);
    const model = new Replayer(reader.strings, reader.stacks);
    for (let ev = reader.next(); ev; ev = reader.next()) {
      summary.add(ev);
      model.add(ev);
    }
    model.finish();
    return summary.finish();
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${path}: ${e.what}`, e.offset, e.hint);
    throw e;
  } finally {
    src.close();
  }
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
