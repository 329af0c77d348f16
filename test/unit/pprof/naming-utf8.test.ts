// Profile strings keep their bytes: decoding then encoding gives the bytes back, and the order
// of names is Go's bytewise order, which pprof sorts -top ties by.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { compareGo, decodeBytes, encodeBytes, hasRawBytes } from '../../../src/core/pprof/utf8';
import { namingBytes } from '../helpers/naming';

const bytes = (...b: number[]) => Uint8Array.from(b);

test('invalid UTF-8 round-trips; valid text decodes as usual', () => {
  for (const b of [bytes(0x77, 0xff, 0x78), bytes(0xed, 0xa0, 0x80), bytes(0xe2, 0x82), bytes(0xc0, 0xaf), bytes(0xf0, 0x90, 0x80, 0x80, 0xff)]) {
    assert.deepEqual([...encodeBytes(decodeBytes(b))], [...b]);
    assert.ok(hasRawBytes(decodeBytes(b)) || b[0] === 0xf0);
  }
  assert.equal(decodeBytes(new TextEncoder().encode('main.Map[go.shape.int] 😀 ü')), 'main.Map[go.shape.int] 😀 ü');
  assert.equal(hasRawBytes('\u{10080}'), false); // a real pair whose low half is in the held range
});

test('compareGo is bytewise order, also where UTF-16 order differs', () => {
  const words = ['a', 'ab', 'b', '\uffff', '😀', decodeBytes(bytes(0x61, 0xff)), decodeBytes(bytes(0xff)), 'é', '\ue000'];
  const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(encodeBytes(x)), Buffer.from(encodeBytes(y))));
  assert.deepEqual([...words].sort(compareGo), byBytes);
  assert.ok(compareGo('\uffff', '😀') < 0); // UTF-16 puts the surrogate first
});

test('the fixture with a raw byte in a file name decodes it as a held byte, not U+FFFD', () => {
  const files = decodeProfile(namingBytes('rawbytes.pprof')).functions.map((f) => f.filename);
  assert.ok(files.includes('./w\udcffx.go'), files.join('\n'));
  assert.ok(!files.some((f) => f.includes('\ufffd')));
});
