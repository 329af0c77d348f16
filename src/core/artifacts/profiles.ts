// A pprof profile from a file or from bytes (the editor's): the decoder, after the sniffer
// has said the bytes are a profile — a trace, a dump or an executable is named as such.
import { describeBytes, WrongKindError } from '../errors';
import { decodeProfile, isGzip, type DecodeOptions } from '../pprof/decode';
import type { Profile } from '../pprof/model';
import { traceVersion } from '../trace/version';
import { type Artifact, type LoadOptions, withArtifact } from './load';
import { inflateFileChunks } from '../io/inflatestream';
import { DEFAULT_MAX_BYTES, gunzipBounded, gunzipHead, trailerSize } from '../pprof/inflate';
import { ProfileStream } from '../pprof/stream';
import { nodeInflater } from '../io/inflate';
import { decodeLegacy } from '../pprof/legacy/index';
import { HEAD_BYTES, profileFormat, sniff, type ArtifactKind } from './sniff';

const PROFILE = 'a pprof profile';

/**
 * What to say when a profile was asked for and the content (inflated, when gzip) is of
 * another kind; undefined when it may be a profile (the decoder has the last word).
 */
function notAProfile(kind: ArtifactKind, content: Uint8Array, size: number | undefined): WrongKindError | undefined {
  const wrong = (what: string, hint?: string) => new WrongKindError(what, PROFILE, kind, hint, 0);
  switch (kind) {
    case 'profile': case 'empty': return undefined;
    case 'trace': return wrong(`this is a Go execution trace (go 1.${traceVersion(content)}), not a pprof profile`, 'open it as a trace, or run `golens trace` on it');
    case 'goroutines': return wrong('this is a text goroutine dump, not a pprof profile', 'capture /debug/pprof/goroutine without ?debug= to get the protobuf form');
    case 'executable': return wrong('this is an ELF executable, not a profile');
    case 'archive': return wrong('this is a zip archive, not a profile');
    case 'json': return wrong('this looks like JSON, not a pprof profile', `it is ${describeBytes(content, size)}`);
    case 'gctrace': case 'schedtrace': case 'compiler': case 'text': return wrong('not a pprof profile: the file is text', `it is ${describeBytes(content, size)}`);
  }
}

/**
 * A profile from a file's bytes (the editor's, or a file read whole). Throws FormatError,
 * WrongKindError. Only the head is inflated to say what it is; the decoder streams the rest.
 */
export function profileFromBytes(bytes: Uint8Array, opts: DecodeOptions = {}): Profile {
  opts = { inflater: nodeInflater, ...opts };
  if (bytes.length === 0) return decodeProfile(bytes, opts); // says the file is empty
  const head = isGzip(bytes) ? gunzipHead(bytes, HEAD_BYTES) : bytes.subarray(0, HEAD_BYTES);
  if (head.length > 0) {
    const wrong = notAProfile(sniff(head), head, isGzip(bytes) ? undefined : bytes.length);
    if (wrong) throw wrong;
    if (profileFormat(head) === 'legacy') return decodeLegacy(isGzip(bytes) ? gunzipBounded(bytes, opts) : bytes);
  }
  return decodeProfile(bytes, opts);
}

/** The profile in an opened artifact (its kind is already known; the file is read once). */
export function profileOf(a: Artifact): Profile {
  if (a.size > 0 && a.contentHead.length > 0) {
    const wrong = notAProfile(a.kind, a.contentHead, a.contentHead === a.head ? a.size : undefined);
    if (wrong) throw wrong;
    // The legacy formats (debug=1 text, binary CPU, C++/Java text) are read whole, inflated.
    if (profileFormat(a.contentHead) === 'legacy') return decodeLegacy(a.content());
  }
  return decodeProfile(a.bytes(), a.limits);
}

/** A profile from a file; errors name the file (FormatError, WrongKindError, InputError). */
export function profileFromFile(path: string, opts: LoadOptions = {}): Profile {
  return withArtifact(path, opts, profileOf);
}

/**
 * A profile from a file, decoded as it inflates (the inflated bytes are never held whole, the
 * stacks kept as a tree): the same profile as profileFromFile, in a fraction of the memory. Any
 * file the stream does not read plainly is read by profileFromFile, with its exact errors.
 */
export async function profileFromFileStreamed(path: string, opts: LoadOptions = {}): Promise<Profile> {
  let streamed: Profile | undefined;
  try {
    // Only the head is read here, to say what the file is; the stream reads the rest.
    let stream: ProfileStream | undefined;
    let claim = 0;
    withArtifact(path, opts, (a) => {
      if (a.kind !== 'profile' || !isGzip(a.head) || profileFormat(a.contentHead) === 'legacy' || a.size < 18) return;
      claim = trailerSize(a.source.read(a.size - 8, 8));
      stream = new ProfileStream(Math.min(claim, 256 << 20));
    });
    const limit = opts.maxBytes !== undefined && opts.maxBytes >= 0 ? opts.maxBytes : DEFAULT_MAX_BYTES;
    const s = stream;
    if (s && await inflateFileChunks(path, limit, (c) => { s.push(c); return s.ok; })) streamed = s.finish();
  } catch {
    streamed = undefined; // the ordinary path below says what is wrong
  }
  return streamed ?? profileFromFile(path, opts);
}
