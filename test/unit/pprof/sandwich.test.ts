// The sandwich view's data on real profiles: pprof -peek's numbers for the function, and
// caller and callee trees rooted at it whose widths add up to its cum.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { sampleIndex } from '../../../src/core/pprof/model';
import { peek } from '../../../src/core/pprof/peek';
import { sandwich, type SandwichTree } from '../../../src/core/pprof/sandwich';
import { stacks } from '../../../src/core/pprof/stacks';
import { fixture, readPprofTop } from '../helpers/fixtures';

const cpu = decodeProfile(fixture('go1.27', 'cpu.pprof'));
const set = stacks(cpu, sampleIndex(cpu, 'cpu'));

/** Per node: its name, total, self and children (parents precede children in the columns). */
function nodes(t: SandwichTree<Int32Array | Float64Array>) {
  const out = Array.from({ length: t.treeSize }, (_, i) => ({
    name: t.tree.frame[i] < 0 ? '' : t.frameNames[t.tree.frame[i]], total: t.tree.total[i], self: t.tree.self[i], children: [] as number[],
  }));
  for (let i = 1; i < t.treeSize; i++) out[t.tree.parent[i]].children.push(i);
  return out;
}

test('the sandwich carries pprof -peek\'s numbers for the function, and both trees are as wide as its cum', () => {
  const top = readPprofTop('go1.27', 'cpu.cpu.top.txt');
  for (const fn of ['main.hashBlock', 'main.parseField', 'sort.pdqsort_func', 'main.main']) {
    const s = sandwich(set, fn);
    const p = peek(set, new RegExp(`^${fn.replace(/\./g, '\\.')}$`)).entries[0];
    assert.equal(s.function, fn);
    assert.deepEqual({ flat: s.flat, cum: s.cum, callers: s.callers, callees: s.callees }, { flat: p.flat, cum: p.cum, callers: p.callers, callees: p.callees });
    const row = top.rows.find((r) => r.name === fn)!;
    assert.deepEqual([s.flat, s.cum], [row.flat, row.cum], `${fn}: pprof -top's flat and cum`);
    for (const t of [s.callerTree, s.calleeTree]) {
      const n = nodes(t);
      assert.equal(n[0].name, fn, 'the root is the function');
      assert.equal(n[0].total, s.cum);
      // Every sample through the function ends in exactly one node of each tree.
      assert.equal(n.reduce((a, x) => a + x.self, 0), s.cum);
      for (const x of n) assert.equal(x.total, x.self + x.children.reduce((a, c) => a + n[c].total, 0), `${fn}: ${x.name} adds up`);
    }
  }
});

test('without recursion, the first level of each tree is pprof -peek\'s callers and callees', () => {
  const s = sandwich(set, 'main.hashBlock');
  for (const [t, edges] of [[s.callerTree, s.callers], [s.calleeTree, s.callees]] as const) {
    const n = nodes(t);
    const first = n[0].children.map((c) => ({ name: n[c].name, value: n[c].total })).sort((a, b) => b.value - a.value);
    assert.deepEqual(first, edges.map((e) => ({ name: e.name, value: e.value })));
  }
  assert.deepEqual(s.callees.map((e) => [e.name, e.inline]), [['main.mix', true]]);
});

test('the trees follow the filters, leave out subtrees under minFraction, and an absent function is empty', () => {
  const hidden = sandwich(stacks(cpu, sampleIndex(cpu, 'cpu'), { hide: 'main\\.mix' }), 'main.hashBlock');
  assert.ok(!hidden.calleeTree.frameNames.includes('main.mix'));
  const whole = sandwich(set, 'main.hashBlock');
  assert.equal(hidden.cum, whole.cum, 'hiding a callee keeps the cum');
  assert.ok(hidden.flat > whole.flat, 'time in the hidden callee\'s own code becomes flat');
  const wide = sandwich(set, 'sort.pdqsort_func', 0.2);
  const n = nodes(wide.calleeTree);
  assert.ok(n.length < nodes(sandwich(set, 'sort.pdqsort_func').calleeTree).length);
  for (const x of n) assert.ok(x.total >= wide.cum * 0.2, `${x.name} ${x.total}`);
  const none = sandwich(set, 'main.noSuchFunction');
  assert.equal(none.function, '');
  assert.equal(none.callerTree.treeSize, 1);
  assert.equal(none.calleeTree.treeSize, 1);
});
