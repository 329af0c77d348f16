// golens: the command line face of GoLens' core. Exit 0 on success, 2 on bad input or
// usage (one line on stderr, never a stack trace), 1 on an internal error, 141 (quietly) when
// the reader of its output has gone, as a Go program killed by SIGPIPE.
import { writeSync } from 'node:fs';
import { FormatError, InputError, ToolError } from '../core/errors';
import { printable, safeLines } from '../core/format';
import { RegexpError } from '../core/pprof/regexp';
import { encodeBytes, hasRawBytes } from '../core/pprof/utf8';
import { UsageError } from './args';
import { decodeOptions, takeMaxBytes } from './limits';

// Each command's module loads when it runs: `golens trace` does not initialise the pprof,
// capture and protobuf code of the others (loading them all took ~70 ms and 9 MB up front).
const commands = {
  capture: () => require('./capture') as typeof import('./capture'),
  bench: () => require('./bench') as typeof import('./bench'),
  contention: () => require('./contention') as typeof import('./contention'),
  top: () => require('./top') as typeof import('./top'),
  diff: () => require('./diff') as typeof import('./diff'),
  peek: () => require('./peek') as typeof import('./peek'),
  tags: () => require('./tags') as typeof import('./tags'),
  escapes: () => require('./escapes') as typeof import('./escapes'),
  fetch: () => require('./fetch') as typeof import('./fetch'),
  gc: () => require('./gc') as typeof import('./gc'),
  goroutines: () => require('./goroutines') as typeof import('./goroutines'),
  graph: () => require('./graph') as typeof import('./graph'),
  leaks: () => require('./leaks') as typeof import('./leaks'),
  report: () => require('./report') as typeof import('./report'),
  sched: () => require('./sched') as typeof import('./sched'),
  slice: () => require('./slice') as typeof import('./slice'),
  trace: () => require('./trace') as typeof import('./trace'),
  watch: () => require('./watch') as typeof import('./watch'),
  whatif: () => require('./whatif') as typeof import('./whatif'),
  profiles: () => require('../core/artifacts/profiles') as typeof import('../core/artifacts/profiles'),
  model: () => require('../core/pprof/model') as typeof import('../core/pprof/model'),
};

const VERSION = '0.1.0';

/** The help text (a function: it names the usage of commands that load when run). */
const usage = (): string => `golens ${VERSION} — read what the Go runtime writes

Usage:
  golens top <profile>... [--sample TYPE] [--granularity functions|lines] [-n N]
             [--focus RE] [--ignore RE] [--hide RE] [--show RE] [--tag KEY=VALUE]... [--json]
             [--tagroot KEY[,KEY]] [--tagleaf KEY[,KEY]]   (label values as frames at the root / leaf)
  golens tags <profile>... [--key KEY] [--sample TYPE] [the filters of top] [--json]   (pprof -tags)
  golens peek <profile>... <regexp> [--sample TYPE] [--granularity functions|lines]
             [--focus RE] [--ignore RE] [--hide RE] [--show RE] [--tag KEY=VALUE]... [--json]
  golens graph <profile>... [--sample TYPE] [--nodefraction F] [--edgefraction F] [--nodecount N]
             [--focus RE] [--ignore RE] [--hide RE] [--show RE] [--tag KEY=VALUE]... [--json]
  golens diff <base> <new> [--normalize] [--sample TYPE] [--granularity functions|lines] [-n N] [--json]
  golens diff <base.trace> <new.trace> [--json]
  golens trace <trace.out> [--json]
  ${commands.slice().SLICE_USAGE}
  golens leaks <trace|goroutine profile|goroutineleak profile|dump>... [--json]
  golens contention <trace|mutex profile|block profile>... [--json]
  golens gc <trace|gctrace.log> [--json]
  golens sched <trace|schedtrace.log> [--buckets N] [--json]
  golens whatif <trace> [--gogc N|off[,…]] [--memlimit BYTES[,…]] [--gomaxprocs N[,…]] [--json]
  golens goroutines <trace> [--sort running|count|name|total|runnable|sync|chan|net|sleep|other|syscall|assist|sweep|unknown]
             [--start-fn RE] [--json]
  golens escapes <package dir> [--profile heap.pprof]... [--compiler-output FILE|DIR] [--all] [--go PATH] [--json]
  golens bench <package dir> <BenchmarkName|TestName> [--count N] [--trace] [--go PATH] [--timeout SECONDS] [--json]
  golens report <files>... [--text|--md|--json|--html] [--fail-on leaks[=N]|contention|gc|sched]...
  golens watch <url> --every DUR --for DUR [--json] [--fail-on leaks[=N]] [-o DIR]
  golens capture <url> --kind cpu|heap|allocs|goroutine|mutex|block|threadcreate|goroutineleak|trace
             [--seconds N] [-o FILE] [--timeout SECONDS] [--json]
  ${commands.fetch().FETCH_USAGE.replace(/\n/g, '\n  ')}

Profiles are pprof files (gzip or raw protobuf) as Go's runtime/pprof and net/http/pprof write them;
traces are execution traces from runtime/trace, go test -trace or /debug/pprof/trace (Go 1.11 on).
capture takes from a running program's net/http/pprof (host:port, http://host:port, its /debug/pprof/
URL or an endpoint) into .golens/captures/<host_port>/<UTC time>-<kind>.<ext> unless -o; it waits at most
30 s (--timeout) plus --seconds. Several profiles given to top are merged. Regular expressions use Go's syntax, as pprof does.
A gzip'd profile may inflate to at most 2 GiB; --max-bytes SIZE (512M, 4G) sets the limit for any command.
Exit status: 0 ok, 2 bad input or usage, 1 internal error or a --fail-on threshold passed.
`;

