// `golens top` as a real process on one legacy profile of each family: the text table and
// --json carry pprof's total and rows (test/fixtures/legacy/expected).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readPprofTop, ROOT } from '../helpers/fixtures';

const CLI = join(ROOT, 'dist', 'cli.js');
const LEGACY = join(ROOT, 'test', 'fixtures', 'legacy');

function golens(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// [profile, sample type, unit] — one per family.
const FAMILIES: [string, string, string][] = [
  ['go1.27/heap.debug1.txt', 'inuse_space', 'bytes'],
  ['go1.27/goroutine.debug1.txt', 'goroutine', 'count'],
  ['go1.27/mutex.debug1.txt', 'delay', 'nanoseconds'],
  ['go1.27/block.debug1.txt', 'delay', 'nanoseconds'],
  ['pprof-testdata/cppbench.cpu', 'cpu', 'nanoseconds'],
  ['pprof-testdata/cppbench.thread', 'thread', 'count'],
  ['pprof-testdata/cppbench.growth', 'space', 'bytes'],
  ['pprof-testdata/java.heap', 'inuse_space', 'bytes'],
  ['pprof-testdata/java.contention', 'delay', 'microseconds'],
];

describe('golens top on legacy profiles', () => {
  for (const [profile, st, unit] of FAMILIES) {
    test(profile, () => {
      const want = readPprofTop('expected', `${profile.replace('/', '__')}.${st}.functions.top.txt`, LEGACY);
      const r = golens('top', join(LEGACY, profile), '--json');
      assert.equal(r.code, 0, r.stderr);
      const got = JSON.parse(r.stdout);
      assert.equal(got.sampleType, st);
      assert.equal(got.unit, unit);
      assert.equal(got.total, want.total);
      if (profile.startsWith('go1.')) {
        // pprof shows Go's debug=1 rows as <unknown>; GoLens names them from the "#" comments
        // (test/unit/pprof/legacy-symbols.test.ts): the rows add up to pprof's total, all named.
        const rows = got.rows as { function: string; flat: number }[];
        assert.equal(rows.reduce((a, x) => a + x.flat, 0), want.total);
        assert.ok(rows.every((x) => x.function !== '<unknown>'), 'every row named');
      } else {
        assert.deepEqual(got.rows.map((x: { flat: number; cum: number }) => [x.flat, x.cum]), want.rows.map((x) => [x.flat, x.cum]));
      }
      if (profile.includes('java')) assert.deepEqual(got.rows.map((x: { function: string }) => x.function), want.rows.map((x) => x.name));
      const text = golens('top', join(LEGACY, profile));
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, new RegExp(`\\b${st}\\b`));
      assert.equal(text.stderr, '');
    });
  }
  test('a text file that is not a profile says what it looks like', () => {
    const r = golens('top', join(LEGACY, 'README.md'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /README\.md: not a pprof profile: the file is text/);
  });
});
