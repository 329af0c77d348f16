// The old-format reader against Go's reference traces: the same event count, goroutines
// created, GC cycles and duration as Go's own reader (expected.json); refusal of the
// versions Go refuses; and mutated traces give a result or one FormatError, quickly.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FormatError } from '../../../src/core/errors';
import { EventKind, memorySource, NONE, ResourceKind } from '../../../src/core/trace/events';
import { summarize } from '../../../src/core/runtime/pass';
import { openOldTrace } from '../../../src/core/trace/v1/reader';
import { ROOT } from '../helpers/fixtures';

const REF = join(ROOT, 'test', 'fixtures', 'go-reference');
const V1 = join(REF, 'v1');

interface Expected { ok: boolean; error?: string; events?: number; goroutinesCreated?: number; gcCycles?: number; durationNs?: number }
const expected = JSON.parse(readFileSync(join(REF, 'expected.json'), 'utf8')) as Record<string, Expected>;

function headerMinor(bytes: Uint8Array): number {
  const m = /^go 1\.(\d+) trace/.exec(Buffer.from(bytes.subarray(0, 16)).toString('latin1'));
  assert.ok(m, 'old-format header');
  return Number(m[1]);
}

const files = readdirSync(V1).sort();

describe('old-format traces = Go reference reader', () => {
  for (const name of files) {
    const want = expected[name];
    const bytes = new Uint8Array(readFileSync(join(V1, name)));
    const minor = headerMinor(bytes);
    if (!want.ok) {
      test(`${name}: refused like the reference`, () => {
        assert.throws(() => summarize(openOldTrace(memorySource(bytes), minor)), (e: unknown) => {
          assert.ok(e instanceof FormatError);
          assert.equal(e.what, `unsupported trace version go 1.${minor}`);
          assert.equal(e.offset, 0);
          assert.ok(e.hint);
          return true;
        });
      });
      continue;
    }
    test(`${name}: events, goroutines created, GC cycles, duration`, () => {
      const reader = openOldTrace(memorySource(bytes), minor);
      assert.equal(reader.format, 'old');
      assert.equal(reader.version, `go 1.${minor}`);
      const s = summarize(reader);
      assert.deepEqual(
        { events: s.events, goroutinesCreated: s.goroutinesCreated, gcCycles: s.gcCycles, durationNs: s.durationNs },
        { events: want.events, goroutinesCreated: want.goroutinesCreated, gcCycles: want.gcCycles, durationNs: want.durationNs },
      );
    });
  }
});

