// Bad input gets one FormatError — what, where, a hint — never a crash or a hang; a file of
// another kind is named as such (core/artifacts sniffs before the decoder decodes).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { FormatError } from '../../../src/core/errors';
import { profileFromBytes } from '../../../src/core/artifacts/profiles';
import { fixture, ROOT, toolchainDirs } from '../helpers/fixtures';

const dir = toolchainDirs().at(-1)!;
const gz = fixture(dir, 'heap.pprof');
const raw = new Uint8Array(gunzipSync(gz));

function rejects(bytes: Uint8Array, what: RegExp): FormatError {
  try {
    profileFromBytes(bytes);
  } catch (e) {
    assert.ok(e instanceof FormatError, `expected FormatError, got ${(e as Error)?.stack}`);
    assert.match(e.message, what);
    assert.ok(!e.message.includes('\n'), 'one line');
    return e;
  }
  assert.fail(`accepted ${bytes.length} bytes, expected ${what}`);
}

describe('bad input', () => {
  test('empty file', () => { rejects(new Uint8Array(0), /empty file/); });
  test('truncated gzip, at many points', () => {
    for (const cut of [2, 10, 11, 50, Math.floor(gz.length / 2), gz.length - 9, gz.length - 1]) {
      const e = rejects(gz.subarray(0, cut), /truncated gzip|corrupt gzip/);
      assert.ok(e.hint, 'has a hint');
    }
  });
  test('truncated protobuf, at every tenth of the file', () => {
    for (let i = 1; i < 10; i++) {
      const cut = Math.floor((raw.length * i) / 10);
      rejects(raw.subarray(0, cut), /truncated|overruns|claims|no string table|not a pprof|refers to|corrupt|string_table|sample types/);
    }
  });
  test('truncated protobuf reports the byte offset', () => {
    const e = rejects(raw.subarray(0, Math.floor(raw.length / 2) + 3), /./);
    assert.ok(e.offset !== undefined || /refers to|no string table/.test(e.message), e.message);
  });
  test('flipped bytes in the gzip stream', () => {
    const bad = Uint8Array.from(gz);
    for (let i = 20; i < 60; i++) bad[i] ^= 0xff;
    rejects(bad, /corrupt gzip|truncated gzip/);
  });
  test('a Go execution trace is named as such', () => {
    const tdir = join(ROOT, 'test', 'fixtures', 'go-reference', 'v2');
    const files = readdirSync(tdir).filter((f) => f.endsWith('.trace'));
    assert.ok(files.length > 0);
    rejects(readFileSync(join(tdir, files[0])), /Go execution trace \(go 1\.2\d\), not a pprof profile/);
  });
  test('a text goroutine dump is named as such', () => {
    rejects(fixture(dir, 'goroutine.txt'), /text goroutine dump/);
  });
  test('an executable, JSON, plain text and random bytes', () => {
    rejects(readFileSync(process.execPath).subarray(0, 4096), /ELF executable/);
    rejects(new TextEncoder().encode('{"samples": []}'), /JSON/);
    rejects(new TextEncoder().encode('hello, this is not a profile\n'), /./);
    let seed = 7;
    const rnd = new Uint8Array(5000).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
    rejects(rnd, /./);
  });
  // Legacy text profiles are read now (test/unit/pprof/legacy*.test.ts); a broken one still
  // gets one line naming the format and the line.
  test('a broken legacy text profile', () => {
    rejects(new TextEncoder().encode('heap profile: 1: 2 [3: 4] @ heap/1048576\n1: 2 [3: 4] x 0x1\n'), /heap profile, line 2: malformed sample/);
  });
});
