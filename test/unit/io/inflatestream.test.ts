// The streaming inflate under golens top (core/io/inflatestream.ts) on a real 4.8 MB profile
// (test/fixtures/big/manystacks.pprof, many 256 KiB chunks): one member streams whole, with
// zlib checking its CRC; several members (joined anywhere, across chunk boundaries), trailing
// bytes or a corrupt member are declined, and `golens top` then answers as the whole-file
// decoder does: the same table, or the same one-line error.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { topFromFile } from '../../../src/core/artifacts/topfile';
import { inflateFileChunks } from '../../../src/core/io/inflatestream';
import { ROOT } from '../helpers/fixtures';
import { golensProcess } from '../helpers/golensproc';

const tmp = mkdtempSync(join(tmpdir(), 'golens-inflatestream-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const big = join(ROOT, 'test', 'fixtures', 'big', 'manystacks.pprof');
const raw = new Uint8Array(gunzipSync(readFileSync(big)));

/** What inflateFileChunks says of these bytes as a file, and the bytes it fed. */
async function stream(name: string, bytes: Uint8Array, limit = 2 ** 31): Promise<{ ok: boolean; fed: Buffer; chunks: number }> {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  const parts: Buffer[] = [];
  const ok = await inflateFileChunks(path, limit, (c) => { parts.push(Buffer.from(c)); return true; });
  return { ok, fed: Buffer.concat(parts), chunks: parts.length };
}

/** `golens top` of the file, run as a user runs it: exit status, stdout, stderr. */
function golensTop(path: string, ...flags: string[]): [number | null, string, string] {
  const r = golensProcess('top', path, ...flags);
  return [r.code, r.stdout, r.stderr];
}

const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));
const join2 = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

describe('streaming inflate of a gzip file', () => {
  test('one member: every inflated byte, in several chunks', async () => {
    assert.ok(raw.length > 4 << 20, `${raw.length} bytes inflated`);
    const s = await stream('one.pprof', readFileSync(big));
    assert.equal(s.ok, true);
    assert.ok(s.chunks >= 16, `${s.chunks} chunks`);
    assert.deepEqual(new Uint8Array(s.fed), raw);
  });

  test('several members, joined inside and across chunks: declined, and top is the whole-file top', async () => {
    const [code, want] = golensTop(big, '--json');
    assert.equal(code, 0);
    for (const cuts of [[1000], [(256 << 10) + 1], [3 << 20], [100, 256 << 10, (1 << 20) + 7, 4 << 20]]) {
      const bounds = [0, ...cuts, raw.length];
      const bytes = join2(...bounds.slice(1).map((end, i) => gz(raw.subarray(bounds[i], end))));
      const name = `members-${cuts.join('-')}.pprof`;
      const s = await stream(name, bytes);
      assert.equal(s.ok, false, name);
      // zlib itself joins the members: what was fed is the profile's bytes from the start.
      assert.deepEqual(new Uint8Array(s.fed), raw.subarray(0, s.fed.length), name);
      assert.equal(await topFromFile(join(tmp, name), {}, () => 0, 'functions'), undefined, name);
      assert.deepEqual(golensTop(join(tmp, name), '--json'), [0, want, ''], name);
    }
  });

  test('an empty member before the profile: the same bytes, streamed', async () => {
    const s = await stream('empty-first.pprof', join2(gz(new Uint8Array(0)), readFileSync(big)));
    assert.equal(s.ok, true);
    assert.deepEqual(new Uint8Array(s.fed), raw);
  });

  test('trailing bytes, a corrupt member or a bomb past the limit: declined, with the whole-file error', async () => {
    const one = new Uint8Array(readFileSync(big));
    const first = gz(raw.subarray(0, 3 << 20));
    const crcFirst = join2(first, gz(raw.subarray(3 << 20)));
    crcFirst[first.length - 8] ^= 1; // the first member's CRC, mid-file
    const crcLast = Uint8Array.from(one);
    crcLast[crcLast.length - 8] ^= 1;
    const deflate = Uint8Array.from(one);
    for (let i = 200000; i < 200040; i++) deflate[i] ^= 0x5a;
    const cases: [string, Uint8Array, RegExp | undefined][] = [
      ['trailing zeros', join2(one, new Uint8Array(64)), undefined],
      ['trailing bytes', join2(one, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])), /gzip/],
      // zlib passes over bytes after a member that start with a zero; these end as the size it inflated to.
      ['trailing bytes led by a zero', join2(one, Uint8Array.from([0, 1, 2, 3]), one.subarray(one.length - 4)), undefined],
      ['a bad CRC in the first of two members', crcFirst, /corrupt gzip data: incorrect data check/],
      ['a bad CRC in the only member', crcLast, /corrupt gzip data: incorrect data check/],
      // Garbled deflate data may still inflate, into bytes the protobuf reader rejects first.
      ['a corrupt deflate stream', deflate, /corrupt gzip data|this is not a pprof profile or it is corrupt/],
      ['cut short', one.subarray(0, one.length - 1000), /truncated gzip stream/],
    ];
    for (const [what, bytes, error] of cases) {
      const s = await stream(`${what}.pprof`, bytes);
      assert.equal(s.ok, false, what);
      const got = golensTop(join(tmp, `${what}.pprof`));
      if (error) {
        assert.equal(got[0], 2, what);
        assert.match(got[2], error, what);
        assert.equal(got[2].split('\n').length, 2, `${what}: one line`);
      }
    }
    // A limit below the inflated size stops the stream.
    assert.equal((await stream('limit.pprof', one, 1 << 20)).ok, false);
  });
});
