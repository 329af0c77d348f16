// The comparison panel's data: golens diff's rows split into regressions and improvements,
// both call trees, and the differential tree's base values per call path, on real profile
// pairs (alloc-base/alloc-new, and each kind from two toolchains); and the server's store.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { diff } from '../../../src/core/pprof/diff';
import { diffView, grew } from '../../../src/core/pprof/diffview';
import { sampleIndex, type Profile } from '../../../src/core/pprof/model';
import { stacks, stackInto } from '../../../src/core/pprof/stacks';
import type { DiffQuery, FlameData } from '../../../src/protocol/diff';
import { DiffStore } from '../../../src/server/diffs';
import { diffColor, parseColor, relativeChange } from '../../../webview/shared/flame/diffcolor';
import { fixture, PPROF_DIR, ROOT, toolchainDirs } from '../helpers/fixtures';

const dirs = toolchainDirs();
const NEW = dirs.at(-1)!;
const OLD = dirs.at(-2)!;
const load = (dir: string, name: string): Profile => decodeProfile(fixture(dir, name));
const q = (sampleIndex: number, normalize = false, minFraction = 0): DiffQuery => ({ sampleIndex, normalize, topLimit: Infinity, minFraction });

function cliJson(...args: string[]): { baseTotal: number; newTotal: number; rows: { function: string; flat: object; cum: object }[] } {
  // The real command line, as cli.test.ts runs it (importing its main would run it on load).
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args, '--json'], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Sum of the kept values per call path (names root→leaf joined), computed straight from the samples. */
function pathTotals(p: Profile, si: number, scaleBy = 1): Map<string, number> {
  const set = stacks(p, si, {}, scaleBy);
  const out = new Map<string, number>();
  const buf = new Uint32Array(set.maxDepth);
  for (let i = 0; i < set.count; i++) {
    if (set.values[i] === 0) continue; // nothing to draw
    const n = stackInto(set, i, buf);
    let path = '';
    for (let j = 0; j < n; j++) {
      path += `/${set.frames[buf[j]].name}`;
      out.set(path, (out.get(path) ?? 0) + set.values[i]);
    }
  }
  return out;
}

/** Per node of a flame: its path of names from the root's child. */
function nodePaths(f: FlameData<Int32Array | Float64Array>): string[] {
  const parent = f.tree.parent as Int32Array;
  const frame = f.tree.frame as Int32Array;
  const paths: string[] = new Array(f.treeSize);
  paths[0] = '';
  for (let i = 1; i < f.treeSize; i++) paths[i] = `${paths[parent[i]]}/${f.frameNames[frame[i]]}`;
  return paths;
}

describe('comparison view: tables equal golens diff', () => {
  const base = load(NEW, 'alloc-base.pprof');
  const next = load(NEW, 'alloc-new.pprof');
  for (const sample of ['alloc_space', 'alloc_objects', 'inuse_space']) {
    for (const normalize of [false, true]) {
      test(`alloc-base vs alloc-new, ${sample}${normalize ? ', normalized' : ''}`, () => {
        const si = sampleIndex(next, sample);
        const v = diffView(base, next, q(si, normalize));
        const cli = cliJson('diff', join(PPROF_DIR, NEW, 'alloc-base.pprof'), join(PPROF_DIR, NEW, 'alloc-new.pprof'), '--sample', sample, ...(normalize ? ['--normalize'] : []));
        assert.equal(v.baseTotal, cli.baseTotal);
        assert.equal(v.newTotal, cli.newTotal);
        assert.ok(v.regressions.every(grew) && !v.improvements.some(grew));
        // Splitting keeps golens diff's order inside each table, and loses no row.
        const strip = (r: { function: string; flat: object; cum: object }) => ({ function: r.function, flat: r.flat, cum: r.cum });
        assert.deepEqual(v.regressions.map(strip), cli.rows.filter((r) => grew(r as never)).map(strip));
        assert.deepEqual(v.improvements.map(strip), cli.rows.filter((r) => !grew(r as never)).map(strip));
        assert.equal(v.regressionCount + v.improvementCount, cli.rows.length);
      });
    }
  }

  test('the grown path is the first regression; normalized, the other paths shrink', () => {
    const si = sampleIndex(next, 'alloc_space');
    const abs = diffView(base, next, q(si));
    assert.equal(abs.regressions[0].function, 'main.allocRecords');
    assert.equal(abs.regressions[0].flat.delta, 2 * abs.regressions[0].flat.base, 'the program runs that path 3× in the new profile');
    assert.match(abs.regressions[0].file, /\/alloc\/main\.go$/);
    assert.ok(abs.regressions[0].line > 0);
    const norm = diffView(base, next, q(si, true));
    assert.ok(norm.ratio > 0.5 && norm.ratio < 0.6, `ratio ${norm.ratio}`);
    assert.equal(norm.regressions[0].function, 'main.allocRecords');
    assert.ok(norm.improvements.some((r) => r.function === 'main.newBuf'));
    assert.ok(!abs.improvements.some((r) => r.function === 'main.newBuf'), 'unchanged in absolute numbers');
  });

  test('topLimit caps each table, counts stay whole', () => {
    const si = sampleIndex(next, 'alloc_space');
    const v = diffView(base, next, { ...q(si, true), topLimit: 2 });
    assert.equal(v.regressions.length, Math.min(2, v.regressionCount));
    assert.equal(v.improvements.length, 2);
    assert.ok(v.improvementCount > 2);
  });
});

