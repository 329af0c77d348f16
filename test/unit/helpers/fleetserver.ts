// A local continuous profiler for tests: it speaks Grafana Pyroscope's Connect API
// (querier.v1.QuerierService) and Parca's gRPC-web API (parca.query.v1alpha1.QueryService),
// written from their published .proto files and protocol specs, not from GoLens's client: its
// own field readers below. It holds "series" of real fixture profiles at times relative to its
// start, answers merges of those the request selects (by type, labels and time) as pprof, and
// records every request so tests can check what the client sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Reader, Writer } from 'protobufjs/minimal';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { merge } from '../../../src/core/pprof/merge';
import type { Profile } from '../../../src/core/pprof/model';
import { encodeProfile } from './encode';
import { fixture } from './fixtures';

export interface Series {
  labels: Record<string, string>;
  /** A file in test/fixtures/pprof/go1.27. */
  file: string;
  /** Pyroscope's and Parca's profile name for it (process_cpu, memory, goroutine, mutex, block). */
  name: string;
  minutesAgo: number;
}

/** Services with profiles at different times: two memory profiles of `ledger` 35 minutes apart. */
export const FLEET_SERIES: Series[] = [
  { labels: { service_name: 'checkout' }, file: 'cpu.pprof', name: 'process_cpu', minutesAgo: 5 },
  { labels: { service_name: 'checkout' }, file: 'heap.pprof', name: 'memory', minutesAgo: 20 },
  { labels: { service_name: 'checkout' }, file: 'allocs.pprof', name: 'memory', minutesAgo: 5 },
  { labels: { service_name: 'checkout' }, file: 'goroutine.pprof', name: 'goroutine', minutesAgo: 5 },
  { labels: { service_name: 'checkout' }, file: 'mutex.pprof', name: 'mutex', minutesAgo: 5 },
  { labels: { service_name: 'checkout' }, file: 'block.pprof', name: 'block', minutesAgo: 5 },
  { labels: { service_name: 'ledger' }, file: 'alloc-base.pprof', name: 'memory', minutesAgo: 45 },
  { labels: { service_name: 'ledger' }, file: 'alloc-new.pprof', name: 'memory', minutesAgo: 10 },
];

export interface Recorded {
  protocol: 'connect' | 'grpc-web';
  path: string;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  method: string;
  /** The request message's fields as this server read them. */
  fields: Record<string, unknown>;
}

export interface FleetServer {
  url: string;
  /** The time series are placed relative to (ms). */
  now: number;
  requests: Recorded[];
  /** The pprof bytes of the last merge answered (raw protobuf; Parca's are gzip'd of these). */
  lastServed?: Uint8Array;
  lastProfile?: Profile;
  /** The next call (of `method`, when given) fails with this Connect / gRPC error instead. */
  failNext?: { code: string; message: string; method?: string };
  stop(): Promise<void>;
}

// ---- protobuf reading: field number → values (varints as numbers, length-delimited as bytes).
type Fields = Map<number, (number | Uint8Array)[]>;
function readFields(buf: Uint8Array): Fields {
  const r = Reader.create(buf);
  const out: Fields = new Map();
  while (r.pos < r.len) {
    const tag = r.uint32();
    const f = tag >>> 3;
    const wt = tag & 7;
    let v: number | Uint8Array;
    if (wt === 0) v = Number(r.int64().toString());
    else if (wt === 2) v = r.bytes();
    else { r.skipType(wt); continue; }
    out.set(f, [...(out.get(f) ?? []), v]);
  }
  return out;
}
const str = (f: Fields, n: number) => { const v = f.get(n)?.[0]; return v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : ''; };
const strs = (f: Fields, n: number) => (f.get(n) ?? []).map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : ''));
const num = (f: Fields, n: number) => { const v = f.get(n)?.[0]; return typeof v === 'number' ? v : 0; };
const sub = (f: Fields, n: number) => { const v = f.get(n)?.[0]; return v instanceof Uint8Array ? readFields(v) : undefined; };
/** google.protobuf.Timestamp → ms. */
const tsMs = (f: Fields | undefined) => (f ? num(f, 1) * 1000 + Math.floor(num(f, 2) / 1e6) : 0);

