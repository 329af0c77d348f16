// The trace comparison on the worker thread: both traces read once each (one pass feeding
// every analysis), compared in core; the result travels whole (a few dozen rows).
import { fileURLToPath } from 'node:url';
import { traceDiffFrom } from '../core/artifacts/tracediff';
import { DEFAULT_MAX_BYTES } from '../core/pprof/inflate';
import { memorySource } from '../core/trace/events';
import { fileSource, type FileSource } from '../core/io/file';
import { fromBase64 } from '../protocol/columns';
import type { DiffSource } from '../protocol/diff';
import type { OpenTraceDiffParams, OpenTraceDiffResult } from '../protocol/tracediff';
import { displayName, toError } from './profiles';

/** The path to read, or the bytes the host sent for a URI the server cannot read. */
function pathOf(s: DiffSource): string {
  return s.base64 !== undefined ? s.uri : fileURLToPath(s.uri);
}

export function openTraceDiff(p: OpenTraceDiffParams, maxBytes = DEFAULT_MAX_BYTES): OpenTraceDiffResult {
  const sent = new Map<string, Uint8Array>();
  for (const s of [p.base, p.next]) if (s.base64 !== undefined) sent.set(s.uri, fromBase64(s.base64));
  const raiseWith = 'the golens.limits.maxBytes setting';
  const open = (path: string): FileSource => {
    const bytes = sent.get(path);
    return bytes ? { ...memorySource(bytes), close() {}, bytesRead: 0 } : fileSource(path, maxBytes, raiseWith);
  };
  const paths = [pathOf(p.base), pathOf(p.next)];
  try {
    const r = traceDiffFrom(paths[0], paths[1], { maxBytes, raiseWith, open });
    return { ok: true, diff: { ...r, base: { ...r.base, path: displayName(p.base.uri) }, new: { ...r.new, path: displayName(p.next.uri) } } };
  } catch (e) {
    const err = toError(e);
    // Which file failed: the message starts with its path (core puts it there).
    const which = paths.findIndex((x) => err.message.startsWith(x));
    return { ok: false, error: err, fileName: displayName((which === 1 ? p.next : p.base).uri) };
  }
}
