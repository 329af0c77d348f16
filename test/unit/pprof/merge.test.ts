// Merging profiles (golens top a.pprof b.pprof, the fleet's test server): what comes out is a
// profile go tool pprof itself reads, with the inputs' totals summed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { merge } from '../../../src/core/pprof/merge';
import { encodeProfile } from '../helpers/encode';
import { fixture, readPprofTop } from '../helpers/fixtures';

const GO = '/usr/lib/go-1.27/bin/go';

test('a merge numbers its mappings anew: every id once, and go tool pprof reads it with the summed total', (t) => {
  const a = decodeProfile(fixture('go1.27', 'alloc-base.pprof'));
  const b = decodeProfile(fixture('go1.27', 'alloc-new.pprof'));
  const m = merge([a, b]);
  assert.ok(a.mappings.length > 0 && b.mappings.length > 0);
  const ids = m.mappings.map((x) => x.id);
  assert.equal(new Set(ids).size, ids.length, `mapping ids repeat: ${ids.join(',')}`);
  assert.equal(m.mappings.length, a.mappings.length + b.mappings.length);
  for (const l of m.locations) if (l.mapping >= 0) assert.ok(m.mappings[l.mapping], 'each location names a mapping of the merge');
  if (!spawnSync(GO, ['version']).stdout) { t.skip('Go 1.27 is not installed'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'golens-merge-'));
  writeFileSync(join(dir, 'merged.pprof'), encodeProfile(m));
  const r = spawnSync(GO, ['tool', 'pprof', '-symbolize=none', '-top', '-unit=B', '-sample_index=alloc_space', join(dir, 'merged.pprof')], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  assert.equal(r.status, 0, r.stderr);
  writeFileSync(join(dir, 'top.txt'), r.stdout);
  const sum = (p: typeof a) => { const k = p.sampleTypes.findIndex((s) => s.type === 'alloc_space'); let n = 0; for (let i = 0; i < p.samples.count; i++) n += p.samples.values[i * p.sampleTypes.length + k]; return n; };
  const top = readPprofTop('', 'top.txt', dir);
  assert.equal(top.total, sum(a) + sum(b));
});
