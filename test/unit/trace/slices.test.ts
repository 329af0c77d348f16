// Large generations, and a long old-format trace (one generation), are handed out in slices
// (bounded memory): every committed trace of either format read a few events at a time
// yields exactly the events, the summary and the replayed model it yields read whole, each
// generation counted once. The parser's columns are
// sized by a first pass that counts its rows exactly.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { modelCollector, runPass, summaryCollector } from '../../../src/core/runtime/pass';
import { memorySource, type EventColumns } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { countOldRows } from '../../../src/core/trace/v1/count';
import { parseOldTrace } from '../../../src/core/trace/v1/parser';
import { ROOT } from '../helpers/fixtures';

const COLUMNS = ['kind', 'time', 'g', 'p', 'm', 'stack', 'r', 'a', 'b', 'c', 's1', 's2', 'stack2'] as const;

/** Every column of every slice, concatenated, and the `more` flag of each slice. */
function readAll(bytes: Uint8Array, sliceEvents: number, firstSliceEvents?: number): { cols: Record<string, number[]>; more: boolean[]; counts: number[] } {
  const reader = openTrace(memorySource(bytes), { sliceEvents, firstSliceEvents });
  const cols: Record<string, number[]> = Object.fromEntries(COLUMNS.map((c) => [c, []]));
  const more: boolean[] = [];
  const counts: number[] = [];
  for (let ev: EventColumns | undefined; (ev = reader.next());) {
    for (const c of COLUMNS) cols[c].push(...ev[c]);
    more.push(ev.more === true);
    counts.push(ev.count);
  }
  return { cols, more, counts };
}

const OLD = ['go1.19', 'go1.21'];
const dirs = [...OLD, 'go1.22', 'go1.23', 'go1.25', 'go1.26', 'go1.27'].map((v) => join(ROOT, 'test', 'fixtures', 'trace', v));
const traces = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.trace')).map((f) => join(d, f)));
const isOld = (path: string) => OLD.some((v) => path.includes(`/${v}/`));

describe('traces read in slices = read whole', () => {
  test('there are traces of both formats to compare', () => assert.ok(traces.filter(isOld).length >= 8 && traces.filter((t) => !isOld(t)).length >= 20, `${traces.length}`));
  for (const path of traces) {
    const name = path.slice(ROOT.length + 1);
    const bytes = new Uint8Array(readFileSync(path));
    if (isOld(path)) test(`${name}: the first pass counts exactly the rows the parser makes`, () => {
      const minor = Number(/^go 1\.(\d+)/.exec(Buffer.from(bytes.subarray(0, 16)).toString('latin1'))![1]);
      assert.equal(countOldRows(bytes), parseOldTrace(bytes, minor).events.count);
    });
    test(`${name}: the same events, each generation's last slice alone without more`, () => {
      const whole = readAll(bytes, 1 << 30);
      assert.ok(whole.more.every((m) => !m));
      const sliced = readAll(bytes, 97);
      assert.ok(sliced.more.length > whole.more.length + 1, `${sliced.more.length} slices`);
      assert.equal(sliced.more.filter((m) => !m).length, whole.more.length, 'generations');
      assert.equal(sliced.more.at(-1), false);
      for (const c of COLUMNS) assert.deepEqual(sliced.cols[c], whole.cols[c], c);
    });
    if (!isOld(path)) test(`${name}: a short first slice (a progressive open's first paint), then whole generations: the same events`, () => {
      const whole = readAll(bytes, 1 << 30);
      const first = readAll(bytes, 1 << 30, 7);
      assert.equal(first.counts[0], 7, 'the first slice');
      assert.ok(first.more[0], 'the first generation goes on');
      // After the first slice, slices are whole generations again.
      assert.deepEqual(first.more.slice(1), whole.more);
      for (const c of COLUMNS) assert.deepEqual(first.cols[c], whole.cols[c], c);
    });
    test(`${name}: the same summary and model`, () => {
      const run = (sliceEvents: number) => runPass(openTrace(memorySource(bytes), { sliceEvents }), { summary: summaryCollector, model: modelCollector });
      const whole = run(1 << 30), sliced = run(13);
      if (isOld(path)) assert.equal(whole.summary.generations, 1);
      assert.deepEqual(sliced.summary, whole.summary);
      assert.equal(sliced.end, whole.end);
      assert.equal(sliced.model.gSpans.count, whole.model.gSpans.count);
      for (const c of ['id', 'start', 'end', 'state', 'p', 'reason', 'stack'] as const) {
        assert.deepEqual(sliced.model.gSpans.column(c), whole.model.gSpans.column(c), c);
      }
      assert.deepEqual([...sliced.model.goroutines.keys()], [...whole.model.goroutines.keys()]);
    });
  }
});
