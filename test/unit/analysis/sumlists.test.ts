// Sums by key for each of many rows (SumLists: the goroutine collector's blocked time by reason
// and time in ranges, linked entries in typed arrays instead of a Map per goroutine). Fed every
// goroutine's Waiting spans of a replayed trace (blocked time by reason, by a slot in first-met
// order) and its spans' time by state, each row says what a Map per goroutine fed the same says:
// the same sums, keys in the same order (first added). On every committed trace this reader
// replays and the what-if fixtures' many-goroutines shape (rows and entries past the first
// capacity, 256); rows cleared part way start again from nothing, as a new Map would.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { SumLists } from '../../../src/core/analysis/sumlists';
import { replay } from '../../../src/core/runtime/pass';
import { GoState, NONE, memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { manyGTraces, ROOT, tracesUnder } from '../helpers/fixtures';

const FIX = join(ROOT, 'test', 'fixtures');
const STATES = ['undetermined', 'not exist', 'runnable', 'running', 'waiting', 'syscall'];


const files = [...tracesUnder(FIX).filter((f) => statSync(f).size < 8 << 20), ...manyGTraces()];

test('each row of sums by key says what a Map per row fed the same says, in the same order of keys', () => {
  let traces = 0, mostRows = 0, mostEntries = 0, cleared = 0, multi = 0;
  for (const file of files) {
    const raw = readFileSync(file);
    const bytes = new Uint8Array(file.endsWith('.gz') ? gunzipSync(raw) : raw);
    let model;
    try { model = replay(openTrace(memorySource(bytes))); } catch { continue; }
    const t = model.gSpans;
    if (t.count === 0) continue;
    traces++;
    const slotOf = new Map<number, number>();
    const lists = [new SumLists(), new SumLists()];
    const maps: Map<string, number>[][] = [[], []];
    const add = (k: number, s: number, key: string, v: number) => {
      lists[k].add(s, key, v);
      const m = (maps[k][s] ??= new Map());
      m.set(key, (m.get(key) ?? 0) + v);
    };
    let entries = 0;
    for (let i = 0; i < t.count; i++) {
      const id = t.id(i);
      let s = slotOf.get(id);
      if (s === undefined) { s = slotOf.size; slotOf.set(id, s); }
      const len = t.end(i) - t.start(i), st = t.state(i);
      // Halfway through the table, every third row starts again (as the collector's row of an id seen anew).
      if (i === t.count >> 1) {
        for (let r = 0; r < slotOf.size; r += 3) { lists[0].clear(r); lists[1].clear(r); maps[0][r] = new Map(); maps[1][r] = new Map(); cleared++; }
      }
      if (st === GoState.Waiting) add(0, s, t.reason(i) === NONE ? '' : model.strings.get(t.reason(i)), len);
      add(1, s, STATES[st] ?? String(st), len);
      entries++;
    }
    mostRows = Math.max(mostRows, slotOf.size);
    mostEntries = Math.max(mostEntries, entries);
    for (let k = 0; k < 2; k++) {
      for (let s = 0; s < slotOf.size; s++) {
        const want = Object.fromEntries(maps[k][s] ?? new Map());
        const got = lists[k].record(s);
        assert.deepEqual(got, want, `${file}: row ${s}`);
        assert.deepEqual(Object.keys(got), Object.keys(want), `${file}: row ${s}'s keys in the order first added`);
        const seen: [string, number][] = [];
        lists[k].forEach(s, (key, v) => seen.push([key, v]));
        assert.deepEqual(seen, Object.entries(want));
        assert.equal(lists[k].has(s), Object.keys(want).length > 0);
        if (Object.keys(want).length > 1) multi++;
      }
      // A row never added to has nothing.
      assert.deepEqual(lists[k].record(slotOf.size + 1000), {});
    }
  }
  assert.ok(traces >= 30, `${traces} traces`);
  assert.ok(mostRows > 256 && mostEntries > 256, `at most ${mostRows} rows, ${mostEntries} entries in a trace`);
  assert.ok(cleared > 0 && multi > 0, `${cleared} rows cleared, ${multi} rows with several keys`);
});