// ---- the data.
interface TypeDesc { name: string; sampleType: string; sampleUnit: string; periodType: string; periodUnit: string }
const idOf = (t: TypeDesc) => `${t.name}:${t.sampleType}:${t.sampleUnit}:${t.periodType}:${t.periodUnit}`;

function loaded(series: Series[]) {
  return series.map((s) => ({ ...s, profile: decodeProfile(fixture('go1.27', s.file)) }));
}

function typesOf(data: ReturnType<typeof loaded>): TypeDesc[] {
  const seen = new Map<string, TypeDesc>();
  for (const s of data) {
    for (const st of s.profile.sampleTypes) {
      const t = { name: s.name, sampleType: st.type, sampleUnit: st.unit, periodType: s.profile.periodType?.type ?? '', periodUnit: s.profile.periodType?.unit ?? '' };
      seen.set(idOf(t), t);
    }
  }
  return [...seen.values()];
}

/** `{a="x", b="y"}` → matchers; only `=` is needed here. */
function matchers(selector: string): Record<string, string> | undefined {
  const s = selector.trim();
  if (!/^\{.*\}$/s.test(s)) return undefined;
  const out: Record<string, string> = {};
  const body = s.slice(1, -1).trim();
  if (!body) return out;
  for (const part of body.split(',')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!m) return undefined;
    out[m[1]] = m[2];
  }
  return out;
}

/** One value column of a profile (Pyroscope and Parca answer with the requested sample type only). */
function project(p: Profile, index: number): Profile {
  const k = p.sampleTypes.length;
  const values = new Float64Array(p.samples.count);
  for (let i = 0; i < p.samples.count; i++) values[i] = p.samples.values[i * k + index];
  return { ...p, sampleTypes: [p.sampleTypes[index]], defaultSampleType: '', samples: { ...p.samples, values } };
}

