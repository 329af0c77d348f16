// What kind of file a path holds, from its content (not its name), and reading helpers that
// put the path into every error: the contention and sched commands accept traces, profiles
// and text logs in any mix.
import { readFileSync, statSync } from 'node:fs';
import { FormatError } from '../core/errors';
import { fileSource, type FileSource } from '../core/io/file';
import type { EventColumns, TraceReader } from '../core/trace/events';
import { openTrace, traceVersion } from '../core/trace/open';
import { UsageError } from './args';

export type InputKind = 'trace' | 'profile' | 'schedtrace' | 'text' | 'empty';

function fail(path: string, e: unknown): never {
  if (e instanceof UsageError || e instanceof FormatError) throw e;
  const code = (e as NodeJS.ErrnoException).code;
  throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
}

/** A file opened for chunked reads (UsageError when it is missing, a directory or unreadable). */
export function openSource(path: string): FileSource {
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${path}: is a directory`);
    return fileSource(path);
  } catch (e) {
    fail(path, e);
  }
}

/** The first bytes of a file (UsageError when it cannot be read). */
export function head(path: string, n = 4096): Uint8Array {
  const src = openSource(path);
  try {
    return src.read(0, n);
  } catch (e) {
    fail(path, e);
  } finally {
    src.close();
  }
}

export function readAll(path: string): Uint8Array {
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${path}: is a directory`);
    return readFileSync(path);
  } catch (e) {
    fail(path, e);
  }
}

/** Sniffs a file: a trace header, a schedtrace line, gzip or protobuf bytes (a profile), other text. */
export function inputKind(path: string): InputKind {
  const h = head(path);
  if (h.length === 0) return 'empty';
  if (traceVersion(h) !== undefined) return 'trace';
  if (h[0] === 0x1f && h[1] === 0x8b) return 'profile';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(h);
  if (/(^|\n)[^\n]*SCHED \d+ms: gomaxprocs=/.test(text)) return 'schedtrace';
  // Anything binary may be a raw (not gzipped) profile.proto; the decoder decides.
  for (const b of h) if (b < 9 || (b > 13 && b < 32)) return 'profile';
  return 'text';
}

/** Re-throws a FormatError with the path in front of its message. */
export function withPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${path}: ${e.what}`, e.offset, e.hint);
    throw e;
  }
}

/**
 * Reads a trace file generation by generation: `start` is given the reader once, `each`
 * every generation's events. Returns the time of the last event (the trace's end).
 */
export function readTrace(path: string, start: (reader: TraceReader) => void, each: (ev: EventColumns) => void): number {
  const src = openSource(path);
  try {
    return withPath(path, () => {
      const reader = openTrace(src);
      start(reader);
      let end = 0;
      for (let ev = reader.next(); ev; ev = reader.next()) {
        if (ev.count) end = Math.max(end, ev.time[ev.count - 1]);
        each(ev);
      }
      return end;
    });
  } finally {
    src.close();
  }
}
