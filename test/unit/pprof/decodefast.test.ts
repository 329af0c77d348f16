// The sample decoder's fast path and its general reader agree: a profile whose samples
// alternate between the plain shape and shapes the fast path leaves to the general reader
// (unpacked location ids) decodes exactly as the original, label sets numbered the same; and
// top's integer edge table counts as a Map of edges does, through its growth.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parseProfile } from '../../../src/core/pprof/decode';
import { EdgeTable } from '../../../src/core/pprof/edgetable';
import { concat, varint } from '../helpers/bombs';
import { fixture, toolchainDirs } from '../helpers/fixtures';

/** Reads a varint at b[i]; returns [value, next index]. */
function readVarint(b: Uint8Array, i: number): [number, number] {
  let v = 0, m = 1;
  for (;;) { const x = b[i++]; v += (x & 0x7f) * m; m *= 128; if (x < 0x80) return [v, i]; }
}

/** The sample message with its packed location ids written one tag each (the same sample). */
function unpackLocations(msg: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < msg.length) {
    const start = i;
    let tag: number, n: number;
    [tag, i] = readVarint(msg, i);
    if ((tag & 7) === 2) { [n, i] = readVarint(msg, i); } else { [, i] = readVarint(msg, i); out.push(msg.subarray(start, i)); continue; }
    if (tag === 0x0a) {
      for (let j = i; j < i + n;) { const s = j; [, j] = readVarint(msg, j); out.push(Uint8Array.of(0x08), msg.subarray(s, j)); }
    } else out.push(msg.subarray(start, i + n));
    i += n;
  }
  return concat(out);
}

/** The raw profile with every other sample moved off the fast path. */
function alternate(raw: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  let i = 0, k = 0;
  while (i < raw.length) {
    const start = i;
    let tag: number, n: number;
    [tag, i] = readVarint(raw, i);
    if ((tag & 7) !== 2) { [, i] = readVarint(raw, i); out.push(raw.subarray(start, i)); continue; }
    [n, i] = readVarint(raw, i);
    if (tag === 0x12 && k++ % 2 === 1) {
      const msg = unpackLocations(raw.subarray(i, i + n));
      out.push(Uint8Array.of(0x12), varint(msg.length), msg);
    } else out.push(raw.subarray(start, i + n));
    i += n;
  }
  return concat(out);
}

describe('sample decoding: fast path and general reader', () => {
  test('samples alternating between the two decode as the original, on every fixture profile', () => {
    let labelled = 0, rewritten = 0;
    for (const dir of toolchainDirs()) {
      for (const name of ['allocs.pprof', 'heap.pprof', 'cpu.pprof', 'goroutine.pprof', 'mutex.pprof', 'block.pprof']) {
        let raw: Uint8Array;
        try { raw = new Uint8Array(gunzipSync(fixture(dir, name))); } catch { continue; }
        const want = parseProfile(raw);
        const mixed = alternate(raw);
        if (mixed.length !== raw.length) rewritten++;
        assert.deepEqual(parseProfile(mixed), want, `${dir}/${name}`);
        if (want.labelSets.length > 1) labelled++;
      }
    }
    assert.ok(rewritten > 30, `${rewritten} profiles rewritten`);
    assert.ok(labelled > 5, `${labelled} profiles with labels`);
  });
});

describe('EdgeTable', () => {
  test('counts each edge once per sample, inline only while every call is, through growth', () => {
    const table = new EdgeTable(4);
    const want = new Map<string, { w: number; inline: boolean; seen: number }>();
    let s = 12345;
    const rnd = (n: number) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
    for (let sample = 0; sample < 5000; sample++) {
      const w = rnd(100) - 20;
      for (let j = 0; j < 6; j++) {
        const from = rnd(300), to = rnd(300), inline = rnd(4) === 0;
        table.add(from, to, w, sample, inline);
        const key = `${from}>${to}`;
        const e = want.get(key) ?? { w: 0, inline: true, seen: -1 };
        if (e.seen !== sample) { e.seen = sample; e.w += w; }
        if (!inline) e.inline = false;
        want.set(key, e);
      }
    }
    const got = new Map<string, { w: number; inline: boolean }>();
    table.forEach((from, to, w, inline) => got.set(`${from}>${to}`, { w, inline }));
    assert.equal(table.size, want.size);
    assert.ok(want.size > 10_000, `${want.size} edges`);
    assert.deepEqual(got, new Map([...want].map(([k, e]) => [k, { w: e.w, inline: e.inline }])));
  });
});
