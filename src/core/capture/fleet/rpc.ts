// Unary calls in the two protocols continuous profilers answer on: Connect (Pyroscope, served
// by connect-go) and gRPC-web (Parca, through improbable-eng's grpcweb wrapper). Each failure,
// the transport's or the server's, becomes one FleetError sentence naming the server.
import { ungzip } from 'pako';
import { ToolError } from '../../errors';
import { HttpError, httpRequest } from '../../io/http';

/** A fleet request's failure in one sentence (ToolError: the CLI prints it and exits 2). */
export class FleetError extends ToolError {}

export interface CallOptions {
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** `base` + `/pkg.Service/Method`, keeping a path prefix the base may have. */
export function procedureUrl(base: string, path: string): string {
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(base.trim()) ? base.trim() : `http://${base.trim()}`);
  } catch {
    throw new FleetError(`${JSON.stringify(base)} is not a URL: give the server's base address, e.g. http://localhost:4040`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new FleetError(`${u.protocol} is not supported: give an http:// or https:// address`);
  return `${u.protocol}//${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.host}${u.pathname.replace(/\/+$/, '')}${path}`;
}

async function post(url: string, body: Uint8Array, headers: Record<string, string>, o: CallOptions) {
  try {
    return await httpRequest(url, { method: 'POST', body, headers: { ...headers, ...o.headers }, timeoutMs: o.timeoutMs, maxBytes: o.maxBytes, signal: o.signal });
  } catch (e) {
    if (e instanceof HttpError) throw new FleetError(e.message);
    throw e;
  }
}

function host(url: string): string {
  return new URL(url).host;
}

function looksLike(res: { headers: Record<string, string>; body: Uint8Array }): string {
  const ct = res.headers['content-type'] ?? '';
  if (/html/i.test(ct) || /^\s*<(!doctype|html)/i.test(new TextDecoder().decode(res.body.subarray(0, 64)))) return 'an HTML page';
  return ct ? `${ct.split(';')[0]}` : 'an untyped body';
}

function inflate(body: Uint8Array, encoding: string | undefined, where: string): Uint8Array {
  if (!encoding || encoding === 'identity') return body;
  if (encoding !== 'gzip') throw new FleetError(`${where} answered in ${encoding} encoding, which GoLens does not read`);
  try {
    return ungzip(body);
  } catch {
    throw new FleetError(`${where} sent a corrupt gzip body`);
  }
}

/** A Connect unary call with the binary protobuf codec; resolves with the response message's bytes. */
export async function connectUnary(base: string, procedure: string, request: Uint8Array, o: CallOptions): Promise<Uint8Array> {
  const url = procedureUrl(base, procedure);
  const where = host(url);
  const res = await post(url, request, {
    'content-type': 'application/proto',
    'connect-protocol-version': '1',
    'connect-timeout-ms': String(Math.max(1, Math.floor(o.timeoutMs))),
    'accept-encoding': 'gzip',
  }, o);
  const ct = (res.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (res.status === 200 && ct === 'application/proto') return inflate(res.body, res.headers['content-encoding'], where);
  if (ct === 'application/json' && res.status !== 200) {
    // Connect's unary error: {"code": "not_found", "message": "…"} with a matching HTTP status.
    let err: { code?: unknown; message?: unknown } = {};
    try {
      err = JSON.parse(new TextDecoder().decode(inflate(res.body, res.headers['content-encoding'], where)));
    } catch { /* not Connect's JSON: reported by status below */ }
    if (typeof err.code === 'string') {
      throw new FleetError(`${where} ${procedure.split('/').pop()}: ${err.code}${typeof err.message === 'string' && err.message ? `: ${err.message}` : ''}`);
    }
  }
  if (res.status !== 200) throw new FleetError(`${where} answered HTTP ${res.status} to ${procedure} with ${looksLike(res)}: is ${base} the Connect API address (Pyroscope's, e.g. http://host:4040)?`);
  throw new FleetError(`${where} answered ${procedure} with ${looksLike(res)}, not a Connect protobuf message: is ${base} the API address?`);
}

const GRPC_CODES = ['ok', 'cancelled', 'unknown', 'invalid_argument', 'deadline_exceeded', 'not_found', 'already_exists', 'permission_denied',
  'resource_exhausted', 'failed_precondition', 'aborted', 'out_of_range', 'unimplemented', 'internal', 'unavailable', 'data_loss', 'unauthenticated'];

function grpcStatus(status: string | undefined, message: string | undefined, where: string, method: string): void {
  if (status === undefined || status === '0') return;
  const code = GRPC_CODES[Number(status)] ?? `status ${status}`;
  let msg = message ?? '';
  try { msg = decodeURIComponent(msg); } catch { /* keep it as sent */ }
  throw new FleetError(`${where} ${method}: ${code}${msg ? `: ${msg}` : ''}`);
}

/** Trailer block of a gRPC-web response: `name:value\r\n` lines. */
function parseTrailers(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of new TextDecoder().decode(bytes).split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

/** A gRPC-web unary call (binary, `application/grpc-web+proto`); resolves with the response message's bytes. */
export async function grpcWebUnary(base: string, method: string, request: Uint8Array, o: CallOptions): Promise<Uint8Array> {
  const url = procedureUrl(base, method);
  const where = host(url);
  const name = method.split('/').pop() ?? method;
  const framed = new Uint8Array(5 + request.length);
  new DataView(framed.buffer).setUint32(1, request.length);
  framed.set(request, 5);
  const res = await post(url, framed, { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', accept: 'application/grpc-web+proto' }, o);
  const ct = (res.headers['content-type'] ?? '').toLowerCase();
  // A trailers-only answer (an error before any message) carries the status as headers.
  grpcStatus(res.headers['grpc-status'], res.headers['grpc-message'], where, name);
  if (res.status !== 200 || !ct.startsWith('application/grpc-web')) {
    throw new FleetError(`${where} answered HTTP ${res.status} to ${name} with ${looksLike(res)}, not gRPC-web: is ${base} Parca's address (e.g. http://host:7070)?`);
  }
  let message: Uint8Array | undefined;
  let trailers: Record<string, string> | undefined;
  const b = res.body;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 0; at < b.length;) {
    if (at + 5 > b.length) throw new FleetError(`${where} sent a truncated gRPC-web frame`);
    const flag = b[at];
    const len = view.getUint32(at + 1);
    if (at + 5 + len > b.length) throw new FleetError(`${where} sent a truncated gRPC-web frame`);
    const payload = b.subarray(at + 5, at + 5 + len);
    if (flag & 0x01) throw new FleetError(`${where} sent a compressed gRPC-web frame, which GoLens did not ask for`);
    if (flag & 0x80) trailers = parseTrailers(payload);
    else if (message === undefined) message = payload;
    at += 5 + len;
  }
  grpcStatus(trailers?.['grpc-status'], trailers?.['grpc-message'], where, name);
  if (!trailers && res.headers['grpc-status'] === undefined) throw new FleetError(`${where} ended the ${name} answer without a gRPC status`);
  if (message === undefined) throw new FleetError(`${where} answered ${name} without a message`);
  return message;
}
