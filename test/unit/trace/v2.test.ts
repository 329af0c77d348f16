// The new-format trace reader against Go's own reader: every reference trace gives the
// counts Go's reader gives (test/fixtures/go-reference/expected.json), the broken ones
// are refused; reading streams in bounded chunks; bad bytes give a FormatError and never
// anything else, and never hang.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FormatError } from '../../../src/core/errors';
import { EventKind, GoState, NONE, ResourceKind, copyColumns, memorySource, type ByteSource, type EventColumns, type TraceReader } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { summarize } from '../../../src/core/runtime/pass';
import { NewTraceReader } from '../../../src/core/trace/v2/reader';
import { ROOT } from '../helpers/fixtures';
import { E, NO_THREAD, TraceWriter, ev } from '../helpers/tracegen';

const REF = join(ROOT, 'test', 'fixtures', 'go-reference');
const V2 = join(REF, 'v2');

interface Expected { ok: boolean; error?: string; events?: number; goroutinesCreated?: number; gcCycles?: number; durationNs?: number }
const expected = JSON.parse(readFileSync(join(REF, 'expected.json'), 'utf8')) as Record<string, Expected>;
const files = readdirSync(V2).filter((f) => f.endsWith('.trace')).sort();

function all(r: TraceReader): EventColumns[] {
  const out: EventColumns[] = [];
  // next() may reuse the previous generation's memory: keep copies.
  for (let ev = r.next(); ev; ev = r.next()) out.push(copyColumns(ev));
  return out;
}

function throwsFormatError(fn: () => unknown, message?: RegExp): FormatError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FormatError, `expected a FormatError, got ${e instanceof Error ? e.stack : String(e)}`);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail('expected a FormatError, but reading succeeded');
}

describe('reference traces agree with Go\'s reader', () => {
  test('every v2 reference file has an expectation', () => {
    assert.ok(files.length >= 20);
    for (const f of files) assert.ok(expected[f], `${f} missing from expected.json`);
  });
  for (const f of files) {
    const want = expected[f];
    test(f, () => {
      const bytes = readFileSync(join(V2, f));
      if (!want.ok) {
        throwsFormatError(() => summarize(openTrace(memorySource(bytes))));
        return;
      }
      const s = summarize(openTrace(memorySource(bytes)));
      assert.deepEqual(
        { events: s.events, goroutinesCreated: s.goroutinesCreated, gcCycles: s.gcCycles, durationNs: s.durationNs },
        { events: want.events, goroutinesCreated: want.goroutinesCreated, gcCycles: want.gcCycles, durationNs: want.durationNs },
      );
      assert.equal(s.format, new TextDecoder().decode(bytes.subarray(0, 7)));
    });
  }
});

