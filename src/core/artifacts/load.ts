// Opening a file as an artifact: its bytes as a source read in chunks, its kind sniffed from
// its first bytes, and every error naming the file. A file is opened once and its bytes are
// read once, whatever reads them: the head is kept (sniffing and the decoders both start
// there), and so is the whole file once something asked for all of it.
import { FormatError, InputError } from '../errors';
import { fileSource, NotAFileError, type FileSource } from '../io/file';
import { nodeInflater } from '../io/inflate';
import { DEFAULT_MAX_BYTES } from '../pprof/gzip';
import type { InflateLimit } from '../pprof/inflate';
import type { ByteSource } from '../trace/events';
import { gunzip, gunzipHead, isGzip } from './gzip';
import { HEAD_BYTES, sniff, sniffText, type ArtifactKind } from './sniff';

export interface LoadOptions extends InflateLimit {
  /** Opens a file for chunked reads (default: fileSource). Tests pass one that counts. */
  open?: (path: string) => FileSource;
}

export interface Artifact {
  readonly path: string;
  readonly size: number;
  /** What the file is, from its content (a gzip stream: what it inflates to). */
  readonly kind: ArtifactKind;
  /** The first bytes (HEAD_BYTES, or fewer in a short file). */
  readonly head: Uint8Array;
  /** The file's bytes, read in chunks (what is already in memory is not read again). */
  readonly source: ByteSource;
  /** The whole file, read once and kept. */
  bytes(): Uint8Array;
  /** The content: the whole file, inflated when it is gzip (throws FormatError when that fails, or past the limit). */
  content(): Uint8Array;
  /** The first bytes of the content (inflated when gzip): what sniffing and error hints look at. */
  readonly contentHead: Uint8Array;
  /** Why a gzip stream could not be looked into (its kind is then 'profile'): what a trace reader says of it too. */
  readonly brokenGzip?: FormatError;
  /** The limits the artifact was opened with, for the decoders. */
  readonly limits: InflateLimit;
  /** The content as UTF-8 text (decoded once). */
  text(): string;
  close(): void;
}

/** Throws InputError for a file that cannot be read: missing, a directory, not permitted. */
function fail(path: string, e: unknown): never {
  if (e instanceof InputError || e instanceof FormatError) throw e;
  const code = (e as NodeJS.ErrnoException).code;
  throw new InputError(path, code === 'ENOENT' ? 'no such file' : (e as Error).message);
}

/** Re-throws a FormatError (a WrongKindError stays one) with the path in front of its message. */
export function withPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FormatError) throw e.inFile(path);
    throw e;
  }
}

/**
 * A file opened for chunked reads. InputError when it is missing, unreadable, not a regular
 * file (a directory, a device, a FIFO: refused before any read) or over the size limit.
 */
function openFile(path: string, opts: LoadOptions = {}): FileSource {
  try {
    return opts.open ? opts.open(path) : fileSource(path, opts.maxBytes ?? DEFAULT_MAX_BYTES, opts.raiseWith);
  } catch (e) {
    if (e instanceof NotAFileError) throw new InputError(path, e.reason);
    fail(path, e);
  }
}

/**
 * Opens a file as an artifact and sniffs its kind. The caller closes it (withArtifact does).
 * Throws InputError when the file cannot be read.
 */
export function openArtifact(path: string, opts: LoadOptions = {}): Artifact {
  const file = openFile(path, opts);
  try {
    return new FileArtifact(path, file, { maxBytes: opts.maxBytes, raiseWith: opts.raiseWith, inflater: opts.inflater ?? nodeInflater });
  } catch (e) {
    file.close();
    fail(path, e);
  }
}

/** Runs f on the opened artifact: FormatErrors get the path in front, the file is closed after. */
export function withArtifact<T>(path: string, opts: LoadOptions, f: (a: Artifact) => T): T {
  const a = openArtifact(path, opts);
  try {
    return withPath(path, () => f(a));
  } finally {
    a.close();
  }
}

class FileArtifact implements Artifact {
  readonly size: number;
  readonly head: Uint8Array;
  readonly kind: ArtifactKind;
  readonly source: ByteSource;
  readonly contentHead: Uint8Array;
  private whole: Uint8Array | undefined;
  private inflated: Uint8Array | undefined;
  private inflateError: FormatError | undefined;
  readonly brokenGzip: FormatError | undefined;
  private decodedText: string | undefined;

  constructor(readonly path: string, private readonly file: FileSource, readonly limits: InflateLimit) {
    this.size = file.size;
    this.head = file.read(0, Math.min(HEAD_BYTES, file.size));
    this.contentHead = this.head;
    let kind = sniff(this.head);
    if (isGzip(this.head)) {
      // Look inside: a profile, or a gzipped text (a dump). A broken stream is a broken
      // profile. Only the head is inflated here: a bomb costs nothing until it is decoded.
      try {
        this.contentHead = gunzipHead(this.bytes(), HEAD_BYTES);
        const k = sniff(this.contentHead);
        kind = k === 'empty' ? 'profile' : k;
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        this.inflateError = this.brokenGzip = e;
      }
    }
    // A text whose head is nothing known may still be a dump further down: sniff it whole.
    if (kind === 'text' && this.content().length > HEAD_BYTES) kind = sniffText(this.text());
    this.kind = kind;
    this.source = { size: this.size, read: (offset, length) => this.read(offset, length), readInto: (offset, into) => this.readInto(offset, into) };
  }

  /** Past the head, straight from the file into the caller's buffer (no fresh memory per read). */
  private readInto(offset: number, into: Uint8Array): number {
    if (!this.whole && offset >= this.head.length && this.file.readInto) return this.file.readInto(offset, into);
    const b = this.read(offset, into.length);
    into.set(b);
    return b.length;
  }

  private read(offset: number, length: number): Uint8Array {
    const end = Math.min(this.size, offset + length);
    if (this.whole) return this.whole.subarray(offset, end);
    const h = this.head.length;
    if (end <= h) return this.head.subarray(offset, end);
    if (offset >= h) return this.file.read(offset, end - offset);
    // Straddles the end of the head: the head from memory, the rest from the file.
    const rest = this.file.read(h, end - h);
    const out = new Uint8Array(h - offset + rest.length);
    out.set(this.head.subarray(offset), 0);
    out.set(rest, h - offset);
    return out;
  }

  bytes(): Uint8Array {
    this.whole ??= this.read(0, this.size);
    return this.whole;
  }

  content(): Uint8Array {
    if (this.inflateError) throw this.inflateError;
    if (!isGzip(this.head)) return this.bytes();
    try {
      this.inflated ??= gunzip(this.bytes(), this.limits);
    } catch (e) {
      if (e instanceof FormatError) this.inflateError = e;
      throw e;
    }
    return this.inflated;
  }

  text(): string {
    this.decodedText ??= new TextDecoder().decode(this.content());
    return this.decodedText;
  }

  close(): void {
    this.file.close();
  }
}
