// The decoder's id map (goroutine, proc and thread ids to their states) answers as a Map does,
// across its parts: the near pages (ids under 2^20, made up to the largest id set), the far
// pages (to 2^31) and the Map for the rest (negative ids, larger ones, ids that wrap in 32 bits).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IdMap } from '../../../src/core/trace/v2/idmap';

/** Ids on each side of every boundary the map has. */
const EDGES = [
  0, 1, 4095, 4096, 4097, 8191, 8192, 585_617, 2 ** 20 - 4097, 2 ** 20 - 1, 2 ** 20, 2 ** 20 + 1,
  2 ** 20 + 4096, 2 ** 24, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40, 2 ** 53 - 1,
  -1, -4096, -(2 ** 31),
];

/** A deterministic shuffle (xorshift), so a failure repeats. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let r = seed;
  for (let i = out.length - 1; i > 0; i--) {
    r ^= r << 13; r ^= r >>> 17; r ^= r << 5;
    const j = (r >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function check(m: IdMap<{ id: number }>, ref: Map<number, { id: number }>, ids: number[], what: string): void {
  for (const id of ids) {
    assert.equal(m.get(id), ref.get(id), `${what}: get(${id})`);
    assert.equal(m.has(id), ref.has(id), `${what}: has(${id})`);
  }
}

describe('the decoder id map', () => {
  test('sets, gets and deletes as a Map on both sides of every boundary, in any order', () => {
    // The edges, their neighbours, and a run of dense counters as the runtime hands out.
    const ids = [...new Set([...EDGES.flatMap((e) => [e - 1, e, e + 1]), ...Array.from({ length: 20_000 }, (_, i) => i * 3)])];
    for (const seed of [1, 7, 12345]) {
      const m = new IdMap<{ id: number }>();
      const ref = new Map<number, { id: number }>();
      const order = shuffled(ids, seed);
      // Nothing is there before it is set, wherever it would go.
      check(m, ref, order, `seed ${seed}, empty`);
      for (const [k, id] of order.entries()) {
        const v = { id };
        m.set(id, v);
        ref.set(id, v);
        // Set again with a new value: replaced, not added beside.
        if (k % 5 === 0) {
          const w = { id };
          m.set(id, w);
          ref.set(id, w);
        }
      }
      check(m, ref, order, `seed ${seed}, all set`);
      // Ids never set, next to ones that were, stay absent (-2 and 2^32 + 4 among them).
      check(m, ref, [-2, 2 ** 32 + 4, 2 ** 20 + 8191, 2 ** 31 + 1, 1_000_001], `seed ${seed}, unset`);
      // Delete every other one; the rest are untouched, and deleted ones can be set again.
      for (const [k, id] of order.entries()) if (k % 2 === 0) { m.delete(id); ref.delete(id); }
      check(m, ref, order, `seed ${seed}, half deleted`);
      for (const [k, id] of order.entries()) if (k % 4 === 0) { const v = { id }; m.set(id, v); ref.set(id, v); }
      check(m, ref, order, `seed ${seed}, some set again`);
      // Deleting an id never set is harmless, in each part of the map.
      for (const id of [2 ** 20 - 3, 2 ** 20 + 12_289, 2 ** 35, -3]) {
        assert.equal(ref.has(id), false, `${id} is not among the ids`);
        m.delete(id);
      }
      check(m, ref, order, `seed ${seed}, after deleting absent ids`);
    }
  });

  test('an id set past the near pages does not show up at the id 2^32 below or above it', () => {
    const m = new IdMap<string>();
    m.set(5, 'five');
    assert.equal(m.get(2 ** 32 + 5), undefined);
    assert.equal(m.get(5 - 2 ** 32), undefined);
    m.set(2 ** 32 + 5, 'far');
    assert.equal(m.get(5), 'five');
    assert.equal(m.get(2 ** 32 + 5), 'far');
  });
});
