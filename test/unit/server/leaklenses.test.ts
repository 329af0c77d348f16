// The language server's leak lenses over the real fixtures: artifacts named by path or glob,
// leaks placed on the go statements that created them, and the lens and hover text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ArtifactCache } from '../../../src/server/artifacts';
import { globToRegExp, hoverText, LeakLenses, lensTitle, resolveArtifacts } from '../../../src/server/leaklenses';
import { ROOT } from '../helpers/fixtures';

const WS = join(ROOT, 'test', 'fixtures');

describe('leak lenses', () => {
  test('globs', () => {
    assert.ok(globToRegExp('trace/**/*.trace').test('trace/go1.27/trace-leak.trace'));
    assert.ok(globToRegExp('**/*.trace').test('x.trace'));
    assert.ok(!globToRegExp('*.pprof').test('a/b.pprof'));
    assert.ok(globToRegExp('leaks/go1.2?/leakprof-*.pprof').test('leaks/go1.27/leakprof-2.pprof'));
    assert.ok(!globToRegExp('a.b').test('axb'), 'dots are literal');
  });

  test('artifacts resolve from paths and globs; missing ones are dropped', () => {
    const got = resolveArtifacts([WS], ['trace/go1.2[0-9]/nothing', 'trace/go1.2?/trace-leak.trace', 'does/not/exist.trace']);
    assert.ok(got.length >= 6, got.join('\n'));
    assert.ok(got.every((p) => p.endsWith('/trace-leak.trace')));
  });

  for (const [name, patterns] of [
    ['a Go 1.27 trace', ['trace/go1.27/trace-leak.trace']],
    ['a Go 1.21 trace (old format)', ['trace/go1.21/trace-leak.trace']],
  ] as const) {
    test(`${name}: each planted leak on its go statement`, () => {
      const go = patterns[0].split('/')[1];
      const planted = JSON.parse(readFileSync(join(WS, 'trace', go, 'trace-leak.expected.json'), 'utf8')).planted.leaks as { goLine: number; count: number; reason: string }[];
      const lenses = new LeakLenses(() => undefined);
      const placed = lenses.update([WS], new ArtifactCache().refresh(resolveArtifacts([WS], [...patterns])).leaks);
      assert.equal(placed, planted.length);
      const at = lenses.at(join(WS, 'programs', 'trace-leak', 'main.go'));
      const byLine = (x: [number, number, string], y: [number, number, string]) => x[0] - y[0];
      assert.deepEqual(at.map((a): [number, number, string] => [a.line, a.rows[0].count, a.rows[0].reason]).sort(byLine),
        planted.map((p): [number, number, string] => [p.goLine, p.count, p.reason]).sort(byLine));
      const send = at.find((a) => a.rows[0].reason === 'chan send')!;
      assert.match(lensTitle(send.rows, (f) => lenses.workspacePath(f) ?? f), /^⚠ 12 goroutines leaked here \(likely\) — blocked on chan send at main\.go:\d+ \(trace-leak\.trace\)$/);
      assert.match(hoverText(send.rows), /^\*\*GoLens: 12 goroutines leaked\*\* \(likely: /);
    });
  }

  test('goroutine profiles and dumps over time land on the same statements', () => {
    const lenses = new LeakLenses(() => undefined);
    const placed = lenses.update([WS], new ArtifactCache().refresh(resolveArtifacts([WS], ['leaks/go1.27/leakprof-1.pprof', 'leaks/go1.27/leakprof-2.pprof'])).leaks);
    assert.ok(placed >= 4, `${placed}`);
    const at = lenses.at(join(WS, 'programs', 'leakprof', 'main.go'));
    const src = readFileSync(join(WS, 'programs', 'leakprof', 'main.go'), 'utf8').split('\n');
    for (const a of at) assert.match(src[a.line - 1], /^\s*go /, `line ${a.line}`);
    // One row per statement: the two snapshots are one leak that grew, not two leaks.
    for (const a of at) assert.equal(a.rows.length, 1, `line ${a.line}: ${a.rows.map((r) => r.count).join('+')}`);
    assert.ok(at.every((a) => a.rows[0].confidence === 'likely' && a.rows[0].growth?.length === 2), 'growth across two profiles is likely');
    // The hover says over how many moments, and the count at each.
    for (const a of at) assert.match(hoverText(a.rows), new RegExp(`^- growth over 2 moments: ${a.rows[0].growth![0]} → ${a.rows[0].growth![1]}$`, 'm'));
  });

  test('unreadable artifacts are reported, not thrown', () => {
    const data = new ArtifactCache().refresh([join(WS, 'README.md')]);
    assert.equal(data.errors.length, 1);
    assert.match(data.errors[0], /README\.md: not a goroutine dump, a pprof profile or an execution trace/);
  });

  test('profiles other features read (heap, mutex, block) are skipped quietly', () => {
    const data = new ArtifactCache().refresh(['heap.pprof', 'mutex.pprof', 'block.pprof'].map((f) => join(WS, 'pprof', 'go1.27', f)));
    assert.deepEqual(data.errors, []);
  });
});
