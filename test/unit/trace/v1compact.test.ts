// The old-format reader's compact rows (issue 12, old traces in bounded memory): event
// offsets found again by skipping through a batch point at the event itself; 4-byte
// columns keep values beyond 32 bits exactly; the syscall-exit re-sort, done in place,
// equals a full stable sort by time.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stableSortByTime } from '../../../src/core/trace/v1/order';
import { parseOldTrace } from '../../../src/core/trace/v1/parser';
import { U32Column } from '../../../src/core/trace/v1/raw';
import { ROOT } from '../helpers/fixtures';

const dirs = ['go1.19', 'go1.21'].map((v) => join(ROOT, 'test', 'fixtures', 'trace', v));
const traces = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.trace')).map((f) => join(d, f)));

describe('old-format row offsets, found again from the batch', () => {
  test('there are old traces to check', () => assert.ok(traces.length >= 8, `${traces.length}`));
  for (const path of traces) {
    test(path.slice(ROOT.length + 1), () => {
      const bytes = new Uint8Array(readFileSync(path));
      const minor = Number(/^go 1\.(\d+) trace/.exec(Buffer.from(bytes.subarray(0, 16)).toString('latin1'))![1]);
      const t = parseOldTrace(bytes, minor);
      let rows = 0;
      for (const pb of t.procs) {
        for (let b = 0; b < pb.starts.length; b++) {
          let last = pb.at.length ? pb.at[b] : 0;
          for (let e = pb.starts[b]; e < pb.ends[b]; e++) {
            const off = t.offsetOf(e);
            assert.ok(off > last, `row ${e} at ${off}, after ${last}`);
            assert.equal(bytes[off] & 0x3f, t.events.type[e], `row ${e}: the byte at ${off} is its event`);
            last = off;
            rows++;
          }
        }
      }
      assert.equal(rows, t.events.count);
    });
  }
});

test('U32Column keeps values that do not fit 32 bits exactly', () => {
  const c = new U32Column(8);
  const values = [0, 1, 0xfffffffe, 0xffffffff, 2 ** 32, 2 ** 53 - 1, 123.5, 7];
  values.forEach((v, i) => c.set(i, v));
  assert.deepEqual(values.map((_, i) => c.get(i)), values);
  c.set(3, 5); // a row set again narrower
  assert.equal(c.get(3), 5);
  c.grow(16);
  assert.deepEqual([0, 1, 2, 4, 5, 6, 7].map((i) => c.get(i)), [0, 1, 0xfffffffe, 2 ** 32, 2 ** 53 - 1, 123.5, 7]);
});

test('the syscall-exit re-sort equals a full stable sort by time', () => {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(rand() * 60);
    // Event ids in stream order (any permutation), their times sorted along the stream with ties.
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    const ts = new Float64Array(n);
    for (let k = 0, t = 0; k < n; k++) ts[order[k]] = t += Math.floor(rand() * 3);
    for (let k = 0; k < n / 8; k++) { const e = Math.floor(rand() * n); ts[e] = Math.max(0, ts[e] - Math.floor(rand() * 20)); } // a few move earlier
    const want = [...order].sort((x, y) => ts[x] - ts[y]);
    stableSortByTime(ts, order);
    assert.deepEqual([...order], want, `round ${round}`);
  }
});
