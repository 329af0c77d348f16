// The trace editor's Goroutines panel data: the server answers from the same pass that opened
// the trace, and its groups are go tool trace's (count, ids, execution time) and the CLI's columns.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { columnsOf } from '../../../src/core/analysis/goroutines';
import { goroutinesFrom } from '../../../src/core/artifacts/goroutines';
import type { GoroutineGroupRow } from '../../../src/protocol/trace';
import { TraceStore } from '../../../src/server/traces';
import { ROOT } from '../helpers/fixtures';

for (const name of ['trace-contention', 'trace-syscall']) {
  test(`goroutineGroups of go1.27/${name} are go tool trace's groups with the CLI's columns`, async () => {
    const file = join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', `${name}.trace`);
    const ref = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'goroutines', 'go1.27', `${name}.json`), 'utf8')) as
      { groups: { name: string; count: number; execTime: number; goroutines: { id: number }[] }[] };
    const store = new TraceStore();
    const opened = await store.openTrace({ uri: pathToFileURL(file).toString() }, () => {});
    if (!opened.ok) throw new Error(opened.error.message);
    const res = store.goroutineGroups({ id: opened.summary.id });
    if (!res.ok) throw new Error(res.error.message);
    assert.equal(res.groups.length, ref.groups.length);
    for (const want of ref.groups) {
      const g: GoroutineGroupRow | undefined = res.groups.find((x) => x.startFunction === want.name);
      assert.ok(g, want.name);
      assert.equal(g.count, want.count);
      assert.equal(g.columns.running, want.execTime);
      assert.deepEqual(g.ids, want.goroutines.map((x) => x.id));
    }
    const cli = goroutinesFrom(file);
    assert.deepEqual(res.groups.map((g) => g.columns), cli.groups.map((g) => columnsOf(g)));
    assert.equal(store.goroutineGroups({ id: 'nope' }).ok, false);
    store.close(opened.summary.id);
  });
}
