// golens top's unfiltered path (toppacked.ts: one walk over the streamed samples' bytes) gives
// the whole-file decoder's top(stacks()) on every committed profile, every sample type, both
// granularities; with a filter it takes the general path and still agrees.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { profileFromFile, profileFromFileStreamed } from '../../../src/core/artifacts/profiles';
import { stacks, type Filters } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { topOf, topPacked } from '../../../src/core/pprof/toppacked';
import { PPROF_DIR, toolchainDirs } from '../helpers/fixtures';

const NAMES = ['allocs', 'heap', 'cpu', 'goroutine', 'mutex', 'block', 'threadcreate', 'alloc-base', 'alloc-new'];

describe('top from packed samples', () => {
  test('equals the whole-file top on every committed profile, sample type and granularity', async () => {
    let files = 0, inlineMarks = 0, rows = 0;
    for (const dir of toolchainDirs()) {
      for (const name of NAMES) {
        const path = join(PPROF_DIR, dir, `${name}.pprof`);
        const got = await profileFromFileStreamed(path);
        const want = profileFromFile(path);
        assert.ok(got.samples.packed, `${dir}/${name}: streamed`);
        files++;
        for (let si = 0; si < want.sampleTypes.length; si++) {
          for (const g of ['functions', 'lines'] as const) {
            const a = topPacked(got, si, g);
            assert.deepEqual(a, top(stacks(want, si), g), `${dir}/${name} type ${si} ${g}`);
            assert.deepEqual(topOf(got, si, {}, g), a);
            rows += a.rows.length;
            inlineMarks += a.rows.filter((r) => r.inline !== '').length;
          }
        }
      }
    }
    assert.equal(files, 72);
    // The inline marks (the edge weights) are exercised, not only flat and cum.
    assert.ok(inlineMarks > 100 && rows > inlineMarks, `${inlineMarks} inline marks in ${rows} rows`);
  });

  test('with filters, topOf takes the general path and agrees with the whole-file top', async () => {
    const filters: Filters[] = [
      { focus: 'main\\.' }, { ignore: 'runtime\\.' }, { hide: 'runtime\\.' }, { show: 'main\\.' },
      { focus: 'runtime', ignore: 'gc' }, { tagFocus: ['bytes=1kb:'] }, { tagIgnore: ['bytes=:64'] }, { tagRoot: ['bytes'] },
    ];
    let differs = 0;
    for (const dir of toolchainDirs()) {
      for (const name of ['allocs', 'cpu', 'heap']) {
        const path = join(PPROF_DIR, dir, `${name}.pprof`);
        const got = await profileFromFileStreamed(path);
        const want = profileFromFile(path);
        const si = want.sampleTypes.length - 1;
        const all = top(stacks(want, si), 'functions');
        for (const f of filters) {
          const b = top(stacks(want, si, f));
          assert.deepEqual(topOf(got, si, f), b, `${dir}/${name} ${JSON.stringify(f)}`);
          if (JSON.stringify(b) !== JSON.stringify(all)) differs++;
        }
      }
    }
    // The filters change the answer: topOf did not answer them with the unfiltered walk.
    assert.ok(differs > 50, `${differs} filtered tops differ from the unfiltered one`);
  });
});
