// Opens a Go execution trace by its 16-byte header, `go 1.N trace\0…`, and picks the reader
// for that format: the old one for go 1.11–1.21, the new one for go 1.22 and later. What a
// file that is not a trace is instead is core/artifacts' to say (openTraceArtifact).
import { describeBytes, FormatError } from '../errors';
import type { ByteSource, TraceReader } from './events';
import { traceVersion } from './version';
import { openOldTrace, type OldTraceOptions } from './v1/reader';
import { NewTraceReader, type NewTraceOptions } from './v2/reader';

const OLD_VERSIONS = new Set([11, 19, 21]);
const NEW_VERSIONS = new Set([22, 23, 25, 26]);
/** What a trace's header says (version.ts: no reader loads with it, for sniffing). */
export { traceVersion, traceWriters } from './version';

const SUPPORTED = 'GoLens reads traces written by Go 1.11 and later (headers go 1.11, 1.19, 1.21, 1.22, 1.23, 1.25 and 1.26)';

export function openTrace(source: ByteSource, options: NewTraceOptions & OldTraceOptions = {}): TraceReader {
  const head = source.read(0, Math.min(16, source.size));
  const minor = traceVersion(head);
  if (minor === undefined) {
    if (source.size === 0) throw new FormatError('not a Go execution trace: the file is empty', 0);
    throw new FormatError(`not a Go execution trace: it is ${describeBytes(head, source.size)}`, 0, notATraceHint(head));
  }
  if (NEW_VERSIONS.has(minor)) return new NewTraceReader(source, minor, options);
  if (OLD_VERSIONS.has(minor)) return openOldTrace(source, minor, options);
  const hint = minor < 11
    ? `traces from Go 1.10 and earlier are not readable by Go's own tools either; ${SUPPORTED}`
    : minor > 26 ? `the trace is newer than this GoLens; ${SUPPORTED}` : SUPPORTED;
  throw new FormatError(`unsupported trace version go 1.${minor}`, 0, hint);
}

function notATraceHint(head: Uint8Array): string {
  if (head.length >= 2 && head[0] === 0x67 && head[1] === 0x6f && head.length < 16) return 'the header is cut short';
  return 'a trace starts with "go 1.N trace"; write one with runtime/trace, `go test -trace`, or /debug/pprof/trace';
}
