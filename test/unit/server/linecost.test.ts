// The language server's per-line cost request over a real profile open in the ProfileStore:
// build paths mapped to the workspace's files, core's numbers, one clear error for bad asks.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { lineCosts } from '../../../src/core/pprof/linecost';
import { sampleIndex } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { LeakLenses } from '../../../src/server/leaklenses';
import { profileLineCosts } from '../../../src/server/linecost';
import { ProfileStore } from '../../../src/server/profiles';
import { fixture, ROOT } from '../helpers/fixtures';

const WS = join(ROOT, 'test', 'fixtures');

describe('per-line cost request', () => {
  test('cpu.pprof: main.go of programs/cpu gets core\'s costs; runtime files are left out', async () => {
    const mapper = new LeakLenses(() => undefined);
    mapper.update([WS], []);
    const store = new ProfileStore();
    const opened = await store.openProfile({ uri: pathToFileURL(join(WS, 'pprof', 'go1.27', 'cpu.pprof')).toString() });
    assert.ok(opened.ok);
    const id = opened.summary.id;
    const p = decodeProfile(fixture('go1.27', 'cpu.pprof'));
    const cpu = sampleIndex(p, 'cpu');
    const res = profileLineCosts(store.profile(id), { id, sampleIndex: cpu, filters: {} }, (f) => mapper.workspacePath(f));
    assert.ok(res.ok);
    assert.deepEqual([res.sampleType, res.unit], ['cpu', 'nanoseconds']);
    const main = join(WS, 'programs', 'cpu', 'main.go');
    assert.deepEqual(res.files.map((f) => f.path), [main]);
    const core = lineCosts(stacks(p, cpu)).files.find((f) => f.file === 'golens.example/fixtures/cpu/main.go')!;
    assert.deepEqual(res.files[0].lines, core.lines);
    assert.equal(res.total, p.samples.values.filter((_, i) => i % p.sampleTypes.length === cpu).reduce((a, v) => a + v, 0));
    // A filter narrows them as it narrows the view.
    const hashed = profileLineCosts(store.profile(id), { id, sampleIndex: cpu, filters: { focus: 'hashBlock' } }, (f) => mapper.workspacePath(f));
    assert.ok(hashed.ok);
    const sum = (r: typeof res) => (r.ok ? r.files[0].lines.reduce((a, l) => a + l.flat, 0) : 0);
    assert.ok(sum(hashed) > 0 && sum(hashed) < sum(res));
  });

  test('a closed profile, a sample type it lacks, a bad filter: one error each', async () => {
    const store = new ProfileStore();
    const opened = await store.openProfile({ uri: pathToFileURL(join(WS, 'pprof', 'go1.27', 'heap.pprof')).toString() });
    assert.ok(opened.ok);
    const id = opened.summary.id;
    const none = profileLineCosts(store.profile('p999'), { id: 'p999', sampleIndex: 0, filters: {} }, () => undefined);
    assert.ok(!none.ok && /not open/.test(none.error.message));
    const idx = profileLineCosts(store.profile(id), { id, sampleIndex: 9, filters: {} }, () => undefined);
    assert.ok(!idx.ok && /sample type/.test(idx.error.message));
    const re = profileLineCosts(store.profile(id), { id, sampleIndex: 0, filters: { focus: '(' } }, () => undefined);
    assert.ok(!re.ok, 'a bad regexp is an error, not a throw');
  });
});
