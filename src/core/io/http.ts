// The io seam for talking to a running program or a profiling server over HTTP: one request,
// bounded in time and size, cancellable, with progress. Every way it can fail is one
// HttpError kind with a sentence that says which, so the faces print one line.
import { request as httpRequestRaw, type IncomingMessage } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';

export type HttpFailure = 'unreachable' | 'timeout' | 'too-large' | 'cancelled' | 'bad-url';

export class HttpError extends Error {
  constructor(readonly kind: HttpFailure, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface HttpOptions {
  /** The whole exchange, connect to last byte. */
  timeoutMs: number;
  /** Refuse a body larger than this. */
  maxBytes: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Uint8Array;
  signal?: AbortSignal;
  /** Bytes received so far and the announced length, as they arrive. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Redirects to follow (GET only); 5 unless given. */
  maxRedirects?: number;
}

export interface HttpResponse {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** One HTTP(S) request. Resolves with any status (the caller judges it); rejects only with HttpError. */
export function httpRequest(url: string, opts: HttpOptions): Promise<HttpResponse> {
  const deadline = Date.now() + opts.timeoutMs;
  return requestOnce(url, opts, deadline, opts.maxRedirects ?? 5);
}

async function requestOnce(url: string, opts: HttpOptions, deadline: number, redirects: number): Promise<HttpResponse> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new HttpError('bad-url', `${JSON.stringify(url)} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new HttpError('bad-url', `${u.protocol} URLs are not supported: use http:// or https://`);
  const res = await exchange(u, opts, deadline);
  const location = res.headers.location;
  if ((opts.method ?? 'GET') === 'GET' && [301, 302, 303, 307, 308].includes(res.status) && location && redirects > 0) {
    return requestOnce(new URL(location, u).toString(), opts, deadline, redirects - 1);
  }
  return res;
}

function exchange(u: URL, opts: HttpOptions, deadline: number): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const where = `${u.host}`;
    if (opts.signal?.aborted) return reject(new HttpError('cancelled', `request to ${where} cancelled`));
    const left = deadline - Date.now();
    if (left <= 0) return reject(new HttpError('timeout', `no answer from ${where} within the time allowed`));
    let settled = false;
    const fail = (e: HttpError) => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(new HttpError('timeout', `${where} did not answer within ${(opts.timeoutMs / 1000).toFixed(opts.timeoutMs % 1000 ? 1 : 0)} s`)), left);
    const onAbort = () => fail(new HttpError('cancelled', `request to ${where} cancelled`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const send = u.protocol === 'https:' ? httpsRequestRaw : httpRequestRaw;
    const headers: Record<string, string> = { 'user-agent': 'golens', ...opts.headers };
    if (opts.body) headers['content-length'] = String(opts.body.byteLength);
    const req = send(u, { method: opts.method ?? 'GET', headers }, (res: IncomingMessage) => {
      const total = Number(res.headers['content-length']);
      const announced = Number.isFinite(total) ? total : undefined;
      if (announced !== undefined && announced > opts.maxBytes) {
        fail(new HttpError('too-large', `${where} answered with ${announced} bytes, more than the ${opts.maxBytes}-byte limit`));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (c: Buffer) => {
        received += c.length;
        if (received > opts.maxBytes) {
          fail(new HttpError('too-large', `${where} sent more than the ${opts.maxBytes}-byte limit`));
          return;
        }
        chunks.push(c);
        opts.onProgress?.(received, announced);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        cleanup();
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
        const body = Buffer.concat(chunks);
        resolve({ url: u.toString(), status: res.statusCode ?? 0, headers: flat, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) });
      });
      res.on('error', (e) => fail(new HttpError('unreachable', `the connection to ${where} broke: ${e.message}`)));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' ? 'no such host' : e.code === 'ECONNRESET' ? 'connection reset' : e.message;
      fail(new HttpError('unreachable', `cannot reach ${where}: ${why}`));
    });
    if (opts.body) req.end(Buffer.from(opts.body.buffer, opts.body.byteOffset, opts.body.byteLength));
    else req.end();
  });
}
