// From a file, a new-format trace's event batches stay in the file until their thread's
// cursor reads them (batches.ts). What that must not change: a trace cut inside a batch
// fails with the same error as from memory, and a file that shrinks while it is read is
// one FormatError, never stale bytes decoded as events. (That every committed trace reads
// the same through a file as from memory is arena.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FormatError } from '../../../src/core/errors';
import { fileSource } from '../../../src/core/io/file';
import { copyColumns, memorySource, type ByteSource, type EventColumns, type TraceReader } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { BatchReader } from '../../../src/core/trace/v2/batches';
import { ROOT } from '../helpers/fixtures';
import { E, NO_THREAD, TraceWriter, ev } from '../helpers/tracegen';

/** A real go 1.25 trace whose threads have several event batches each (see test/fixtures/wild). */
const TRACE = join(ROOT, 'test', 'fixtures', 'wild', 'traces', 'traceutils', '1.25__test-encoding-json.trace');
const dir = mkdtempSync(join(tmpdir(), 'golens-lazy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every slice's columns, or the error the reader stopped with. */
function readAll(r: () => TraceReader): { slices: EventColumns[]; error?: string } {
  const slices: EventColumns[] = [];
  try {
    const reader = r();
    for (let ev = reader.next(); ev; ev = reader.next()) slices.push(copyColumns(ev));
    return { slices };
  } catch (e) {
    assert.ok(e instanceof FormatError, (e as Error)?.stack);
    return { slices, error: `${e.message} @${e.offset}` };
  }
}

describe('lazy event batches', () => {
  const bytes = new Uint8Array(readFileSync(TRACE));

  test('a file source leaves event batches unread, and reads them back byte for byte', () => {
    const path = join(dir, 'whole.trace');
    writeFileSync(path, bytes);
    const src = fileSource(path);
    try {
      const r = new BatchReader(src, 16);
      let lazy = 0;
      for (let b = r.next(); b; b = r.next()) {
        if (!b.lazy) continue;
        lazy++;
        assert.equal(b.data.length, 0);
        const data = r.dataOf(b, new Uint8Array(b.size));
        assert.deepEqual(data, bytes.subarray(b.offset, b.offset + b.size));
        assert.equal(data[0], b.first);
      }
      assert.ok(lazy >= 10, `${lazy} lazy batches`);
    } finally {
      src.close();
    }
  });

  test('every byte of the file is read once: the scan reads headers, the cursors the rest', () => {
    const src = fileSource(TRACE);
    const ranges: [number, number][] = [];
    const counted: ByteSource = {
      size: src.size,
      read: (offset, length) => { const b = src.read(offset, length); ranges.push([offset, offset + b.length]); return b; },
      readInto: (offset, into) => { const n = src.readInto!(offset, into); ranges.push([offset, offset + n]); return n; },
    };
    try {
      // The scan alone (no cursor): headers and the tables' batches, a small part of the file.
      const r = new BatchReader(counted, 16);
      let lazyBytes = 0;
      for (let b = r.next(); b; b = r.next()) if (b.lazy) lazyBytes += b.size - b.head.length;
      const scanned = ranges.reduce((n, [a, b]) => n + b - a, 0);
      assert.ok(lazyBytes > bytes.length / 4, `${lazyBytes} bytes left in the file`); // the rest: strings and stacks
      assert.equal(scanned + lazyBytes, bytes.length - 16, 'the scan reads all but the lazy batches, once');
      // The whole decode: the ranges read tile the file, no byte twice, none left out.
      ranges.length = 0;
      const whole = readAll(() => openTrace(counted, { sliceEvents: 700 }));
      assert.equal(whole.error, undefined);
      assert.deepEqual(whole.slices, readAll(() => openTrace(memorySource(bytes), { sliceEvents: 700 })).slices);
      ranges.sort((x, y) => x[0] - y[0]);
      let end = 0;
      for (const [a, b] of ranges) {
        if (a === b) continue;
        assert.equal(a, end, `bytes ${a}..${b} read after ${end}`);
        end = b;
      }
      assert.equal(end, bytes.length);
    } finally {
      src.close();
    }
  });

  test('cut anywhere: the same events and the same error as from memory', () => {
    let cuts = 0;
    for (let at = 17; at < bytes.length; at += Math.max(1, Math.floor(bytes.length / 61))) {
      const cut = bytes.subarray(0, at);
      const path = join(dir, `cut-${at}.trace`);
      writeFileSync(path, cut);
      const src = fileSource(path);
      try {
        const fromFile = readAll(() => openTrace(src, { sliceEvents: 700 }));
        const fromMemory = readAll(() => openTrace(memorySource(cut), { sliceEvents: 700 }));
        assert.equal(fromFile.error, fromMemory.error, `cut at ${at}`);
        assert.deepEqual(fromFile.slices, fromMemory.slices, `cut at ${at}`);
      } finally {
        src.close();
      }
      cuts++;
    }
    assert.ok(cuts >= 60);
  });

  test('a file cut short while it is read is a FormatError, not stale bytes', () => {
    // One generation, one thread, five batches: the later ones are read as the first is ordered.
    const w = new TraceWriter(23);
    w.sync(1, 1_000_000);
    w.strings(1, 1_000_000, { 1: 'unused' });
    for (let batch = 0; batch < 5; batch++) {
      const events = batch === 0 ? [ev(E.ProcStatus, 0, 0, 1), ev(E.GoStatus, 1, 1, NO_THREAD, 2)] : [];
      for (let i = 0; i < 1000; i++) events.push(ev(E.HeapAlloc, 1, 1000 + i));
      w.events(1, 1, 1_000_010 + batch * 100_000, events);
    }
    const path = join(dir, 'shrinks.trace');
    const whole = w.bytes();
    writeFileSync(path, whole);
    assert.equal(readAll(() => openTrace(memorySource(whole))).slices.reduce((n, s) => n + s.count, 0), 5000 + 4);
    const src = fileSource(path);
    try {
      const r = openTrace(src, { sliceEvents: 100 });
      assert.ok(r.next()?.more, 'the first generation comes in slices');
      truncateSync(path, 64);
      assert.throws(() => { for (let ev = r.next(); ev; ev = r.next()); }, (e: unknown) => e instanceof FormatError && /truncated batch: \d+ bytes announced, \d+ present \(the file shrank/.test(e.message));
    } finally {
      src.close();
    }
  });
});