// What `go tool trace -d=parsed` (Go 1.27's reader) yields for these files, by kind and,
// for state transitions, by resource and states: a finer check than the four counts.
const KINDS: Record<string, Record<string, number>> = {
  user_task_region_1_11_good: {
    'Log': 1, 'Metric': 2, 'RegionBegin': 3, 'RegionEnd': 3, 'StateTransition Go NotExist->Runnable': 2,
    'StateTransition Go Runnable->Running': 3, 'StateTransition Go Running->NotExist': 1, 'StateTransition Go Running->Runnable': 1,
    'StateTransition Go Running->Waiting': 2, 'StateTransition Go Undetermined->Running': 1, 'StateTransition Go Undetermined->Waiting': 4,
    'StateTransition Go Waiting->Runnable': 1, 'StateTransition Proc Idle->Running': 1, 'StateTransition Proc Running->Idle': 2,
    'StateTransition Proc Undetermined->Running': 2, 'Sync': 2, 'TaskBegin': 1, 'TaskEnd': 1,
  },
  stress_start_stop_1_19_good: {
    'Label': 47, 'Metric': 33, 'RangeBegin': 28, 'RangeEnd': 27, 'StateTransition Go NotExist->Runnable': 1,
    'StateTransition Go Runnable->Running': 240, 'StateTransition Go Running->Runnable': 173, 'StateTransition Go Running->Waiting': 68,
    'StateTransition Go Undetermined->Runnable': 3, 'StateTransition Go Undetermined->Running': 1, 'StateTransition Go Undetermined->Waiting': 17,
    'StateTransition Go Waiting->Runnable': 68, 'StateTransition Proc Idle->Running': 254, 'StateTransition Proc Running->Idle': 260,
    'StateTransition Proc Undetermined->Running': 7, 'Sync': 2,
  },
  http_1_21_good: {
    'Label': 6, 'Metric': 30, 'RangeBegin': 5, 'RangeEnd': 5, 'StateTransition Go NotExist->Runnable': 49,
    'StateTransition Go Runnable->Running': 114, 'StateTransition Go Running->Runnable': 8, 'StateTransition Go Running->Syscall': 50,
    'StateTransition Go Running->Waiting': 59, 'StateTransition Go Syscall->Runnable': 48, 'StateTransition Go Syscall->Running': 2,
    'StateTransition Go Undetermined->Running': 1, 'StateTransition Go Undetermined->Syscall': 1, 'StateTransition Go Undetermined->Waiting': 4,
    'StateTransition Go Waiting->Runnable': 10, 'StateTransition Proc Idle->Running': 194, 'StateTransition Proc Running->Idle': 198,
    'StateTransition Proc Undetermined->Running': 5, 'Sync': 2,
  },
  fmt_1_21_pprof_good: {
    'Label': 3, 'Metric': 217, 'RangeBegin': 4, 'RangeEnd': 4, 'StackSample': 4, 'StateTransition Go NotExist->Runnable': 113,
    'StateTransition Go Runnable->Running': 243, 'StateTransition Go Running->NotExist': 81, 'StateTransition Go Running->Runnable': 5,
    'StateTransition Go Running->Syscall': 229, 'StateTransition Go Running->Waiting': 126, 'StateTransition Go Syscall->Runnable': 32,
    'StateTransition Go Syscall->Running': 197, 'StateTransition Go Undetermined->Running': 1, 'StateTransition Go Undetermined->Waiting': 5,
    'StateTransition Go Waiting->Runnable': 94, 'StateTransition Proc Idle->Running': 234, 'StateTransition Proc Running->Idle': 239,
    'StateTransition Proc Undetermined->Running': 6, 'Sync': 2,
  },
};
const KIND_NAMES = ['Bad', 'Sync', 'Metric', 'Label', 'StackSample', 'RangeBegin', 'RangeActive', 'RangeEnd', 'TaskBegin', 'TaskEnd', 'RegionBegin', 'RegionEnd', 'Log', 'StateTransition', 'Experimental'];
const GO_STATES = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall'];
const PROC_STATES = ['Undetermined', 'NotExist', 'Running', 'Idle'];

describe('old-format events by kind = go tool trace -d=parsed', () => {
  for (const [name, want] of Object.entries(KINDS)) {
    test(name, () => {
      const bytes = new Uint8Array(readFileSync(join(V1, name)));
      const ev = openOldTrace(memorySource(bytes), headerMinor(bytes)).next()!;
      const got: Record<string, number> = {};
      for (let i = 0; i < ev.count; i++) {
        let k = KIND_NAMES[ev.kind[i]];
        if (ev.kind[i] === EventKind.StateTransition) {
          const states = ev.r[i] === ResourceKind.Goroutine ? GO_STATES : PROC_STATES;
          k += ` ${ev.r[i] === ResourceKind.Goroutine ? 'Go' : 'Proc'} ${states[ev.b[i]]}->${states[ev.c[i]]}`;
        }
        got[k] = (got[k] ?? 0) + 1;
      }
      assert.deepEqual(got, want);
    });
  }
});

