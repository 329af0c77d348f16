// node:zlib behind the inflate seam: every committed profile (the go1.NN fixtures and the
// wild corpus) takes the fast path and decodes exactly as through pako; the streams it cannot
// vouch for (several members, trailing bytes, a lying trailer, corruption, bombs) go to pako
// and give pako's result or error.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FormatError } from '../../../src/core/errors';
import { nodeInflater } from '../../../src/core/io/inflate';
import { gunzip } from '../../../src/core/artifacts/gzip';
import { decodeProfile, isGzip } from '../../../src/core/pprof/decode';
import { inflateProfile } from '../../../src/core/pprof/inflate';
import { bytesFieldHeader, concat, GiB, gzipMember, zerosBomb } from '../helpers/bombs';
import { PPROF_DIR, toolchainDirs } from '../helpers/fixtures';
import { WILD } from '../helpers/wild';

function profilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(pprof|pb\.gz|prof)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name)).sort();
}

const files = [...toolchainDirs().flatMap((d) => profilesUnder(join(PPROF_DIR, d))), ...profilesUnder(join(WILD, 'profiles'))]
  .map((path) => ({ path, bytes: new Uint8Array(readFileSync(path)) }))
  .filter((f) => isGzip(f.bytes));
const fast = { inflater: nodeInflater };

/** The outcome of decoding: the profile, or the error's message. */
function outcome(f: () => unknown): unknown {
  try { return f(); } catch (e) { if (e instanceof FormatError) return `FormatError: ${e.message}`; throw e; }
}

describe('node:zlib inflate seam', () => {
  test('every committed gzip profile takes the fast path and decodes as through pako', () => {
    assert.ok(files.length > 100, `${files.length} profiles`);
    for (const { path, bytes } of files) {
      const want = new Uint8Array(gunzipSync(bytes));
      const got = nodeInflater.gunzipMember(bytes, want.length);
      assert.ok(got, `${path}: the fast path declined`);
      assert.deepEqual(got, want, path);
      assert.deepEqual(outcome(() => decodeProfile(bytes, fast)), outcome(() => decodeProfile(bytes)), path);
    }
  });

  const raw = new Uint8Array(gunzipSync(files[0].bytes));
  const one = new Uint8Array(gzipSync(raw));
  const cases: [string, Uint8Array][] = [
    ['two members', concat([new Uint8Array(gzipSync(raw.subarray(0, 100))), new Uint8Array(gzipSync(raw.subarray(100)))])],
    ['a member and trailing bytes', concat([one, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])])],
    ['a member and trailing zeros', concat([one, new Uint8Array(64)])],
    ['a trailer claiming fewer bytes', (() => { const b = Uint8Array.from(one); b[b.length - 4] ^= 1; return b; })()],
    ['a wrong CRC', (() => { const b = Uint8Array.from(one); b[b.length - 8] ^= 1; return b; })()],
    ['a corrupt deflate stream', (() => { const b = Uint8Array.from(one); for (let i = 20; i < 60; i++) b[i] ^= 0x5a; return b; })()],
    ['a truncated stream', one.subarray(0, one.length - 30)],
    ['a 1 GiB zero bomb', zerosBomb(1 * GiB)],
    ['an unknown field claiming 2 GiB', gzipMember([bytesFieldHeader(100, 2 * GiB), raw])],
  ];
  for (const [name, bytes] of cases) {
    test(`${name}: declined or identical, and decoded as through pako`, () => {
      const t0 = performance.now();
      const mine = outcome(() => decodeProfile(bytes, fast));
      assert.deepEqual(mine, outcome(() => decodeProfile(bytes)));
      const limit = { maxBytes: 16 * 2 ** 20 }; // a bomb inflates to its limit in gunzip
      assert.deepEqual(outcome(() => gunzip(bytes, { ...limit, ...fast })), outcome(() => gunzip(bytes, limit)));
      assert.ok(performance.now() - t0 < 5000, 'quickly');
    });
  }

  test('the fast path declines what it cannot vouch for', () => {
    for (const [name, bytes] of cases.slice(0, 7)) {
      const n = bytes.length;
      const claim = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
      assert.equal(nodeInflater.gunzipMember(bytes, claim), undefined, name);
    }
  });

  test('trailing bytes are declined even with the member\'s true size claimed (zlib skips those that begin with a zero)', () => {
    assert.deepEqual(nodeInflater.gunzipMember(one, raw.length), raw);
    for (const tail of [[0, 1, 2, 3], [0, 0, 0, 0, 0, 0, 0, 0], [0x1f, 0x8b], [1]]) {
      assert.equal(nodeInflater.gunzipMember(concat([one, Uint8Array.from(tail)]), raw.length), undefined, tail.join(','));
    }
  });

  test('unknown top-level fields are dropped in place: the kept bytes are the profile\'s', () => {
    const field = (n: number, size: number) => concat([bytesFieldHeader(n, size), new Uint8Array(size).map((_, i) => (i * 37) & 0xff)]);
    // Unknown fields before, between and after the known ones (a few KB each: the file stays
    // well under the fast path's 64x ratio).
    const stream = concat([field(100, 5000), raw, field(200, 3000), field(300, 1)]);
    const file = new Uint8Array(gzipSync(stream));
    const mine = inflateProfile(file, fast);
    assert.equal(mine.total, stream.length);
    assert.deepEqual(mine.data, raw);
    assert.deepEqual(mine, inflateProfile(file));
  });
});
