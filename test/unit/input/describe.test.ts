// Errors say what a file looks like, never what it holds: a workspace can point GoLens at
// any file, and the messages reach the output channel, the CLI's stderr and the webviews.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { profileFromBytes } from '../../../src/core/artifacts/profiles';
import { openTraceSource } from '../../../src/core/artifacts/trace';
import { describeBytes } from '../../../src/core/errors';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { fixture, ROOT, toolchainDirs } from '../helpers/fixtures';

const enc = (s: string) => new TextEncoder().encode(s);
const SECRET = 'hunter2-SECRET';
/** Files that hold a secret in their first bytes, as a workspace could name them. */
const HOSTILE: [string, Uint8Array, RegExp][] = [
  ['passwd', enc(`root:x:0:0:${SECRET}:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n`), /^text starting with a word \(\d+ bytes\)$/],
  ['environ', enc(`TOKEN=${SECRET}\0HOME=/root\0PATH=/usr/bin\0`), /^binary data \(\d+ bytes\)$/],
  ['page.html', enc(`<!DOCTYPE html>\n<html><title>${SECRET}</title></html>\n`), /^HTML \(\d+ bytes\)$/],
  ['config.json', enc(`{"password": "${SECRET}"}`), /^a JSON object \(\d+ bytes\)$/],
  ['list.json', enc(`["${SECRET}"]`), /^a JSON array \(\d+ bytes\)$/],
  ['notes.txt', enc(`# ${SECRET}\n`), /^text starting with a # comment \(\d+ bytes\)$/],
  ['numbers.txt', enc(`12345 ${SECRET}\n`), /^text starting with a number \(\d+ bytes\)$/],
  ['utf8.txt', enc(`Überweisung ${SECRET} ✓\n`), /^text starting with a word \(\d+ bytes\)$/],
];

function message(f: () => unknown): string {
  try { f(); } catch (e) { return (e as Error).message; }
  assert.fail('accepted');
}

describe('errors describe files, never quote them', () => {
  test('what each kind of file looks like, with its size', () => {
    for (const [name, bytes, want] of HOSTILE) assert.match(describeBytes(bytes, bytes.length), want, name);
    assert.equal(describeBytes(new Uint8Array(0), 0), 'an empty file');
    const gz = fixture(toolchainDirs().at(-1)!, 'heap.pprof');
    assert.equal(describeBytes(gz, gz.length), `gzip data (${gz.length} bytes)`);
    const elf = readFileSync(process.execPath).subarray(0, 64);
    assert.equal(describeBytes(elf), 'an ELF executable');
    // A head cut inside a multi-byte character is still text.
    const cut = enc('héllo ✓').subarray(0, 8);
    assert.equal(describeBytes(cut), 'text starting with a word');
  });

  test('decoders and the wrong-kind errors never echo the bytes', () => {
    for (const [name, bytes] of HOSTILE) {
      const source = { size: bytes.length, read: (o: number, n: number) => bytes.subarray(o, o + n) };
      const gz = new Uint8Array(gzipSync(bytes));
      for (const [what, msg] of [
        ['as a profile', message(() => profileFromBytes(bytes))],
        ['gzip\'d, as a profile', message(() => profileFromBytes(gz))],
        ['by the decoder', message(() => decodeProfile(bytes))],
        ['as a trace', message(() => openTraceSource(source))],
      ] as const) {
        assert.ok(!msg.includes('hunter2') && !msg.includes('root:') && !msg.includes('TOKEN'), `${name} ${what}: ${msg}`);
      }
    }
    assert.match(message(() => openTraceSource({ size: HOSTILE[0][1].length, read: (o, n) => HOSTILE[0][1].subarray(o, o + n) })),
      /not a Go execution trace: it is text starting with a word \(\d+ bytes\)/);
  });

  test('the CLI prints one line saying what the file looks like, not what it holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'golens-describe-'));
    for (const [name, bytes] of HOSTILE) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      for (const cmd of ['leaks', 'trace', 'top']) {
        const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), cmd, file], { encoding: 'utf8', timeout: 30000 });
        assert.notEqual(r.status, 0, `${cmd} ${name}: ${r.stdout}`);
        const out = r.stdout + r.stderr;
        assert.ok(!out.includes('hunter2'), `${cmd} ${name}: ${out}`);
      }
    }
  });
});
