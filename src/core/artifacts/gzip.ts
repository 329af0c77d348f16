// gzip for the artifacts: the test is a byte compare; the inflater (core/pprof/inflate, with
// pako) is required when a gzip file is first met, not when GoLens starts: a trace's path
// (`golens trace`) never loads it.
import { isGzip } from '../pprof/gzip';
import type { InflateLimit } from '../pprof/inflate';

export { isGzip };

let inflate: typeof import('../pprof/inflate') | undefined;
/** core/pprof/inflate, loaded on first use. */
const inflater = () => (inflate ??= require('../pprof/inflate') as typeof import('../pprof/inflate'));

/** Inflates a gzip stream (every member) into memory, at most opts.maxBytes of it. */
export function gunzip(bytes: Uint8Array, opts: InflateLimit = {}): Uint8Array {
  return inflater().gunzipBounded(bytes, opts);
}

/** The first n bytes a gzip stream inflates to (fewer when it is shorter). */
export function gunzipHead(bytes: Uint8Array, n: number): Uint8Array {
  return inflater().gunzipHead(bytes, n);
}
