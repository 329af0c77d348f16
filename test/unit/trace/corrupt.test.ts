// Damaged traces: cut at every generation boundary, batches reordered within and across
// generations, bits flipped. Each gives a valid trace (what the remaining bytes say) or one
// FormatError — never another exception, never a hang. Reordering the batches of different
// threads inside a generation is legal and must not change a single event.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FormatError } from '../../../src/core/errors';
import { copyColumns, memorySource, type EventColumns } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { summarize } from '../../../src/core/runtime/pass';
import { BatchReader } from '../../../src/core/trace/v2/batches';
import { ROOT } from '../helpers/fixtures';

const TRACE_DIR = join(ROOT, 'test', 'fixtures', 'trace');
const HEADER = 16;

interface RawBatch { gen: number; m: number; bytes: Uint8Array; end: boolean }

/** Splits a new-format trace into its batches, byte for byte. */
function batches(trace: Uint8Array): RawBatch[] {
  const r = new BatchReader(memorySource(trace), HEADER);
  const out: RawBatch[] = [];
  for (;;) {
    const start = r.offset;
    const b = r.next();
    if (!b) break;
    out.push({ gen: b.gen, m: b.m, bytes: trace.subarray(start, r.offset), end: b.endOfGeneration });
  }
  return out;
}

function join2(trace: Uint8Array, parts: RawBatch[]): Uint8Array {
  const n = HEADER + parts.reduce((a, p) => a + p.bytes.length, 0);
  const out = new Uint8Array(n);
  out.set(trace.subarray(0, HEADER));
  let o = HEADER;
  for (const p of parts) { out.set(p.bytes, o); o += p.bytes.length; }
  return out;
}

function events(bytes: Uint8Array): EventColumns[] {
  const r = openTrace(memorySource(bytes));
  const out: EventColumns[] = [];
  for (let ev = r.next(); ev; ev = r.next()) out.push(copyColumns(ev));
  return out;
}

/** A valid result or a FormatError; anything else fails the test. */
function validOrFormatError(bytes: Uint8Array, what: string): ReturnType<typeof summarize> | FormatError {
  try {
    return summarize(openTrace(memorySource(bytes)));
  } catch (e) {
    assert.ok(e instanceof FormatError, `${what}: ${(e as Error)?.stack}`);
    return e;
  }
}

const NEW = readdirSync(TRACE_DIR).filter((d) => /^go1\.\d+$/.test(d) && Number(d.slice(4)) >= 22);

for (const dir of NEW) {
  describe(`${dir}: damaged traces`, () => {
    const trace = new Uint8Array(readFileSync(join(TRACE_DIR, dir, 'trace-contention.trace')));
    const parts = batches(trace);
    const gens = [...new Set(parts.filter((p) => !p.end).map((p) => p.gen))];

    test('the fixture has several generations', () => assert.ok(gens.length >= 2, `${gens.length}`));

    test('batches of different threads reordered inside each generation: the same events', () => {
      // Stable sort by generation, then thread descending: each thread's batches keep their order.
      const order = parts.map((p, i) => ({ p, i }));
      const reordered: RawBatch[] = [];
      let run: { p: RawBatch; i: number }[] = [];
      const flush = () => {
        run.sort((a, b) => (b.p.m - a.p.m) || (a.i - b.i));
        reordered.push(...run.map((x) => x.p));
        run = [];
      };
      for (const x of order) {
        if (x.p.end) { flush(); reordered.push(x.p); continue; }
        if (run.length && run[0].p.gen !== x.p.gen) flush();
        run.push(x);
      }
      flush();
      assert.notDeepEqual(reordered.map((p) => p.bytes.byteOffset), parts.map((p) => p.bytes.byteOffset), 'the order changed');
      assert.deepEqual(events(join2(trace, reordered)), events(trace));
    });

    test('cut at every generation boundary: exactly the generations before it', () => {
      const full = summarize(openTrace(memorySource(trace)));
      let offset = HEADER;
      let seen = 0;
      let prevGen = -1;
      for (const p of parts) {
        if (!p.end && p.gen !== prevGen && prevGen !== -1) {
          seen++;
          // Before go 1.26 a generation ends at the end of the file; from 1.26 the cut
          // falls after the previous generation's end marker. Either way the rest is whole.
          const res = summarize(openTrace(memorySource(trace.subarray(0, offset))));
          assert.equal(res.generations, seen, 'generations kept');
          assert.ok(res.events < full.events);
        }
        if (!p.end) prevGen = p.gen;
        offset += p.bytes.length;
      }
      assert.ok(seen >= 1);
    });

    test('a batch moved into another generation, and batches swapped across generations', () => {
      const body = parts.filter((p) => !p.end);
      for (let k = 0; k < 10; k++) {
        const a = (k * 7) % body.length, b = (k * 13 + 5) % body.length;
        if (body[a].gen === body[b].gen) continue;
        const swapped = parts.slice();
        const ia = parts.indexOf(body[a]), ib = parts.indexOf(body[b]);
        [swapped[ia], swapped[ib]] = [swapped[ib], swapped[ia]];
        validOrFormatError(join2(trace, swapped), `swap ${ia} and ${ib}`);
      }
    });

    test('single bit flips across the file', () => {
      for (let i = HEADER; i < trace.length; i += Math.max(1, Math.floor(trace.length / 400))) {
        const bad = trace.slice();
        bad[i] ^= 1 << (i % 8);
        const t0 = performance.now();
        validOrFormatError(bad, `bit flip at ${i}`);
        assert.ok(performance.now() - t0 < 2000, `bit flip at ${i} took too long`);
      }
    });
  });
}