describe('comparison view: trees', () => {
  test('alloc-base vs alloc-new: the differential tree pairs each path with the base', () => {
    const base = load(NEW, 'alloc-base.pprof'), next = load(NEW, 'alloc-new.pprof');
    for (const normalize of [false, true]) {
      const si = sampleIndex(next, 'alloc_space');
      const v = diffView(base, next, q(si, normalize));
      const paths = nodePaths(v.diff);
      const basePaths = pathTotals(base, si);
      const newPaths = pathTotals(next, si, v.ratio);
      const bv = v.diff.baseValue as Float64Array;
      assert.equal(v.diff.treeSize - 1, newPaths.size);
      for (let i = 1; i < v.diff.treeSize; i++) {
        assert.equal(v.diff.tree.total[i], newPaths.get(paths[i]), paths[i]);
        assert.equal(bv[i], basePaths.get(paths[i]) ?? 0, paths[i]);
      }
    }
  });

  for (const [what, b, n, sample] of [
    ['cpu', [OLD, 'cpu.pprof'], [NEW, 'cpu.pprof'], 'cpu'],
    ['mutex', [OLD, 'mutex.pprof'], [NEW, 'mutex.pprof'], 'delay'],
    ['block', [OLD, 'block.pprof'], [NEW, 'block.pprof'], 'contentions'],
    ['goroutine', [OLD, 'goroutine.pprof'], [NEW, 'goroutine.pprof'], 'goroutine'],
  ] as [string, [string, string], [string, string], string][]) {
    for (const normalize of [false, true]) {
      test(`${what} (${OLD} → ${NEW})${normalize ? ', normalized' : ''}: each node carries the values at its call path`, () => {
        const base = load(...b), next = load(...n);
        const si = sampleIndex(next, sample);
        const v = diffView(base, next, q(si, normalize));
        assert.deepEqual(v.regressions.concat(v.improvements).length, diff(base, next, { sampleIndex: si, normalize }).rows.length);
        const basePaths = pathTotals(base, si);
        const newPaths = pathTotals(next, si, v.ratio);
        // The base and new graphs are each profile's own tree.
        const check = (f: FlameData<Int32Array | Float64Array>, want: Map<string, number>) => {
          const paths = nodePaths(f);
          for (let i = 1; i < f.treeSize; i++) assert.equal(f.tree.total[i], want.get(paths[i]), paths[i]);
          assert.equal(f.treeSize - 1, want.size);
        };
        check(v.base, basePaths);
        if (!normalize) check(v.next, newPaths);
        // The differential graph: the (scaled) new tree, each node with the base's value at its path.
        check(v.diff, newPaths);
        const paths = nodePaths(v.diff);
        const bv = v.diff.baseValue as Float64Array;
        for (let i = 1; i < v.diff.treeSize; i++) assert.equal(bv[i], basePaths.get(paths[i]) ?? 0, paths[i]);
      });
    }
  }

  test('trees kept between queries give the same views', () => {
    const base = load(OLD, 'cpu.pprof'), next = load(NEW, 'cpu.pprof');
    const cache = new Map();
    for (const sample of ['cpu', 'samples']) {
      for (const normalize of [false, true, false]) {
        const query = q(sampleIndex(next, sample), normalize, 1 / 4000);
        assert.deepEqual(diffView(base, next, query, cache), diffView(base, next, query));
      }
    }
    assert.deepEqual([...cache.keys()].sort(), ['base 0', 'base 1', 'new 0 0.00025', 'new 1 0.00025']);
  });

  test('minFraction prunes all three graphs, keeping the roots whole', () => {
    const base = load(OLD, 'cpu.pprof'), next = load(NEW, 'cpu.pprof');
    const si = sampleIndex(next, 'cpu');
    const full = diffView(base, next, q(si));
    const pruned = diffView(base, next, q(si, false, 0.01));
    for (const k of ['base', 'next', 'diff'] as const) {
      assert.ok(pruned[k].treeSize < full[k].treeSize, k);
      assert.equal(pruned[k].tree.total[0], full[k].tree.total[0]);
    }
  });
});

