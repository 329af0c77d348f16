// One capture from a running program's net/http/pprof: the request (bounded, cancellable),
// then a judgement of what came back, because a server answers many things that are not a
// profile — an error status, a login or proxy page, a text dump — and each is named in one
// line. Saved whole or not at all.
import { describeBytes } from '../errors';
import { printable } from '../format';
import { HttpError, httpRequest, type HttpFailure, type HttpResponse } from '../io/http';
import { checkWritableFolder, ensureFolderOf, saveWhole, SaveError } from '../io/save';
import { isGzip } from '../pprof/decode';
import { DEFAULT_MAX_BYTES, gunzipHead } from '../pprof/inflate';
import { traceVersion } from '../trace/open';
import { HEAD_BYTES, sniff, type ArtifactKind } from '../artifacts/sniff';
import type { CaptureTarget } from './endpoints';

export type CaptureFailure = HttpFailure | 'http-status' | 'html' | 'wrong-content' | 'write';

/** Why a capture failed: `kind` says which, the message is one line for a person. */
export class CaptureError extends Error {
  /** The HTTP status, for 'http-status'. */
  constructor(readonly kind: CaptureFailure, message: string, readonly status?: number) {
    super(message);
    this.name = 'CaptureError';
  }
}

/** Seconds allowed beyond the recording time (connect, the server's work, the transfer). */
export const DEFAULT_TIMEOUT_SECONDS = 30;

export type CaptureProgress =
  /** The server records for `totalMs`; `elapsedMs` of it have passed (about once a second). */
  | { phase: 'recording'; elapsedMs: number; totalMs: number }
  /** Bytes arriving. */
  | { phase: 'receiving'; received: number; total: number | undefined };

export interface CaptureOptions {
  /** The whole exchange; default DEFAULT_TIMEOUT_SECONDS plus the recording seconds. */
  timeoutMs?: number;
  /** Refuse a larger answer (default: the 2 GiB a profile may inflate to). */
  maxBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: CaptureProgress) => void;
}

export interface Captured {
  target: CaptureTarget;
  /** The URL that answered (after redirects). */
  url: string;
  bytes: Uint8Array;
}

/** The default time allowed for a capture of that target. */
export function captureTimeoutMs(target: CaptureTarget): number {
  return (DEFAULT_TIMEOUT_SECONDS + (target.seconds ?? 0)) * 1000;
}

function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

/** The server's first line of text (its error message), short and printable. */
function firstLine(body: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body.subarray(0, 512));
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  return printable(line.length > 120 ? `${line.slice(0, 119)}…` : line);
}

const STATUS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

function looksLikeHtml(res: HttpResponse): boolean {
  if (/\btext\/html\b|\bapplication\/xhtml\+xml\b/i.test(res.headers['content-type'] ?? '')) return true;
  const start = new TextDecoder('utf-8', { fatal: false }).decode(res.body.subarray(0, 256)).replace(/^\ufeff/, '').trimStart();
  return /^<(!doctype\s+html|html[\s>])/i.test(start);
}

/** What the content (inflated, when gzip) is, by the one sniffer; and its first bytes, for describing it. */
function contentOf(body: Uint8Array): { kind: ArtifactKind; head: Uint8Array } {
  if (!isGzip(body)) return { kind: sniff(body.subarray(0, HEAD_BYTES)), head: body.subarray(0, HEAD_BYTES) };
  let head: Uint8Array;
  try {
    head = gunzipHead(body, HEAD_BYTES);
  } catch {
    return { kind: 'archive', head: body.subarray(0, HEAD_BYTES) };
  }
  return { kind: head.length ? sniff(head) : 'empty', head };
}

const KIND_WORDS: Partial<Record<ArtifactKind, string>> = {
  trace: 'a Go execution trace', profile: 'a pprof profile', goroutines: 'a text goroutine dump (a debug=2 page?)',
  gctrace: 'gctrace text', schedtrace: 'schedtrace text', executable: 'an executable', json: 'JSON',
};

/**
 * Throws CaptureError unless the response is what the target's kind promises: a 2xx status,
 * not an HTML page, and content the sniffer calls a profile (a trace for `trace`).
 */
