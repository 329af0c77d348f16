// Tests and benchmarks of _test.go files: the benchme fixture's exactly as `go test -list`
// (the real test runner) lists them, and Go's naming and signature rules on a file of tricks
// that comments, strings, methods and near-miss names must not fool.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findGoTests, isGoTestFile, isTestName } from '../../../src/core/source/gotests';
import { ROOT } from '../helpers/fixtures';
import { goOf, hermeticGoEnv } from '../helpers/pprofserve';

const BENCHME = join(ROOT, 'test', 'fixtures', 'programs', 'benchme');

test('benchme_test.go: the finder names what go test -list lists (Go 1.27)', { skip: !goOf('1.27') && 'Go 1.27 not installed' }, () => {
  const src = readFileSync(join(BENCHME, 'benchme_test.go'), 'utf8');
  const found = findGoTests(src);
  const r = spawnSync(goOf('1.27')!, ['test', '-list', '.*', '.'], { cwd: BENCHME, env: hermeticGoEnv(join(ROOT, '.cache', 'programs')), encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const listed = r.stdout.split('\n').filter((l) => /^(Test|Benchmark)/.test(l)).sort();
  assert.deepEqual(found.map((f) => f.name).sort(), listed);
  assert.deepEqual(found.map((f) => [f.kind, f.name]), [['benchmark', 'BenchmarkChecksum'], ['benchmark', 'BenchmarkRender'], ['test', 'TestRender']]);
  // The lens goes on the func keyword's line.
  const lines = src.split('\n');
  for (const f of found) assert.match(lines[f.line - 1], new RegExp(`^func ${f.name}\\(`));
});

test('Go\'s rules: names, receivers, signatures, comments and strings', () => {
  const src = readFileSync(join(BENCHME, 'testdata', 'tricky_test.go'), 'utf8');
  const found = findGoTests(src).map((f) => `${f.kind}:${f.name}`);
  assert.deepEqual(found, [
    'test:Test', 'test:TestÄpfel', 'test:Test_under', 'benchmark:BenchmarkAliased', 'benchmark:Benchmark', 'test:TestNoBody', 'test:TestSplit',
  ]);
  const split = findGoTests(src).find((f) => f.name === 'TestSplit')!;
  assert.equal(split.nameLine, split.line + 1);
});

test('isTestName follows Go\'s isTest; only _test.go files hold tests', () => {
  assert.ok(isTestName('Test', 'Test'));
  assert.ok(isTestName('TestX', 'Test'));
  assert.ok(isTestName('Test1', 'Test'));
  assert.ok(isTestName('Test_x', 'Test'));
  assert.ok(isTestName('TestÉté', 'Test'));
  assert.ok(!isTestName('Testx', 'Test'));
  assert.ok(!isTestName('Testé', 'Test'));
  assert.ok(!isTestName('Tes', 'Test'));
  assert.ok(isGoTestFile('/a/b/x_test.go'));
  assert.ok(!isGoTestFile('/a/b/x.go'));
  assert.ok(!isGoTestFile('/a/b/x_test.go.txt'));
});

test('half-written and hostile sources give no tests and never throw', () => {
  for (const s of ['', 'func', 'func Test', 'func TestX(', 'func TestX(t *testing.', 'package p\nfunc TestX(t *testing.T', '"unterminated\nfunc TestY(t *testing.T) {}']) {
    const r = findGoTests(s);
    assert.ok(Array.isArray(r));
  }
  assert.deepEqual(findGoTests('"unterminated\nfunc TestY(t *testing.T) {}').map((f) => f.name), ['TestY']);
  assert.deepEqual(findGoTests('func f() {\n\tfunc TestInner(t *testing.T) {}\n}').map((f) => f.name), []);
});
