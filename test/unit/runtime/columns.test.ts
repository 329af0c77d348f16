// A column grown in blocks gives back every value pushed, in order, in an array of exactly
// their number: across the first block's doublings, into later blocks, and after pops; and says
// whether they are in ascending order; any range of them copied out (slice).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F64Column } from '../../../src/core/runtime/columns';

test('200000 values across blocks read back as pushed, and values() is exact', () => {
  const c = new F64Column(4);
  const n = 200_000; // the first block doubles from 4 to 2^16, then two more blocks and a part
  for (let i = 0; i < n; i++) c.push(i * 1.5 - 7);
  assert.equal(c.count, n);
  for (const i of [0, 3, 4, 5, 65535, 65536, 131071, 131072, n - 1]) assert.equal(c.get(i), i * 1.5 - 7);
  c.set(65536, -0);
  c.pop();
  c.push(42);
  const v = c.values();
  assert.equal(v.length, n);
  assert.ok(Object.is(v[65536], -0));
  assert.equal(v[n - 1], 42);
  for (let i = 0; i < n - 1; i++) if (i !== 65536 && v[i] !== i * 1.5 - 7) assert.fail(`value ${i}: ${v[i]}`);
  assert.equal(new F64Column().values().length, 0);
});

test('inOrder: ascending as pushed across blocks, as the native sort orders them (no NaN, no -0)', () => {
  const c = new F64Column(4);
  for (let i = 0; i < 150_000; i++) c.push(Math.floor(i / 3));
  assert.equal(c.inOrder(), true);
  assert.equal(new F64Column().inOrder(), true);
  c.set(140_000, c.get(140_000) - 1); // one step back, in the third block
  assert.equal(c.inOrder(), false);
  c.set(140_000, c.get(140_000) + 1);
  assert.equal(c.inOrder(), true);
  const z = new F64Column();
  z.push(0); z.push(-0);
  assert.equal(z.inOrder(), false, '-0 sorts before 0');
  const nan = new F64Column();
  nan.push(1); nan.push(NaN);
  assert.equal(nan.inOrder(), false);
  // Values past the count (popped) do not count.
  const p = new F64Column();
  p.push(1); p.push(2); p.push(0); p.pop();
  assert.equal(p.inOrder(), true);
});

test('slice: the values of any range, within a block, across blocks, empty, and while the first block still doubles', () => {
  const c = new F64Column(4);
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    c.push(i * 2.5 + 1);
    // Sliced while still small: the first block is then a part of its final size.
    if (i === 6) assert.deepEqual([...c.slice(2)], [6, 8.5, 11, 13.5, 16]);
  }
  c.set(70_000, -0);
  const all = c.values();
  for (const [from, to] of [[0, n], [0, 0], [5, 5], [3, 9], [65_530, 65_540], [65_536, 131_072], [1, n - 1], [131_071, n], [65_535, 196_609]]) {
    const got = c.slice(from, to);
    assert.equal(got.length, to - from, `[${from}, ${to})`);
    for (let i = from; i < to; i++) if (!Object.is(got[i - from], all[i])) assert.fail(`[${from}, ${to}) at ${i}: ${got[i - from]}, pushed ${all[i]}`);
  }
  assert.ok(Object.is(c.slice(70_000, 70_001)[0], -0));
  assert.equal(c.slice(n - 3).length, 3, 'to the count by default');
});
