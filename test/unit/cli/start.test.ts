// dist/cli.js (src/cli/start.ts) starts the CLI bundle with the code cache the build made: the
// cache is taken by the node that built it, and the CLI says the same, byte for byte, whichever
// way its bundle is compiled (the cache; from the source without one, with one for other bytes,
// with one V8 rejects, with source maps on). Inside the bundle it is the main module, and stack
// traces name the bundle at the same line and column (or, with source maps, the source).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT } from '../helpers/fixtures';

const DIST = join(ROOT, 'dist');
/** Where V8's data starts in a cache file made for the bundle `bundle`: after its length (4 bytes) and a copy of it. */
const dataAt = (bundle: string) => 4 + readFileSync(bundle).length;
const tmp = mkdtempSync(join(tmpdir(), 'golens-start-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function node(args: string[]) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** How dist/cli.js in dir compiles its bundle (flags: node's own). */
const how = (dir: string, flags: string[] = []) => node([...flags, '-e', `process.stdout.write(require(${JSON.stringify(join(dir, 'cli.js'))}).compileBundle().how)`]).stdout;

/** A copy of the CLI (loader and bundle) in a folder of its own, with the cache given. */
function copyOfCli(name: string, cache?: Buffer): string {
  const dir = mkdtempSync(join(tmp, `${name}-`));
  for (const f of ['cli.js', 'cli-main.js', 'cli-main.js.map']) copyFileSync(join(DIST, f), join(dir, f));
  if (cache) writeFileSync(join(dir, 'cli-main.cache'), cache);
  return dir;
}

describe('the CLI started with its code cache', () => {
  const built = readFileSync(join(DIST, 'cli-main.cache'));
  const data = dataAt(join(DIST, 'cli-main.js'));
  // V8's data with its version hash changed (the bytes after its magic number): another node's.
  const otherNode = Buffer.from(built);
  otherNode[data + 4] ^= 0xff;
  // A cache for other bytes: a bundle of another length, and one of the same length with one byte changed.
  const otherLength = Buffer.from(built);
  otherLength[0] ^= 0xff;
  const otherBytes = Buffer.from(built);
  otherBytes[data - 10] ^= 0xff;
  const ways: { name: string; dir: string; flags: string[]; how: string }[] = [
    { name: 'the build\'s cache', dir: DIST, flags: [], how: 'cache' },
    { name: 'source maps on', dir: DIST, flags: ['--enable-source-maps'], how: 'source' },
    { name: 'no cache', dir: copyOfCli('none'), flags: [], how: 'source' },
    { name: 'a cache for a bundle of another length', dir: copyOfCli('length', otherLength), flags: [], how: 'source' },
    { name: 'a cache for other bytes of the same length', dir: copyOfCli('bytes', otherBytes), flags: [], how: 'source' },
    { name: 'a cache V8 rejects', dir: copyOfCli('v8', otherNode), flags: [], how: 'rejected' },
  ];
  const trace = join(ROOT, 'test', 'fixtures', 'trace', 'go1.23', 'trace-gc.trace');
  const profile = join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'cpu.pprof');
  const commands = [['--version'], ['trace', trace, '--json'], ['top', profile, '-n', '5'], ['trace', profile], ['nosuchcommand']];

  test('compiled as expected each way (the build\'s cache taken by the node that built it)', () => {
    for (const w of ways) assert.equal(how(w.dir, w.flags), w.how, w.name);
  });

  test('the same output and exit status each way', () => {
    for (const args of commands) {
      const want = node([join(DIST, 'cli.js'), ...args]);
      assert.ok(want.stdout.length + want.stderr.length > 0, args.join(' '));
      for (const w of ways.slice(1)) assert.deepEqual(node([...w.flags, join(w.dir, 'cli.js'), ...args]), want, `${w.name}: ${args.join(' ')}`);
    }
    // The error cases fail as the CLI fails: one line, exit 2.
    assert.equal(node([join(DIST, 'cli.js'), 'nosuchcommand']).code, 2);
    assert.equal(node([join(DIST, 'cli.js'), 'trace', profile]).code, 2);
  });
});

describe('the bundle runs as the main module, its stack traces unchanged', () => {
  // A bundle of two lines, as the build writes (a comment first), naming toy.ts in its source map.
  const dir = mkdtempSync(join(tmp, 'toy-'));
  const line2 = "const e = new Error('where'); process.stdout.write(JSON.stringify({ main: require.main === module, at: e.stack.split('\\n')[1].trim() }));";
  writeFileSync(join(dir, 'cli-main.js'), `// toy bundle\n${line2}\n//# sourceMappingURL=cli-main.js.map\n`);
  writeFileSync(join(dir, 'cli-main.js.map'), JSON.stringify({ version: 3, sources: ['toy.ts'], names: [], mappings: ';AAAA' }));
  copyFileSync(join(DIST, 'cli.js'), join(dir, 'cli.js'));
  const run = (flags: string[] = []) => {
    const r = node([...flags, join(dir, 'cli.js')]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { main: boolean; at: string };
  };
  const at = `at Object.<anonymous> (${join(dir, 'cli-main.js')}:2:${line2.indexOf('new Error') + 1})`;

  test('from the source, from its cache, from a cache V8 rejects; with source maps, mapped', () => {
    assert.equal(how(dir), 'source');
    assert.deepEqual(run(), { main: true, at });
    const made = node(['-e', `require(${JSON.stringify(join(dir, 'cli.js'))}).writeCodeCache()`]);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(how(dir), 'cache');
    assert.deepEqual(run(), { main: true, at });
    const cache = readFileSync(join(dir, 'cli-main.cache'));
    cache[dataAt(join(dir, 'cli-main.js')) + 4] ^= 0xff;
    writeFileSync(join(dir, 'cli-main.cache'), cache);
    assert.equal(how(dir), 'rejected');
    assert.deepEqual(run(), { main: true, at });
    const mapped = run(['--enable-source-maps']);
    assert.equal(mapped.main, true);
    assert.match(mapped.at, /toy\.ts:1:1\)$/);
  });
});
