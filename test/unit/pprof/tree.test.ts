// The call tree the flame graph draws agrees with top (same cum per function on each path,
// same totals), keeps its sums through pruning, and every node's line lies in its function.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { defaultSampleIndex } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { callTree, DRAW_BUDGET, prune } from '../../../src/core/pprof/tree';
import { profileView } from '../../../src/core/pprof/view';
import { fixture, toolchainDirs } from '../helpers/fixtures';
import { deepStackProfile } from '../helpers/hostile';

for (const dir of toolchainDirs()) {
  describe(`${dir}: call tree`, () => {
    for (const name of ['cpu.pprof', 'allocs.pprof', 'mutex.pprof', 'goroutine.pprof']) {
      test(name, () => {
        const p = decodeProfile(fixture(dir, name));
        const set = stacks(p, defaultSampleIndex(p));
        const t = callTree(set);
        const sum = Array.from(set.values).reduce((a, b) => a + b, 0);
        assert.equal(t.total[0], sum, 'root total = sum of samples');
        // total = self + children's totals, at every node.
        const childSum = new Float64Array(t.size);
        for (let i = 1; i < t.size; i++) childSum[t.parent[i]] += t.total[i];
        for (let i = 0; i < t.size; i++) assert.equal(t.total[i], t.self[i] + childSum[i], `node ${i}`);
        // A function's flat in top = its self summed over all tree nodes.
        const self = new Map<string, number>();
        for (let i = 1; i < t.size; i++) { const n = set.frames[t.frame[i]].name; self.set(n, (self.get(n) ?? 0) + t.self[i]); }
        for (const r of top(set).rows) assert.equal(self.get(r.function) ?? 0, r.flat, r.function);
        // A function that is never recursive has cum = the sum of its tree nodes' totals.
        const main = top(set).rows.find((r) => r.function === 'main.main');
        if (main) {
          let cum = 0;
          for (let i = 1; i < t.size; i++) if (set.frames[t.frame[i]].name === 'main.main') cum += t.total[i];
          assert.equal(cum, main.cum);
        }
        // The node's line is one of its function's sample lines.
        for (let i = 1; i < t.size; i++) {
          const f = set.frames[t.frame[i]];
          const lines = new Set(set.frames.filter((x) => x.name === f.name).map((x) => x.line));
          assert.ok(lines.has(t.line[i]), `${f.name}: line ${t.line[i]}`);
        }
      });
    }
  });
}

describe('pruning and the view', () => {
  const dir = toolchainDirs().at(-1)!;
  const p = decodeProfile(fixture(dir, 'cpu.pprof'));
  const set = stacks(p, 1);
  test('pruned nodes are below the limit and totals stay', () => {
    const t = callTree(set);
    const pr = prune(t, 0.05);
    assert.ok(pr.size < t.size);
    assert.equal(pr.total[0], t.total[0]);
    for (let i = 1; i < pr.size; i++) assert.ok(Math.abs(pr.total[i]) >= 0.05 * t.total[0]);
    for (let i = 1; i < pr.size; i++) assert.ok(pr.parent[i] < i, 'parents precede children');
  });
  test('profileView ships a compact frame table and the top rows', () => {
    const v = profileView(p, { sampleIndex: 1, granularity: 'functions', filters: {}, topLimit: 5, minFraction: 0 });
    assert.equal(v.top.length, 5);
    assert.equal(v.treeSize, callTree(set).size);
    const merged = profileView(p, { sampleIndex: 1, granularity: 'functions', filters: {}, topLimit: 5, minFraction: 0, mergeRecursion: true });
    assert.equal(merged.treeSize, callTree(set, { collapseRecursion: true }).size, 'asked for, direct recursion merged');
    assert.equal(new Set(v.frameNames.map((n, i) => `${n}\0${v.frameFiles[i]}`)).size, v.frameNames.length);
    assert.equal(v.total, set.total);
    const hb = v.top.find((r) => r.function === 'main.hashBlock');
    if (hb) assert.equal(hb.line, p.functions.find((f) => f.name === 'main.hashBlock')!.startLine, 'function rows open at the function');
  });
});