describe('event details', () => {
  const read = (f: string) => {
    const r = openTrace(memorySource(readFileSync(join(V2, f))));
    return { r, gens: all(r) };
  };

  test('times start at 0 and strictly increase; Syncs open each generation and close the trace', () => {
    for (const f of files.filter((f) => expected[f].ok)) {
      const { gens } = read(f);
      let last = -1;
      let syncs = 0;
      for (const g of gens) {
        assert.equal(g.kind[0], EventKind.Sync, `${f}: a generation starts with a Sync`);
        for (let i = 0; i < g.count; i++) {
          if (last < 0) assert.equal(g.time[i], 0, `${f}: the first event is at 0`);
          else assert.ok(g.time[i] > last, `${f}: times increase`);
          last = g.time[i];
          if (g.kind[i] === EventKind.Sync) assert.equal(g.a[i], ++syncs, `${f}: Syncs are numbered`);
        }
      }
      const lastGen = gens[gens.length - 1];
      assert.equal(lastGen.kind[lastGen.count - 1], EventKind.Sync, `${f}: a Sync ends the trace`);
      assert.equal(syncs, gens.length + 1);
    }
  });

  test('annotations: tasks, regions, logs and goroutine creation stacks', () => {
    const { r, gens } = read('go122-annotations.trace');
    const s = (id: number) => r.strings.get(id);
    const seen = { taskBegin: 0, taskEnd: 0, regionBegin: 0, regionEnd: 0, log: 0, created: 0 };
    for (const g of gens) {
      for (let i = 0; i < g.count; i++) {
        switch (g.kind[i]) {
          case EventKind.TaskBegin: seen.taskBegin++; assert.ok(s(g.s1[i]).length > 0); break;
          case EventKind.TaskEnd: seen.taskEnd++; break;
          case EventKind.RegionBegin: seen.regionBegin++; assert.ok(s(g.s1[i]).length > 0); break;
          case EventKind.RegionEnd: seen.regionEnd++; break;
          case EventKind.Log: seen.log++; assert.ok(s(g.s1[i]).length > 0 || s(g.s2[i]).length > 0); break;
          case EventKind.StateTransition:
            if (g.r[i] === ResourceKind.Goroutine && g.b[i] === GoState.NotExist) {
              seen.created++;
              assert.notEqual(g.stack2[i], NONE, 'a created goroutine has a start stack');
              assert.ok(r.stacks.get(g.stack2[i]).length > 0);
              assert.notEqual(g.stack[i], NONE, 'and its creator a stack');
            }
            break;
        }
      }
    }
    assert.ok(seen.taskBegin > 0 && seen.taskEnd > 0 && seen.regionBegin > 0 && seen.regionEnd > 0 && seen.log > 0, JSON.stringify(seen));
    assert.equal(seen.created, 4);
  });

  test('GC and STW ranges, metrics with the reference names', () => {
    const { r, gens } = read('go122-gc-stress.trace');
    const names = new Set<string>();
    for (const g of gens) {
      for (let i = 0; i < g.count; i++) {
        const k = g.kind[i];
        if (k === EventKind.RangeBegin || k === EventKind.RangeActive || k === EventKind.RangeEnd || k === EventKind.Metric) names.add(r.strings.get(g.s1[i]));
      }
    }
    for (const n of ['GC concurrent mark phase', 'GC incremental sweep', 'GC mark assist', '/memory/classes/heap/objects:bytes', '/gc/heap/goal:bytes']) {
      assert.ok(names.has(n), `missing ${n} in ${[...names].join(', ')}`);
    }
    assert.ok([...names].some((n) => /^stop-the-world \(.+\)$/.test(n)), 'an STW range');
  });

  test('go 1.25 sync batches carry a clock snapshot', () => {
    const { gens } = read('go125-sync.trace');
    const g = gens[0];
    assert.equal(g.kind[0], EventKind.Sync);
    assert.notEqual(g.b[0], NONE, 'snapshot time');
    assert.ok(g.c[0] > 0, 'wall clock in ms');
  });
});

