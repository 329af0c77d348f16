// Contention-shaped profiles beyond Go's own pair of columns: JFR lock profiles converted to
// pprof (one column per file: only `delay`, or only `contentions`), .NET's lock_count /
// lock_time beside CPU and allocations, and a Go mutex profile with either column alone. Each
// is read, not refused; waits with no Go frame are totalled apart with pprof's total; a Go
// profile missing a column keeps its sites and says which number it lacks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contentionColumns, contentionFromProfiles, profileSide } from '../../../src/core/analysis/contention';
import { contentionFrom } from '../../../src/core/artifacts/contention';
import { WrongKindError } from '../../../src/core/errors';
import { decodeProfile } from '../../../src/core/pprof/decode';
import type { Profile } from '../../../src/core/pprof/model';
import { ROOT, toolchainDirs } from '../helpers/fixtures';
import { golensProcess } from '../helpers/golensproc';

const PYRO = join(ROOT, 'test', 'fixtures', 'wild', 'profiles', 'pyroscope');
const JFR = 'og__convert__jfr__cortex-dev-01__kafka-0__cpu_lock0_alloc0__0.jfr.gz';
const JFR_DELAY = join(PYRO, `${JFR}.block_delay_nanoseconds_block_count.17241709254077376921.pb.gz`);
const JFR_COUNT = join(PYRO, `${JFR}.mutex_contentions_count_mutex_count.17241709254077376921.pb.gz`);
const DOTNET = join(PYRO, 'pprof__dotnet.labels.pprof');

/** pprof's total for a -top file beside a wild profile ("Total samples = N…" or "of N total"). */
function pprofTotal(topFile: string): number {
  const text = readFileSync(topFile, 'utf8');
  const m = /Total samples = (\d+)/.exec(text) ?? /of (\d+)\S* total/.exec(text);
  assert.ok(m, topFile);
  return Number(m[1]);
}

test('JFR delay-only and contentions-only lock profiles are read, their waits totalled as not Go\'s', () => {
  const delay = contentionFrom([JFR_DELAY]);
  assert.deepEqual([delay.sites, delay.channels], [[], []]);
  assert.equal(delay.foreign?.waitNs, pprofTotal(`${JFR_DELAY}.0.top.txt`), 'pprof\'s delay total');
  assert.equal(delay.foreign?.count, 0);
  assert.deepEqual(delay.runtime, { waitNs: 0, count: 0 }, 'not blamed on the Go runtime');
  const count = contentionFrom([JFR_COUNT]);
  assert.equal(count.foreign?.count, pprofTotal(`${JFR_COUNT}.0.top.txt`), 'pprof\'s contentions total');
  assert.equal(count.foreign?.waitNs, 0);
  const both = contentionFrom([JFR_DELAY, JFR_COUNT]);
  assert.deepEqual(both.foreign, { waitNs: delay.foreign!.waitNs, count: count.foreign!.count });
});

test('.NET lock_time / lock_count columns among CPU and allocation columns are found', () => {
  const p = decodeProfile(readFileSync(DOTNET));
  const cols = contentionColumns(p)!;
  assert.equal(p.sampleTypes[cols.delay].type, 'lock_time');
  assert.equal(p.sampleTypes[cols.count].type, 'lock_count');
  const r = contentionFrom([DOTNET]);
  const k = p.sampleTypes.length;
  let ns = 0, n = 0;
  for (let i = 0; i < p.samples.count; i++) { ns += p.samples.values[i * k + cols.delay]; n += p.samples.values[i * k + cols.count]; }
  assert.deepEqual(r.foreign ?? { waitNs: 0, count: 0 }, ns || n ? { waitNs: ns, count: n } : { waitNs: 0, count: 0 });
});

test('a profile with no wait column is still refused, naming its columns', () => {
  const cpu = join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'cpu.pprof');
  assert.throws(() => contentionFrom([cpu]), (e: unknown) => e instanceof WrongKindError && /samples\/count, cpu\/nanoseconds/.test(e.message));
});

/** A Go profile as a converter that keeps one column would write it. */
function only(p: Profile, keep: string): Profile {
  const k = p.sampleTypes.length, j = p.sampleTypes.findIndex((t) => t.type === keep);
  const values = new Float64Array(p.samples.count);
  for (let i = 0; i < p.samples.count; i++) values[i] = p.samples.values[i * k + j];
  return { ...p, sampleTypes: [p.sampleTypes[j]], samples: { ...p.samples, values } };
}

for (const dir of toolchainDirs()) {
  test(`${dir}: a Go mutex profile with only delay, or only contentions, keeps its sites`, () => {
    const full = decodeProfile(readFileSync(join(ROOT, 'test', 'fixtures', 'pprof', dir, 'mutex.pprof')));
    const want = contentionFromProfiles([], [full]);
    for (const [keep, lacks] of [['delay', 'uncounted'], ['contentions', 'untimed']] as const) {
      const p = only(full, keep);
      assert.equal(profileSide(p), 'mutex', keep);
      const got = contentionFromProfiles([], [p]);
      assert.equal(got.foreign, undefined);
      const sig = (r: typeof want) => r.sites.map((s) => `${s.kind} ${s.releaser?.function}:${s.releaser?.line}`).sort();
      assert.deepEqual(sig(got), sig(want), keep);
      for (const s of got.sites) {
        const w = want.sites.find((x) => x.releaser?.function === s.releaser?.function && x.releaser?.line === s.releaser?.line && x.kind === s.kind)!;
        assert.equal(s[lacks], true, `${keep}: ${lacks}`);
        if (keep === 'delay') { assert.equal(s.waitNs, w.waitNs); assert.equal(s.count, 0); } else { assert.equal(s.count, w.count); assert.equal(s.waitNs, 0); }
      }
    }
  });
}

test('golens contention prints what a one-column profile lacks, and the waits that are not Go\'s', () => {
  const r = golensProcess('contention', JFR_DELAY);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Waiting in stacks with no Go frame .*: 100\.9ms\./);
  const j = golensProcess('contention', '--json', JFR_COUNT);
  assert.equal(j.code, 0, j.stderr);
  assert.deepEqual((JSON.parse(j.stdout) as { foreign: unknown }).foreign, { waitNs: 0, count: pprofTotal(`${JFR_COUNT}.0.top.txt`) });
});

test('a mutex profile of a stripped binary names no site by address; its waiting is all kept', () => {
  const full = decodeProfile(readFileSync(join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'mutex.pprof')));
  // As a binary without symbols writes it: the same samples and mappings, locations without lines.
  const stripped: Profile = { ...full, locations: full.locations.map((l) => ({ ...l, lines: [] })) };
  const r = contentionFromProfiles([], [stripped]);
  const names = [...r.sites, ...r.channels].flatMap((s) => [s.waiter?.function, s.releaser?.function]).filter(Boolean);
  assert.ok(names.every((n) => !/^0x[0-9a-f]+$/.test(n!)), names.join(', '));
  const want = contentionFromProfiles([], [full]);
  const total = (x: typeof r) => x.runtime.waitNs + (x.foreign?.waitNs ?? 0) + [...x.sites, ...x.channels].reduce((a, s) => a + s.waitNs, 0);
  assert.equal(total(r), total(want));
  assert.equal(r.foreign?.waitNs, total(want), 'no Go frame left to place it by: totalled apart');
});