export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number | Promise<number> {
  const [cmd, ...args] = argv;
  try {
    const rest = takeMaxBytes(args);
    switch (cmd) {
      // Asynchronous: the profile streams through zlib as it is decoded.
      case 'top': return commands.top().cmdTopStreamed(rest, out).then(() => 0, (e: unknown) => failed(e, err));
      case 'tags': commands.tags().cmdTags(rest, out); return 0;
      case 'diff': commands.diff().cmdDiff(rest, out); return 0;
      case 'peek': commands.peek().cmdPeek(rest, out); return 0;
      case 'graph': commands.graph().cmdGraph(rest, out); return 0;
      case 'trace': commands.trace().cmdTrace(rest, out); return 0;
      case 'slice': commands.slice().cmdSlice(rest, out); return 0;
      case 'leaks': commands.leaks().cmdLeaks(rest, out); return 0;
      case 'contention': commands.contention().cmdContention(rest, out); return 0;
      case 'gc': commands.gc().cmdGc(rest, out); return 0;
      case 'sched': commands.sched().cmdSched(rest, out); return 0;
      case 'whatif': commands.whatif().cmdWhatif(rest, out); return 0;
      case 'goroutines': commands.goroutines().cmdGoroutines(rest, out); return 0;
      case 'escapes': commands.escapes().cmdEscapes(rest, out, err); return 0;
      case 'report': return commands.report().cmdReport(rest, out, err, process.stdout.isTTY === true);
      // Asynchronous: it talks to a running program (its errors are exit 2 inside).
      case 'watch': return commands.watch().cmdWatch(rest, { out, err, signal: stopOnInterrupt() });
      case 'capture': return commands.capture().cmdCapture(rest, { out, err, tty: process.stderr.isTTY === true });
      case 'bench': return commands.bench().cmdBench(rest, out, err);
      // Network commands finish later; their failures are already one line and exit 2.
      case 'fetch': return commands.fetch().cmdFetch(rest, out, err).catch((e) => { err(`golens: internal error: ${printable((e as Error)?.message ?? String(e))}\n`); return 1; });
      case 'kind': {
        const p = commands.profiles().profileFromFile(rest[0] ?? '', decodeOptions);
        out(`${commands.model().profileKind(p)}\n`);
        return 0;
      }
      case '--version': case 'version': out(`golens ${VERSION}\n`); return 0;
      case undefined: case '-h': case '--help': case 'help': out(usage()); return cmd === undefined ? 2 : 0;
      default: throw new UsageError(`unknown command ${JSON.stringify(cmd)}; see golens --help`);
    }
  } catch (e) {
    return failed(e, err);
  }
}

/** The exit status for an error, said in one line: 2 for bad input or usage, 1 for a bug. */
function failed(e: unknown, err: (s: string) => void): number {
  if (e instanceof FormatError || e instanceof InputError || e instanceof ToolError || e instanceof UsageError || e instanceof RegexpError) {
    err(`golens: ${printable(e.message)}\n`);
    return 2;
  }
  err(`golens: internal error: ${printable((e as Error)?.message ?? String(e))}\n`);
  if (process.env.GOLENS_DEBUG) err(`${(e as Error)?.stack}\n`);
  return 1;
}

/**
 * Writes to file descriptor 1 as it is asked, without process.stdout: making that stream (and
 * loading Node's stream modules behind it) took 3-4 ms of every run. Should the descriptor be
 * a non-blocking pipe that is full (EAGAIN), what is left, and all that follows, goes through
 * process.stdout, which waits for the reader; nothing is reordered. When the reader is gone
 * (EPIPE: `golens goroutines t.out --json | head`), the run ends there, quietly, with the
 * status a Go program killed by SIGPIPE leaves (128 + 13): nobody is left to read the rest.
 */
function stdoutWriter(): (s: string | Uint8Array) => void {
  let viaStream = false;
  const readerGone = (e: unknown): boolean => (e as NodeJS.ErrnoException)?.code === 'EPIPE';
  return (s) => {
    if (viaStream) { process.stdout.write(s); return; }
    const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
    let at = 0;
    try {
      while (at < b.length) at += writeSync(1, b, at, b.length - at);
    } catch (e) {
      if (readerGone(e)) process.exit(SIGPIPE_STATUS);
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      viaStream = true;
      process.stdout.on('error', (err) => { if (readerGone(err)) process.exit(SIGPIPE_STATUS); throw err; });
      process.stdout.write(b.subarray(at));
    }
  };
}

/** The exit status of a program killed by SIGPIPE, as shells report it. */
export const SIGPIPE_STATUS = 141;

/** Ctrl-C ends a watch early (what was taken is still analysed); a second one exits. */
function stopOnInterrupt(): AbortSignal | undefined {
  if (require.main !== module) return undefined;
  const stop = new AbortController();
  process.once('SIGINT', () => {
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  return stop.signal;
}

if (require.main === module) {
  // The last guard: no line starts as a CI workflow command (`::error::…`), and JSON, whose
  // strings keep C1 controls and bidi overrides raw, has them as \u escapes (the same value).
  const guard = (s: string) => safeLines(s).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Names from profiles keep their bytes (pprof prints invalid UTF-8 as it is): write them back.
  const bytes = (s: string) => (hasRawBytes(s) ? encodeBytes(s) : s);
  const write = stdoutWriter();
  const out = (s: string) => write(bytes(guard(s)));
  // Progress rewrites its line with \r: the guard keeps that (it escapes only the controls above).
  const writeErr = (s: string) => process.stderr.write(bytes(guard(s)));
  void Promise.resolve(main(process.argv.slice(2), out, writeErr)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    writeErr(`golens: internal error: ${printable((e as Error)?.message ?? String(e))}\n`);
    process.exitCode = 1;
  });
}
