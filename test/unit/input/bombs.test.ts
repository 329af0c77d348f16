// Gzip bombs and hostile lengths: a gzip'd profile inflates as a stream with a limit, unknown
// top-level fields are skipped without being stored, and every hostile shape ends in one
// FormatError quickly. Valid profiles decode exactly as their raw protobuf does.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FormatError } from '../../../src/core/errors';
import { gunzip } from '../../../src/core/artifacts/gzip';
import { decodeProfile, parseProfile } from '../../../src/core/pprof/decode';
import { inflateProfile } from '../../../src/core/pprof/inflate';
import { bytesFieldHeader, concat, GiB, gzipMember, hugeUnknownField, MiB, varint, zerosBomb } from '../helpers/bombs';
import { fixture, toolchainDirs } from '../helpers/fixtures';

const dir = toolchainDirs().at(-1)!;
const raw = new Uint8Array(gunzipSync(fixture(dir, 'heap.pprof')));
const cpuRaw = new Uint8Array(gunzipSync(fixture(dir, 'cpu.pprof')));

function rejects(f: () => unknown, what: RegExp, ms = 1000): FormatError {
  const t0 = performance.now();
  try {
    f();
  } catch (e) {
    const took = performance.now() - t0;
    assert.ok(e instanceof FormatError, `expected FormatError, got ${(e as Error)?.stack}`);
    assert.match(e.message, what);
    assert.ok(!e.message.includes('\n'), 'one line');
    assert.ok(took < ms, `took ${took.toFixed(0)} ms`);
    return e;
  }
  assert.fail(`accepted, expected ${what}`);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

/** The top-level fields of a raw profile, as byte ranges. */
function topLevelFields(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  const v = (): number => { let n = 0, m = 1; for (;;) { const x = b[i++]; n += (x & 0x7f) * m; m *= 128; if (x < 0x80) return n; } };
  while (i < b.length) {
    const start = i;
    const tag = v();
    if ((tag & 7) === 2) { const n = v(); i += n; } else v();
    out.push(b.subarray(start, i));
  }
  return out;
}

/** An unknown field (numbers 16 and up) of each wire type the decoder skips. */
function unknownField(r: () => number, size: number): Uint8Array {
  const field = 16 + Math.floor(r() * 5000);
  switch (Math.floor(r() * 4)) {
    case 0: return concat([varint(field * 8), Uint8Array.from([0xff, 0xff, 0xff, 0x7f])]);
    case 1: return concat([varint(field * 8 + 1), new Uint8Array(8).fill(0xab)]);
    case 2: return concat([varint(field * 8 + 5), new Uint8Array(4).fill(0xcd)]);
    default: return concat([bytesFieldHeader(field, size), new Uint8Array(size).fill(0x5a)]);
  }
}

describe('gzip bombs and hostile lengths', () => {
  test('a 1 GiB and an 8 GiB zero bomb (1 MB and 8 MB of gzip) are rejected at once', () => {
    for (const n of [1, 8]) {
      const bomb = zerosBomb(n * GiB);
      assert.ok(bomb.length < n * 1.1 * MiB, `${bomb.length} bytes`);
      rejects(() => decodeProfile(bomb), /invalid field tag 0 \(at byte 0\)/);
    }
  });

  test('a profile after an unknown field of 3 GiB: over the limit at the field\'s header, before inflating it', () => {
    const file = hugeUnknownField(cpuRaw, 3 * GiB);
    assert.ok(file.length < 3.5 * MiB, `${file.length} bytes`);
    const e = rejects(() => decodeProfile(file), /^decompressed size over the limit of 2\.0 GB: field 100 at inflated byte 0 claims 3\.0 GB \(at byte \d+\); a gzip bomb\? .*raise the limit with golens --max-bytes$/);
    assert.ok(e.offset! < file.length, 'the offset is in the compressed file');
    rejects(() => decodeProfile(file, { maxBytes: 1 * GiB, raiseWith: '--max-bytes' }), /over the limit of 1\.0 GB.*raise the limit with --max-bytes$/);
  });

  test('under a raised limit the unknown field is skipped, not stored: the profile decodes as without it', () => {
    const file = hugeUnknownField(cpuRaw, 24 * MiB);
    rejects(() => decodeProfile(file, { maxBytes: 16 * MiB }), /over the limit of 16\.0 MB/);
    const inflated = inflateProfile(file);
    assert.equal(inflated.total, 24 * MiB + cpuRaw.length + bytesFieldHeader(100, 24 * MiB).length);
    assert.deepEqual(inflated.data, cpuRaw, 'only the known fields are kept');
    assert.deepEqual(decodeProfile(file), parseProfile(cpuRaw));
  });

  test('many small unknown fields count toward the limit, and the stream stops there', () => {
    const field = concat([bytesFieldHeader(99, 1000), new Uint8Array(1000)]);
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < 8 * 1024; i++) pieces.push(field); // about 8 MiB
    const file = gzipMember([concat(pieces), cpuRaw]);
    rejects(() => decodeProfile(file, { maxBytes: 4 * MiB }), /^decompressed size over the limit of 4\.0 MB.* \(at byte \d+\)/);
    assert.deepEqual(decodeProfile(file, { maxBytes: 16 * MiB }), parseProfile(cpuRaw));
    // Unknown varints claim nothing: the running total stops them.
    const varints = new Uint8Array(3 * 2 * MiB);
    for (let i = 0; i < varints.length; i += 3) varints.set([0x80, 0x01, 0x00], i);
    rejects(() => decodeProfile(gzipMember([varints, cpuRaw]), { maxBytes: 4 * MiB }), /^decompressed size over the limit of 4\.0 MB \(at byte \d+\)/);
    assert.deepEqual(decodeProfile(gzipMember([varints, cpuRaw])), parseProfile(cpuRaw));
  });

  test('concatenated members: the limit is on all of them; a bomb in a later member is caught', () => {
    const half = Math.floor(raw.length / 2);
    // A profile split across members decodes as one.
    assert.deepEqual(decodeProfile(concat([gzipMember([raw.subarray(0, half)]), gzipMember([raw.subarray(half)])])), parseProfile(raw));
    // A valid profile, then a member of zeros.
    rejects(() => decodeProfile(concat([gzipMember([raw]), zerosBomb(1 * GiB)])), /invalid field tag 0 \(at byte \d+\)/);
    // A valid profile, then a member whose unknown field claims past the limit.
    rejects(() => decodeProfile(concat([gzipMember([raw]), hugeUnknownField(cpuRaw, 2 * GiB)])), /over the limit of 2\.0 GB: field 100 at inflated byte \d+ claims 2\.0 GB/);
    // Three members, each under the limit, together over it.
    const third = gzipMember([bytesFieldHeader(100, 3 * MiB), { zeros: 3 * MiB }]);
    rejects(() => decodeProfile(concat([third, third, third, gzipMember([raw])]), { maxBytes: 8 * MiB }), /over the limit of 8\.0 MB/);
    // A gzip inside the gzip is not inflated again.
    rejects(() => decodeProfile(gzipMember([zerosBomb(1 * GiB)])), /wire type|corrupt|not a pprof/);
  });

  test('gunzip (text inputs) has the same limit', () => {
    rejects(() => gunzip(zerosBomb(1 * GiB), { maxBytes: 16 * MiB }), /over the limit of 16\.0 MB/);
    assert.deepEqual(gunzip(gzipSync(raw)), raw);
  });

  test('unknown fields of every wire type, across chunk boundaries: the same profile as the raw bytes', () => {
    const fields = topLevelFields(raw);
    const want = parseProfile(raw);
    for (let seed = 1; seed <= 4; seed++) {
      const r = rng(seed);
      const parts: Uint8Array[] = [];
      for (const f of fields) {
        if (r() < 0.3) parts.push(unknownField(r, Math.floor(r() * (r() < 0.1 ? 300_000 : 40))));
        parts.push(f);
      }
      const stream = concat(parts);
      assert.deepEqual(parseProfile(stream), want, `seed ${seed}: the raw decoder skips them`);
      const inflated = inflateProfile(gzipSync(stream));
      assert.equal(inflated.total, stream.length);
      assert.deepEqual(inflated.data, raw, `seed ${seed}: the inflate keeps exactly the known fields`);
    }
  });

  test('a mutated profile is accepted or rejected the same, gzip\'d or raw', () => {
    const r = rng(0xb0b);
    const seeds = [raw, cpuRaw];
    for (let i = 0; i < 200; i++) {
      const b = Uint8Array.from(seeds[i % 2]);
      for (let k = 1 + Math.floor(r() * 4); k > 0; k--) {
        const at = Math.floor(r() * b.length);
        b[at] = [0x00, 0x7f, 0x80, 0xff, Math.floor(r() * 256)][Math.floor(r() * 5)];
      }
      if (b[0] === 0x1f && b[1] === 0x8b) continue;
      const outcome = (bytes: Uint8Array) => {
        try { decodeProfile(bytes); return 'ok'; } catch (e) { assert.ok(e instanceof FormatError, (e as Error).stack); return 'rejected'; }
      };
      assert.equal(outcome(gzipSync(b)), outcome(b), `mutation ${i}`);
    }
  });
});