describe('old-format stream shape', () => {
  test('one generation bracketed by Syncs; times start at 0 and strictly increase', () => {
    const bytes = new Uint8Array(readFileSync(join(V1, 'user_task_region_1_21_good')));
    const r = openOldTrace(memorySource(bytes), 21);
    const ev = r.next()!;
    assert.equal(r.next(), undefined);
    assert.equal(ev.kind[0], EventKind.Sync);
    assert.equal(ev.kind[ev.count - 1], EventKind.Sync);
    assert.equal(ev.time[0], 0);
    for (let i = 1; i < ev.count; i++) assert.ok(ev.time[i] > ev.time[i - 1], `time at ${i}`);
    const tasks: string[] = [];
    const logs: string[] = [];
    for (let i = 0; i < ev.count; i++) {
      if (ev.kind[i] === EventKind.TaskBegin) tasks.push(r.strings.get(ev.s1[i]));
      if (ev.kind[i] === EventKind.Log) logs.push(`${r.strings.get(ev.s1[i])}=${r.strings.get(ev.s2[i])}`);
      if (ev.kind[i] === EventKind.StateTransition && ev.stack2[i] !== NONE) assert.ok(r.stacks.get(ev.stack2[i]).length > 0);
    }
    assert.deepEqual(tasks, ['task0']);
    assert.ok(logs.includes('key0=0123456789abcdef'), logs.join(', '));
  });

  test('versions other than 1.11, 1.19 and 1.21 are refused up front', () => {
    for (const minor of [5, 10, 12, 20, 22]) {
      assert.throws(() => openOldTrace(memorySource(new Uint8Array(16)), minor), (e: unknown) =>
        e instanceof FormatError && e.what === `unsupported trace version go 1.${minor}` && e.offset === 0);
    }
  });

  test('a wrong header, a bare header and a truncated file are FormatErrors', () => {
    const bytes = new Uint8Array(readFileSync(join(V1, 'stress_start_stop_1_21_good')));
    const bad = (b: Uint8Array, minor = 21) => assert.throws(() => summarize(openOldTrace(memorySource(b), minor)), FormatError);
    bad(bytes, 19);
    bad(bytes.subarray(0, 16));
    bad(bytes.subarray(0, 10));
    bad(bytes.subarray(0, bytes.length - 3));
  });
});

// --- fuzz ---------------------------------------------------------------------------------

const ITERATIONS = Number(process.env.GOLENS_FUZZ_ITERATIONS ?? 600);
const PER_INPUT_MS = 2000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** A few random byte edits, never touching the 16-byte header (so the parser, not the sniffer, is tested). */
function mutate(src: Uint8Array, r: () => number): Uint8Array {
  let out: Uint8Array = Uint8Array.from(src);
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n && out.length > 16; i++) {
    const at = 16 + Math.floor(r() * (out.length - 16));
    switch (Math.floor(r() * 6)) {
      case 0: out[at] ^= 1 << Math.floor(r() * 8); break;
      case 1: out[at] = Math.floor(r() * 256); break;
      case 2: out = out.subarray(0, at); break;
      case 3: { const len = 1 + Math.floor(r() * 32); out = concat(out.subarray(0, at), out.slice(at, at + len), out.subarray(at)); break; }
      case 4: { const len = 1 + Math.floor(r() * 16); out = concat(out.subarray(0, at), out.subarray(at + len)); break; }
      case 5: out[at] = [0x00, 0x7f, 0x80, 0xff, 0x41, 0xc3][Math.floor(r() * 6)]; break;
    }
  }
  return out;
}

test(`fuzz: ${ITERATIONS} mutated reference traces give a result or a FormatError`, () => {
  const seeds = files
    .filter((f) => expected[f].ok && readFileSync(join(V1, f)).length < 40000)
    .map((f) => ({ bytes: new Uint8Array(readFileSync(join(V1, f))), minor: headerMinor(readFileSync(join(V1, f))) }));
  const big = ['stress_1_21_good'].map((f) => ({ bytes: new Uint8Array(readFileSync(join(V1, f))), minor: 21 }));
  const r = rng(0x7ace1);
  let decoded = 0, rejected = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const seed = i % 50 === 49 ? big[0] : seeds[i % seeds.length];
    const bytes = mutate(seed.bytes, r);
    const t0 = performance.now();
    try {
      const s = summarize(openOldTrace(memorySource(bytes), seed.minor));
      assert.ok(s.events >= 1 && Number.isFinite(s.durationNs));
      decoded++;
    } catch (e) {
      if (!(e instanceof FormatError)) assert.fail(`input ${i}: ${(e as Error)?.stack ?? e}`);
      assert.ok(!e.message.includes('\n'), 'one line');
      assert.ok(e.offset === undefined || (e.offset >= 0 && e.offset <= bytes.length), `offset ${e.offset} of ${bytes.length}`);
      rejected++;
    }
    const ms = performance.now() - t0;
    assert.ok(ms < PER_INPUT_MS, `input ${i} took ${ms.toFixed(0)} ms`);
  }
  assert.ok(decoded > 0 && rejected > 0, `decoded ${decoded}, rejected ${rejected}`);
});
