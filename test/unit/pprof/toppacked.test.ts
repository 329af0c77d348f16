// golens top's unfiltered paths give the whole-file decoder's top(stacks()) on every committed
// profile, every sample type, both granularities: the walk over packed samples (toppacked.ts)
// and the two streaming passes that hold no samples (topfile.ts); with a filter, topOf takes
// the general path and still agrees.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { profileFromFile, profileFromFileStreamed } from '../../../src/core/artifacts/profiles';
import { topFromFile } from '../../../src/core/artifacts/topfile';
import { stacks, type Filters } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { topOf, topPacked } from '../../../src/core/pprof/toppacked';
import { encodeProfile } from '../helpers/encode';
import { PPROF_DIR, toolchainDirs } from '../helpers/fixtures';

const NAMES = ['allocs', 'heap', 'cpu', 'goroutine', 'mutex', 'block', 'threadcreate', 'alloc-base', 'alloc-new'];

const tmp = mkdtempSync(join(tmpdir(), 'golens-toppacked-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

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

  test('two passes over the file, no samples held: the whole-file top on every committed profile', async () => {
    let files = 0;
    for (const dir of toolchainDirs()) {
      for (const name of NAMES) {
        const path = join(PPROF_DIR, dir, `${name}.pprof`);
        const want = profileFromFile(path);
        files++;
        for (let si = 0; si < want.sampleTypes.length; si++) {
          for (const g of ['functions', 'lines'] as const) {
            const got = await topFromFile(path, {}, () => si, g);
            assert.ok(got, `${dir}/${name}: read in two passes`);
            assert.equal(got.sampleIndex, si);
            assert.deepEqual(got.top, top(stacks(want, si), g), `${dir}/${name} type ${si} ${g}`);
            assert.equal(got.profile.samples.count, 0, 'no samples held');
            assert.deepEqual({ ...got.profile, samples: undefined, labelSets: undefined }, { ...want, samples: undefined, labelSets: undefined }, `${dir}/${name}: the tables`);
          }
        }
      }
    }
    assert.equal(files, 72);
  });

  test('two passes: a file it does not read plainly is left to the ordinary path', async () => {
    const gz = readFileSync(join(PPROF_DIR, 'go1.27', 'heap.pprof'));
    assert.ok(profileFromFile(join(PPROF_DIR, 'go1.27', 'heap.pprof')).locations.length < 120);
    const raw = gunzipSync(gz);
    const cases: Record<string, Uint8Array> = {
      'not gzip': raw,
      'cut short': gz.subarray(0, Math.floor(gz.length * 0.6)),
      'half a protobuf': gzipSync(raw.subarray(0, Math.floor(raw.length / 2))),
      'two members': Buffer.concat([gzipSync(raw.subarray(0, 1000)), gzipSync(raw.subarray(1000))]),
      // A location id past the table: the walk gives up rather than read out of bounds.
      'dangling location id': gzipSync(withLocationId(raw, 120)),
    };
    for (const [what, bytes] of Object.entries(cases)) {
      const path = join(tmp, `${what}.pprof`);
      writeFileSync(path, bytes);
      assert.equal(await topFromFile(path, {}, () => 0, 'functions'), undefined, what);
    }
    assert.equal(await topFromFile(join(tmp, 'missing.pprof'), {}, () => 0, 'functions'), undefined);
    // The chosen sample type's errors are the caller's.
    await assert.rejects(topFromFile(join(PPROF_DIR, 'go1.27', 'allocs.pprof'), {}, () => { throw new RangeError('no such type'); }, 'functions'), /no such type/);
  });

  test('more sample types than one sample\'s first scratch holds (70): each one read, by both paths', async () => {
    const base = profileFromFile(join(PPROF_DIR, 'go1.27', 'heap.pprof'));
    const K = base.sampleTypes.length, WIDE = 70, n = base.samples.count;
    // Type j holds the real values of type j % K, scaled by j + 1 so that no two columns agree.
    const values = new Float64Array(n * WIDE);
    for (let i = 0; i < n; i++) for (let j = 0; j < WIDE; j++) values[i * WIDE + j] = base.samples.values[i * K + (j % K)] * (j + 1);
    const sampleTypes = Array.from({ length: WIDE }, (_, j) => (j < K ? base.sampleTypes[j] : { type: `copy${j}`, unit: base.sampleTypes[j % K].unit }));
    const path = join(tmp, 'wide.pprof');
    writeFileSync(path, gzipSync(encodeProfile({ ...base, sampleTypes, samples: { ...base.samples, values } })));
    const want = profileFromFile(path);
    assert.equal(want.sampleTypes.length, WIDE);
    for (const si of [0, K, 63, 64, WIDE - 1]) {
      const expect = top(stacks(want, si), 'functions');
      assert.ok(expect.total > 0, `type ${si}`);
      const got = await topFromFile(path, {}, () => si, 'functions');
      assert.ok(got, `type ${si}: read in two passes`);
      assert.deepEqual(got.top, expect, `type ${si}`);
      assert.deepEqual(topPacked(await profileFromFileStreamed(path), si, 'functions'), expect, `type ${si}, packed`);
    }
  });
});

/** The profile with its first sample's first location id (a one-byte one) set to `id`. */
function withLocationId(raw: Uint8Array, id: number): Uint8Array {
  const out = Uint8Array.from(raw);
  // Top-level fields until the first sample (field 2); in it, the location ids (field 1, packed).
  let p = 0;
  while (p < out.length) {
    const tag = out[p++];
    if ((tag & 7) === 0) { while (out[p++] >= 0x80); continue; } // a scalar field
    let len = 0;
    for (let shift = 0; ; shift += 7) { const b = out[p++]; len += (b & 0x7f) << shift; if (b < 0x80) break; }
    if (tag !== 0x12) { p += len; continue; }
    const end = p + len;
    while (p < end) {
      const t = out[p++];
      if ((t & 7) === 0) { while (out[p++] >= 0x80); continue; } // an unpacked id or value
      let l = 0;
      for (let shift = 0; ; shift += 7) { const b = out[p++]; l += (b & 0x7f) << shift; if (b < 0x80) break; }
      if (t === 0x0a && out[p] < 0x80) { assert.ok(id < 0x80); out[p] = id; return out; }
      p += l;
    }
  }
  throw new Error('no sample with packed one-byte location ids');
}
