// Numbers shown the same way by every face: one formatter per idea in core/format.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONFIDENCE_RANK, formatBytes, formatNs, formatShare, percentile, siteLabel } from '../../../src/core/format';
import { scaledLabel } from '../../../src/core/pprof/units';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { fixture, ROOT, toolchainDirs } from '../helpers/fixtures';

test('formatNs: three or four significant digits, the unit changing at 1000', () => {
  const cases: [number, string][] = [[0, '0ns'], [999.4, '999ns'], [1000, '1.00µs'], [12_345, '12.3µs'], [999_949, '999.9µs'],
    [1e6, '1.00ms'], [7_264_000, '7.26ms'], [15_600_000, '15.6ms'], [1e9, '1.00s'], [1.1e9, '1.10s'], [36e9, '36.0s']];
  for (const [ns, s] of cases) assert.equal(formatNs(ns), s, String(ns));
});

test('formatBytes scales by 1024 and spells units as pprof does, on a real heap profile\'s values', () => {
  const dir = toolchainDirs()[0];
  const p = decodeProfile(fixture(dir, 'heap.pprof'));
  const cols = p.sampleTypes.map((t, i) => (t.unit === 'bytes' ? i : -1)).filter((i) => i >= 0);
  const values = [...p.samples.values].filter((v, i) => v > 0 && cols.includes(i % p.sampleTypes.length));
  assert.ok(values.length > 10);
  for (const v of [...values, 512, 1023, 1024, 47_000, 41_400_000, 2 * 1024 ** 3]) {
    const ours = formatBytes(v);
    const unit = scaledLabel(v, 'bytes', 'auto').replace(/^[\d.]+/, '');
    assert.equal(ours.split(' ')[1], unit, `${v}: ${ours} vs pprof's ${unit}`);
  }
  assert.deepEqual([512, 48_026, 41_400_000, 2 * 1024 ** 3].map(formatBytes), ['512 B', '46.9 kB', '39.5 MB', '2.0 GB']);
});

test('formatShare: a fraction or part of a total, three significant digits', () => {
  assert.deepEqual([0.123, 0.0123, 0.000123, 1, 0].map((f) => formatShare(f)), ['12.3%', '1.23%', '0.01%', '100.0%', '0%']);
  assert.equal(formatShare(120e6, 1530e6), '7.84%');
  assert.equal(formatShare(1, 1e9), '<0.01%');
  assert.equal(formatShare(5, 0), '0%');
  assert.equal(formatShare(-30, 200), '-15.0%');
});

test('percentile is nearest rank, the same on number[] and Float64Array', () => {
  const xs = Array.from({ length: 101 }, (_, i) => (i * 7919) % 101).sort((a, b) => a - b);
  for (const q of [0, 0.01, 0.5, 0.9, 0.99, 1]) {
    assert.equal(percentile(xs, q), xs[Math.max(0, Math.ceil(q * xs.length) - 1)]);
    assert.equal(percentile(Float64Array.from(xs), q), percentile(xs, q));
  }
  assert.equal(percentile([], 0.5), 0);
  assert.equal(percentile([3, 9], 0.5), 3);
});

test('siteLabel and the confidence order', () => {
  assert.equal(siteLabel({ function: 'main.work', file: '/home/u/src/app/main.go', line: 59 }), 'main.work (main.go:59)');
  assert.equal(siteLabel(null), 'unknown');
  assert.ok(CONFIDENCE_RANK.proven > CONFIDENCE_RANK.likely && CONFIDENCE_RANK.likely > CONFIDENCE_RANK.possible);
});

// What the review found written over and over: kept out of every file but the formatters'.
const HOMEMADE: [RegExp, string][] = [
  [/\/\s*1e[369]\)\.toFixed\(/, 'a duration scaled by hand (use formatNs)'],
  [/(>=|\/=)\s*1024\b/, 'bytes scaled by hand (use formatBytes)'],
  [/\*\s*100\)\.toFixed\(|\*\s*100\)\s*\}%/, 'a share formatted by hand (use formatShare)'],
  [/function percentile\b|CONFIDENCE_RANK\s*[:=]/, 'a second percentile or confidence rank'],
  [/function where\(/, 'a second site label (use siteLabel)'],
];
const OWNERS = new Set(['src/core/format.ts', 'src/core/pprof/units.ts']);
/** Progress of a long read, not a share of anything shown. */
const PROGRESS = /fraction \* 100\)\.toFixed\(0\)/;

test('no file in src/ or webview/ formats these numbers itself', () => {
  const found: string[] = [];
  for (const top of ['src', 'webview']) {
    for (const f of readdirSync(join(ROOT, top), { recursive: true }).map(String).filter((x) => x.endsWith('.ts'))) {
      const rel = relative(ROOT, join(ROOT, top, f)).split('\\').join('/');
      if (OWNERS.has(rel)) continue;
      readFileSync(join(ROOT, rel), 'utf8').split('\n').forEach((line, i) => {
        for (const [re, what] of HOMEMADE) if (re.test(line) && !PROGRESS.test(line)) found.push(`${rel}:${i + 1}: ${what}`);
      });
    }
  }
  assert.deepEqual(found, []);
});
