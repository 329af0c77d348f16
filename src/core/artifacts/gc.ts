// GC pressure from a file: an execution trace (replayed on the runtime model) or a
// GODEBUG=gctrace=1 log, told apart by their content.
import type { Finding } from '../analysis/finding';
import { analyzeTraceGc, gcFindings, gcReportFromGctrace, type GcReport } from '../analysis/gc';
import { FormatError, InputError, WrongKindError } from '../errors';
import { isGzip } from '../pprof/decode';
import { GctraceParser } from '../text/gctrace';
import type { ByteSource } from '../trace/events';
import { type LoadOptions, withArtifact } from './load';
import { openTraceSource } from './trace';

const CHUNK = 1 << 20;

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

/** The GC report of one file: an execution trace or a gctrace log. Throws FormatError, WrongKindError, InputError. */
export function gcFrom(path: string, opts: LoadOptions = {}): GcReport {
  return withArtifact(path, opts, (a) => {
    if (a.kind === 'empty') throw new FormatError('the file is empty', 0, 'golens gc reads an execution trace or a GODEBUG=gctrace=1 log');
    if (a.kind === 'trace') return analyzeTraceGc(openTraceSource(a.source));
    if (isGzip(a.head) && a.kind === 'profile') {
      throw new WrongKindError('gzip data, not an execution trace or a gctrace log', 'an execution trace or a gctrace log', a.kind, 'a pprof profile? Open it with golens top', 0);
    }
    // Any other content is read as text: a gctrace log may be mixed with the program's output.
    return parseGctraceSource(isGzip(a.head) ? memory(a.content()) : a.source);
  });
}

function memory(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (o, n) => bytes.subarray(o, Math.min(bytes.length, o + n)) };
}

/** GC findings for every file GoLens can read as a trace or gctrace log; others are skipped. */
export function gcFindingsFromFiles(paths: string[], opts: LoadOptions = {}): Finding[] {
  const out: Finding[] = [];
  for (const p of paths) {
    let r: GcReport;
    try {
      r = gcFrom(p, opts);
    } catch (e) {
      if (e instanceof FormatError || e instanceof InputError) continue;
      throw e;
    }
    out.push(...gcFindings(r, p));
  }
  return out;
}
