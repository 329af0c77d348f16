// Every fixture profile, from every Go toolchain, reports exactly what `go tool pprof -top`
// printed for it: same rows in the same order, same flat and cum, same total — for every
// sample type, both granularities, focus/ignore/hide/show, tag filters and diffs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { diff } from '../../../src/core/pprof/diff';
import { sampleIndex, type Profile } from '../../../src/core/pprof/model';
import { stacks, type Filters } from '../../../src/core/pprof/stacks';
import { top, type Granularity } from '../../../src/core/pprof/top';
import { fixture, readPprofTop, toolchainDirs, variants } from '../helpers/fixtures';

function optionsOf(args: string[]): { filters: Filters; granularity: Granularity; normalize: boolean } {
  const filters: Filters = {};
  let granularity: Granularity = 'functions';
  let normalize = false;
  for (const a of args) {
    const [flag, ...rest] = a.split('=');
    const value = rest.join('=');
    switch (flag) {
      case '-lines': granularity = 'lines'; break;
      case '-normalize': normalize = true; break;
      case '-diff_base': break;
      case '-focus': filters.focus = value; break;
      case '-ignore': filters.ignore = value; break;
      case '-hide': filters.hide = value; break;
      case '-show': filters.show = value; break;
      case '-tagfocus': (filters.tagFocus ??= []).push(value); break;
      case '-tagignore': (filters.tagIgnore ??= []).push(value); break;
      default: throw new Error(`variant uses ${a}, which this test does not translate`);
    }
  }
  return { filters, granularity, normalize };
}

const dirs = toolchainDirs();
test('fixtures exist for several Go toolchains', () => {
  assert.ok(dirs.length >= 2, `only ${dirs.join(', ')}`);
});

for (const dir of dirs) {
  describe(`${dir}: golens top = go tool pprof -top`, () => {
    const cache = new Map<string, Profile>();
    const load = (name: string) => {
      let p = cache.get(name);
      if (!p) { p = decodeProfile(fixture(dir, name)); cache.set(name, p); }
      return p;
    };
    for (const v of variants(dir)) {
      test(v.file, () => {
        const want = readPprofTop(dir, v.file);
        const { filters, granularity, normalize } = optionsOf(v.args);
        const p = load(v.profile);
        const si = sampleIndex(p, v.sampleType);
        if (v.base) {
          const got = diff(load(v.base), p, { sampleIndex: si, normalize, granularity, filters });
          assert.equal(got.baseTotal, want.total, 'base total');
          const rows = got.rows.map((r) => ({ flat: r.flat.delta, cum: r.cum.delta }));
          assert.deepEqual(rows, want.rows.map((r) => ({ flat: r.flat, cum: r.cum })));
          return;
        }
        const got = top(stacks(p, si, filters), granularity);
        assert.equal(got.total, want.total, 'total');
        assert.deepEqual(
          got.rows.map((r) => ({ name: r.printable, flat: r.flat, cum: r.cum, inline: r.inline })),
          want.rows,
        );
      });
    }
  });
}
