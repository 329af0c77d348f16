// A column grown in blocks gives back every value pushed, in order, in an array of exactly
// their number: across the first block's doublings, into later blocks, and after pops.
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
