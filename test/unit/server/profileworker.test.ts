// The profile editor's and the comparison's profiles are decoded and queried on worker threads:
// while a hostile profile (a gzip'd real profile behind a 256 MiB unknown field) decodes, a
// leak hover on the server's thread and another open profile's view answer at once, and every
// answer is the one the in-process stores give.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ArtifactCache } from '../../../src/server/artifacts';
import { DiffStore } from '../../../src/server/diffs';
import { hoverText, LeakLenses } from '../../../src/server/leaklenses';
import { profileLineCosts } from '../../../src/server/linecost';
import { ProfileWorkers } from '../../../src/server/profileclient';
import { ProfileStore } from '../../../src/server/profiles';
import { hugeUnknownField, MiB } from '../helpers/bombs';
import { fixture, ROOT } from '../helpers/fixtures';

const WS = join(ROOT, 'test', 'fixtures');
const script = join(ROOT, 'dist', 'traceworker.js');
const url = (...p: string[]) => pathToFileURL(join(WS, ...p)).toString();
const query = { sampleIndex: 0, granularity: 'functions' as const, filters: {}, topLimit: 20, minFraction: 0.005 };

/** The hostile profile, written where the server reads it: about 256 KiB on disk, 256 MiB inflated. */
function hostileFile(): string {
  const raw = new Uint8Array(gunzipSync(fixture('go1.27', 'heap.pprof')));
  const path = join(mkdtempSync(join(tmpdir(), 'golens-profworker-')), 'hostile.pprof');
  writeFileSync(path, hugeUnknownField(raw, 256 * MiB));
  return path;
}

describe('profile workers', () => {
  test('while a hostile profile decodes, a leak hover here and a small profile\'s view answer long before it is done', async () => {
    assert.ok(existsSync(script), 'dist/traceworker.js is built');
    const hostile = hostileFile();
    const lenses = new LeakLenses(() => undefined);
    assert.ok(lenses.update([WS], new ArtifactCache().refresh([join(WS, 'leaks', 'go1.27', 'leakprof-1.pprof')]).leaks) > 0);
    const goFile = join(WS, 'programs', 'leakprof', 'main.go');
    const workers = new ProfileWorkers(script);
    try {
      const small = await workers.openProfile({ uri: url('pprof', 'go1.27', 'cpu.pprof') });
      assert.ok(small.ok);
      const t0 = performance.now();
      let bigMs: number | undefined;
      const big = workers.openProfile({ uri: pathToFileURL(hostile).toString() }).then((r) => { bigMs = performance.now() - t0; return r; });
      // Let the worker get into the inflate, then ask: a hover on this thread (after a timer, so a blocked loop would show) and a view on another worker.
      await new Promise((r) => setTimeout(r, 300));
      const h0 = performance.now();
      const hover = await new Promise<string>((r) => setTimeout(() => r(hoverText(lenses.at(goFile)[0].rows)), 0));
      const hoverMs = performance.now() - h0;
      const v0 = performance.now();
      const view = await workers.view({ id: small.summary.id, query });
      const viewMs = performance.now() - v0;
      assert.match(hover, /goroutines? leaked/);
      assert.ok(view.ok);
      assert.equal(bigMs, undefined, 'the hostile profile is still decoding');
      const res = await big;
      console.log(`hostile open ${bigMs!.toFixed(0)} ms; meanwhile hover ${hoverMs.toFixed(1)} ms, view ${viewMs.toFixed(0)} ms`);
      assert.ok(hoverMs < 200 && viewMs < 2000, `hover ${hoverMs} ms, view ${viewMs} ms`);
      assert.ok(bigMs! > 5 * Math.max(viewMs, 100), `hostile open ${bigMs} ms, view ${viewMs} ms`);
      // The unknown field was skipped: the profile is the heap profile behind it, as the in-process store opens it.
      assert.ok(res.ok, JSON.stringify(res));
      const plain = await new ProfileStore().openProfile({ uri: url('pprof', 'go1.27', 'heap.pprof') });
      assert.ok(plain.ok);
      assert.deepEqual({ ...res.summary, id: '', fileName: '' }, { ...plain.summary, id: '', fileName: '' });
      assert.equal(workers.size, 2);
    } finally {
      await workers.dispose();
    }
  });

  test('golens.limits.maxBytes reaches the worker: under a lower limit the hostile profile is one clear error, quickly', async () => {
    const workers = new ProfileWorkers(script);
    try {
      workers.maxBytes = 64 * MiB;
      const t0 = performance.now();
      const res = await workers.openProfile({ uri: pathToFileURL(hostileFile()).toString() });
      assert.ok(!res.ok);
      assert.match(res.error.message, /decompressed size over the limit of 64.0 MB/);
      assert.match(res.error.hint ?? '', /golens\.limits\.maxBytes/);
      assert.ok(performance.now() - t0 < 15_000);
      assert.equal(workers.size, 0, 'a failed open keeps no worker');
    } finally {
      await workers.dispose();
    }
  });

  test('views, lists, line costs and comparisons answer exactly as the in-process stores; a closed profile is not open', async () => {
    const workers = new ProfileWorkers(script);
    try {
      const uri = url('pprof', 'go1.27', 'cpu.pprof');
      const [w, s] = [await workers.openProfile({ uri }), await new ProfileStore().openProfile({ uri })];
      assert.ok(w.ok && s.ok);
      assert.deepEqual({ ...w.summary, id: '' }, { ...s.summary, id: '' });
      const store = new ProfileStore();
      const sid = (await store.openProfile({ uri }) as typeof s & { ok: true }).summary.id;
      assert.deepEqual(await workers.view({ id: w.summary.id, query }), store.view({ id: sid, query }));
      const list = { query, function: 'main.hashBlock', file: 'golens.example/fixtures/cpu/main.go' };
      const listed = await workers.list({ id: w.summary.id, ...list });
      assert.ok(listed.ok);
      assert.deepEqual(listed, store.list({ id: sid, ...list }));
      const lenses = new LeakLenses(() => undefined);
      lenses.update([WS], []);
      const map = (f: string) => lenses.workspacePath(f);
      const costs = await workers.lineCosts({ id: w.summary.id, sampleIndex: 1, filters: {} }, map);
      assert.ok(costs.ok && costs.files.length > 0);
      assert.deepEqual(costs, profileLineCosts(store.profile(sid), { id: sid, sampleIndex: 1, filters: {} }, map));

      const pair = { base: { uri: url('pprof', 'go1.27', 'heap.pprof') }, next: { uri: url('leaks', 'go1.27', 'healthy-1.pprof') } };
      const same = { base: { uri }, next: { uri } };
      const diffs = new DiffStore();
      const [wd, sd] = [await workers.openDiff(same), await diffs.openDiff(same)];
      assert.ok(wd.ok && sd.ok);
      const dq = { sampleIndex: 0, normalize: false, topLimit: 20, minFraction: 0 };
      assert.deepEqual(await workers.diffView({ id: wd.summary.id, query: dq }), diffs.view({ id: sd.summary.id, query: dq }));
      assert.deepEqual(await workers.openDiff(pair), await new DiffStore().openDiff(pair));

      workers.close({ id: w.summary.id });
      const gone = await workers.view({ id: w.summary.id, query });
      assert.ok(!gone.ok);
      assert.equal(gone.error.message, `profile ${w.summary.id} is not open`);
      assert.equal(workers.size, 1);
    } finally {
      await workers.dispose();
    }
  });
});
