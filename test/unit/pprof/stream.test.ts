// The streaming decoder (golens top's path) gives the profile the whole-file decoder gives, on
// every committed profile: the same tables, the same sample columns once built from the packed
// bytes, the same top under filters; chunk boundaries anywhere; and anything it does not read
// plainly (cut short, several gzip members) goes to the whole-file decoder and its errors.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { profileFromFile, profileFromFileStreamed } from '../../../src/core/artifacts/profiles';
import { parseProfile } from '../../../src/core/pprof/decode';
import type { Profile } from '../../../src/core/pprof/model';
import { stacks, type Filters } from '../../../src/core/pprof/stacks';
import { ProfileStream } from '../../../src/core/pprof/stream';
import { top } from '../../../src/core/pprof/top';
import { PPROF_DIR, toolchainDirs } from '../helpers/fixtures';

const NAMES = ['allocs', 'heap', 'cpu', 'goroutine', 'mutex', 'block', 'threadcreate', 'alloc-base', 'alloc-new'];

/** Everything a report reads from a profile, sample columns as plain arrays. */
function view(p: Profile): unknown {
  const s = p.samples;
  return {
    ...p, samples: {
      count: s.count, offsets: Array.from(s.offsets), locs: Array.from(s.locs), values: Array.from(s.values), labelSet: Array.from(s.labelSet),
    },
  };
}

const tmp = mkdtempSync(join(tmpdir(), 'golens-stream-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('streaming profile decoder', () => {
  test('decodes every committed profile as the whole-file decoder does, with the same top', async () => {
    let streamed = 0, files = 0;
    for (const dir of toolchainDirs()) {
      for (const name of NAMES) {
        const path = join(PPROF_DIR, dir, `${name}.pprof`);
        const want = profileFromFile(path);
        const got = await profileFromFileStreamed(path);
        files++;
        assert.ok(got.samples.packed, `${dir}/${name}: the stream read it (no fallback)`);
        streamed++;
        // top first: it must work from the packed bytes, before anything builds the columns.
        for (let si = 0; si < want.sampleTypes.length; si++) {
          for (const g of ['functions', 'lines'] as const) {
            assert.deepEqual(top(stacks(got, si), g), top(stacks(want, si), g), `${dir}/${name} type ${si} ${g}`);
          }
        }
        assert.deepEqual(view(got), view(want), `${dir}/${name}`);
      }
    }
    assert.equal(streamed, files);
    assert.ok(files >= 8 * NAMES.length);
  });

  test('filters read the packed samples as they read the columns', async () => {
    const filters: Filters[] = [
      { focus: 'main\\.' }, { ignore: 'runtime\\.' }, { hide: 'runtime\\.' }, { show: 'main\\.' },
      { focus: 'runtime', ignore: 'gc' }, { tagFocus: ['bytes=1kb:'] }, { tagIgnore: ['bytes=:64'] },
    ];
    let nonEmpty = 0;
    for (const dir of toolchainDirs()) {
      for (const name of ['allocs', 'cpu', 'heap']) {
        const path = join(PPROF_DIR, dir, `${name}.pprof`);
        for (const f of filters) {
          // A fresh decode each time: the columns must not have been built by an earlier read.
          const got = await profileFromFileStreamed(path);
          const want = profileFromFile(path);
          const si = want.sampleTypes.length - 1;
          const a = top(stacks(got, si, f)), b = top(stacks(want, si, f));
          assert.deepEqual(a, b, `${dir}/${name} ${JSON.stringify(f)}`);
          if (b.rows.length > 0) nonEmpty++;
        }
      }
    }
    assert.ok(nonEmpty > 50, `filters kept something in ${nonEmpty} cases`);
  });

  test('chunk boundaries anywhere: tiny and odd chunks decode the same', () => {
    for (const dir of toolchainDirs().slice(-2)) {
      for (const name of ['allocs', 'cpu', 'goroutine']) {
        const raw = gunzipSync(readFileSync(join(PPROF_DIR, dir, `${name}.pprof`)));
        const want = view(parseProfile(raw));
        for (const step of [1, 3, 7, 64, 4000]) {
          const s = new ProfileStream();
          for (let i = 0; i < raw.length; i += step) s.push(raw.subarray(i, i + step));
          const got = s.finish();
          assert.ok(got?.samples.packed, `${dir}/${name} in ${step}-byte chunks`);
          assert.deepEqual(view(got), want, `${dir}/${name} in ${step}-byte chunks`);
        }
      }
    }
  });

  test('a cut-short file fails as the whole-file decoder says; several gzip members fall back to it', async () => {
    const path = join(PPROF_DIR, 'go1.27', 'allocs.pprof');
    const bytes = readFileSync(path);
    const cut = join(tmp, 'cut.pprof');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    let want = '';
    try { profileFromFile(cut); } catch (e) { want = (e as Error).message; }
    assert.match(want, /truncated|ends/);
    await assert.rejects(profileFromFileStreamed(cut), (e: Error) => e.message === want);

    // Cut mid-sample inside the protobuf, but a valid gzip: the stream must not pass it.
    const raw = gunzipSync(bytes);
    const short = join(tmp, 'short.pprof');
    writeFileSync(short, gzipSync(raw.subarray(0, Math.floor(raw.length / 2))));
    let wantShort = '';
    try { profileFromFile(short); } catch (e) { wantShort = (e as Error).message; }
    assert.ok(wantShort, 'the whole-file decoder rejects a half protobuf');
    await assert.rejects(profileFromFileStreamed(short), (e: Error) => e.message === wantShort);

    const two = join(tmp, 'two.pprof');
    const half = Math.floor(raw.length / 2);
    // Members split at a byte that is no field boundary: only the joined stream is a profile.
    writeFileSync(two, Buffer.concat([gzipSync(raw.subarray(0, half)), gzipSync(raw.subarray(half))]));
    const got = await profileFromFileStreamed(two);
    assert.equal(got.samples.packed, undefined, 'several members: read by the whole-file decoder');
    assert.deepEqual(view(got), view(profileFromFile(path)));
  });
});
