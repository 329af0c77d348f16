// An execution trace from a byte source: the reader for its version, after the sniffer has
// said it is a trace — a profile opened as a trace is named as such.
import { describeBytes, FormatError, WrongKindError } from '../errors';
import { isGzip } from '../pprof/decode';
import type { ByteSource, TraceReader } from '../trace/events';
import { openTrace } from '../trace/open';
import type { NewTraceOptions } from '../trace/v2/reader';
import { HEAD_BYTES, sniff } from './sniff';

const TRACE = 'a Go execution trace';

/** Opens a trace; bytes of another kind give a WrongKindError saying what they look like. */
export function openTraceSource(source: ByteSource, options: NewTraceOptions = {}): TraceReader {
  const head = source.read(0, Math.min(HEAD_BYTES, source.size));
  const kind = sniff(head);
  if (kind === 'profile' && isGzip(head)) {
    throw new WrongKindError(`not a Go execution trace: it is ${describeBytes(head, source.size)}`, TRACE, kind, 'this is gzip data — a pprof profile? Open it as a profile', 0);
  }
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
