// Thousands of mutated real profiles: each either decodes to a profile every operation
// can process, or throws one FormatError — never another exception, never a hang.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentionFrom } from '../../../src/core/artifacts/contention';
import { gcFrom } from '../../../src/core/artifacts/gc';
import { leaksFrom } from '../../../src/core/artifacts/leaks';
import { profileFromFile } from '../../../src/core/artifacts/profiles';
import { reportFindings } from '../../../src/core/artifacts/report';
import { schedFrom } from '../../../src/core/artifacts/sched';
import { traceSummaryFrom } from '../../../src/core/artifacts/summary';
import { FormatError, InputError } from '../../../src/core/errors';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { defaultSampleIndex } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { callTree } from '../../../src/core/pprof/tree';
import { top } from '../../../src/core/pprof/top';
import { bytesFieldHeader, concat, GiB, gzipMember, MiB, zerosBomb, type Piece } from '../helpers/bombs';
import { fixture, toolchainDirs } from '../helpers/fixtures';

const ITERATIONS = Number(process.env.GOLENS_FUZZ_ITERATIONS ?? 3000);
const PER_INPUT_MS = 2000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const b = Uint8Array.from(src);
  const n = 1 + Math.floor(r() * 8);
  let out: Uint8Array = b;
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * out.length);
    switch (Math.floor(r() * 6)) {
      case 0: out[at] ^= 1 << Math.floor(r() * 8); break;
      case 1: out[at] = Math.floor(r() * 256); break;
      case 2: out = out.subarray(0, at); break;
      case 3: { const len = Math.floor(r() * 32); out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at, at + len), ...out.subarray(at)]); break; }
      case 4: out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + Math.floor(r() * 16))]); break;
      case 5: out[at] = [0x00, 0x7f, 0x80, 0xff][Math.floor(r() * 4)]; break;
    }
    if (out.length === 0) break;
  }
  return out;
}

test(`fuzz: ${ITERATIONS} mutated real profiles give a result or a FormatError`, () => {
  const dir = toolchainDirs().at(-1)!;
  const seeds = ['cpu.pprof', 'heap.pprof', 'mutex.pprof', 'goroutine.pprof'].map((n) => fixture(dir, n));
  const inputs = [...seeds.map((g) => new Uint8Array(gunzipSync(g))), ...seeds];
  const r = rng(0x601e5);
  let decoded = 0, rejected = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const src = inputs[i % inputs.length];
    let bytes = mutate(src, r);
    // Also mutate inside the gzip layer: gzip a mutated raw profile.
    if (i % 5 === 0 && i % 2 === 0) bytes = gzipSync(mutate(inputs[(i / 2) % seeds.length], r));
    const t0 = performance.now();
    try {
      const p = decodeProfile(bytes);
      if (p.sampleTypes.length) {
        const set = stacks(p, defaultSampleIndex(p));
        top(set, 'functions');
        top(set, 'lines');
        callTree(set, { minFraction: 0.001 });
      }
      decoded++;
    } catch (e) {
      if (!(e instanceof FormatError)) {
        assert.fail(`iteration ${i}: ${(e as Error)?.stack ?? e}\ninput (${bytes.length} bytes) starts ${Buffer.from(bytes.subarray(0, 32)).toString('hex')}`);
      }
      rejected++;
    }
    const ms = performance.now() - t0;
    assert.ok(ms < PER_INPUT_MS, `iteration ${i} took ${ms.toFixed(0)} ms`);
  }
  assert.equal(decoded + rejected, ITERATIONS);
  assert.ok(rejected > ITERATIONS / 10, `only ${rejected} rejected: mutations too weak`);
});

