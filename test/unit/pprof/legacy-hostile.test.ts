// Truncated, garbled and hostile legacy profiles: each is read or gets one FormatError
// naming the format, never another exception or a hang.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { profileFromBytes } from '../../../src/core/artifacts/profiles';
import { FormatError } from '../../../src/core/errors';
import { ROOT } from '../helpers/fixtures';

const LEGACY = join(ROOT, 'test', 'fixtures', 'legacy');
const files = [
  ...readdirSync(join(LEGACY, 'pprof-testdata')).map((f) => join('pprof-testdata', f)),
  ...['heap', 'block', 'mutex', 'goroutine'].map((f) => join('go1.27', `${f}.debug1.txt`)),
];
const enc = (s: string) => new TextEncoder().encode(s);

/** Decodes or throws a one-line FormatError; anything else fails the test. */
function readOrRefuse(bytes: Uint8Array, what: string): 'read' | 'refused' {
  try {
    profileFromBytes(bytes);
    return 'read';
  } catch (e) {
    assert.ok(e instanceof FormatError, `${what}: ${(e as Error)?.stack}`);
    assert.ok(!e.message.includes('\n'), `${what}: one line`);
    return 'refused';
  }
}

function refuses(bytes: Uint8Array, what: RegExp): void {
  assert.throws(() => profileFromBytes(bytes), (e) => e instanceof FormatError && what.test(e.message) && !e.message.includes('\n'));
}

describe('legacy profiles: truncated and garbled', () => {
  for (const f of files) {
    test(f, () => {
      const whole = new Uint8Array(readFileSync(join(LEGACY, f)));
      assert.equal(readOrRefuse(whole, f), 'read');
      const t0 = Date.now();
      for (let i = 1; i <= 24; i++) {
        const cut = Math.floor((whole.length * i) / 25);
        readOrRefuse(whole.subarray(0, cut), `${f} cut at ${cut}`);
      }
      let seed = whole.length;
      for (let round = 0; round < 24; round++) {
        const bad = whole.slice();
        for (let k = 0; k < 8; k++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          bad[seed % bad.length] = (seed >>> 8) & 0xff;
        }
        readOrRefuse(bad, `${f} garbled round ${round}`);
      }
      assert.ok(Date.now() - t0 < 10_000, 'bounded time');
    });
  }
});

describe('legacy profiles: hostile inputs', () => {
  test('a sample line longer than 64 KiB is refused, as pprof\'s scanner refuses it', () => {
    refuses(enc(`goroutine profile: total 1\n1 @${' 0x1'.repeat(20000)}\n`), /count profile, line 2: line longer than 64 KiB/);
  });
  test('an address past 64 bits', () => {
    refuses(enc('goroutine profile: total 1\n1 @ 0x10000000000000000\n'), /does not fit in 64 bits/);
    refuses(enc('heap profile: 1: 2 [1: 2] @ heap/2\n1: 2 [1: 2] @ 0x10000000000000000\n'), /does not fit in 64 bits/);
  });
  test('a heap sample with no objects but some bytes', () => {
    refuses(enc('heap profile: 1: 2 [1: 2] @ heap/2\n0: 2 [0: 2] @ 0x1\n'), /line 2: allocation count was 0 but allocation bytes was 2|inuse count was 0/);
  });
  test('a contention profile with an unknown attribute', () => {
    refuses(enc('--- mutex:\ncycles/second=1000\nwho knows=3\n'), /contention profile, line 3: unknown attribute/);
  });
  test('a threadz profile without its memory map ends in error, not a loop', () => {
    refuses(enc('--- threadz 1 ---\n\n--- Thread 1 (name: a/1) stack: ---\n  PC: 0x1 0x2\n'), /threadz profile/);
  });
  test('a binary CPU profile whose sample claims more frames than the file holds', () => {
    const words = [0, 3, 0, 10000, 0, 1, 0xffffff, 1, 2];
    const b = new Uint8Array(words.length * 8);
    const v = new DataView(b.buffer);
    words.forEach((w, i) => v.setBigUint64(i * 8, BigInt(w), true));
    refuses(b, /CPU profile: a sample claims 16777215 frames/);
  });
  test('a Java heap profile without resolution has no sample types', () => {
    refuses(enc('--- heapz 1 ---\nformat = java\n 10 1 @ 0x1\n'), /Java profile, line 3: no "resolution"/);
  });
});