export async function startFleetServer(series: Series[] = FLEET_SERIES): Promise<FleetServer> {
  const data = loaded(series);
  const now = Date.now();
  const types = typesOf(data);
  const self: FleetServer = { url: '', now, requests: [], stop: async () => {} };
  const failing = (method: string) => self.failNext !== undefined && (self.failNext.method === undefined || self.failNext.method === method);

  /** The merged pprof for a type id (Parca's may end in `:delta`) over matching series, or an empty body. */
  const select = (typeId: string, selector: string, startMs: number, endMs: number): Uint8Array | string => {
    const want = matchers(selector);
    if (!want) return `parse error: ${JSON.stringify(selector)} is not a label selector`;
    const t = types.find((x) => idOf(x) === typeId.replace(/:delta$/, ''));
    if (!t) return `unknown profile type ${JSON.stringify(typeId)}`;
    const picked = data.filter((s) => s.name === t.name && Object.entries(want).every(([k, v]) => s.labels[k] === v)
      && now - s.minutesAgo * 60_000 >= startMs && now - s.minutesAgo * 60_000 <= endMs
      && s.profile.sampleTypes.some((st) => st.type === t.sampleType && st.unit === t.sampleUnit));
    if (picked.length === 0) return new Uint8Array(0);
    const merged = merge(picked.map((s) => s.profile));
    const p = project(merged, merged.sampleTypes.findIndex((st) => st.type === t.sampleType && st.unit === t.sampleUnit));
    const bytes = encodeProfile(p);
    self.lastServed = bytes;
    self.lastProfile = p;
    return bytes;
  };
  const labelValues = (name: string) => [...new Set(data.map((s) => s.labels[name]).filter((v): v is string => v !== undefined))].sort();

  // ---- Pyroscope: Connect unary, binary codec. Errors are JSON {code, message} with an HTTP status.
  const CONNECT_STATUS: Record<string, number> = {
    invalid_argument: 400, unauthenticated: 401, permission_denied: 403, not_found: 404, unimplemented: 404,
    resource_exhausted: 429, internal: 500, unavailable: 503, deadline_exceeded: 504,
  };
  const connectError = (res: ServerResponse, code: string, message: string) => {
    res.writeHead(CONNECT_STATUS[code] ?? 500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message }));
  };
  const pyroscope = (method: string, req: IncomingMessage, body: Uint8Array, res: ServerResponse, path: string) => {
    const contentType = String(req.headers['content-type'] ?? '');
    if (req.method !== 'POST') return connectError(res, 'unimplemented', 'Connect unary calls are POSTs');
    if (contentType !== 'application/proto') {
      res.writeHead(415, { 'accept-post': 'application/proto' });
      return res.end();
    }
    if (req.headers['connect-protocol-version'] !== undefined && req.headers['connect-protocol-version'] !== '1') {
      return connectError(res, 'invalid_argument', 'connect-protocol-version must be "1"');
    }
    const f = readFields(body);
    let fields: Record<string, unknown>;
    let answer: Uint8Array;
    switch (method) {
      case 'ProfileTypes': {
        fields = { start: num(f, 1), end: num(f, 2) };
        const w = Writer.create();
        for (const t of types) {
          w.uint32((1 << 3) | 2).fork().uint32(10).string(idOf(t)).uint32(18).string(t.name).uint32(34).string(t.sampleType)
            .uint32(42).string(t.sampleUnit).uint32(50).string(t.periodType).uint32(58).string(t.periodUnit).ldelim();
        }
        answer = w.finish();
        break;
      }
      case 'LabelValues': {
        fields = { name: str(f, 1), matchers: strs(f, 2), start: num(f, 3), end: num(f, 4) };
        const w = Writer.create();
        for (const v of labelValues(str(f, 1))) w.uint32(10).string(v);
        answer = w.finish();
        break;
      }
      case 'LabelNames': {
        fields = { matchers: strs(f, 1), start: num(f, 2), end: num(f, 3) };
        const w = Writer.create();
        for (const v of [...new Set(data.flatMap((s) => Object.keys(s.labels)))].sort()) w.uint32(10).string(v);
        answer = w.finish();
        break;
      }
      case 'SelectMergeProfile': {
        fields = { profileTypeID: str(f, 1), labelSelector: str(f, 2), start: num(f, 3), end: num(f, 4) };
        self.requests.push({ protocol: 'connect', path, contentType, headers: req.headers, method, fields });
        const got = select(str(f, 1), str(f, 2), num(f, 3), num(f, 4));
        if (typeof got === 'string') return connectError(res, 'invalid_argument', got);
        res.writeHead(200, { 'content-type': 'application/proto' });
        return res.end(got);
      }
      default:
        return connectError(res, 'unimplemented', `${path} is not implemented`);
    }
    self.requests.push({ protocol: 'connect', path, contentType, headers: req.headers, method, fields });
    if (failing(method)) { const e = self.failNext!; self.failNext = undefined; return connectError(res, e.code, e.message); }
    res.writeHead(200, { 'content-type': 'application/proto' });
    res.end(answer);
  };

  // ---- Parca: gRPC-web (binary). A message frame (0x00, length, bytes) then a trailer frame (0x80).
  const GRPC: Record<string, number> = { invalid_argument: 3, not_found: 5, permission_denied: 7, unimplemented: 12, internal: 13, unavailable: 14, unauthenticated: 16 };
  const grpcError = (res: ServerResponse, code: string, message: string) => {
    // Trailers-only: the status travels in the headers of an otherwise empty 200.
    res.writeHead(200, { 'content-type': 'application/grpc-web+proto', 'grpc-status': String(GRPC[code] ?? 2), 'grpc-message': encodeURIComponent(message) });
    res.end();
  };
  const frame = (flag: number, payload: Uint8Array) => {
    const b = Buffer.alloc(5 + payload.length);
    b[0] = flag;
    b.writeUInt32BE(payload.length, 1);
    Buffer.from(payload).copy(b, 5);
    return b;
  };
  const grpcOk = (res: ServerResponse, msg: Uint8Array) => {
    res.writeHead(200, { 'content-type': 'application/grpc-web+proto' });
    res.end(Buffer.concat([frame(0, msg), frame(0x80, Buffer.from('grpc-status:0\r\ngrpc-message:\r\n'))]));
  };
  const parca = (method: string, req: IncomingMessage, body: Uint8Array, res: ServerResponse, path: string) => {
    const contentType = String(req.headers['content-type'] ?? '');
    if (body.length < 5 || body[0] !== 0 || Buffer.from(body).readUInt32BE(1) !== body.length - 5) return grpcError(res, 'internal', 'malformed gRPC-web frame');
    const f = readFields(body.subarray(5));
    let fields: Record<string, unknown>;
    let answer: Uint8Array;
    switch (method) {
      case 'ProfileTypes': {
        fields = { start: tsMs(sub(f, 1)), end: tsMs(sub(f, 2)) };
        const w = Writer.create();
        for (const t of types) {
          w.uint32(10).fork().uint32(10).string(t.name).uint32(18).string(t.sampleType).uint32(26).string(t.sampleUnit)
            .uint32(34).string(t.periodType).uint32(42).string(t.periodUnit).uint32(48).bool(t.name === 'process_cpu').ldelim();
        }
        answer = w.finish();
        break;
      }
      case 'Values': {
        fields = { labelName: str(f, 1), match: strs(f, 2), start: tsMs(sub(f, 3)), end: tsMs(sub(f, 4)) };
        const w = Writer.create();
        for (const v of labelValues(str(f, 1))) w.uint32(10).string(v);
        answer = w.finish();
        break;
      }
      case 'Query': {
        const m = sub(f, 3);
        const query = m ? str(m, 1) : '';
        fields = { mode: num(f, 1), reportType: num(f, 5), query, start: tsMs(m && sub(m, 2)), end: tsMs(m && sub(m, 3)) };
        self.requests.push({ protocol: 'grpc-web', path, contentType, headers: req.headers, method, fields });
        if (failing(method)) { const e = self.failNext!; self.failNext = undefined; return grpcError(res, e.code, e.message); }
        if (num(f, 1) !== 2 || num(f, 5) !== 1 || !m) return grpcError(res, 'invalid_argument', 'only MODE_MERGE with REPORT_TYPE_PPROF here');
        const at = query.indexOf('{');
        const got = at < 0 ? 'query has no label selector' : select(query.slice(0, at), query.slice(at), fields.start as number, fields.end as number);
        if (typeof got === 'string') return grpcError(res, 'invalid_argument', got);
        const w = Writer.create();
        w.uint32(50).bytes(got.length ? gzipSync(got) : got).uint32(72).int64(self.lastProfile && got.length ? self.lastProfile.samples.values.reduce((a, b) => a + b, 0) : 0);
        return grpcOk(res, w.finish());
      }
      default:
        return grpcError(res, 'unimplemented', `unknown method ${method}`);
    }
    self.requests.push({ protocol: 'grpc-web', path, contentType, headers: req.headers, method, fields });
    if (failing(method)) { const e = self.failNext!; self.failNext = undefined; return grpcError(res, e.code, e.message); }
    grpcOk(res, answer);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const body = new Uint8Array(Buffer.concat(chunks));
      if (path.startsWith('/hang/')) return; // never answers: the client's timeout must fire
      if (path.startsWith('/html/')) {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<!doctype html><title>Not found</title><p>404');
      }
      const py = /\/querier\.v1\.QuerierService\/(\w+)$/.exec(path);
      // Parca routes every application/grpc* request to grpc-web whatever the prefix, the rest to its UI.
      const pa = /\/parca\.query\.v1alpha1\.QueryService\/(\w+)$/.exec(path);
      if (pa && String(req.headers['content-type'] ?? '').startsWith('application/grpc-web')) return parca(pa[1], req, body, res, path);
      if (py && !pa) return pyroscope(py[1], req, body, res, path);
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Profiler UI</title>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  self.stop = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return self;
}
