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

describe('the replay as a check = the full replay without goroutine spans', () => {
  test('there are reference traces', () => assert.ok(files.length >= 10, `${files.length}`));
  let spans = 0;
  for (const path of files) {
    test(path.slice(REF.length + 1), () => {
      const bytes = readFileSync(path);
      const full = runPass(openTrace(memorySource(bytes)), { model: modelCollector }).model;
      const check = runPass(openTrace(memorySource(bytes)), { model: checkCollector }).model;
      spans += full.gSpans.count;
      assert.equal(check.gSpans.count, 0);
      assert.deepEqual([...check.goroutines.values()], [...full.goroutines.values()]);
      for (const t of ['pSpans', 'gcCycles', 'stw', 'sweeps', 'assists'] as const) {
        assert.equal(check[t].count, full[t].count, t);
        assert.deepEqual(check[t].column('end'), full[t].column('end'), t);
      }
      assert.equal(check.end, full.end);
    });
  }

  test('the full replays kept goroutine spans (so the check did leave some out)', () => assert.ok(spans > 1000, `${spans}`));

  test('an impossible event: the same error either way', () => {
    const b = new EventBuilder();
    const i = b.add(EventKind.StateTransition, 10, NONE, 0, NONE, NONE);
    b.r[i] = ResourceKind.Goroutine; b.a[i] = 7; b.b[i] = GoState.Runnable; b.c[i] = GoState.Running;
    const err = (spans: boolean) => {
      try {
        new Replayer(new StringTable(), new StackTable(), { goroutineSpans: spans }).add(b.view());
      } catch (e) {
        assert.ok(e instanceof FormatError);
        return e.message;
      }
      assert.fail('no error');
    };
    assert.match(err(true), /goroutine 7 starts running on no thread/);
    assert.equal(err(false), err(true));
  });
});
