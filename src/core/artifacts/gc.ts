// GC pressure from a file: an execution trace (replayed on the runtime model) or a
// GODEBUG=gctrace=1 log, told apart by their content.
import type { Finding } from '../analysis/finding';
import { gcFindings, gcReportFromGctrace, gcReportFromTrace, type GcReport } from '../analysis/gc';
import { FormatError, WrongKindError } from '../errors';
import { isGzip } from '../pprof/decode';
import { GctraceParser } from '../text/gctrace';
import { memorySource, type ByteSource } from '../trace/events';
import { decodeEach, FindingsOf, findingsOfFiles, type Decoded, type TraceNeeds } from './decode';
import type { LoadOptions } from './load';

const CHUNK = 1 << 20;

/** What the GC analysis needs of a trace. */
export const GC_NEEDS: TraceNeeds = { model: true, gcUse: true };

/** A gctrace log read in chunks: a long-running service's log can be large. */
function parseGctraceSource(src: ByteSource): GcReport {
  const parser = new GctraceParser();
  const dec = new TextDecoder('utf-8');
  let rest = '';
  for (let off = 0; off < src.size; off += CHUNK) {
    const text = rest + dec.decode(src.read(off, CHUNK), { stream: true });
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) parser.addLine(l);
  }
  rest += dec.decode();
  if (rest) parser.addLine(rest);
  return gcReportFromGctrace(parser.finish());
}

/** The GC report of a decoded file: an execution trace or a gctrace log. Throws FormatError, WrongKindError. */
export function gcOf(d: Decoded): GcReport {
  const a = d.artifact;
  if (a.kind === 'empty') throw new FormatError('the file is empty', 0, 'golens gc reads an execution trace or a GODEBUG=gctrace=1 log');
  if (a.kind === 'trace') {
    const t = d.trace();
    return gcReportFromTrace(t.model!, t.gcUse!);
  }
  if (a.brokenGzip) d.trace(); // a broken gzip stream says so (the trace reader words it)
  if (isGzip(a.head) && a.kind === 'profile') {
    throw new WrongKindError('gzip data, not an execution trace or a gctrace log', 'an execution trace or a gctrace log', a.kind, 'a pprof profile? Open it with golens top', 0);
  }
  // Any other content is read as text: a gctrace log may be mixed with the program's output.
  return parseGctraceSource(isGzip(a.head) ? memorySource(a.content()) : a.source);
}

/** The GC report of one file. Throws FormatError, WrongKindError, InputError. */
export function gcFrom(path: string, opts: LoadOptions = {}): GcReport {
  return decodeEach([path], opts, GC_NEEDS, gcOf)[0];
}

/** GC findings for `golens report`, file by file: traces and gctrace logs count, other files are skipped. */
export class GcFindings extends FindingsOf<GcReport> {
  constructor() { super(gcOf, gcFindings); }
}

/** GC findings for every file GoLens can read as a trace or gctrace log; others are skipped. */
export function gcFindingsFromFiles(paths: string[], opts: LoadOptions = {}): Finding[] {
  const part = new GcFindings();
  return findingsOfFiles(paths, opts, GC_NEEDS, (d) => part.add(d), () => part.findings());
}
