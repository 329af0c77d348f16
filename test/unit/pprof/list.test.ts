// pprof -list numbers (core/pprof/list) agree with top for every function, and the call
// tree's dominant line per node (core/pprof/tree) matches a plain recomputation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { functionLines } from '../../../src/core/pprof/list';
import { defaultSampleIndex } from '../../../src/core/pprof/model';
import { stackInto, stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { callTree, findPath } from '../../../src/core/pprof/tree';
import { fixture, ROOT, toolchainDirs } from '../helpers/fixtures';

const NAMES = ['cpu.pprof', 'allocs.pprof', 'mutex.pprof', 'goroutine.pprof'];

for (const dir of toolchainDirs()) {
  describe(`${dir}: function lines`, () => {
    for (const name of NAMES) {
      test(name, () => {
        const p = decodeProfile(fixture(dir, name));
        const set = stacks(p, defaultSampleIndex(p));
        for (const r of top(set).rows) {
          if (r.function.startsWith('0x') || r.function.startsWith('[')) continue;
          const fl = functionLines(set, r.function, r.file);
          assert.equal(fl.flat, r.flat, `${r.function} flat`);
          assert.equal(fl.cum, r.cum, `${r.function} cum`);
          assert.equal(fl.lines.reduce((a, l) => a + l.flat, 0), r.flat, `${r.function}: line flats add up`);
          for (const l of fl.lines) {
            assert.ok(l.cum >= l.flat && l.cum <= fl.cum, `${r.function}:${l.line} ${JSON.stringify(l)}`);
          }
          assert.deepEqual(fl.lines.map((l) => l.line), [...new Set(fl.lines.map((l) => l.line))].sort((a, b) => a - b));
        }
      });
    }
  });
}

describe('function lines, by hand', () => {
  test('cpu.pprof main.parseField: each sample counted once per line it passes', () => {
    const p = decodeProfile(fixture('go1.27', 'cpu.pprof'));
    const set = stacks(p, defaultSampleIndex(p));
    const fl = functionLines(set, 'main.parseField');
    const want = new Map<number, { flat: number; cum: number }>();
    const out = new Uint32Array(set.maxDepth);
    for (let x = 0; x < set.count; x++) {
      const n = stackInto(set, x, out);
      const seen = new Set<number>();
      for (let j = 0; j < n; j++) {
        const f = set.frames[out[j]];
        if (f.name !== 'main.parseField') continue;
        const c = want.get(f.line) ?? { flat: 0, cum: 0 };
        if (!seen.has(f.line)) { seen.add(f.line); c.cum += set.values[x]; }
        if (j === n - 1) c.flat += set.values[x];
        want.set(f.line, c);
      }
    }
    assert.ok(want.size >= 2, 'parseField has samples on several lines');
    assert.deepEqual(fl.lines, [...want].map(([line, c]) => ({ line, ...c })).sort((a, b) => a.line - b.line));
    assert.ok(fl.startLine > 0 && fl.startLine <= fl.lines[0].line);
  });
});

describe('call tree lines', () => {
  test('each node carries the line with the most value (ties: the lower line)', () => {
    for (const name of NAMES) {
      const p = decodeProfile(fixture('go1.27', name));
      const set = stacks(p, defaultSampleIndex(p));
      const t = callTree(set);
      // Recompute with string paths: path of function names → line → value.
      const byPath = new Map<string, Map<number, number>>();
      const out = new Uint32Array(set.maxDepth);
      for (let x = 0; x < set.count; x++) {
        if (set.values[x] === 0) continue;
        const n = stackInto(set, x, out);
        let path = '';
        for (let j = 0; j < n; j++) {
          const f = set.frames[out[j]];
          path += '\u0000' + f.name;
          const m = byPath.get(path) ?? new Map<number, number>();
          m.set(f.line, (m.get(f.line) ?? 0) + Math.abs(set.values[x]));
          byPath.set(path, m);
        }
      }
      const pathOf = (i: number): string => (i === 0 ? '' : pathOf(t.parent[i]) + '\u0000' + set.frames[t.frame[i]].name);
      assert.equal(byPath.size, t.size - 1, name);
      for (let i = 1; i < t.size; i++) {
        const m = byPath.get(pathOf(i))!;
        const best = [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
        assert.equal(t.line[i], best, `${name} node ${pathOf(i)}`);
      }
    }
  });

  test('the big fixture (programs/manystacks) has a call tree of over 100k nodes', () => {
    const p = decodeProfile(readFileSync(join(ROOT, 'test', 'fixtures', 'big', 'manystacks.pprof')));
    const t = callTree(stacks(p, defaultSampleIndex(p)));
    assert.ok(t.size >= 100_000, `${t.size} nodes`);
  });
});

describe('zoom detail', () => {
  test('under the zoomed node, pruning is relative to its own total; elsewhere to the root', () => {
    const p = decodeProfile(readFileSync(join(ROOT, 'test', 'fixtures', 'big', 'manystacks.pprof')));
    const set = stacks(p, defaultSampleIndex(p));
    const full = callTree(set);
    const name = (t: ReturnType<typeof callTree>, i: number) => set.frames[t.frame[i]].name;
    const pathTo = (t: ReturnType<typeof callTree>, i: number): string[] => (i === 0 ? [] : [...pathTo(t, t.parent[i]), name(t, i)]);
    const minFraction = 1 / 1000;
    const plain = callTree(set, { minFraction });
    // The deepest node kept without zoom: its subtree was cut.
    let deep = 1;
    const depthOf = (t: ReturnType<typeof callTree>, i: number) => pathTo(t, i).length;
    for (let i = 1; i < plain.size; i++) if (depthOf(plain, i) > depthOf(plain, deep)) deep = i;
    const zoom = pathTo(plain, deep);
    const zoomed = callTree(set, { minFraction, zoom });
    const z = findPath(zoomed, (i) => name(zoomed, i), zoom);
    assert.ok(z > 0, 'the zoom path exists in the zoomed tree');
    const limitZ = Math.abs(zoomed.total[z]) * minFraction;
    const limitRoot = Math.abs(zoomed.total[0]) * minFraction;
    let under = 0;
    for (let i = 1; i < zoomed.size; i++) {
      const path = pathTo(zoomed, i);
      const inside = path.length >= zoom.length && zoom.every((n, k) => path[k] === n);
      assert.ok(Math.abs(zoomed.total[i]) >= (inside ? limitZ : limitRoot), `${path.join(' > ')}`);
      if (inside && path.length > zoom.length) under++;
    }
    assert.ok(under > 10, `${under} nodes below the zoomed frame`);
    // Every node of the full tree above the zoom limit under the zoomed node is kept.
    const fz = findPath(full, (i) => name(full, i), zoom);
    let want = 0;
    const inZ = new Uint8Array(full.size);
    for (let i = 1; i < full.size; i++) {
      inZ[i] = i === fz || inZ[full.parent[i]] ? 1 : 0;
      if (inZ[i] && i !== fz && Math.abs(full.total[i]) >= limitZ) want++;
    }
    assert.equal(under, want);
    assert.equal(zoomed.size + (zoomed.dropped ?? 0), full.size);
  });
});
