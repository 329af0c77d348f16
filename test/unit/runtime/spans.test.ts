// Span tables start small and grow: every span pushed reads back as pushed, across the
// first chunk's doublings and into later chunks, with and without a goroutine column, through
// the accessors and a chunk's columns read in place.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LONG_SPAN, SpanTable } from '../../../src/core/runtime/spans';

for (const withG of [true, false]) {
  test(`${withG ? 'with' : 'without'} goroutines: 150000 spans read back as pushed`, () => {
    const t = new SpanTable({ withG });
    const n = 150_000; // past the first chunk (2^16) and into a third
    for (let i = 0; i < n; i++) t.push(i * 3, i * 10, i * 10 + 7, i % 6, i % 5, 2 ** 40 + i, i + 0.5, i % 1000, -1 - (i % 3));
    assert.equal(t.count, n);
    for (const i of [0, 255, 256, 257, 511, 512, 4095, 65535, 65536, 65537, 131072, n - 1]) {
      const got = [t.id(i), t.start(i), t.end(i), t.state(i), t.p(i), t.m(i), t.g(i), t.reason(i), t.stack(i)];
      assert.deepEqual(got, [i * 3, i * 10, i * 10 + 7, i % 6, i % 5, 2 ** 40 + i, withG ? i + 0.5 : -1, i % 1000, -1 - (i % 3)], `span ${i}`);
    }
    const end = t.column('end');
    for (let i = 0; i < n; i++) if (end[i] !== i * 10 + 7) assert.fail(`end of span ${i}: ${end[i]}`);
  });
}

test('values that need a wider column read back exactly, in the chunk that holds them and after', () => {
  const t = new SpanTable({ withG: true });
  const n = 140_000;
  // [id, start, end, state, p, m, g, reason, stack] for span i: mostly small, with awkward values here and there.
  const row = (i: number): number[] => {
    const r = [i % 50, i * 1000 - 500, i * 1000, i % 6, i % 4, 20_000 + (i % 7), -1, i % 30, i % 100];
    if (i === 300) r[0] = 2 ** 31; // an id past 32 bits
    if (i === 301) r[5] = 2 ** 53 - 1; // a thread id as big as a double holds exactly
    if (i === 302) r[6] = NaN;
    if (i === 303) r[3] = 300; // a range name's string id in the state column
    if (i === 70_000) { r[1] = -0; r[2] = -0; } // -0 stays -0
    if (i === 70_001) r[1] = r[2] - 2 ** 32; // a span longer than 32 bits of ns
    if (i === 70_002) r[1] = r[2] - 0xffffffff; // exactly the longest 32-bit length
    if (i === 70_003) r[2] = r[1] + 0.25; // a fractional end: the chunk keeps its ends as doubles
    if (i === 100_000) r[2] = r[1] = 1e300; // far past the chunk's first end
    if (i === 100_001) { r[1] = 5; r[2] = 7; } // an end before the chunk's first
    if (i === 100_002) { r[1] = -Infinity; r[2] = Infinity; }
    return r;
  };
  for (let i = 0; i < n; i++) { const [id, s, e, st, p, m, g, reason, stack] = row(i); t.push(id, s, e, st, p, m, g, reason, stack); }
  for (let i = 0; i < n; i++) {
    const want = row(i);
    const got = [t.id(i), t.start(i), t.end(i), t.state(i), t.p(i), t.m(i), t.g(i), t.reason(i), t.stack(i)];
    for (let k = 0; k < want.length; k++) if (!Object.is(got[k], want[k])) assert.fail(`span ${i} column ${k}: ${got[k]}, pushed ${want[k]}`);
  }
  // Read in place, a chunk's columns at a time, every value is the accessors' (a long span's start through start()).
  let chunks = 0, long = 0;
  for (let i = 0; i < n; chunks++) {
    const c = t.columnsAt(i);
    assert.equal(c.from, i, 'a chunk starts where the last ended');
    for (let j = 0; j < c.n; j++, i++) {
      const end = c.endBase + c.ends[j], len = c.lengths[j];
      if (len === LONG_SPAN) long++;
      const got = [c.id[j], len === LONG_SPAN ? t.start(i) : end - len, end, c.state[j], c.p[j], c.m[j]];
      const want = [t.id(i), t.start(i), t.end(i), t.state(i), t.p(i), t.m(i)];
      for (let k = 0; k < want.length; k++) if (!Object.is(got[k], want[k])) assert.fail(`span ${i} column ${k} in place: ${got[k]}, accessor ${want[k]}`);
    }
  }
  assert.equal(chunks, 3);
  assert.ok(long >= 2, 'spans whose length does not say their start');
});

test('spans with small ids and nearby times take a fraction of 56 bytes each', () => {
  const t = new SpanTable({ withG: true });
  const n = 1 << 18; // four full chunks
  for (let i = 0; i < n; i++) t.push(i % 40, i * 300 - 250, i * 300, 2 + (i % 3), i % 8, 20_000 + (i % 9), i % 40, i % 20, i % 120);
  // id, state, p, reason, stack and g in a byte each; m in two; end and length in four each.
  assert.equal(t.bytes, n * (6 + 2 + 8));
  assert.equal(t.start(n - 1), (n - 1) * 300 - 250);
});
