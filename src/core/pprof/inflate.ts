// Bounded gzip inflation. A gzip file can expand a thousandfold (a 3 MB file can hold
// 3 GiB), so the inflate streams with a limit on its total output, and for profiles it keeps
// only the top-level fields the decoder reads: unknown fields are counted, never stored.
import { Inflate } from 'pako';
import { FormatError } from '../errors';
import { formatBytes } from '../format';
import { DEFAULT_MAX_BYTES } from './gzip';

/** Default limit on the bytes a gzip stream may inflate to (defined in gzip.ts, which loads no inflater). */
export { DEFAULT_MAX_BYTES };

export interface InflateLimit {
  /** The most bytes the gzip stream may inflate to (all members together). */
  maxBytes?: number;
  /** How the reader raises the limit, for the error's hint (e.g. "--max-bytes"). */
  raiseWith?: string;
  /** A faster whole-stream inflate (core/io's node:zlib); without it, pako streams. */
  inflater?: Inflater;
}

/**
 * The inflate seam: a native gunzip for one gzip member whose size is known. Core stays pure
 * (pako is the default, and the only one in the browser); core/io gives the node:zlib one.
 */
export interface Inflater {
  /**
   * The bytes of `bytes` when it is exactly one complete gzip member inflating to `size`
   * bytes whose trailer (CRC and size) checks out; otherwise undefined, and pako reads the
   * stream (and says what is wrong with it). Never holds more than `size` bytes.
   */
  gunzipMember(bytes: Uint8Array, size: number): Uint8Array | undefined;
}

/**
 * The fast path only takes streams whose trailer claims at most this many times their own
 * size: real profiles inflate 5–15×, a bomb a thousandfold. The claim bounds what the native
 * inflate may hold; anything else streams through pako under the limit, skipping as it goes.
 */
const MAX_FAST_RATIO = 64;

/** The whole inflated stream from opts' inflater, when it may and can vouch for it. */
function inflateFast(bytes: Uint8Array, limit: number, opts: InflateLimit): Uint8Array | undefined {
  if (!opts.inflater || bytes.length < 18) return undefined;
  const claim = trailerSize(bytes);
  if (claim === 0 || claim > limit || claim > MAX_FAST_RATIO * bytes.length) return undefined;
  const out = opts.inflater.gunzipMember(bytes, claim);
  return out && out.length === claim ? out : undefined;
}

