// An execution trace from a byte source: the reader for its version, after the sniffer has
// said it is a trace — a profile opened as a trace is named as such. A gzipped trace
// (`x.trace.gz`) is inflated first: traces compress 3–10×, and are often stored so.
import { describeBytes, FormatError, WrongKindError } from '../errors';
import { nodeInflater } from '../io/inflate';
import type { InflateLimit } from '../pprof/inflate';
import { memorySource, type ByteSource, type TraceReader } from '../trace/events';
import { openTrace } from '../trace/open';
import type { NewTraceOptions } from '../trace/v2/reader';
import { gunzip, gunzipHead, isGzip } from './gzip';
import { HEAD_BYTES, sniff } from './sniff';

const TRACE = 'a Go execution trace';

export interface OpenTraceOptions extends NewTraceOptions {
  /** The limit on what a gzipped trace may inflate to (and how to raise it). */
  inflate?: InflateLimit;
}

/** A gzip stream's failure, said of a trace (pprof's hint speaks of profiles). */
function gzipFailure(e: unknown, size: number): never {
  if (!(e instanceof FormatError) || e.what.startsWith('decompressed size over')) throw e;
  throw new FormatError(`${e.what} in a gzipped trace`, e.offset, `the file is damaged or cut short (${size} bytes; gunzip -t checks it); copy or record the trace again`);
}

/**
 * The trace a gzip stream holds, in memory (a trace's reader wants random access). Anything
 * else gzipped is the wrong kind; a broken stream is one FormatError.
 */
function inflateTrace(source: ByteSource, limit: InflateLimit): ByteSource {
  const bytes = source.read(0, source.size);
  let inner: Uint8Array;
  try {
    inner = gunzipHead(bytes, HEAD_BYTES);
  } catch (e) {
    gzipFailure(e, source.size);
  }
  if (sniff(inner) !== 'trace') {
    throw new WrongKindError(`not a Go execution trace: it is ${describeBytes(bytes.subarray(0, HEAD_BYTES), source.size)}`, TRACE, 'profile', 'this is gzip data — a pprof profile? Open it as a profile', 0);
  }
  try {
    return memorySource(gunzip(bytes, { inflater: nodeInflater, ...limit }));
  } catch (e) {
    gzipFailure(e, source.size);
  }
}

/** The trace's bytes: the source itself, or, when it is gzip, the trace it inflates to (see inflateTrace). */
export function traceBytesOf(source: ByteSource, limit: InflateLimit = {}): ByteSource {
  return isGzip(source.read(0, Math.min(2, source.size))) ? inflateTrace(source, limit) : source;
}

/** Opens a trace, gzipped or not; bytes of another kind give a WrongKindError saying what they look like. */
export function openTraceSource(source: ByteSource, options: OpenTraceOptions = {}): TraceReader {
  source = traceBytesOf(source, options.inflate);
  const head = source.read(0, Math.min(HEAD_BYTES, source.size));
  const kind = sniff(head);
  try {
    return openTrace(source, options);
  } catch (e) {
    // The reader says what is wrong with the header; for a file of another kind that is the wrong kind.
    if (e instanceof FormatError && kind !== 'trace' && kind !== 'empty' && !(e instanceof WrongKindError)) {
      throw new WrongKindError(e.what, TRACE, kind, e.hint, e.offset);
    }
    throw e;
  }
}
