// The call tree the flame graph draws agrees with top (same cum per function on each path,
// same totals), keeps its sums through pruning, and every node's line lies in its function.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { defaultSampleIndex } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { callTree, prune } from '../../../src/core/pprof/tree';
import { profileView } from '../../../src/core/pprof/view';
import { fixture, toolchainDirs } from '../helpers/fixtures';

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
    assert.equal(new Set(v.frameNames.map((n, i) => `${n}\0${v.frameFiles[i]}`)).size, v.frameNames.length);
    assert.equal(v.total, set.total);
    const hb = v.top.find((r) => r.function === 'main.hashBlock');
    if (hb) assert.equal(hb.line, p.functions.find((f) => f.name === 'main.hashBlock')!.startLine, 'function rows open at the function');
  });
});
