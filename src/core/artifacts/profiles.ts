// A pprof profile from a file or from bytes (the editor's): the decoder, after the sniffer
// has said the bytes are a profile — a trace, a dump or an executable is named as such.
import { describeBytes, WrongKindError } from '../errors';
import { decodeProfile, gunzip, isGzip, type DecodeOptions } from '../pprof/decode';
import { gunzipHead } from '../pprof/inflate';
import type { Profile } from '../pprof/model';
import { traceVersion } from '../trace/open';
import { type Artifact, type LoadOptions, withArtifact } from './load';
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
    if (profileFormat(head) === 'legacy') return decodeLegacy(isGzip(bytes) ? gunzip(bytes, opts) : bytes);
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
