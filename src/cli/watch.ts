// `golens watch <url> --every DUR --for DUR [--json] [--fail-on leaks[=N]] [-o DIR]`: goroutine
// snapshots of a running program, analysed together as `golens leaks` does (a group that
// grows is likely, the goroutineleak endpoint proves it). Progress per snapshot on stderr, and each
// group once as it is first found growing over the snapshots so far.
// Exit 1 when --fail-on passes (as `golens report`), 2 with one line when the program cannot
// be watched (unreachable, timeout, HTTP status, HTML, not a profile) or on bad usage.
import { leakFindings, leakRowJson } from '../core/analysis/leaks';
import { failures } from '../core/artifacts/report';
import { CaptureUsageError } from '../core/capture/endpoints';
import { parseDuration, saveSnapshotsIn, siteKey, siteOf, watchGoroutines, WatchError, type WatchSnapshot } from '../core/capture/watch';
import { printable } from '../core/format';
import { one, parseArgs, UsageError } from './args';
import { leaksTable } from './leaks';
import { parseFailOn } from './report';

export interface WatchIo {
  out(s: string): void;
  err(s: string): void;
  /** Stops the watch early (Ctrl-C): what was taken is still analysed. */
  signal?: AbortSignal;
}

/** Returns the exit code; never rejects for a watch that cannot run (that is exit 2 and one line on err). */
export async function cmdWatch(argv: string[], io: WatchIo): Promise<number> {
  try {
    return await watch(argv, io);
  } catch (e) {
    if (e instanceof WatchError || e instanceof CaptureUsageError || e instanceof UsageError) {
      io.err(`golens: ${printable(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}

async function watch(argv: string[], io: WatchIo): Promise<number> {
  const a = parseArgs(argv, { values: ['every', 'for', 'o'], booleans: ['json'], repeatable: ['fail-on'] });
  if (a.positional.length !== 1) throw new UsageError('watch needs one address: host:port, http://host:port or its /debug/pprof/ URL');
  const every = one(a, 'every');
  const dur = one(a, 'for');
  if (!every || !dur) throw new UsageError('watch needs --every DUR and --for DUR (e.g. --every 1s --for 30s)');
  const everyMs = parseDuration(every, '--every');
  const forMs = parseDuration(dur, '--for');
  const thresholds = parseFailOn(a.flags.get('fail-on') ?? []);
  const dir = one(a, 'o');
  const save = dir ? saveSnapshotsIn(dir) : undefined;
  // A group is told once as it is first found growing (likely) over the snapshots so far.
  const told = new Set<string>();
  const r = await watchGoroutines(a.positional[0], {
    everyMs, forMs, signal: io.signal, save, onSnapshot: (s) => io.err(progressLine(s)),
    onRows: (rows) => {
      for (const row of rows) {
        if (row.confidence === 'possible' || told.has(siteKey(row))) continue;
        told.add(siteKey(row));
        io.err(printable(`golens: growing so far: ${siteOf(row).label}, ${row.reason}: ${row.why}`) + '\n');
      }
    },
  });
  if (r.leakProfile) io.err(`golens: goroutineleak profile taken: leaks it lists are proven\n`);
  else if (!r.stopped) io.err(`golens: no goroutineleak endpoint (Go 1.26 with GOEXPERIMENT=goroutineleakprofile, or 1.27, serves it): growth alone says likely\n`);
  if (a.bools.has('json')) io.out(JSON.stringify({ leaks: r.rows.map(leakRowJson), seen: r.census }) + '\n');
  else io.out(leaksTable(r.rows, r.snapshots.map((s) => s.source).concat(r.leakProfile ? [r.leakProfile] : []), r.census));
  const failed = failures(leakFindings(r.rows), thresholds);
  for (const f of failed) io.err(`golens: --fail-on: ${f}\n`);
  return failed.length ? 1 : 0;
}

/** `snapshot 3: 41 goroutines; main.leakOne (main.go:99) ← go main.go:106 24, …` */
function progressLine(s: WatchSnapshot): string {
  const sites = s.sites.slice(0, 3).map((x) => `${x.label} ${x.count}`).join('; ');
  return printable(`golens: snapshot ${s.index + 1}: ${s.total} goroutines${sites ? `; ${sites}` : ''}`) + '\n';
}
