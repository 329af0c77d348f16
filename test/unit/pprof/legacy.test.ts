// Every legacy profile — google/pprof's own testdata (C++, Java, old Go) and the debug=1
// text profiles real Go runtimes wrote — reports exactly what `go tool pprof -top` printed
// for it, for every sample type at function and line granularity, read through the same
// load path as any profile; a file pprof refuses is refused too. On Go's debug=1 files
// pprof shows every row as <unknown> (it ignores the "#" frame comments GoLens reads), so
// there the total and any row pprof names must agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { profileFromFile } from '../../../src/core/artifacts/profiles';
import { FormatError } from '../../../src/core/errors';
import { sampleIndex, type Profile } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { readPprofTop, ROOT } from '../helpers/fixtures';

const LEGACY = join(ROOT, 'test', 'fixtures', 'legacy');

interface LegacyVariant {
  file: string;
  profile: string;
  sampleType?: string;
  granularity?: 'functions' | 'lines';
  error?: boolean;
}

const variants = JSON.parse(readFileSync(join(LEGACY, 'variants.json'), 'utf8')) as LegacyVariant[];

test('the legacy fixtures cover pprof testdata and several Go toolchains', () => {
  const profiles = new Set(variants.map((v) => v.profile));
  assert.ok([...profiles].filter((p) => p.startsWith('pprof-testdata/')).length >= 14);
  const gos = new Set([...profiles].filter((p) => p.startsWith('go1.')).map((p) => p.split('/')[0]));
  for (const v of ['go1.19', 'go1.22', 'go1.27']) assert.ok(gos.has(v), `${v} missing`);
  for (const f of ['heap', 'allocs', 'block', 'mutex', 'threadcreate', 'goroutine']) {
    assert.ok(profiles.has(`go1.27/${f}.debug1.txt`), f);
  }
});

describe('golens top = go tool pprof -top on legacy profiles', () => {
  const cache = new Map<string, Profile>();
  const load = (name: string) => {
    let p = cache.get(name);
    if (!p) { p = profileFromFile(join(LEGACY, name)); cache.set(name, p); }
    return p;
  };
  for (const v of variants) {
    test(v.file, () => {
      if (v.error) {
        const pprofSays = readFileSync(join(LEGACY, v.file), 'utf8');
        assert.match(pprofSays, /malformed|unrecognized/);
        assert.throws(() => profileFromFile(join(LEGACY, v.profile)), (e) => e instanceof FormatError && /malformed sample/.test(e.message));
        return;
      }
      const want = readPprofTop('', v.file, LEGACY);
      const p = load(v.profile);
      const got = top(stacks(p, sampleIndex(p, v.sampleType)), v.granularity ?? 'functions');
      assert.equal(got.total, want.total, 'total');
      const rows = got.rows.map((r) => ({ name: r.printable, flat: r.flat, cum: r.cum, inline: r.inline }));
      if (!v.profile.startsWith('go1.')) {
        assert.deepEqual(rows, want.rows);
        return;
      }
      // Go's debug=1 files: GoLens names the frames from their "#" comments where pprof says
      // <unknown> (legacy-symbols.test.ts checks those names); rows pprof names must agree.
      for (const w of want.rows.filter((r) => r.name !== '<unknown>')) {
        assert.deepEqual(rows.find((r) => r.name === w.name), w, w.name);
      }
      assert.equal(rows.reduce((a, r) => a + r.flat, 0), want.total, 'the flat column adds up to the total');
    });
  }
});
