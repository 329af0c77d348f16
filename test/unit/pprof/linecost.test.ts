// Per-line cost against `go tool pprof -top -lines` on the real cpu and heap profiles of
// every toolchain: flat summed per file:line, cum as pprof counts it (once per sample).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { lineCosts, lineCostText } from '../../../src/core/pprof/linecost';
import { sampleIndex } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { fixture, readPprofTop, toolchainDirs } from '../helpers/fixtures';

const CASES: [string, string[]][] = [
  ['cpu', ['samples', 'cpu']],
  ['heap', ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']],
];

describe('per-line cost', () => {
  for (const dir of toolchainDirs()) {
    for (const [name, types] of CASES) {
      test(`${dir} ${name}.pprof: flat and cum per line equal pprof -top -lines`, () => {
        const p = decodeProfile(fixture(dir, `${name}.pprof`));
        let checked = 0;
        for (const type of types) {
          const ref = readPprofTop(dir, `${name}.${type}.lines.top.txt`);
          // pprof's rows are function + file:line; a line may hold several functions (rare).
          const want = new Map<string, { flat: number; cum: number; rows: number }>();
          for (const r of ref.rows) {
            const m = /^(\S+) (\S+):(\d+)$/.exec(r.name);
            if (!m) continue;
            const k = `${m[2]}:${m[3]}`;
            const w = want.get(k) ?? { flat: 0, cum: 0, rows: 0 };
            w.flat += r.flat; w.cum += r.cum; w.rows++;
            want.set(k, w);
          }
          const got = lineCosts(stacks(p, sampleIndex(p, type)));
          assert.equal(got.total, ref.total, `${type}: total`);
          const have = new Map<string, { flat: number; cum: number }>();
          for (const f of got.files) for (const l of f.lines) have.set(`${f.file}:${l.line}`, l);
          assert.deepEqual([...have.keys()].sort(), [...want.keys()].sort(), `${type}: the same lines`);
          for (const [k, w] of want) {
            const h = have.get(k)!;
            assert.equal(h.flat, w.flat, `${type} ${k}: flat`);
            // Several functions on one line: pprof's cum is per function, ours per line (at most their sum).
            if (w.rows === 1) assert.equal(h.cum, w.cum, `${type} ${k}: cum`);
            else assert.ok(h.cum <= w.cum && h.cum >= Math.max(h.flat, 0), `${type} ${k}: cum ${h.cum} of ${w.cum}`);
            checked++;
          }
        }
        assert.ok(checked > 20, `${checked} lines checked`);
      });
    }
  }

  test('inlined frames count at their own lines (cpu: main.mix inlined into main.hashBlock)', () => {
    const p = decodeProfile(fixture('go1.27', 'cpu.pprof'));
    const got = lineCosts(stacks(p, sampleIndex(p, 'cpu')));
    const main = got.files.find((f) => f.file.endsWith('cpu/main.go'))!;
    const mix = main.lines.filter((l) => l.functions.includes('main.mix'));
    assert.ok(mix.length > 0 && mix.some((l) => l.flat > 0));
    // The line of main.hashBlock that calls the inlined mix carries mix's time in its cum.
    const callers = main.lines.filter((l) => l.functions.includes('main.hashBlock') && l.cum > l.flat);
    assert.ok(callers.length > 0);
  });

  test('the end-of-line text', () => {
    assert.equal(lineCostText({ flat: 120e6, cum: 300e6 }, 1530e6, 'nanoseconds'), 'flat 7.84% · 120ms — cum 19.6% · 300ms');
    assert.equal(lineCostText({ flat: 0, cum: 550e6 }, 1530e6, 'nanoseconds'), 'cum 35.9% · 550ms');
    assert.equal(lineCostText({ flat: 1536, cum: 1536 }, 4096, 'bytes'), 'flat 37.5% · 1.50kB — cum 37.5% · 1.50kB');
  });
});
