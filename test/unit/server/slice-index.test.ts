// The trace editor's time slices use the timeline's goroutine index (the spans are not
// indexed a second time): each slice is the one the analysis gives from a fresh replay.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { sliceProfile, type SliceQuery } from '../../../src/core/analysis/timeslices';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import { compileGoRegexp } from '../../../src/core/pprof/regexp';
import { profileView } from '../../../src/core/pprof/view';
import { replay } from '../../../src/core/runtime/pass';
import { memorySource } from '../../../src/core/trace/events';
import { toBase64, viewColumns } from '../../../src/protocol/columns';
import { TraceStore } from '../../../src/server/traces';
import { ROOT } from '../helpers/fixtures';

for (const [v, name] of [['go1.23', 'trace-contention'], ['go1.27', 'trace-syscall']]) {
  test(`${v}/${name}: slices through the editor equal the analysis's own`, async () => {
    const file = join(ROOT, 'test', 'fixtures', 'trace', v, `${name}.trace`);
    const store = new TraceStore();
    const res = await store.openTrace({ uri: pathToFileURL(file).toString() }, () => {});
    if (!res.ok) throw new Error(res.error.message);
    const model = replay(openTraceSource(memorySource(readFileSync(file))));
    const end = res.summary.durationNs;
    const queries: { view: 'time' | 'cpu'; from?: number; to?: number; goroutine?: number; startFn?: string }[] = [
      { view: 'time' }, { view: 'time', from: end * 0.25, to: end * 0.75 }, { view: 'time', startFn: 'main' }, { view: 'cpu' },
    ];
    let nonEmpty = 0;
    for (const q of queries) {
      const got = store.slice({ id: res.summary.id, query: q });
      assert.ok(got.ok, JSON.stringify(q));
      const sq: SliceQuery = { ...q, startFn: q.startFn !== undefined ? compileGoRegexp(q.startFn, 'start function') : undefined };
      const view = profileView(sliceProfile(model, sq), { sampleIndex: 0, granularity: 'functions', filters: {}, topLimit: 20, minFraction: 0 });
      assert.deepEqual(got.view, viewColumns(view, toBase64), JSON.stringify(q));
      if (view.top.length > 0) nonEmpty++;
    }
    assert.ok(nonEmpty >= 2, 'the time slices hold samples');
  });
}