describe('synthetic traces', () => {
  /** A go 1.N trace of `gens` generations, each `perGen` HeapAlloc events on one thread. */
  function busy(minor: number, gens: number, perGen: number, pad = false): Uint8Array {
    const w = new TraceWriter(minor);
    for (let gen = 1; gen <= gens; gen++) {
      const t = gen * 10_000_000;
      w.sync(gen, t);
      w.strings(gen, t, { 1: 'unused' });
      let left = perGen;
      let batch = 0;
      while (left > 0 || batch === 0) {
        const events: Uint8Array[] = [];
        if (batch === 0) events.push(ev(E.ProcStatus, 0, 0, 1), ev(E.GoStatus, 1, 1, NO_THREAD, 2));
        const n = Math.min(left, 10_000);
        for (let i = 0; i < n; i++) events.push(ev(E.HeapAlloc, 1, 1000 + i));
        left -= n;
        w.events(gen, 1, t + 10 + batch * 100_000, events, { pad });
        batch++;
      }
      if (minor >= 26) w.endOfGeneration();
    }
    return w.bytes();
  }

  test('every new-format version: per generation a Sync, two statuses and the events', () => {
    for (const minor of [22, 23, 25, 26]) {
      const s = summarize(openTrace(memorySource(busy(minor, 3, 25_000))));
      assert.equal(s.events, 3 * (3 + 25_000) + 1, `go 1.${minor}`);
      assert.equal(s.generations, 3);
    }
  });

  test('non-minimal (padded) varints read the same', () => {
    const plain = summarize(openTrace(memorySource(busy(23, 2, 100))));
    const padded = summarize(openTrace(memorySource(busy(23, 2, 100, true))));
    assert.deepEqual(padded, plain);
  });

  test('streams: bounded reads, one generation in memory at a time', () => {
    const bytes = busy(26, 20, 30_000);
    const chunk = 4096;
    let served = 0;
    let largest = 0;
    let highest = 0;
    const source: ByteSource = {
      size: bytes.length,
      read(offset, length) {
        const out = bytes.subarray(offset, Math.min(bytes.length, offset + length));
        served += out.length;
        largest = Math.max(largest, out.length);
        highest = Math.max(highest, offset + out.length);
        return out;
      },
    };
    const r = openTrace(source, { chunkSize: chunk }) as NewTraceReader;
    const first = r.next();
    assert.ok(first && first.count > 30_000);
    const genBytes = bytes.length / 20;
    assert.ok(highest < 2 * genBytes, `after one generation, read up to ${highest} of ${bytes.length}`);
    let events = first.count;
    for (let ev = r.next(); ev; ev = r.next()) events += ev.count;
    assert.equal(events, 20 * 30_003 + 1);
    // No read is larger than a chunk, and hardly a byte is read twice.
    assert.ok(largest <= chunk, `largest read ${largest}`);
    assert.ok(served < bytes.length * 1.01, `served ${served} for ${bytes.length}`);
    assert.ok(r.maxGenerationBytes < 1.2 * genBytes, `generation held ${r.maxGenerationBytes}`);
  });

  test('reference traces through 64-byte chunks read the same as whole', () => {
    for (const f of files.filter((f) => expected[f].ok)) {
      const bytes = readFileSync(join(V2, f));
      let largest = 0;
      const source: ByteSource = {
        size: bytes.length,
        read(offset, length) {
          largest = Math.max(largest, length);
          return bytes.subarray(offset, Math.min(bytes.length, offset + length));
        },
      };
      assert.deepEqual(summarize(openTrace(source, { chunkSize: 64 })), summarize(openTrace(memorySource(bytes))), f);
      assert.ok(largest <= 64, `${f}: largest read ${largest}`);
    }
  });

  test('a goroutine switch is three events; a created goroutine keeps its start stack', () => {
    const w = new TraceWriter(23);
    w.sync(1, 100);
    w.strings(1, 100, { 1: 'main.main', 2: 'main.go', 3: 'main.worker' });
    w.stacks(1, 100, { 1: [[0x1000, 1, 2, 10]], 2: [[0x2000, 3, 2, 20]] });
    w.events(1, 1, 110, [
      ev(E.ProcStatus, 0, 0, 1),
      ev(E.GoStatus, 1, 1, NO_THREAD, 2),
      ev(47, 1, 2, 2, 1), // GoCreateBlocked: g 2, start stack 2, creator stack 1
      ev(E.GoSwitch, 1, 2, 1), // switch to g 2 (seq 1)
    ]);
    const [g] = all(openTrace(memorySource(w.bytes())));
    const rows: string[] = [];
    for (let i = 0; i < g.count; i++) {
      if (g.kind[i] === EventKind.StateTransition && g.r[i] === ResourceKind.Goroutine) rows.push(`G${g.a[i]} ${g.b[i]}->${g.c[i]} on G${g.g[i]}`);
    }
    assert.deepEqual(rows, [
      `G1 ${GoState.Undetermined}->${GoState.Running} on G-1`,
      `G2 ${GoState.NotExist}->${GoState.Waiting} on G1`,
      `G2 ${GoState.Waiting}->${GoState.Runnable} on G1`,
      `G1 ${GoState.Running}->${GoState.Waiting} on G1`,
      `G2 ${GoState.Runnable}->${GoState.Running} on G-1`,
    ]);
  });

  test('experimental batches are skipped cleanly', () => {
    const w = new TraceWriter(26);
    w.sync(1, 100);
    w.batch(1, 1, 100, new Uint8Array([1, 2, 3, 4, 5]), { exp: 1 });
    w.events(1, 1, 110, [ev(E.ProcStatus, 0, 0, 1), ev(E.HeapAlloc, 1, 5)]);
    w.endOfGeneration();
    assert.equal(summarize(openTrace(memorySource(w.bytes()))).events, 4);
  });

  test('a trace that cannot advance names its generation and the stuck events', () => {
    const w = new TraceWriter(22);
    w.sync(7, 100);
    w.events(7, 1, 110, [ev(E.ProcStatus, 0, 0, 1), ev(E.GoStart, 1, 5, 3)]); // goroutine 5 was never seen
    throwsFormatError(() => summarize(openTrace(memorySource(w.bytes()))), /generation 7 cannot advance.*GoStart\(5, 3\)/);
  });

  test('go 1.26: a trace without generations is one Sync; a generation without its end marker is an error', () => {
    const empty = new TraceWriter(26);
    assert.equal(summarize(openTrace(memorySource(empty.bytes()))).events, 1);
    const w = new TraceWriter(26);
    w.sync(1, 100);
    w.events(1, 1, 110, [ev(E.ProcStatus, 0, 0, 1)]);
    throwsFormatError(() => summarize(openTrace(memorySource(w.bytes()))), /end marker/);
  });
});