/** ISIZE of the last gzip member: the size it inflates to, mod 2^32. */
export function trailerSize(bytes: Uint8Array): number {
  const n = bytes.length;
  return (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
}

/** zlib's "no progress possible": with all input given, the stream ended early. */
const Z_BUF_ERROR = -5;
const CHUNK = 256 * 1024;
/** The largest Uint8Array V8 allocates (2^32 - 1 bytes on 64-bit Node 20+; less elsewhere). */
const MAX_HELD = 2 ** 32 - 1;

/** Where inflated bytes go; `feed` may throw a FormatError (over the limit) or return false (stop: the rest cannot matter). */
interface Sink { feed(chunk: Uint8Array, at: () => number): boolean }

/** Stop signal from a sink, thrown through pako's push. */
const STOP = Symbol('stop');

/** Inflates every gzip member of bytes into sink; throws FormatError for bad gzip data. */
function inflateInto(bytes: Uint8Array, sink: Sink, chunkSize = CHUNK): void {
  const inf = new Inflate({ chunkSize });
  const strm = (inf as unknown as { strm: { next_in: number } }).strm; // pako keeps it public, its types do not
  const at = () => strm.next_in;
  inf.onData = (chunk: Uint8Array) => { if (!sink.feed(chunk, at)) throw STOP; };
  try {
    inf.push(bytes, true);
  } catch (e) {
    if (e === STOP) return;
    throw e;
  }
  if (inf.err === Z_BUF_ERROR) {
    throw new FormatError('truncated gzip stream', bytes.length, 'the file ends before the compressed data does; was the copy cut short?');
  }
  if (inf.err) {
    throw new FormatError(`corrupt gzip data: ${inf.msg || 'error ' + inf.err}`, undefined, 'the file is damaged; capture the profile again');
  }
}

function limitOf(opts: InflateLimit): number {
  const m = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return m >= 0 ? m : DEFAULT_MAX_BYTES;
}

function overLimit(limit: number, at: number, opts: InflateLimit, detail = ''): FormatError {
  return new FormatError(
    `decompressed size over the limit of ${formatBytes(limit)}${detail}`, at,
    `a gzip bomb? if the profile is real, raise the limit with ${opts.raiseWith ?? 'golens --max-bytes'}`,
  );
}

/** A growing byte buffer, sized from a hint and doubled as needed. */
class Bytes {
  buf: Uint8Array;
  len = 0;
  constructor(hint: number, adopt?: Uint8Array) { this.buf = adopt ?? new Uint8Array(Math.max(1024, hint)); }
  push(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    if (n <= 0) return;
    if (src === this.buf) {
      // Compacting an adopted buffer in place: kept bytes only ever move towards its start.
      if (start !== this.len) this.buf.copyWithin(this.len, start, end);
      this.len += n;
      return;
    }
    if (this.len + n > this.buf.length) {
      const need = this.len + n;
      if (need > MAX_HELD) throw new FormatError(`inflated profile data passes ${formatBytes(MAX_HELD)}, more than one array can hold`, undefined, 'split the profile, or read it with go tool pprof');
      const next = new Uint8Array(Math.min(MAX_HELD, Math.max(need, this.buf.length * 2)));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(src.subarray(start, end), this.len);
    this.len += n;
  }
  bytes(): Uint8Array { return this.buf.subarray(0, this.len); }
}

/** The size the last gzip member says it inflates to (mod 2^32), as a first guess for the buffer. */
function sizeHint(bytes: Uint8Array, limit: number): number {
  if (bytes.length < 18) return 0;
  const isize = trailerSize(bytes);
  // A claim is only a hint: never reserve more than 64 MiB (or the limit) up front.
  return Math.min(isize, limit, 64 << 20);
}

/** Inflates a gzip stream (every concatenated member) into memory, at most maxBytes of it. */
export function gunzipBounded(bytes: Uint8Array, opts: InflateLimit = {}): Uint8Array {
  const limit = limitOf(opts);
  const fast = inflateFast(bytes, limit, opts);
  if (fast) return fast;
  const out = new Bytes(sizeHint(bytes, limit));
  inflateInto(bytes, {
    feed(chunk, at) {
      if (out.len + chunk.length > limit) throw overLimit(limit, at(), opts);
      out.push(chunk);
      return true;
    },
  });
  return out.bytes();
}

/** The first `n` bytes a gzip stream inflates to (fewer when it is shorter): enough to say what it is, never the whole of a bomb. */
export function gunzipHead(bytes: Uint8Array, n: number): Uint8Array {
  const out = new Bytes(n);
  // Chunks of n: pako inflates (and checksums) no more than the head (256 KiB took ~30 ms).
  inflateInto(bytes, {
    feed(chunk) {
      out.push(chunk.subarray(0, n - out.len));
      return out.len < n;
    },
  }, Math.max(n, 1024));
  return out.bytes();
}

export interface InflatedProfile {
  /** The top-level fields the decoder reads, in order; unknown top-level fields are left out. */
  data: Uint8Array;
  /** The first 32 inflated bytes as they are, to say what a non-profile is. */
  head: Uint8Array;
  /** All inflated bytes, the skipped ones included. */
  total: number;
}

/**
 * Expected wire type of each top-level Profile field (FORMATS.md §1): 2 for messages, strings
 * and packed lists, 0 for scalars, -1 for comment (either). Index = field number.
 */
const PROFILE_WIRE = [NaN, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 0, -1, 0, 0];

const enum Phase { Tag, Length, Body, Varint }

/**
 * Inflates a gzip'd profile, keeping only the top-level fields decodeProfile reads: an unknown
 * field is counted and skipped, never stored. Accepts and rejects exactly what parseProfile
 * does: at the first top-level framing error (an invalid tag, wire type or varint) it stops,
 * keeping the bad bytes so the decoder reports them. Throws FormatError past the limit, and as
 * soon as a field's length claims more than the limit leaves.
 */
export function inflateProfile(bytes: Uint8Array, opts: InflateLimit = {}): InflatedProfile {
  const limit = limitOf(opts);
  const whole = inflateFast(bytes, limit, opts);
  // The fast path is taken only when it reads cleanly to the end; anything it would stop at
  // or reject streams again through pako, so errors and their offsets stay exactly pako's.
  if (whole) {
    try {
      const done = frameProfile(bytes, opts, limit, whole);
      if (done) return done;
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
    }
  }
  return frameProfile(bytes, opts, limit)!;
}

/**
 * The framing sink over pako's stream, or over `whole` (inflated already, compacted in
 * place); with `whole`, undefined when the framing stops early (a bad field).
 */
function frameProfile(bytes: Uint8Array, opts: InflateLimit, limit: number, whole?: Uint8Array): InflatedProfile | undefined {
  const out = whole ? new Bytes(0, whole) : new Bytes(sizeHint(bytes, limit));
  const head = new Bytes(32);
  let total = 0;
  // The framing state of the top-level message, carried across chunks.
  let phase = Phase.Tag as Phase;
  const hdr = new Uint8Array(24); // the current field's tag and length bytes, not yet written
  let hdrLen = 0;
  const skipped = new Uint8Array(24); // the header of the unknown field being skipped
  let skippedLen = 0;
  let lo = 0, hi = 0, nb = 0; // the varint being read, as wire.ts reads it
  let field = 0;
  let remaining = 0; // body bytes left
  let keep = true;

  const sink: Sink = {
    feed(chunk, at) {
      const n = chunk.length;
      if (head.len < 32) head.push(chunk, 0, Math.min(n, 32 - head.len));
      if (total + n > limit) throw overLimit(limit, at(), opts);
      const base = total;
      total += n;
      let i = 0;
      let run = 0; // start of this chunk's kept bytes not yet copied
      /** A framing error: keep what was read and a few bytes more, for the decoder to report at its offset; stop. */
      const stop = (): boolean => {
        if (hdrLen > 0) out.push(hdr, 0, hdrLen); // the header's bytes in this chunk are in hdr too
        else out.push(chunk, run, i);
        hdrLen = 0;
        out.push(chunk, i, Math.min(n, i + 16));
        return false;
      };
      while (i < n) {
        if (phase === Phase.Body) {
          const take = Math.min(remaining, n - i);
          i += take;
          remaining -= take;
          if (!keep) run = i;
          if (remaining === 0) phase = Phase.Tag;
          continue;
        }
        if (phase === Phase.Varint) {
          // A scalar: up to its last byte (< 0x80); the decoder reads at most 10 bytes of a
          // field it knows and skips any number of an unknown one.
          const b = chunk[i++];
          if (!keep) run = i;
          if (b < 0x80) phase = Phase.Tag;
          else if (keep && ++nb === 10) return stop();
          continue;
        }
        // A tag or length varint, held back in hdr until the field is known.
        if (hdrLen === 0) { out.push(chunk, run, i); run = i; lo = 0; hi = 0; nb = 0; }
        const b = chunk[i++];
        hdr[hdrLen++] = b;
        const bits = b & 0x7f;
        if (nb < 4) lo |= bits << (7 * nb);
        else if (nb === 4) { lo |= (bits & 0x0f) << 28; hi |= bits >>> 4; }
        else hi |= bits << (7 * nb - 32);
        nb++;
        if (b >= 0x80) {
          if (nb === 10) return stop();
          continue;
        }
        if (hi & 0x80000000) return stop(); // negative to the decoder
        const value = (hi >>> 0) * 4294967296 + (lo >>> 0);
        if (phase === Phase.Tag) {
          if (value === 0 || value > 0x1fffffff * 8 + 7 || value < 8) return stop();
          field = Math.floor(value / 8);
          const wire = value % 8;
          const want = field < PROFILE_WIRE.length ? PROFILE_WIRE[field] : undefined;
          keep = want !== undefined;
          const ok = want === undefined ? wire === 0 || wire === 1 || wire === 2 || wire === 5 : want === -1 ? wire === 0 || wire === 2 : wire === want;
          if (!ok) return stop();
          if (wire === 2) { phase = Phase.Length; lo = 0; hi = 0; nb = 0; continue; }
          phase = wire === 0 ? Phase.Varint : Phase.Body;
          remaining = wire === 1 ? 8 : 4;
          nb = 0;
        } else {
          if (base + i + value > limit) {
            throw overLimit(limit, at(), opts, `: field ${field} at inflated byte ${base + i - hdrLen} claims ${formatBytes(value)}`);
          }
          remaining = value;
          phase = value === 0 ? Phase.Tag : Phase.Body;
        }
        if (keep) out.push(hdr, 0, hdrLen);
        else { skipped.set(hdr.subarray(0, hdrLen)); skippedLen = hdrLen; }
        hdrLen = 0;
        run = i;
      }
      if (hdrLen === 0) out.push(chunk, run, n);
      return true;
    },
  };
  if (!whole) inflateInto(bytes, sink);
  else if (!sink.feed(whole, () => bytes.length)) return undefined;
  // Cut off inside a header, or inside an unknown field: keep the header so the decoder says so.
  if (hdrLen > 0) out.push(hdr, 0, hdrLen);
  else if (!keep && (phase === Phase.Body || phase === Phase.Varint)) out.push(skipped, 0, skippedLen);
  return { data: out.bytes(), head: head.bytes(), total };
}
