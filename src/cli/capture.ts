// `golens capture <url> --kind K [--seconds N] [-o FILE] [--timeout S] [--json]`: one profile
// or trace from a running program's net/http/pprof, saved as a file the other commands read.
// Every failure is one line and exit 2.
import { relative, resolve } from 'node:path';
import { CaptureError, captureTimeoutMs, captureToFile, type CaptureProgress } from '../core/capture/capture';
import { CAPTURE_KINDS, captureTarget, CaptureUsageError, defaultCapturePath, type CaptureKind } from '../core/capture/endpoints';
import { printable } from '../core/format';
import { one, parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

export interface CaptureIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether stderr is a terminal: progress rewrites one line; otherwise a line now and then. */
  tty?: boolean;
  /** Where the default `.golens/captures/…` goes (the current directory). */
  cwd?: string;
  now?: () => Date;
  signal?: AbortSignal;
}

function positiveSeconds(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v.trim()) || !(n > 0)) throw new UsageError(`--${flag} needs a positive number of seconds, not ${JSON.stringify(v)}`);
  return n;
}

/** Progress on stderr: a rewritten line on a terminal, else a line at the start and every 10 s. */
function progressPrinter(io: CaptureIo, what: string): { on: (p: CaptureProgress) => void; end: () => void } {
  let lastLine = -1;
  let drew = false;
  return {
    on(p) {
      if (p.phase !== 'recording') return;
      const s = Math.round(p.elapsedMs / 1000);
      const total = Math.round(p.totalMs / 1000);
      if (io.tty) {
        io.err(`\r${what}: recording ${s}/${total} s`);
        drew = true;
      } else if (s === 0 || s - lastLine >= 10) {
        if (lastLine < 0 || s > lastLine) io.err(`${what}: recording ${s}/${total} s\n`);
        lastLine = s;
      }
    },
    end() { if (drew) io.err('\r\x1b[K'); },
  };
}

/** Runs the command; resolves with the exit status (0, or 2 with one line on stderr). */
export async function cmdCapture(argv: string[], io: CaptureIo): Promise<number> {
  try {
    const a = parseArgs(argv, { values: ['kind', 'seconds', 'output', 'timeout'], booleans: ['json'], aliases: { o: 'output' } });
    if (a.positional.length !== 1) throw new UsageError('capture needs one address: golens capture <url> --kind ' + CAPTURE_KINDS.join('|'));
    const kind = one(a, 'kind');
    if (kind !== undefined && !(CAPTURE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${CAPTURE_KINDS.join('|')}, not ${JSON.stringify(kind)}`);
    const target = captureTarget(a.positional[0], kind as CaptureKind | undefined, positiveSeconds('seconds', one(a, 'seconds')));
    const timeout = positiveSeconds('timeout', one(a, 'timeout'));
    const output = one(a, 'output');
    const cwd = io.cwd ?? process.cwd();
    const file = resolve(cwd, output ?? defaultCapturePath(target, (io.now ?? (() => new Date()))()));
    const progress = target.seconds ? progressPrinter(io, `capturing ${target.kind} from ${target.hostPort}`) : undefined;
    let saved;
    try {
      saved = await captureToFile(target, file, {
        createFolders: output === undefined,
        // With --timeout the recording time is still added: a 30 s CPU profile needs its 30 s.
        timeoutMs: timeout !== undefined ? (timeout + (target.seconds ?? 0)) * 1000 : captureTimeoutMs(target),
        maxBytes: decodeOptions.maxBytes,
        signal: io.signal,
        onProgress: progress?.on,
      });
    } finally {
      progress?.end();
    }
    const shown = output ?? relative(cwd, saved.file);
    if (a.bools.has('json')) io.out(JSON.stringify({ file: saved.file, kind: saved.kind, url: saved.url, bytes: saved.bytes }) + '\n');
    else io.out(`${printable(shown)}: ${saved.kind}, ${saved.bytes} bytes from ${printable(saved.url)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof CaptureError || e instanceof CaptureUsageError || e instanceof UsageError) {
      io.err(`golens: ${printable(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}
