// The decoder on real profiles: what each Go profile kind carries (FORMATS.md §1), inline
// frames, function literal start lines, labels; and every encoding the format allows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync, gunzipSync } from 'node:zlib';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { defaultSampleIndex, profileKind, type Profile } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { encodeProfile } from '../helpers/encode';
import { fixture, ROOT, toolchainDirs } from '../helpers/fixtures';

const types = (p: Profile) => p.sampleTypes.map((t) => `${t.type}/${t.unit}`);
const topOf = (p: Profile, si = defaultSampleIndex(p)) => top(stacks(p, si)).rows.map((r) => [r.printable, r.flat, r.cum]);

for (const dir of toolchainDirs()) {
  describe(`${dir}: profile kinds`, () => {
    const load = (n: string) => decodeProfile(fixture(dir, n));
    test('cpu: samples/count + cpu/nanoseconds at 100 Hz, with duration and labels', () => {
      const p = load('cpu.pprof');
      assert.deepEqual(types(p), ['samples/count', 'cpu/nanoseconds']);
      assert.deepEqual(p.periodType, { type: 'cpu', unit: 'nanoseconds' });
      assert.equal(p.period, 10_000_000);
      assert.ok(p.durationNanos > 0.5e9, `duration ${p.durationNanos}`);
      assert.equal(profileKind(p), 'cpu');
      const workers = new Set(p.labelSets.flat().filter((l) => l.key === 'worker').map((l) => l.str));
      assert.deepEqual([...workers].sort(), ['hash', 'parse']);
      // Every cpu sample's value is samples × period.
      for (let i = 0; i < p.samples.count; i++) assert.equal(p.samples.values[i * 2 + 1], p.samples.values[i * 2] * p.period);
    });
    test('cpu: inline frames are kept, innermost first', () => {
      const p = load('cpu.pprof');
      const inlined = p.locations.filter((l) => l.lines.length > 1);
      assert.ok(inlined.length > 0, 'no location with inline frames');
      const names = inlined.map((l) => l.lines.map((ln) => p.functions[ln.fn].name));
      assert.ok(names.some((n) => n[0] === 'main.mix' && n[n.length - 1] !== 'main.mix'), JSON.stringify(names.slice(0, 5)));
    });
    test('heap: four sample types, no default (inuse_space shown)', () => {
      const p = load('heap.pprof');
      assert.deepEqual(types(p), ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes']);
      assert.equal(p.defaultSampleType, '');
      assert.equal(p.sampleTypes[defaultSampleIndex(p)].type, 'inuse_space');
      assert.deepEqual(p.periodType, { type: 'space', unit: 'bytes' });
      assert.equal(profileKind(p), 'heap');
    });
    test('allocs: default sample type alloc_space', () => {
      const p = load('allocs.pprof');
      assert.equal(p.defaultSampleType, 'alloc_space');
      assert.equal(p.sampleTypes[defaultSampleIndex(p)].type, 'alloc_space');
      assert.equal(profileKind(p), 'allocs');
    });
    for (const kind of ['mutex', 'block']) {
      test(`${kind}: contentions/count + delay/nanoseconds`, () => {
        const p = load(`${kind}.pprof`);
        assert.deepEqual(types(p), ['contentions/count', 'delay/nanoseconds']);
        assert.deepEqual(p.periodType, { type: 'contentions', unit: 'count' });
        assert.ok(p.samples.count > 0);
      });
    }
    test('goroutine: the planted goroutines, and start_line is the go statement', () => {
      const p = load('goroutine.pprof');
      assert.deepEqual(types(p), ['goroutine/count']);
      const src = readFileSync(join(ROOT, 'test/fixtures/programs/goroutine/main.go'), 'utf8').split('\n');
      const goLines = src.flatMap((l, i) => (/^\s*go func\(/.test(l) ? [i + 1] : []));
      assert.ok(goLines.length >= 3, 'the program starts goroutines with go func() literals');
      const literals = p.functions.filter((f) => /^main\.main\.func\d+$/.test(f.name));
      assert.ok(literals.length >= 3, literals.map((f) => f.name).join(','));
      // Function.start_line exists since Go 1.20; Go 1.19 writes 0.
      const want = Number(dir.slice(4)) >= 20 ? goLines : [0];
      for (const f of literals) assert.ok(want.includes(f.startLine), `${f.name} starts at ${f.startLine}, expected one of ${want}`);
      const byName = new Map(top(stacks(p, 0)).rows.map((r) => [r.function, r.cum]));
      const total = top(stacks(p, 0)).total;
      assert.ok(total >= 75, `total goroutines ${total}`);
      assert.ok([...byName.values()].includes(50), 'a literal holds the 50 chan-send goroutines');
    });
    test('threadcreate decodes', () => {
      const p = load('threadcreate.pprof');
      assert.deepEqual(types(p), ['threadcreate/count']);
    });
  });
}

describe('encodings', () => {
  const dir = toolchainDirs().at(-1)!;
  const gz = fixture(dir, 'cpu.pprof');
  const p = decodeProfile(gz);
  const expected = topOf(p, 1);

  test('raw protobuf (no gzip) decodes the same', () => {
    assert.deepEqual(topOf(decodeProfile(gunzipSync(gz)), 1), expected);
  });
  test('several concatenated gzip members decode as one stream', () => {
    const raw = gunzipSync(gz);
    const cut = Math.floor(raw.length / 3);
    const multi = Buffer.concat([gzipSync(raw.subarray(0, cut)), gzipSync(raw.subarray(cut, 2 * cut)), gzipSync(raw.subarray(2 * cut))]);
    assert.deepEqual(topOf(decodeProfile(multi), 1), expected);
  });
  test('unpacked repeated fields, unknown fields and ids past 2^53 decode the same', () => {
    const re = encodeProfile(p, { unpacked: true, unknownField: true, idOffset: 1n << 60n });
    const q = decodeProfile(re);
    assert.deepEqual(topOf(q, 1), expected);
    assert.equal(typeof q.locations[0].id, 'bigint');
    assert.equal(BigInt(q.locations[0].id), BigInt(p.locations[0].id) + (1n << 60n), 'ids stay exact');
  });
  test('addresses above 2^63 stay exact', () => {
    const big = { ...p, locations: p.locations.map((l, i) => ({ ...l, address: 0xffffffffff600000n + BigInt(i) })) };
    const q = decodeProfile(encodeProfile(big));
    assert.equal(q.locations[3].address, 0xffffffffff600003n);
  });
  test('negative values (a diff written by pprof) decode as negative', () => {
    const neg = { ...p, samples: { ...p.samples, values: p.samples.values.map((v) => -v) } };
    const q = decodeProfile(encodeProfile(neg));
    assert.deepEqual(Array.from(q.samples.values), Array.from(p.samples.values, (v) => -v));
  });
  test('all metadata is kept: period, duration, time, comments, mappings', () => {
    assert.ok(p.timeNanos > 1.6e18);
    assert.ok(p.mappings.length >= 1);
    assert.ok(p.mappings[0].hasFunctions);
    const q = decodeProfile(encodeProfile({ ...p, comments: ['first', 'second <b>'] }));
    assert.deepEqual(q.comments, ['first', 'second <b>']);
    assert.equal(q.period, p.period);
    assert.equal(q.durationNanos, p.durationNanos);
  });
});
