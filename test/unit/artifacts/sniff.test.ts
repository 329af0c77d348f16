// What a file is, from its content: every fixture kind is told apart by sniff.ts alone (one
// place), whatever the file is named; gzip is looked into.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openArtifact } from '../../../src/core/artifacts/load';
import { sniff, type ArtifactKind } from '../../../src/core/artifacts/sniff';
import { ROOT } from '../helpers/fixtures';

const F = (...p: string[]) => join(ROOT, 'test', 'fixtures', ...p);
const kindOf = (path: string): ArtifactKind => {
  const a = openArtifact(path);
  try { return a.kind; } finally { a.close(); }
};

describe('sniff', () => {
  test('each fixture kind', () => {
    const cases: [string, ArtifactKind][] = [
      [F('trace', 'go1.27', 'trace-leak.trace'), 'trace'],
      [F('trace', 'go1.21', 'trace-leak.trace'), 'trace'],
      [F('pprof', 'go1.27', 'cpu.pprof'), 'profile'],
      [F('leaks', 'go1.27', 'leakprof-1.pprof'), 'profile'],
      [F('leaks', 'go1.27', 'leakprof-1.txt'), 'goroutines'],
      [F('leaks', 'go1.27', 'leakprof.panic.txt'), 'goroutines'],
      [F('leaks', 'go1.27', 'leakprof.sigquit.txt'), 'goroutines'],
      [F('gctrace', 'go1.27', 'gc-log.log'), 'gctrace'],
      [F('sched', 'go1.27', 'schedtrace.log'), 'schedtrace'],
      [F('sched', 'go1.27', 'scheddetail.log'), 'schedtrace'],
      [F('escapes', 'go1.27', 'm2.txt'), 'compiler'],
      [F('README.md'), 'text'],
    ];
    for (const [path, kind] of cases) assert.equal(kindOf(path), kind, path);
  });

  test('by content, not by name; gzip is looked into', () => {
    const dir = mkdtempSync(join(tmpdir(), 'golens-sniff-'));
    const put = (name: string, data: Uint8Array | string) => { const p = join(dir, name); writeFileSync(p, data); return p; };
    assert.equal(kindOf(put('profile.pprof', readFileSync(F('trace', 'go1.27', 'trace-gc.trace')))), 'trace');
    assert.equal(kindOf(put('dump.gz', gzipSync(readFileSync(F('leaks', 'go1.27', 'leakprof-1.txt'))))), 'goroutines');
    assert.equal(kindOf(put('empty.trace', '')), 'empty');
    assert.equal(kindOf(put('debug1.txt', 'goroutine profile: total 2\n2 @ 0x43\n')), 'profile');
    // A dump after more than a head of the program's own output.
    assert.equal(kindOf(put('late.txt', 'log line\n'.repeat(1000) + readFileSync(F('leaks', 'go1.27', 'leakprof-1.txt'), 'utf8'))), 'goroutines');
    assert.equal(sniff(new TextEncoder().encode('{"a": 1}')), 'json');
    assert.equal(sniff(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0)), 'executable');
  });
});
