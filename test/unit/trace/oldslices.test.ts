// A long old-format trace is handed out in slices (bounded memory): every committed
// old-format trace read a few events at a time yields exactly the events, the summary and
// the replayed model it yields read whole, as one generation. The parser's columns are
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
function readAll(bytes: Uint8Array, sliceEvents: number): { cols: Record<string, number[]>; more: boolean[] } {
  const reader = openTrace(memorySource(bytes), { sliceEvents });
  const cols: Record<string, number[]> = Object.fromEntries(COLUMNS.map((c) => [c, []]));
  const more: boolean[] = [];
  for (let ev: EventColumns | undefined; (ev = reader.next());) {
    for (const c of COLUMNS) cols[c].push(...ev[c]);
    more.push(ev.more === true);
  }
  return { cols, more };
}

const dirs = [join(ROOT, 'test', 'fixtures', 'trace', 'go1.19'), join(ROOT, 'test', 'fixtures', 'trace', 'go1.21')];
const traces = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.trace')).map((f) => join(d, f)));

describe('old-format traces read in slices = read whole', () => {
  test('there are old-format traces to compare', () => assert.ok(traces.length >= 8, `${traces.length}`));
  for (const path of traces) {
    const name = path.slice(ROOT.length + 1);
    const bytes = new Uint8Array(readFileSync(path));
    test(`${name}: the first pass counts exactly the rows the parser makes`, () => {
      const minor = Number(/^go 1\.(\d+)/.exec(Buffer.from(bytes.subarray(0, 16)).toString('latin1'))![1]);
      assert.equal(countOldRows(bytes), parseOldTrace(bytes, minor).events.count);
    });
    test(`${name}: the same events, the last slice alone without more`, () => {
      const whole = readAll(bytes, 1 << 30);
      assert.deepEqual(whole.more, [false]);
      const sliced = readAll(bytes, 97);
      assert.ok(sliced.more.length > 2, `${sliced.more.length} slices`);
      assert.deepEqual(sliced.more, [...sliced.more.slice(0, -1).map(() => true), false]);
      for (const c of COLUMNS) assert.deepEqual(sliced.cols[c], whole.cols[c], c);
    });
    test(`${name}: the same summary (one generation) and model`, () => {
      const run = (sliceEvents: number) => runPass(openTrace(memorySource(bytes), { sliceEvents }), { summary: summaryCollector, model: modelCollector });
      const whole = run(1 << 30), sliced = run(13);
      assert.equal(whole.summary.generations, 1);
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
