// The capture tests' service: a real Go program serving net/http/pprof on loopback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { goOf, startPprofServer, type PprofServer } from '../helpers/pprofserve';

const skip = goOf('1.27') ? false : 'Go 1.27 is not installed (scripts/install-go.sh 1.27)';
let server: PprofServer | undefined;
before(async () => { if (!skip) server = await startPprofServer(); });
after(async () => { await server?.stop(); });

test('pprofserve listens on loopback and serves the pprof index and its test routes', { skip }, async () => {
  assert.match(server!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const index = await fetch(`${server!.url}/debug/pprof/`);
  assert.equal(index.status, 200);
  const text = await index.text();
  for (const k of ['goroutine', 'heap', 'allocs', 'mutex', 'block', 'threadcreate']) assert.ok(text.includes(k), k);
  const html = await fetch(`${server!.url}/html/debug/pprof/heap`);
  assert.match(html.headers.get('content-type') ?? '', /text\/html/);
  assert.equal((await fetch(`${server!.url}/status/503/debug/pprof/heap`)).status, 503);
  const g = await fetch(`${server!.url}/debug/pprof/goroutine?debug=1`);
  assert.match(await g.text(), /main\.leakOne/);
});
