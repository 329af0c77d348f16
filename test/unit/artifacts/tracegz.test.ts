// Gzipped execution traces (`x.trace.gz`, as the what-if fixtures are stored) read exactly as
// the trace they inflate to: the CLI's what-if, summary and GC reports, and the trace editor's
// opening pass; a broken gzip stream is one clear error naming the file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { gcFrom } from '../../../src/core/artifacts/gc';
import { traceSummaryFrom } from '../../../src/core/artifacts/summary';
import { whatIfFrom } from '../../../src/core/artifacts/whatif';
import { TraceStore } from '../../../src/server/traces';
import { ROOT } from '../helpers/fixtures';

const CLI = join(ROOT, 'dist', 'cli.js');
const WHATIF = join(ROOT, 'test', 'fixtures', 'whatif');
const SCENARIOS = [{ gogc: 50 as const }, { gogc: 'off' as const }, { memlimit: 16 * 2 ** 20 }, { gomaxprocs: 1 }];

/** Every committed default-1.trace.gz, toolchain by toolchain. */
const GZ = readdirSync(WHATIF).filter((d) => /^go1\.\d+$/.test(d)).flatMap((tc) =>
  readdirSync(join(WHATIF, tc), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(WHATIF, tc, e.name, 'default-1.trace.gz')));

const tmp = mkdtempSync(join(tmpdir(), 'golens-tracegz-'));

/** The file inflated beside the test (gunzip's output, by node:zlib rather than GoLens' own inflate). */
function inflated(gz: string, name = 'x.trace'): string {
  const to = join(tmp, `${gz.split('/').slice(-3).join('-')}-${name}`);
  writeFileSync(to, gunzipSync(readFileSync(gz)));
  return to;
}

function golens(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('gzipped traces', () => {
  test('there are what-if fixtures to read, on every toolchain', () => {
    assert.ok(GZ.length >= 30, `${GZ.length} default-1.trace.gz files`);
  });

  test('whatIfFrom gives for each default-1.trace.gz what it gives for the inflated trace; so do traceSummaryFrom and gcFrom', () => {
    for (const gz of GZ) {
      const plain = inflated(gz);
      assert.deepEqual(whatIfFrom(gz, SCENARIOS), whatIfFrom(plain, SCENARIOS), gz);
      if (!/steady/.test(gz)) continue; // one shape per toolchain is enough for the other readers
      assert.deepEqual(traceSummaryFrom(gz), traceSummaryFrom(plain), gz);
      assert.deepEqual(gcFrom(gz), gcFrom(plain), gz);
    }
  });

  test('golens whatif --json, trace --json and gc --json: byte-identical output for the .trace.gz and the inflated file', () => {
    for (const gz of GZ.filter((p) => /go1\.(19|27)\/steady\//.test(p))) {
      const plain = inflated(gz);
      for (const args of [['whatif', '--gogc', '25,200,off', '--memlimit', '8MiB'], ['trace'], ['gc']]) {
        const a = golens(args[0], gz, ...args.slice(1), '--json');
        const b = golens(args[0], plain, ...args.slice(1), '--json');
        assert.equal(a.code, 0, `${args[0]} ${gz}: ${a.stderr}`);
        assert.equal(a.stderr, '');
        assert.ok(a.stdout.length > 50);
        assert.equal(a.stdout, b.stdout, `${args[0]} ${gz}`);
      }
    }
  });

  test('the trace editor opens a .trace.gz as the trace it holds', async () => {
    const gz = GZ.find((p) => /go1\.27\/bursty\//.test(p))!;
    const store = new TraceStore();
    const a = await store.openTrace({ uri: pathToFileURL(gz).toString() }, () => {});
    const b = await store.openTrace({ uri: pathToFileURL(inflated(gz)).toString() }, () => {});
    if (!a.ok) throw new Error(a.error.message);
    if (!b.ok) throw new Error(b.error.message);
    const strip = (s: typeof a.summary) => ({ ...s, id: '', fileName: '', decodeMs: 0 });
    assert.deepEqual(strip(a.summary), strip(b.summary));
    assert.ok(a.summary.events > 1000 && a.summary.gcCycles > 0);
    // Progress is the inflated trace read, so it climbs (not 99% from the first byte).
    const fractions: number[] = [];
    const c = await store.openTrace({ uri: pathToFileURL(gz).toString(), base64: readFileSync(gz).toString('base64') }, (f) => fractions.push(f));
    if (!c.ok) throw new Error(c.error.message);
    assert.deepEqual(strip(c.summary), strip(b.summary));
    assert.equal(fractions.at(-1), 1);
    for (const id of [a.summary.id, b.summary.id, c.summary.id]) store.close(id);
  });

  test('a broken or cut gzip stream is one clear error naming the file, for every command that reads a trace', () => {
    const gz = readFileSync(GZ[0]);
    const cut = join(tmp, 'cut.trace.gz');
    writeFileSync(cut, gz.subarray(0, 5000));
    const bad = join(tmp, 'bad.trace.gz');
    writeFileSync(bad, Buffer.concat([gz.subarray(0, 10), Buffer.from('this is not deflate data at all, not at all')]));
    for (const [file, what] of [[cut, /truncated gzip stream in a gzipped trace/], [bad, /corrupt gzip data: .* in a gzipped trace/]] as const) {
      for (const cmd of ['whatif', 'trace', 'gc']) {
        const r = golens(cmd, file);
        assert.equal(r.code, 2, `${cmd} ${file}: ${r.stderr}`);
        assert.equal(r.stdout, '');
        const lines = r.stderr.split('\n').filter((l) => l);
        assert.equal(lines.length, 1, r.stderr);
        assert.ok(lines[0].startsWith(`golens: ${file}: `), lines[0]);
        assert.match(lines[0], what);
        assert.match(lines[0], /copy or record the trace again/);
      }
    }
  });

  test('a gzipped profile given to a trace command is still named a profile', () => {
    const r = golens('trace', join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'cpu.pprof'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a Go execution trace: it is gzip data .*a pprof profile\?/);
  });
});
