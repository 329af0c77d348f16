// Span tables start small and grow: every span pushed reads back as pushed, across the
// first chunk's doublings and into later chunks, with and without a goroutine column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanTable } from '../../../src/core/runtime/spans';

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
