// Batch data is copied into recycled memory and the file is read into one reused buffer:
// a generation's bytes stay intact until it is released, released memory is what the next
// generation gets, and every committed new-format trace read that way (through the file,
// small chunks, so the buffer is refilled often) yields exactly what it yields from memory.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileSource } from '../../../src/core/io/file';
import { memorySource, type EventColumns, type TraceReader } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { BatchArenas } from '../../../src/core/trace/v2/arena';
import { ROOT } from '../helpers/fixtures';

const COLUMNS = ['kind', 'time', 'g', 'p', 'm', 'stack', 'r', 'a', 'b', 'c', 's1', 's2', 'stack2'] as const;

/** Every column of every slice concatenated, with the trace's strings for the string ids. */
function readAll(reader: TraceReader): { cols: Record<string, number[]>; strings: string[]; more: boolean[] } {
  const cols: Record<string, number[]> = Object.fromEntries(COLUMNS.map((c) => [c, []]));
  const more: boolean[] = [];
  for (let ev: EventColumns | undefined; (ev = reader.next());) {
    for (const c of COLUMNS) for (const v of ev[c]) cols[c].push(v);
    more.push(ev.more === true);
  }
  return { cols, strings: reader.strings.values, more };
}

describe('batch arenas', () => {
  test('a generation keeps its bytes until released; then the next one reuses its memory', () => {
    const arenas = new BatchArenas();
    const a = arenas.alloc(1, 1000);
    a.fill(7);
    // Generation 2 (read ahead of 1's use) and a batch larger than a block get memory of their own.
    const b = arenas.alloc(2, 1000);
    b.fill(9);
    const big = arenas.alloc(2, 3 << 20);
    big.fill(5);
    assert.ok(a.every((x) => x === 7) && b.every((x) => x === 9));
    assert.notEqual(a.buffer, b.buffer);
    arenas.release(1);
    const c = arenas.alloc(3, 1000);
    assert.equal(c.buffer, a.buffer, 'generation 3 gets generation 1\'s block');
    c.fill(1);
    assert.ok(b.every((x) => x === 9) && big.every((x) => x === 5), 'generation 2 untouched');
    assert.equal(arenas.alloc(4, 0).length, 0);
  });

  test('blocks are no larger than the source: a small trace reserves what it holds', () => {
    const small = new BatchArenas(10_000);
    const a = small.alloc(1, 600);
    assert.equal(a.buffer.byteLength, 10_000);
    // The next batch of the generation shares the block; one larger than the block gets its own.
    assert.equal(small.alloc(1, 400).buffer, a.buffer);
    const big = small.alloc(1, 20_000);
    assert.equal(big.buffer.byteLength, 20_000);
    // A released block of that size serves the next generation; a tiny source still gets 4 KiB blocks.
    small.release(1);
    assert.equal(small.alloc(2, 100).buffer, a.buffer);
    assert.equal(new BatchArenas(100).alloc(1, 10).buffer.byteLength, 4096);
    // A source of 1 MiB or more (or of unknown size): 1 MiB blocks, as before.
    assert.equal(new BatchArenas(50 << 20).alloc(1, 10).buffer.byteLength, 1 << 20);
    assert.equal(new BatchArenas().alloc(1, 10).buffer.byteLength, 1 << 20);
  });
});

describe('new-format traces read through a reused buffer = read from memory', () => {
  const dirs = ['go1.22', 'go1.23', 'go1.25', 'go1.26', 'go1.27'].map((v) => join(ROOT, 'test', 'fixtures', 'trace', v));
  const traces = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.trace')).map((f) => join(d, f)));
  test('there are traces to compare', () => assert.ok(traces.length >= 20, `${traces.length}`));
  for (const path of traces) {
    test(path.slice(ROOT.length + 1), () => {
      const bytes = new Uint8Array(readFileSync(path));
      let whole;
      try {
        whole = readAll(openTrace(memorySource(bytes)));
      } catch {
        return; // a damaged fixture: corrupt.test.ts covers its error
      }
      const file = fileSource(path);
      try {
        assert.ok(file.readInto, 'the file source reads into a buffer');
        const streamed = readAll(openTrace(file, { chunkSize: 4096, sliceEvents: 5000 }));
        assert.deepEqual(streamed.strings, whole.strings);
        for (const c of COLUMNS) assert.deepEqual(streamed.cols[c], whole.cols[c], c);
        assert.equal(streamed.more.filter((m) => !m).length, whole.more.filter((m) => !m).length, 'generations');
      } finally {
        file.close();
      }
    });
  }
});