describe('versions and non-traces', () => {
  const header = (s: string) => {
    const b = new Uint8Array(64);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return b;
  };

  test('unsupported versions are refused with the exact phrase', () => {
    for (const n of [5, 7, 9, 10, 24, 27, 99]) {
      const e = throwsFormatError(() => openTrace(memorySource(header(`go 1.${n} trace`))));
      assert.ok(e.message.includes(`unsupported trace version go 1.${n}`), e.message);
      assert.equal(e.offset, 0);
      assert.ok(e.hint);
    }
  });

  test('old-format headers go to the old reader', () => {
    const r = openTrace(memorySource(readFileSync(join(REF, 'v1', 'user_task_region_1_21_good'))));
    assert.equal(r.format, 'old');
    assert.equal(r.version, 'go 1.21');
  });

  test('not a trace: says what the bytes look like', () => {
    // What they look like, never the bytes themselves (issue 16): the file may be anything.
    throwsFormatError(() => openTrace(memorySource(new TextEncoder().encode('hello, world\n'))), /it is text starting with a word \(13 bytes\)/);
    throwsFormatError(() => openTrace(memorySource(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]))), /it is gzip data \(6 bytes\)/);
    throwsFormatError(() => openTrace(memorySource(new Uint8Array(0))), /empty/);
    throwsFormatError(() => openTrace(memorySource(header('go 1.2'))), /not a Go execution trace/);
  });
});

describe('bad input gives FormatError, never another exception, never a hang', () => {
  test('truncated at every length', () => {
    for (const f of ['go122-annotations.trace', 'go123-sync.trace', 'go125-sync.trace', 'go122-task-across-generations.trace']) {
      const bytes = readFileSync(join(V2, f));
      for (let n = 0; n < bytes.length; n++) {
        try {
          summarize(openTrace(memorySource(bytes.subarray(0, n))));
        } catch (e) {
          assert.ok(e instanceof FormatError, `${f} cut at ${n}: ${e instanceof Error ? e.stack : String(e)}`);
        }
      }
    }
  });

  test('fuzz: mutated reference traces', { timeout: 120_000 }, () => {
    // Deterministic xorshift so a failure can be replayed.
    let seed = 0x9e3779b9;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const inputs = files.map((f) => readFileSync(join(V2, f)));
    const budget = Date.now() + 20_000;
    let cases = 0;
    while (cases < 6000 && Date.now() < budget) {
      const src = inputs[rand(inputs.length)];
      const b = new Uint8Array(src);
      const kind = rand(5);
      const muts = 1 + rand(4);
      let bytes: Uint8Array = b;
      for (let k = 0; k < muts; k++) {
        const at = 16 + rand(Math.max(1, bytes.length - 16));
        if (kind === 0) bytes[at] ^= 1 << rand(8);
        else if (kind === 1) bytes[at] = rand(256);
        else if (kind === 2) bytes[at] = 0xff;
        else if (kind === 3) bytes = bytes.subarray(0, at);
        else bytes = Uint8Array.from([...bytes.subarray(0, at), rand(256), ...bytes.subarray(at)]);
      }
      const t0 = Date.now();
      try {
        const r = openTrace(memorySource(bytes), { chunkSize: 1 + rand(512) });
        for (let ev = r.next(); ev; ev = r.next()) {
          for (let i = 0; i < ev.count; i++) assert.ok(Number.isFinite(ev.time[i]));
        }
      } catch (e) {
        assert.ok(e instanceof FormatError, `case ${cases}: ${e instanceof Error ? e.stack : String(e)}`);
      }
      assert.ok(Date.now() - t0 < 2000, `case ${cases} took ${Date.now() - t0} ms`);
      cases++;
    }
    assert.ok(cases >= 500, `only ${cases} cases ran`);
  });
});