describe('differential colour', () => {
  const palette = { same: parseColor('rgb(128, 128, 128)'), grow: parseColor('color(srgb 0.9 0.2 0.2)'), shrink: parseColor('rgb(40, 200, 60)') };
  test('red for growth, green for shrinkage, neutral unchanged, deeper for larger change', () => {
    const rgb = (s: string) => parseColor(s);
    const [r1, g1] = rgb(diffColor({ value: 300, base: 100 }, palette));
    assert.ok(r1 > g1);
    const [r2, g2] = rgb(diffColor({ value: 50, base: 100 }, palette));
    assert.ok(g2 > r2);
    assert.deepEqual(rgb(diffColor({ value: 7, base: 7 }, palette)), [128, 128, 128]);
    // Normalizing rounds each sample: the root of a normalized diff is off by a few bytes, not grown.
    assert.deepEqual(rgb(diffColor({ value: 2521524, base: 2521520 }, palette)), [128, 128, 128]);
    assert.notDeepEqual(rgb(diffColor({ value: 101, base: 100 }, palette)), [128, 128, 128]);
    const small = rgb(diffColor({ value: 110, base: 100 }, palette));
    const big = rgb(diffColor({ value: 400, base: 100 }, palette));
    assert.ok(big[0] > small[0] && big[1] < small[1]);
    assert.equal(relativeChange({ value: 5, base: 0 }), 1);
    assert.equal(relativeChange({ value: 0, base: 5 }), -1);
    assert.equal(relativeChange({ value: 0, base: 0 }), 0);
  });
});

describe('server: the comparison store', () => {
  const uri = (dir: string, name: string) => pathToFileURL(join(PPROF_DIR, dir, name)).toString();
  test('opens a pair, answers views as base64 columns, closes', async () => {
    const store = new DiffStore();
    const res = await store.openDiff({ base: { uri: uri(NEW, 'alloc-base.pprof') }, next: { uri: uri(NEW, 'alloc-new.pprof') } });
    assert.ok(res.ok, JSON.stringify(res));
    assert.equal(res.summary.base.fileName, 'alloc-base.pprof');
    assert.equal(res.summary.next.kind, 'allocs');
    const si = res.summary.next.sampleTypes.findIndex((t) => t.type === 'alloc_objects');
    const v = store.view({ id: res.summary.id, query: q(si) });
    assert.ok(v.ok);
    const f64 = (b64: string) => { const b = Buffer.from(b64, 'base64'); return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)); };
    const total = f64(v.view.diff.tree.total);
    const baseValue = f64(v.view.diff.baseValue);
    assert.equal(total[0], v.view.newTotal);
    assert.equal(baseValue[0], v.view.baseTotal);
    assert.equal(v.view.regressions[0].function, 'main.allocRecords');
    assert.equal(v.view.regressions[0].flat.delta, 40000);
    // Asked again (normalize toggled back), the same answer comes from the store's cache.
    const again = store.view({ id: res.summary.id, query: q(si) });
    assert.equal(again, v);
    const norm = store.view({ id: res.summary.id, query: q(si, true) });
    assert.ok(norm.ok && norm.view.ratio < 1 && norm !== v);
    store.close(res.summary.id);
    assert.equal(store.size, 0);
    assert.equal(store.view({ id: res.summary.id, query: q(si) }).ok, false);
  });

  test('profiles of different kinds: one clear error', async () => {
    const res = await new DiffStore().openDiff({ base: { uri: uri(NEW, 'cpu.pprof') }, next: { uri: uri(NEW, 'heap.pprof') } });
    assert.ok(!res.ok);
    assert.match(res.error.message, /^incompatible profiles: sample types \[samples\/count,cpu\/nanoseconds\] vs \[alloc_objects\/count,/);
    assert.equal(res.error.hint, 'compare profiles of the same kind');
    assert.equal(res.fileName, 'cpu.pprof (cpu profile) and heap.pprof (heap profile)');
  });

  test('a bad file names itself', async () => {
    const full = fixture(NEW, 'mutex.pprof');
    const res = await new DiffStore().openDiff({
      base: { uri: uri(NEW, 'mutex.pprof') },
      next: { uri: 'untitled:half.pprof', base64: Buffer.from(full.subarray(0, full.length >> 1)).toString('base64') },
    });
    assert.ok(!res.ok);
    assert.equal(res.fileName, 'half.pprof');
    assert.match(res.error.message, /truncated gzip stream/);
  });
});
