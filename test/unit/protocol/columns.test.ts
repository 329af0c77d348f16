// The one column codec: what the server encodes for the LSP pipe, the extension host decodes
// into the same numbers for the webview — a real profile's view and a real trace's tiles.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { profileView } from '../../../src/core/pprof/view';
import { counterColumns, fromBase64, tileColumns, toArrayBuffer, toBase64, viewColumns } from '../../../src/protocol/columns';
import type { ViewQuery } from '../../../src/protocol/profile';
import { ProfileStore } from '../../../src/server/profiles';
import { TraceStore } from '../../../src/server/traces';
import { fixture, PPROF_DIR, ROOT, toolchainDirs } from '../helpers/fixtures';

const NEW = toolchainDirs().at(-1)!;
const query: ViewQuery = { sampleIndex: 1, granularity: 'functions', filters: {}, topLimit: 10, minFraction: 0 };

describe('column codec', () => {
  test('a subarray column round-trips (its offset into a bigger buffer is kept out)', () => {
    const whole = new Float64Array([1, 2.5, -3, 4e300, 5]);
    const part = whole.subarray(1, 4);
    assert.deepEqual([...new Float64Array(toArrayBuffer(toBase64(part)))], [2.5, -3, 4e300]);
    assert.deepEqual([...fromBase64(toBase64(new Uint8Array([0, 255, 7])))], [0, 255, 7]);
  });

  test("the server's profile view decodes to core's columns of the same view", async () => {
    const bytes = fixture(NEW, 'cpu.pprof');
    const store = new ProfileStore();
    const open = await store.openProfile({ uri: pathToFileURL(join(PPROF_DIR, NEW, 'cpu.pprof')).toString() });
    assert.ok(open.ok);
    const res = store.view({ id: open.summary.id, query });
    assert.ok(res.ok);
    const got = viewColumns(res.view, toArrayBuffer).tree;
    const want = profileView(decodeProfile(bytes), query).tree;
    assert.ok(want.parent.length > 10);
    assert.deepEqual([...new Int32Array(got.parent)], [...want.parent]);
    assert.deepEqual([...new Int32Array(got.frame)], [...want.frame]);
    assert.deepEqual([...new Int32Array(got.line)], [...want.line]);
    assert.deepEqual([...new Float64Array(got.total)], [...want.total]);
    assert.deepEqual([...new Float64Array(got.self)], [...want.self]);
  });

  test("a trace's tiles and counters keep their columns, and only those their mode has", async () => {
    const store = new TraceStore();
    const uri = pathToFileURL(join(ROOT, 'test', 'fixtures', 'trace', NEW, 'trace-leak.trace')).toString();
    const open = await store.openTrace({ uri }, () => {});
    assert.ok(open.ok, JSON.stringify(open));
    const s = open.summary;
    const lanes = [{ kind: 'proc', id: s.procs[0] }] as const;
    for (const pixels of [4, 100000]) {
      const res = store.tiles({ id: s.id, query: { t0: 0, t1: s.durationNs, pixels, lanes: [...lanes], colorBy: 'goroutine', counters: true } });
      assert.ok(res.ok);
      const tile = tileColumns(res.tiles[0], toArrayBuffer);
      const b64 = res.tiles[0];
      for (const k of ['start', 'end', 'key', 'state', 'ref', 'name', 'busy'] as const) {
        assert.equal(tile[k] === undefined, b64[k] === undefined, k);
        if (b64[k] !== undefined) assert.equal(tile[k]!.byteLength, fromBase64(b64[k]!).byteLength, k);
      }
      assert.ok(tile.mode === 'spans' ? tile.start && !tile.busy : tile.busy && !tile.start);
      const counters = counterColumns(res.counters!, toArrayBuffer);
      assert.ok(counters.heap.byteLength > 0);
      assert.equal(counters.heap.byteLength, fromBase64(res.counters!.heap).byteLength);
    }
  });
});
