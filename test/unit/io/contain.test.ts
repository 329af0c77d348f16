// A workspace's links and `..` never lead GoLens to a file outside it, nor to a device or FIFO.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regularFileWithin } from '../../../src/core/io/contain';
import { scanGoFiles } from '../../../src/core/io/goscan';
import { WorkspaceSources } from '../../../src/server/sources';

function hostileWorkspace(): { ws: string; outside: string } {
  const top = realpathSync(mkdtempSync(join(tmpdir(), 'golens-contain-')));
  const ws = join(top, 'ws');
  const outside = join(top, 'outside');
  mkdirSync(join(ws, 'app'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.go'), 'package secret\n');
  writeFileSync(join(ws, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
  writeFileSync(join(ws, 'app', 'main.go'), 'package main\n\nfunc main() {}\n');
  symlinkSync(join(outside, 'secret.go'), join(ws, 'app', 'linked.go'));
  symlinkSync(outside, join(ws, 'linkdir'));
  symlinkSync('/dev/zero', join(ws, 'app', 'zero.go'));
  execFileSync('mkfifo', [join(ws, 'app', 'fifo.go')]);
  execFileSync('mkfifo', [join(ws, 'sub.mod')]);
  mkdirSync(join(ws, 'sub'));
  execFileSync('mkfifo', [join(ws, 'sub', 'go.mod')]);
  return { ws, outside };
}

test('regularFileWithin: only regular files really inside', () => {
  const { ws, outside } = hostileWorkspace();
  assert.equal(regularFileWithin(join(ws, 'app', 'main.go'), [ws]), join(ws, 'app', 'main.go'));
  assert.equal(regularFileWithin(join(ws, 'app', '..', 'app', 'main.go'), [ws]), join(ws, 'app', 'main.go'));
  assert.equal(regularFileWithin(join(ws, '..', 'outside', 'secret.go'), [ws]), undefined, '.. out of the workspace');
  assert.equal(regularFileWithin(join(ws, 'app', 'linked.go'), [ws]), undefined, 'a link to a file outside');
  assert.equal(regularFileWithin(join(ws, 'linkdir', 'secret.go'), [ws]), undefined, 'through a linked folder');
  assert.equal(regularFileWithin(join(ws, 'app', 'zero.go'), [ws]), undefined, 'a link to a device');
  assert.equal(regularFileWithin(join(ws, 'app', 'fifo.go'), [ws]), undefined, 'a FIFO');
  assert.equal(regularFileWithin(join(ws, 'app'), [ws]), undefined, 'a folder');
  assert.equal(regularFileWithin('/proc/self/environ', [ws]), undefined);
  // The outside folder allowed on its own terms (a user's source root).
  assert.equal(regularFileWithin(join(ws, 'app', 'linked.go'), [ws, outside]), join(outside, 'secret.go'));
});

test('scanGoFiles lists and reads only regular files: no links, devices or FIFOs (which would hang)', () => {
  const { ws } = hostileWorkspace();
  const { goFiles, goMods } = scanGoFiles([ws]);
  assert.deepEqual(goFiles, [join(ws, 'app', 'main.go')]);
  assert.deepEqual(goMods.map((m) => m.dir), [ws]);
});

test('the server\'s source mapper: frames naming paths outside, through .., links or devices map to nothing', () => {
  const { ws, outside } = hostileWorkspace();
  const sources = new WorkspaceSources();
  sources.refresh([ws]);
  assert.equal(sources.map(join(ws, 'app', 'main.go')), join(ws, 'app', 'main.go'));
  assert.equal(sources.map('example.com/app/app/main.go'), join(ws, 'app', 'main.go'));
  for (const evil of [
    [ws, ...Array(6).fill('..'), 'etc', 'hostname'].join('/'), join(ws, '..', 'outside', 'secret.go'), join(ws, 'app', 'linked.go'),
    join(ws, 'linkdir', 'secret.go'), join(ws, 'app', 'zero.go'), join(ws, 'app', 'fifo.go'), '/proc/self/environ', join(outside, 'secret.go'),
  ]) assert.equal(sources.map(evil), undefined, evil);
});
