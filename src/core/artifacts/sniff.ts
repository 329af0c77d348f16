// What a file is, from its content (never its name): the one place an artifact kind is
// taught. Each format knows its own magic (the trace header, gzip, a gctrace line…); this
// file decides between them. Binary kinds are told by their first bytes, text kinds by their
// lines. A gzip stream is looked into (load.ts inflates it): pprof writes gzip, and a
// gzipped goroutine dump is still a dump.
import { isGzip } from '../pprof/gzip';
import { isLegacyCpu, legacyTextFormat } from '../pprof/legacy/index';
import { looksLikeCompilerText } from '../text/escapes';
import { looksLikeGctrace } from '../text/gctrace';
import { looksLikeGoroutineDump } from '../text/goroutines';
import { isSchedtrace } from '../text/schedtrace';
import { traceVersion } from '../trace/version';

export type ArtifactKind =
  /** No bytes at all. */
  | 'empty'
  /** A Go execution trace: `go 1.N trace\0`, any version (the reader says which it reads). */
  | 'trace'
  /**
   * A pprof profile: protobuf, raw or gzipped, or a legacy format pprof reads (Go's debug=1
   * text profiles, the binary CPU profile, C++ and Java text profiles; see profileFormat).
   * The decoder says which profile, or that it is broken.
   */
  | 'profile'
  /** A text goroutine dump: debug=2 goroutine profiles, panics, SIGQUIT. */
  | 'goroutines'
  /** GODEBUG=gctrace=1 output. */
  | 'gctrace'
  /** GODEBUG=schedtrace=N output. */
  | 'schedtrace'
  /** The compiler's -m / -m=2 diagnostics. */
  | 'compiler'
  /** JSON (the compiler's -json output among others). */
  | 'json'
  /** Clearly something else. */
  | 'executable'
  | 'archive'
  /** Other text. */
  | 'text';

/** How many leading bytes sniff looks at (text kinds may look at the whole text, see sniffText). */
export const HEAD_BYTES = 4096;

/** Control bytes other than tab, newline, vertical tab, form feed and carriage return: not text. */
function isBinary(head: Uint8Array): boolean {
  for (const b of head) if (b < 9 || (b > 13 && b < 32)) return true;
  return false;
}

/**
 * The kind of a file from its first bytes (at least HEAD_BYTES of them when the file has
 * them). A gzip stream is 'profile' here; load.ts sniffs what it inflates to.
 */
export function sniff(head: Uint8Array): ArtifactKind {
  if (head.length === 0) return 'empty';
  if (traceVersion(head) !== undefined) return 'trace';
  if (isGzip(head)) return 'profile';
  const start = String.fromCharCode(...head.subarray(0, 8));
  if (start.startsWith('\x7fELF')) return 'executable';
  if (start.startsWith('PK\x03\x04')) return 'archive';
  // Anything binary may be a raw (not gzipped) profile.proto; the decoder decides.
  if (isBinary(head.subarray(0, HEAD_BYTES))) return 'profile';
  return sniffText(new TextDecoder('utf-8', { fatal: false }).decode(head));
}

/**
 * The kind of a text: its head, or the whole of it (a goroutine dump may follow pages of a
 * program's own output, so a text read whole is sniffed whole).
 */
export function sniffText(text: string): ArtifactKind {
  if (text.length === 0) return 'empty';
  if (legacyTextFormat(text.slice(0, HEAD_BYTES)) !== undefined) return 'profile';
  if (looksLikeGoroutineDump(text)) return 'goroutines';
  if (isSchedtrace(text)) return 'schedtrace';
  if (looksLikeGctrace(text)) return 'gctrace';
  if (/^\s*[{[]/.test(text)) return 'json';
  if (looksLikeCompilerText(text)) return 'compiler';
  return 'text';
}

/** Kinds whose content is text (read whole, or line by line). */
export function isTextKind(kind: ArtifactKind): boolean {
  return kind !== 'empty' && kind !== 'trace' && kind !== 'profile' && kind !== 'executable' && kind !== 'archive';
}

/**
 * How a profile's content (inflated, when gzip) is encoded: profile.proto, the legacy binary
 * CPU profile (its header words), or a legacy text profile (its first line).
 */
export function profileFormat(content: Uint8Array): 'protobuf' | 'legacy' {
  if (isLegacyCpu(content)) return 'legacy';
  const head = content.subarray(0, HEAD_BYTES);
  if (isBinary(head)) return 'protobuf';
  return legacyTextFormat(new TextDecoder('utf-8', { fatal: false }).decode(head)) !== undefined ? 'legacy' : 'protobuf';
}
