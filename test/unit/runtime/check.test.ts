// `golens trace` replays as a check (checkCollector): the same replay, every invariant,
// without the goroutine spans the views need. On every reference trace it finds what the
// full replay finds, and on an impossible event it fails with the same error.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FormatError } from '../../../src/core/errors';
import { checkCollector, modelCollector, runPass } from '../../../src/core/runtime/pass';
import { EventBuilder, EventKind, GoState, memorySource, NONE, ResourceKind, StackTable, StringTable } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { Replayer } from '../../../src/core/runtime/replay';
import { ROOT } from '../helpers/fixtures';

const REF = join(ROOT, 'test', 'fixtures', 'go-reference');
const expected = JSON.parse(readFileSync(join(REF, 'expected.json'), 'utf8')) as Record<string, { ok: boolean }>;
const files = ['v1', 'v2'].flatMap((d) => readdirSync(join(REF, d)).filter((f) => (expected[f.replace(/\.trace$/, '')] ?? expected[f])?.ok).map((f) => join(REF, d, f)));

/** Goroutine 9's state transitions, one event each: [time, from, to]. */
function goroutine9(steps: [number, GoState, GoState][]): EventBuilder {
  const b = new EventBuilder();
  for (const [t, from, to] of steps) {
    const i = b.add(EventKind.StateTransition, t, 0, 1, 1, NONE);
    b.r[i] = ResourceKind.Goroutine; b.a[i] = 9; b.b[i] = from; b.c[i] = to;
  }
  return b;
}

/** The error a replay of b's events fails with, keeping goroutine spans or not. */
function replayError(b: EventBuilder, spans: boolean): string {
  try {
    new Replayer(new StringTable(), new StackTable(), { goroutineSpans: spans }).add(b.view());
  } catch (e) {
    assert.ok(e instanceof FormatError);
    return e.message;
  }
  assert.fail('no error');
}

describe('the replay as a check = the full replay without goroutine spans', () => {
  test('there are reference traces', () => assert.ok(files.length >= 10, `${files.length}`));
  let spans = 0;
  let ended = 0;
  for (const path of files) {
    test(path.slice(REF.length + 1), () => {
      const bytes = readFileSync(path);
      const full = runPass(openTrace(memorySource(bytes)), { model: modelCollector }).model;
      const check = runPass(openTrace(memorySource(bytes)), { model: checkCollector }).model;
      spans += full.gSpans.count;
      assert.equal(check.gSpans.count, 0);
      // The check keeps the goroutines that still exist (an ended one is dropped), each as the full
      // replay has it (in another order: by id for small ids).
      const live = [...full.goroutines.values()].filter((g) => g.state !== GoState.NotExist);
      ended += full.goroutines.size - live.length;
      const byId = (gs: Iterable<{ id: number }>) => [...gs].sort((x, y) => x.id - y.id);
      assert.equal(check.goroutines.size, live.length);
      assert.deepEqual(byId(check.goroutines.values()), byId(live));
      for (const [id, g] of check.goroutines) assert.equal(id, g.id);
      for (const t of ['pSpans', 'gcCycles', 'stw', 'sweeps', 'assists'] as const) {
        assert.equal(check[t].count, full[t].count, t);
        assert.deepEqual(check[t].column('end'), full[t].column('end'), t);
      }
      assert.equal(check.end, full.end);
    });
  }

  test('the full replays kept goroutine spans (so the check did leave some out)', () => assert.ok(spans > 1000, `${spans}`));
  test('the full replays kept ended goroutines (so the check did drop some)', () => assert.ok(ended > 100, `${ended}`));

  test('an event on a goroutine that ended (and was dropped): the same error either way', () => {
    // Goroutine 9 is created, runs, ends; then an event says it was Waiting.
    const b = goroutine9([[10, GoState.NotExist, GoState.Runnable], [20, GoState.Runnable, GoState.Running],
      [30, GoState.Running, GoState.NotExist], [40, GoState.Waiting, GoState.Runnable]]);
    const err = (spans: boolean) => replayError(b, spans);
    assert.match(err(true), /goroutine 9 goes Waiting → Runnable but it is NotExist/);
    assert.equal(err(false), err(true));
  });

  test('a goroutine id that ends and comes back gets a new record in the check', () => {
    const b = goroutine9([[10, GoState.NotExist, GoState.Runnable], [30, GoState.Runnable, GoState.NotExist], [40, GoState.NotExist, GoState.Runnable]]);
    const r = new Replayer(new StringTable(), new StackTable(), { goroutineSpans: false });
    r.add(b.view());
    const m = r.finish();
    assert.equal(m.goroutines.size, 1);
    assert.equal(m.goroutines.get(9)!.state, GoState.Runnable);
    assert.equal(m.goroutines.get(9)!.createdAt, 40);
  });

  test('an impossible event: the same error either way', () => {
    const b = new EventBuilder();
    const i = b.add(EventKind.StateTransition, 10, NONE, 0, NONE, NONE);
    b.r[i] = ResourceKind.Goroutine; b.a[i] = 7; b.b[i] = GoState.Runnable; b.c[i] = GoState.Running;
    const err = (spans: boolean) => replayError(b, spans);
    assert.match(err(true), /goroutine 7 starts running on no thread/);
    assert.equal(err(false), err(true));
  });
});