export function judgeResponse(target: CaptureTarget, res: HttpResponse): void {
  const host = hostOf(res.url);
  const path = (() => { try { return new URL(res.url).pathname; } catch { return res.url; } })();
  if (res.status < 200 || res.status > 299) {
    const said = firstLine(res.body);
    let msg = `${host} answered ${res.status}${STATUS[res.status] ? ` ${STATUS[res.status]}` : ''} for ${path}${said ? `: ${said}` : ''}`;
    // Go answers 404 "Unknown profile" for an endpoint this runtime does not have.
    if (res.status === 404 && /unknown profile/i.test(said)) {
      msg += target.kind === 'goroutineleak'
        ? ' (the goroutineleak profile needs Go 1.27, or Go 1.26 built with GOEXPERIMENT=goroutineleakprofile)'
        : ` (this program's Go has no ${target.kind} endpoint)`;
    }
    throw new CaptureError('http-status', msg, res.status);
  }
  if (looksLikeHtml(res)) throw new CaptureError('html', `${host} answered with an HTML page, not a profile (a login or proxy page?)`);
  const wanted: ArtifactKind = target.kind === 'trace' ? 'trace' : 'profile';
  const wantedWords = target.kind === 'trace' ? 'an execution trace' : `a ${target.kind} profile`;
  if (res.body.length === 0) throw new CaptureError('wrong-content', `${host} answered with nothing (an empty body), not ${wantedWords}`);
  const { kind, head } = contentOf(res.body);
  if (kind === wanted) return;
  const what = kind === 'trace' ? `a Go execution trace (go 1.${traceVersion(head)})` : KIND_WORDS[kind] ?? describeBytes(head, isGzip(res.body) ? undefined : res.body.length);
  throw new CaptureError('wrong-content', `${host} answered with ${what}, not ${wantedWords}`);
}

/** Fetches one capture and judges it; rejects only with CaptureError. */
export async function capture(target: CaptureTarget, opts: CaptureOptions = {}): Promise<Captured> {
  const recordingMs = (target.seconds ?? 0) * 1000;
  const started = Date.now();
  // A trace streams while it records: its first bytes arrive long before the recording ends, so
  // the phase follows the clock, not the bytes.
  const recording = () => Date.now() - started < recordingMs;
  const tick = recordingMs > 0 && opts.onProgress
    ? setInterval(() => { if (recording()) opts.onProgress!({ phase: 'recording', elapsedMs: Math.min(Date.now() - started, recordingMs), totalMs: recordingMs }); }, 1000)
    : undefined;
  try {
    if (recordingMs > 0) opts.onProgress?.({ phase: 'recording', elapsedMs: 0, totalMs: recordingMs });
    const res = await httpRequest(target.url, {
      timeoutMs: opts.timeoutMs ?? captureTimeoutMs(target),
      maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
      signal: opts.signal,
      onProgress: (received, total) => { if (!recording()) opts.onProgress?.({ phase: 'receiving', received, total }); },
    });
    judgeResponse(target, res);
    return { target, url: res.url, bytes: res.body };
  } catch (e) {
    if (e instanceof CaptureError) throw e;
    if (e instanceof HttpError) {
      const hint = e.kind === 'unreachable' ? ' (is the program running and serving net/http/pprof there?)' : '';
      throw new CaptureError(e.kind, `${e.message}${hint}`);
    }
    throw e;
  } finally {
    if (tick) clearInterval(tick);
  }
}

export interface SavedCapture {
  file: string;
  kind: string;
  url: string;
  bytes: number;
}

/**
 * Captures into `file`: its folder must exist unless `createFolders` (checked before the
 * request, so a long recording is not wasted); the file is written whole or not at all.
 */
export async function captureToFile(target: CaptureTarget, file: string, opts: CaptureOptions & { createFolders?: boolean } = {}): Promise<SavedCapture> {
  try {
    if (!opts.createFolders) checkWritableFolder(file);
    const got = await capture(target, opts);
    if (opts.signal?.aborted) throw new CaptureError('cancelled', `capture from ${hostOf(target.url)} cancelled`);
    if (opts.createFolders) ensureFolderOf(file);
    saveWhole(file, got.bytes);
    return { file, kind: target.kind, url: got.url, bytes: got.bytes.length };
  } catch (e) {
    if (e instanceof SaveError) throw new CaptureError('write', e.message);
    throw e;
  }
}
