// SlotRows keeps one row per goroutine in pages: the first grows from small, the others are made
// full (4096 rows) and never move. The committed traces have at most ~1,300 goroutines, so the
// scans' own test (scanrows.test.ts) never leaves the first page; here rows are made past several
// pages, for ids as a server's trace has them (rising with gaps, from 1), for ids the slot index
// keeps apart (past 2^31, not integers, negative) and for ids spread wider than its pages may
// cover (a hostile file: at most 64 pages of ids are made), and every row reads back as written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlotRows } from '../../../src/core/analysis/slotrows';

test('rows past several pages read back by slot and by id, for ids near and far', () => {
  const fresh = [0, -1, NaN, 7];
  const rows = new SlotRows(fresh);
  const ids: number[] = [];
  // Goroutine ids as a server's trace has them: rising, with gaps (ids taken by goroutines not seen).
  for (let id = 1; ids.length < 20000; id += 1 + (ids.length % 9)) ids.push(id);
  assert.ok(ids[ids.length - 1] > 2 ** 16, 'ids past the slot index\'s first page');
  ids.push(2 ** 26, 2 ** 26 + 1, 2 ** 31, 2 ** 32 + 5, 2 ** 40, 1.5, -3);
  const slots = ids.map((id) => {
    assert.equal(rows.slot(id), undefined, `id ${id} has no row before add`);
    const s = rows.add(id);
    const d = rows.page(s), o = rows.off(s);
    assert.equal(d[o], id);
    assert.equal(d[o + 1], -1);
    assert.ok(Number.isNaN(d[o + 2]));
    assert.equal(d[o + 3], 7);
    d[o + 1] = s * 3;
    d[o + 2] = id / 2;
    return s;
  });
  assert.equal(rows.n, ids.length);
  assert.deepEqual(slots, ids.map((_, i) => i), 'slots in the order rows were made');
  ids.forEach((id, s) => {
    assert.equal(rows.slot(id), s, `slot of id ${id}`);
    const d = rows.page(s), o = rows.off(s);
    assert.deepEqual([d[o], d[o + 1], d[o + 2], d[o + 3]], [id, s * 3, id / 2, 7], `row ${s}`);
  });
  // Rows of different pages are different memory; rows of one page do not overlap.
  assert.notEqual(rows.page(0), rows.page(4096));
  assert.equal(rows.page(4096), rows.page(8191));
  assert.equal(rows.off(4097) - rows.off(4096), fresh.length);
  for (const id of [0, 2, 2 ** 26 + 2, 2 ** 33, 2.5, -1]) assert.equal(rows.slot(id), undefined, `id ${id} was never added`);
});

test('the first page grows with the rows in it, keeping them', () => {
  const rows = new SlotRows([0, 0], 4);
  for (let id = 1; id <= 5000; id++) {
    const s = rows.add(id);
    rows.page(s)[rows.off(s) + 1] = id * 10;
  }
  for (let s = 0; s < 5000; s++) assert.deepEqual([rows.page(s)[rows.off(s)], rows.page(s)[rows.off(s) + 1]], [s + 1, (s + 1) * 10]);
  assert.equal(rows.page(0).length, 4096 * 2, 'the first page stops growing at 4096 rows');
});

test('ids spread over more pages than the index makes still find their rows', () => {
  const rows = new SlotRows([0, 0]);
  // 200 ids each in a page of ids of its own (64 pages are made; the others go to the Map),
  // then ids next to the first ones (in pages already made) and next to the last (in the Map).
  const ids = [...Array.from({ length: 200 }, (_, i) => i * 2 ** 16 + 7), ...Array.from({ length: 200 }, (_, i) => i * 2 ** 16 + 8)];
  ids.forEach((id, s) => { assert.equal(rows.add(id), s); rows.page(s)[rows.off(s) + 1] = -id; });
  ids.forEach((id, s) => {
    assert.equal(rows.slot(id), s, `slot of id ${id}`);
    assert.equal(rows.page(s)[rows.off(s) + 1], -id);
  });
  for (const id of [9, 199 * 2 ** 16 + 9, 250 * 2 ** 16]) assert.equal(rows.slot(id), undefined, `id ${id} was never added`);
});

test('keep: each row\'s first fields, over full pages and a partial last one; rows cannot be added after', () => {
  const rows = new SlotRows([0, 0, 0, 0]);
  const n = 2 * 4096 + 123;
  for (let s = 0; s < n; s++) {
    rows.add(1000 + s);
    const d = rows.page(s), o = rows.off(s);
    d[o + 1] = s * 2; d[o + 2] = s * 3; d[o + 3] = s * 5;
  }
  const kept = rows.keep(3);
  assert.equal(rows.n, n);
  for (let s = 0; s < n; s++) assert.deepEqual([kept.get(s, 0), kept.get(s, 1), kept.get(s, 2)], [1000 + s, s * 2, s * 3], `kept row ${s}`);
  assert.throws(() => rows.add(5), /after keep/);
});