test('fuzz: gzip bombs, huge claimed lengths and concatenated members, mutated, end in a result or a FormatError quickly', () => {
  const dir = toolchainDirs().at(-1)!;
  const raws = ['cpu.pprof', 'goroutine.pprof'].map((n) => new Uint8Array(gunzipSync(fixture(dir, n))));
  const r = rng(0xb0b5);
  // Shapes: zeros (the classic bomb, also what a device gives), a real profile behind an
  // unknown field of huge claimed or real length, runs of small unknown fields, members.
  const shapes: (() => Piece[])[] = [
    () => [{ zeros: 64 * MiB }],
    () => [bytesFieldHeader(100, 3 * GiB), { zeros: 16 * MiB }, raws[0]],
    () => [bytesFieldHeader(100, 8 * MiB), { zeros: 8 * MiB }, raws[1]],
    () => [raws[0], { zeros: 32 * MiB }],
    () => [raws[1], bytesFieldHeader(2, 1 * GiB), { zeros: 4 * MiB }],
    () => [concat(Array.from({ length: 2000 }, () => concat([bytesFieldHeader(77, 500), new Uint8Array(500)]))), raws[0]],
  ];
  const members = (): Uint8Array => {
    const n = 1 + Math.floor(r() * 3);
    return concat(Array.from({ length: n }, () => gzipMember(shapes[Math.floor(r() * shapes.length)]())));
  };
  const pool = [zerosBomb(256 * MiB), ...Array.from({ length: 15 }, members)];
  const limits = [undefined, 1 * MiB, 12 * MiB, 64 * MiB];
  const N = Math.max(40, Math.floor(ITERATIONS / 40));
  let decoded = 0, rejected = 0;
  for (let i = 0; i < N; i++) {
    let bytes = pool[i % pool.length];
    if (r() < 0.5) bytes = mutate(bytes, r);
    const maxBytes = limits[Math.floor(r() * limits.length)];
    const t0 = performance.now();
    try {
      const p = decodeProfile(bytes, { maxBytes });
      if (p.sampleTypes.length) top(stacks(p, defaultSampleIndex(p)), 'functions');
      decoded++;
    } catch (e) {
      if (!(e instanceof FormatError)) assert.fail(`bomb iteration ${i}: ${(e as Error)?.stack ?? e}`);
      rejected++;
    }
    const ms = performance.now() - t0;
    assert.ok(ms < PER_INPUT_MS, `bomb iteration ${i} took ${ms.toFixed(0)} ms`);
  }
  assert.equal(decoded + rejected, N);
  assert.ok(decoded > 0 && rejected > 0, `${decoded} decoded, ${rejected} rejected`);
});

test('fuzz: device shapes (devices, FIFOs, links to them, folders, /proc) through every entry point end in one InputError or FormatError, at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'golens-devices-'));
  const fifo = join(dir, 'x.trace');
  execFileSync('mkfifo', [fifo]);
  symlinkSync('/dev/zero', join(dir, 'zero.pprof'));
  symlinkSync(fifo, join(dir, 'fifo-link.trace'));
  const paths = ['/dev/zero', '/dev/urandom', '/dev/null', fifo, join(dir, 'zero.pprof'), join(dir, 'fifo-link.trace'), dir, '/proc/self/environ', '/proc/self/mem'];
  const entries: [string, (p: string) => unknown][] = [
    ['profileFromFile', (p) => profileFromFile(p)], ['leaksFrom', (p) => leaksFrom([p])], ['contentionFrom', (p) => contentionFrom([p])],
    ['gcFrom', (p) => gcFrom(p)], ['schedFrom', (p) => schedFrom(p)], ['traceSummaryFrom', (p) => traceSummaryFrom(p)], ['reportFindings', (p) => reportFindings([p])],
  ];
  for (const p of paths) {
    for (const [name, f] of entries) {
      const t0 = Date.now();
      try {
        f(p);
      } catch (e) {
        assert.ok(e instanceof InputError || e instanceof FormatError, `${name}(${p}): ${(e as Error).stack}`);
      }
      assert.ok(Date.now() - t0 < PER_INPUT_MS, `${name}(${p}) took ${Date.now() - t0} ms`);
    }
  }
});
