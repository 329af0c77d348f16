// The golens process on gzip bombs and hostile lengths: exit 2, one line on stderr, in
// bounded time and memory. Peak memory is the child's max RSS as /usr/bin/time -f %M reports
// it (the kernel's count for the whole process), or, without it, process.resourceUsage().maxRSS
// written at exit by a preloaded script.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { concat, GiB, gzipMember, hugeUnknownField, MiB, zerosBomb } from '../helpers/bombs';
import { golensProcess } from '../helpers/golensproc';
import { fixture, ROOT, toolchainDirs } from '../helpers/fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'golens-bombs-'));
const cpuRaw = new Uint8Array(gunzipSync(fixture(toolchainDirs().at(-1)!, 'cpu.pprof')));

const golens = golensProcess;

function file(name: string, bytes: Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

function rejectsQuickly(path: string, what: RegExp, ...more: string[]): void {
  const r = golens('top', path, ...more);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], what);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  assert.ok(r.rssMB < 250, `peak RSS ${r.rssMB.toFixed(0)} MB`);
}

describe('golens on gzip bombs', () => {
  test('a 1 MB and an 8 MB gzip bomb: exit 2, one line, in bounded time and memory', () => {
    rejectsQuickly(file('bomb1.pb.gz', zerosBomb(1 * GiB)), /^golens: .*bomb1\.pb\.gz: invalid field tag 0 \(at byte 0\)/);
    rejectsQuickly(file('bomb8.pb.gz', zerosBomb(8 * GiB)), /^golens: .*bomb8\.pb\.gz: invalid field tag 0 \(at byte 0\)/);
  });

  test('a 3 MB profile with a 3 GiB unknown field: over the limit at once; a raised limit is --max-bytes', () => {
    const p = file('field3.pb.gz', hugeUnknownField(cpuRaw, 3 * GiB));
    rejectsQuickly(p, /^golens: .*field3\.pb\.gz: decompressed size over the limit of 2\.0 GB: field 100 at inflated byte 0 claims 3\.0 GB \(at byte \d+\); a gzip bomb\? if the profile is real, raise the limit with --max-bytes$/);
    rejectsQuickly(p, /over the limit of 512 MB/, '--max-bytes', '512M');
    const u = golens('top', p, '--max-bytes', 'lots');
    assert.equal(u.code, 2);
    assert.match(u.stderr, /^golens: --max-bytes needs a size such as 512M or 4G, not "lots"\n$/);
  });

  test('under a raised limit the field is skipped in constant memory and the profile shows', () => {
    const p = file('field40.pb.gz', hugeUnknownField(cpuRaw, 40 * MiB));
    rejectsQuickly(p, /over the limit of 32\.0 MB/, '--max-bytes=32M');
    const r = golens('top', p, '-n', '3', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).rows.length, 3);
    assert.ok(r.rssMB < 250, `peak RSS ${r.rssMB.toFixed(0)} MB`);
  });

  test('bombs in concatenated members', () => {
    rejectsQuickly(file('cat.pb.gz', concat([gzipMember([cpuRaw]), zerosBomb(4 * GiB)])), /invalid field tag 0 \(at byte \d+\)/);
    rejectsQuickly(file('cat2.pb.gz', concat([gzipMember([cpuRaw]), hugeUnknownField(cpuRaw, 4 * GiB)])), /decompressed size over the limit of 2\.0 GB: field 100/);
  });
});

describe('golens on devices, FIFOs and folders', () => {
  // A FIFO with no writer blocks an ordinary open forever; /dev/zero never ends.
  const PPROF = join(ROOT, 'test', 'fixtures', 'pprof', toolchainDirs().at(-1)!);
  const fifo = join(tmp, 'pipe.trace');
  spawnSync('mkfifo', [fifo]);
  const zeroLink = join(tmp, 'zero.pb.gz');
  spawnSync('ln', ['-s', '/dev/zero', zeroLink]);
  const cases: [string, string, RegExp][] = [
    ['/dev/zero', '/dev/zero', /is a device, not a file/],
    ['/dev/urandom', '/dev/urandom', /is a device, not a file/],
    ['a FIFO', fifo, /is a FIFO \(a named pipe\), not a file/],
    ['a link to /dev/zero', zeroLink, /is a device, not a file/],
    ['a folder', tmp, /is a directory/],
  ];
  const commands = [['top'], ['trace'], ['leaks'], ['contention'], ['gc'], ['sched'], ['report'], ['diff', join(PPROF, 'cpu.pprof')]];
  for (const [what, path, why] of cases) {
    test(`${what}: every command exits 2 with one line, at once`, () => {
      for (const cmd of commands) {
        const r = golens(...cmd, path);
        const lines = r.stderr.split('\n').filter((l) => l !== '');
        assert.equal(r.code, 2, `${cmd[0]}: ${r.stderr}`);
        assert.equal(lines.length, 1, `${cmd[0]}: ${r.stderr}`);
        assert.match(lines[0], why, cmd[0]);
        assert.ok(r.ms < 5000, `${cmd[0]} took ${r.ms} ms`);
        assert.ok(r.rssMB < 250, `${cmd[0]}: peak RSS ${r.rssMB.toFixed(0)} MB`);
      }
    });
  }
});
