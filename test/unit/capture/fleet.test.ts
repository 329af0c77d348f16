// golens fetch pyroscope|parca against a local server speaking each one's published protocol,
// run in process: what the client sent, that the saved file is the served profile, and that
// the merged numbers are the fixtures' own (go tool pprof's totals, summed).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { cmdFetch } from '../../../src/cli/fetch';
import { cmdTop } from '../../../src/cli/top';
import { fleetCapturePath } from '../../../src/core/capture/fleet/fetch';
import { parseTime } from '../../../src/core/capture/fleet/time';
import { startFleetServer, type FleetServer } from '../helpers/fleetserver';
import { readPprofTop } from '../helpers/fixtures';

let server: FleetServer;
let dir: string;
before(async () => {
  server = await startFleetServer();
  dir = mkdtempSync(join(tmpdir(), 'golens-fleet-'));
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await cmdFetch(args, (s) => { out += s; }, (s) => { err += s; }, server.now);
  return { code, out, err };
}

function top(file: string, sample?: string): { total: number; rows: { name: string; flat: number }[] } {
  let out = '';
  cmdTop([file, '--json', '-n', '1000', ...(sample ? ['--sample', sample] : [])], (s) => { out += s; });
  return JSON.parse(out);
}

/** go tool pprof's flat per function, summed over the fixtures a merge took. */
function summed(files: string[], sample: string): { total: number; flat: Map<string, number> } {
  const flat = new Map<string, number>();
  let total = 0;
  for (const f of files) {
    const t = readPprofTop('go1.27', `${f}.${sample}.top.txt`);
    total += t.total;
    for (const r of t.rows) flat.set(r.name, (flat.get(r.name) ?? 0) + r.flat);
  }
  return { total, flat };
}

const MEM = 'memory:alloc_space:bytes:space:bytes';

test('pyroscope: --list-types prints the ProfileTypes ids', async () => {
  const r = await run(['pyroscope', server.url, '--list-types']);
  assert.equal(r.code, 0, r.err);
  const ids = r.out.trim().split('\n');
  for (const id of ['process_cpu:cpu:nanoseconds:cpu:nanoseconds', MEM, 'goroutine:goroutine:count:goroutine:count', 'mutex:delay:nanoseconds:contentions:count']) {
    assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
  }
  const req = server.requests.at(-1)!;
  assert.equal(req.path, '/querier.v1.QuerierService/ProfileTypes');
  assert.deepEqual(req.fields, { start: server.now - 3_600_000, end: server.now });
});

test('pyroscope: SelectMergeProfile over the last hour merges both ledger profiles; the file is the served pprof', async () => {
  const out = join(dir, 'ledger.pprof');
  const r = await run(['pyroscope', `${server.url}/`, '--type', MEM, '--query', '{service_name="ledger"}', '--from', 'now-1h', '--to', 'now', '-o', out]);
  assert.equal(r.code, 0, r.err);
  const req = server.requests.at(-1)!;
  assert.equal(req.path, '/querier.v1.QuerierService/SelectMergeProfile');
  assert.equal(req.contentType, 'application/proto');
  assert.equal(req.headers['connect-protocol-version'], '1');
  assert.deepEqual(req.fields, { profileTypeID: MEM, labelSelector: '{service_name="ledger"}', start: server.now - 3_600_000, end: server.now });
  assert.ok(server.lastServed && readFileSync(out).equals(server.lastServed), 'the file holds the bytes served');
  const want = summed(['alloc-base', 'alloc-new'], 'alloc_space');
  const got = top(out);
  assert.equal(got.total, want.total);
  for (const row of got.rows) assert.equal(row.flat, want.flat.get(row.name) ?? 0, row.name);
  assert.match(r.out, /ledger\.pprof: \d+ samples/);
});

test('pyroscope: a narrower range takes only the profile inside it; the default path is under .golens/captures', async () => {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const from = new Date(server.now - 30 * 60_000).toISOString();
    const r = await run(['pyroscope', server.url, '--type', MEM, '--query', '{service_name="ledger"}', '--from', from, '--to', String(server.now), '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    const req = server.requests.at(-1)!;
    assert.equal(req.fields.start, Date.parse(from));
    assert.equal(req.fields.end, server.now);
    assert.equal(j.file, fleetCapturePath(server.url, { type: MEM, selector: '{service_name="ledger"}', range: { startMs: Date.parse(from), endMs: server.now } }));
    assert.match(j.file, /^\.golens\/captures\/127\.0\.0\.1_\d+\/\d{8}T\d{6}Z-memory\.alloc_space\.pprof$/);
    assert.equal(top(join(dir, j.file)).total, readPprofTop('go1.27', 'alloc-new.alloc_space.top.txt').total);
  } finally {
    process.chdir(cwd);
  }
});

test('parca: Query MODE_MERGE REPORT_TYPE_PPROF over gRPC-web; the file is the gzip\'d pprof Parca sent', async () => {
  const types = await run(['parca', server.url, '--list-types']);
  assert.equal(types.code, 0, types.err);
  const cpu = types.out.trim().split('\n').find((t) => t.startsWith('process_cpu:cpu:'));
  assert.equal(cpu, 'process_cpu:cpu:nanoseconds:cpu:nanoseconds:delta');
  const out = join(dir, 'cpu.pb.gz');
  const r = await run(['parca', server.url, '--type', cpu!, '--query', '{service_name="checkout"}', '--from', 'now-15m', '-o', out]);
  assert.equal(r.code, 0, r.err);
  const req = server.requests.at(-1)!;
  assert.equal(req.protocol, 'grpc-web');
  assert.equal(req.path, '/api/parca.query.v1alpha1.QueryService/Query');
  assert.equal(req.contentType, 'application/grpc-web+proto');
  assert.deepEqual(req.fields, { mode: 2, reportType: 1, query: `${cpu}{service_name="checkout"}`, start: server.now - 15 * 60_000, end: server.now });
  const saved = readFileSync(out);
  assert.ok(server.lastServed && gunzipSync(saved).equals(server.lastServed), 'the file holds the gzip\'d bytes served');
  assert.equal(top(out).total, readPprofTop('go1.27', 'cpu.cpu.top.txt').total);
});

test('parca: Values fills the label picker', async () => {
  const { parca } = await import('../../../src/core/capture/fleet/parca');
  const values = await parca.labelValues(server.url, 'service_name', { startMs: server.now - 3_600_000, endMs: server.now }, { timeoutMs: 5000, maxBytes: 1 << 20 });
  assert.deepEqual(values, ['checkout', 'ledger']);
  assert.equal(server.requests.at(-1)!.fields.labelName, 'service_name');
});

test('errors are one line and exit 2: Connect and gRPC errors, nothing selected, HTML, unreachable, timeout, bad times', async () => {
  const one = (r: { code: number; err: string; out: string }, re: RegExp) => {
    assert.equal(r.code, 2, r.err);
    assert.equal(r.out, '');
    assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
    assert.match(r.err, re);
  };
  server.failNext = { code: 'unauthenticated', message: 'no org id' };
  one(await run(['pyroscope', server.url, '--list-types']), /^golens: 127\.0\.0\.1:\d+ ProfileTypes: unauthenticated: no org id\n$/);
  server.failNext = { code: 'permission_denied', message: 'tenant has no access' };
  one(await run(['parca', server.url, '--type', MEM, '-o', join(dir, 'x.pprof')]), /Query: permission_denied: tenant has no access/);
  one(await run(['pyroscope', server.url, '--type', 'nope:a:b:c:d', '-o', join(dir, 'x.pprof')]), /SelectMergeProfile: invalid_argument: unknown profile type/);
  one(await run(['pyroscope', server.url, '--type', MEM, '--query', '{service_name="nobody"}', '-o', join(dir, 'x.pprof')]), /Pyroscope has no memory:alloc_space:bytes:space:bytes samples for \{service_name="nobody"\}/);
  one(await run(['pyroscope', `${server.url}/html`, '--type', MEM]), /HTTP 404 .* with an HTML page/);
  // A Connect client against Parca's address gets its UI, and the reverse a gRPC-web refusal.
  one(await run(['parca', `${server.url}/html`, '--type', MEM]), /HTML page, not gRPC-web/);
  one(await run(['pyroscope', 'http://127.0.0.1:9', '--list-types']), /cannot reach 127\.0\.0\.1:9: connection refused/);
  const t0 = Date.now();
  one(await run(['pyroscope', `${server.url}/hang`, '--list-types', '--timeout', '0.5']), /did not answer within 0\.5 s/);
  assert.ok(Date.now() - t0 < 5000);
  one(await run(['pyroscope', server.url, '--type', MEM, '--from', 'yesterday']), /"yesterday" is not a time/);
  one(await run(['pyroscope', server.url, '--type', MEM, '--from', 'now', '--to', 'now-1h']), /the range is empty/);
  one(await run(['pyroscope', server.url, '--type', MEM, '--query', 'service_name="x"']), /not a label selector/);
  one(await run(['grafana', server.url]), /which server\?/);
  one(await run(['parca', server.url]), /give --type/);
});

test('time arguments: RFC 3339, unix seconds and milliseconds, now and now-N', () => {
  const now = Date.parse('2026-12-02T16:00:00Z');
  assert.equal(parseTime('now', now), now);
  assert.equal(parseTime('now-1h', now), now - 3_600_000);
  assert.equal(parseTime('now-30m', now), now - 1_800_000);
  assert.equal(parseTime('now-2d', now), now - 2 * 86_400_000);
  assert.equal(parseTime('2026-12-02T15:04:05Z', now), Date.parse('2026-12-02T15:04:05Z'));
  assert.equal(parseTime('2026-12-02T17:04:05.250+01:00', now), Date.parse('2026-12-02T16:04:05.250Z'));
  assert.equal(parseTime('1764691200', now), 1764691200_000);
  assert.equal(parseTime('1764691200123', now), 1764691200123);
  assert.throws(() => parseTime('2026-12-02', now), /not a time/);
  assert.throws(() => parseTime('now-1y', now), /not a time/);
});
