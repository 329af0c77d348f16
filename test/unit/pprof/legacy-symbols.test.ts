// Go's debug=1 text profiles name their frames in "#" comments. Each was written by a real
// Go runtime between two protobuf (debug=0) profiles of the same kind (generate-legacy.sh,
// pairs.json): GoLens's top on the text must be pprof's -top on the protobuf — exactly when
// the two protobufs agree, and between them when the profile moved (the runtime's own lock
// waits keep growing in the mutex profile). Differences Go itself makes, checked as such:
// the text shows an inlined call as its own frame (pprof marks the protobuf's "(inline)"),
// and goroutine/threadcreate texts hide the runtime frames a stack starts with (gopark…),
// which their protobufs keep.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { profileFromFile } from '../../../src/core/artifacts/profiles';
import { contentionFromProfiles } from '../../../src/core/analysis/contention';
import { sampleIndex, type Profile } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { readPprofTop, ROOT, type PprofTop } from '../helpers/fixtures';

const LEGACY = join(ROOT, 'test', 'fixtures', 'legacy');

interface Pair {
  profile: string; before: string; after: string; sampleType: string;
  granularity: 'functions' | 'lines'; stable: boolean;
}
// Not compared yet: allocs (its alloc_* counters grow between the writes, with rows the
// bounds check does not place), threadcreate (Go 1.23+ differ), goroutine at line
// granularity (main.write's line moves).
const pairs = (JSON.parse(readFileSync(join(LEGACY, 'pairs.json'), 'utf8')) as Pair[]).filter((p) =>
  !/\/(allocs|threadcreate)\./.test(p.profile) && !(p.profile.includes('/goroutine.') && p.granularity === 'lines'));

const cache = new Map<string, Profile>();
const load = (name: string) => {
  let p = cache.get(name);
  if (!p) { p = profileFromFile(join(LEGACY, name)); cache.set(name, p); }
  return p;
};
const hidesRuntime = (profile: string) => /\/(goroutine|threadcreate)\.debug1\.txt$/.test(profile);
const isRuntime = (name: string) => /^(runtime\.|internal\/runtime\/)/.test(name);
const byName = (t: PprofTop) => new Map(t.rows.map((r) => [r.name, r]));

test('every toolchain wrote a protobuf pair for every kind, and most held still', () => {
  for (const v of ['go1.19', 'go1.21', 'go1.27']) {
    for (const k of ['heap', 'block', 'mutex', 'goroutine']) {
      assert.ok(pairs.some((p) => p.profile === `${v}/${k}.debug1.txt`), `${v} ${k}`);
    }
  }
  for (const k of ['heap', 'block', 'goroutine']) {
    assert.ok(pairs.filter((p) => p.profile.includes(`/${k}.`)).every((p) => p.stable), `${k} is stable`);
  }
});

describe('golens top on a debug=1 text = go tool pprof -top on the protobuf written beside it', () => {
  for (const pair of pairs) {
    test(`${pair.profile} ${pair.sampleType} ${pair.granularity}${pair.stable ? '' : ' (moved between the protobufs)'}`, () => {
      const p = load(pair.profile);
      const got = top(stacks(p, sampleIndex(p, pair.sampleType)), pair.granularity);
      const before = readPprofTop('', pair.before, LEGACY), after = readPprofTop('', pair.after, LEGACY);
      const rows = got.rows.map((r) => ({ name: r.printable, flat: r.flat, cum: r.cum }));
      assert.ok(!rows.some((r) => r.name === '<unknown>'), 'every row is named');
      if (pair.stable && !hidesRuntime(pair.profile)) {
        assert.equal(got.total, before.total, 'total');
        assert.deepEqual(rows, before.rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum })));
        return;
      }
      if (pair.stable) {
        // The text hid the leading runtime frames: every row it has is the protobuf's (cum),
        // and what it lacks is the runtime's.
        assert.equal(got.total, before.total, 'total');
        const want = byName(before);
        for (const r of rows) assert.equal(want.get(r.name)?.cum, r.cum, r.name);
        const names = new Set(rows.map((r) => r.name));
        for (const w of before.rows) assert.ok(names.has(w.name) || isRuntime(w.name), `${w.name} missing`);
        return;
      }
      // Counters only grow: the text, written between the two, lies between them.
      assert.ok(before.total <= got.total && got.total <= after.total, `total ${before.total} ≤ ${got.total} ≤ ${after.total}`);
      const b = byName(before), a = byName(after);
      for (const r of rows) {
        const lo = b.get(r.name), hi = a.get(r.name);
        assert.ok(hi, `${r.name} is in the later protobuf`);
        assert.ok((lo?.flat ?? 0) <= r.flat && r.flat <= hi.flat, `${r.name} flat`);
        assert.ok((lo?.cum ?? 0) <= r.cum && r.cum <= hi.cum, `${r.name} cum`);
      }
      const names = new Set(rows.map((r) => r.name));
      for (const w of before.rows) assert.ok(names.has(w.name), `${w.name} missing`);
    });
  }
});

describe('golens contention on debug=1 mutex+block texts = on the protobufs', () => {
  const gos = [...new Set(pairs.map((p) => p.profile.split('/')[0]))];
  for (const go of gos) {
    test(go, () => {
      const text = contentionFromProfiles([load(`${go}/block.debug1.txt`)], [load(`${go}/mutex.debug1.txt`)]);
      const before = contentionFromProfiles([load(`${go}/block.before.pb.gz`)], [load(`${go}/mutex.before.pb.gz`)]);
      const after = contentionFromProfiles([load(`${go}/block.after.pb.gz`)], [load(`${go}/mutex.after.pb.gz`)]);
      assert.ok(text.sites.some((s) => s.waiter?.function === 'main.contend'), 'the planted mutex contention is found');
      // The user sites are stable (nothing ran between the writes); only the runtime's own
      // lock waits may grow.
      assert.deepEqual(after.sites, before.sites);
      assert.deepEqual(text.sites, before.sites);
      assert.deepEqual(text.channels, before.channels);
      assert.ok(before.runtime.waitNs <= text.runtime.waitNs && text.runtime.waitNs <= after.runtime.waitNs, 'runtime wait');
    });
  }
});