describe('the drawing budget: deep and huge stacks stay drawable', () => {
  test('a million-frame recursive stack (a 1 KB file): the depth budget, or one box with recursion merged', () => {
    const file = deepStackProfile(1_000_000, false);
    assert.ok(file.length < 8 * 1024, `${file.length} bytes`);
    const p = decodeProfile(file);
    const plain = profileView(p, { sampleIndex: 0, granularity: 'functions', filters: {}, topLimit: 10, minFraction: 0.001 });
    assert.equal(plain.treeSize, DRAW_BUDGET.maxDepth + 1);
    assert.equal(plain.deeper, 1_000_000 - DRAW_BUDGET.maxDepth);
    const v = profileView(p, { sampleIndex: 0, granularity: 'functions', filters: {}, topLimit: 10, minFraction: 0.001, mergeRecursion: true });
    assert.equal(v.treeSize, 2, 'the root and main.recurse');
    assert.deepEqual(v.frameNames, ['main.recurse']);
    assert.equal(v.deeper, 0);
    assert.equal(v.tree.total[1], 1e6);
    // The top table is unaffected: pprof's flat and cum.
    assert.deepEqual(v.top.map((r) => [r.function, r.flat, r.cum]), [['main.recurse', 1e6, 1e6]]);
  });

  test('100k distinct frames: only the depth budget is drawn, and what is deeper is counted', () => {
    const p = decodeProfile(deepStackProfile(100_000, true));
    const v = profileView(p, { sampleIndex: 0, granularity: 'functions', filters: {}, topLimit: 10, minFraction: 0.001 });
    assert.equal(v.treeSize, DRAW_BUDGET.maxDepth + 1);
    assert.equal(v.deeper, 100_000 - DRAW_BUDGET.maxDepth);
    // Zooming into the deepest drawn frame draws the next levels below it.
    const path = Array.from({ length: DRAW_BUDGET.maxDepth }, (_, i) => `main.f${100_000 - i}`);
    const z = profileView(p, { sampleIndex: 0, granularity: 'functions', filters: {}, topLimit: 10, minFraction: 0.001, zoom: path });
    assert.equal(z.treeSize, 2 * DRAW_BUDGET.maxDepth + 1);
    assert.equal(z.deeper, 100_000 - 2 * DRAW_BUDGET.maxDepth);
    // Even with no width limit asked, the budget holds.
    assert.equal(profileView(p, { sampleIndex: 0, granularity: 'functions', filters: {}, topLimit: 1, minFraction: 0 }).treeSize, DRAW_BUDGET.maxDepth + 1);
  });

  test('the node budget keeps the widest nodes, connected', () => {
    const dir = toolchainDirs().at(-1)!;
    const p = decodeProfile(fixture(dir, 'cpu.pprof'));
    const t = callTree(stacks(p, 1));
    const max = Math.max(3, Math.floor(t.size / 4));
    const pr = prune(t, 0, -1, { maxDepth: 1000, maxNodes: max });
    assert.equal(pr.size, max);
    for (let i = 1; i < pr.size; i++) assert.ok(pr.parent[i] >= 0 && pr.parent[i] < i, 'parents kept and first');
    const kept = [...pr.total.subarray(1)].map(Math.abs).sort((a, b) => b - a);
    const all = [...t.total.subarray(1)].map(Math.abs).sort((a, b) => b - a);
    assert.deepEqual(kept, all.slice(0, max - 1), 'the widest nodes');
    assert.equal(pr.total[0], t.total[0]);
  });
});

test('direct recursion merges into one node with the outermost call\'s total (sort.pdqsort_func in the CPU fixture)', () => {
  const p = decodeProfile(fixture(toolchainDirs().at(-1)!, 'cpu.pprof'));
  const set = stacks(p, 1);
  const plain = callTree(set);
  const merged = callTree(set, { collapseRecursion: true });
  const name = (t: typeof plain, i: number) => set.frames[t.frame[i]]?.name;
  const selfCalls = (t: typeof plain) => { let n = 0; for (let i = 1; i < t.size; i++) if (t.parent[i] > 0 && name(t, i) === name(t, t.parent[i])) n++; return n; };
  assert.ok(selfCalls(plain) > 0, 'the fixture recurses');
  assert.equal(selfCalls(merged), 0);
  assert.ok(merged.size < plain.size);
  assert.equal(merged.total[0], plain.total[0]);
  // The outermost pdqsort node keeps its total; its self is what all levels had.
  const outer = (t: typeof plain) => { for (let i = 1; i < t.size; i++) if (name(t, i) === 'sort.pdqsort_func' && name(t, t.parent[i]) !== 'sort.pdqsort_func') return i; return -1; };
  assert.equal(merged.total[outer(merged)], plain.total[outer(plain)]);
  let sum = 0;
  for (let i = 1; i < merged.size; i++) sum += merged.self[i];
  assert.equal(sum, merged.total[0], 'self values still add up to the whole');
});
