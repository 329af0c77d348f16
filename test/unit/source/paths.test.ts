// Build paths from profiles map to workspace files by the longest shared path suffix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestSourceMatch } from '../../../src/core/source/paths';

const ws = [
  '/home/me/app/cmd/server/main.go',
  '/home/me/app/internal/store/store.go',
  '/home/me/app/internal/cache/store.go',
  '/home/me/app/main.go',
  'C:\\src\\app\\pkg\\util\\util.go',
];

test('a -trimpath module path finds the file by suffix', () => {
  assert.equal(bestSourceMatch('example.com/app/internal/store/store.go', ws)?.path, '/home/me/app/internal/store/store.go');
});
test('another machine\'s absolute path', () => {
  assert.equal(bestSourceMatch('/build/ci/app/cmd/server/main.go', ws)?.path, '/home/me/app/cmd/server/main.go');
  assert.equal(bestSourceMatch('/build/ci/app/main.go', ws)?.path, '/home/me/app/main.go');
});
test('the longest suffix wins', () => {
  assert.equal(bestSourceMatch('x/internal/cache/store.go', ws)?.segments, 3);
  assert.equal(bestSourceMatch('x/internal/cache/store.go', ws)?.path, '/home/me/app/internal/cache/store.go');
});
test('a bare file name that matches several files is ambiguous', () => {
  assert.equal(bestSourceMatch('/elsewhere/store.go', ws), undefined);
});
test('backslash paths', () => {
  assert.equal(bestSourceMatch('/ci/app/pkg/util/util.go', ws)?.path, 'C:\\src\\app\\pkg\\util\\util.go');
});
test('no match and empty path', () => {
  assert.equal(bestSourceMatch('runtime/proc.go', ws), undefined);
  assert.equal(bestSourceMatch('', ws), undefined);
});
