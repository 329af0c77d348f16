// dist/cli.js, what `golens` runs: starts the CLI's bundle (dist/cli-main.js, from main.ts)
// with the V8 code cache the build made for it (dist/cli-main.cache), which spares compiling
// the bundle at every start (~15 ms of a ~90 ms `golens --version`). Without a cache that fits
// (none, one made for other bytes or by another node, source maps on), the bundle is compiled
// as Node compiles any module. Either way it runs as the main module: `require.main === module`
// holds inside it, and stack traces name dist/cli-main.js at the same lines and columns.
// No node:crypto here: loading it (and the streams it pulls in) took ~5 ms of every start.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

const BUNDLE = join(__dirname, 'cli-main.js');
const CACHE = join(__dirname, 'cli-main.cache');
/**
 * A cache file: the length of the bundle it was made for (4 bytes, little-endian), that
 * bundle's bytes, then V8's data. Comparing the bytes (a memcmp) tells an edited bundle
 * exactly, in a fraction of a millisecond and without a hash module to load.
 */
const LENGTH_BYTES = 4;

type Body = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

/** The bundle as a function of the module's variables (Node's own wrapper: the same source V8 sees either way). */
function script(source: string, cachedData?: Buffer): Script {
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData });
}

/** V8's data in a cache file made for `bundle`, or undefined when it was made for other bytes. */
function cacheFor(bundle: Buffer, file: Buffer): Buffer | undefined {
  if (file.length <= LENGTH_BYTES || file.readUInt32LE(0) !== bundle.length) return undefined;
  const end = LENGTH_BYTES + bundle.length;
  if (file.length <= end || !file.subarray(LENGTH_BYTES, end).equals(bundle)) return undefined;
  return file.subarray(end);
}

/**
 * How the bundle is compiled here: 'cache' (V8 took the build's cache), 'rejected' (V8 did not:
 * another node; compiled from the source), or 'source' (no cache for these bytes, or source maps
 * on: Node's loader, which maps stack traces). `run` runs it as `module`.
 */
export function compileBundle(): { how: 'cache' | 'rejected' | 'source'; run: (module: NodeJS.Module, require: NodeJS.Require) => void } {
  const bytes = readFileSync(BUNDLE);
  const source = bytes.toString('utf8');
  // V8 checks a cache against the source's length only: the copy of the bytes tells an edited bundle.
  let cache: Buffer | undefined;
  const maps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled ?? (process.execArgv.includes('--enable-source-maps') || /--enable-source-maps/.test(process.env.NODE_OPTIONS ?? ''));
  if (!maps) {
    try {
      cache = cacheFor(bytes, readFileSync(CACHE));
    } catch { /* no cache: compiled from the source */ }
  }
  if (!cache) {
    return { how: 'source', run: (module) => (module as NodeJS.Module & { _compile(content: string, filename: string): void })._compile(source, BUNDLE) };
  }
  const s = script(source, cache);
  return {
    how: s.cachedDataRejected ? 'rejected' : 'cache',
    run: (module, require) => (s.runInThisContext() as Body).call(module.exports, module.exports, require, module, BUNDLE, __dirname),
  };
}

/** Writes the bundle's code cache (the build runs this with the node that built it); its size. */
export function writeCodeCache(): number {
  const bytes = readFileSync(BUNDLE);
  const data = script(bytes.toString('utf8')).createCachedData();
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32LE(bytes.length, 0);
  writeFileSync(CACHE, Buffer.concat([length, bytes, data]));
  return LENGTH_BYTES + bytes.length + data.length;
}

if (require.main === module) compileBundle().run(module, require);
