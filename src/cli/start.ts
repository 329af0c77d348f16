// dist/cli.js, what `golens` runs: starts the CLI's bundle (dist/cli-main.js, from main.ts)
// with the V8 code cache the build made for it (dist/cli-main.cache), which spares compiling
// the bundle at every start (~15 ms of a ~90 ms `golens --version`). Without a cache that fits
// (none, one made for other bytes or by another node, source maps on), the bundle is compiled
// as Node compiles any module. Either way it runs as the main module: `require.main === module`
// holds inside it, and stack traces name dist/cli-main.js at the same lines and columns.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

const BUNDLE = join(__dirname, 'cli-main.js');
const CACHE = join(__dirname, 'cli-main.cache');
/** A cache file: the SHA-1 of the bundle it was made for, then V8's data. */
const HASH_BYTES = 20;

type Body = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

/** The bundle as a function of the module's variables (Node's own wrapper: the same source V8 sees either way). */
function script(source: string, cachedData?: Buffer): Script {
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData });
}

const hashOf = (bytes: Buffer): Buffer => createHash('sha1').update(bytes).digest();

/**
 * How the bundle is compiled here: 'cache' (V8 took the build's cache), 'rejected' (V8 did not:
 * another node; compiled from the source), or 'source' (no cache for these bytes, or source maps
 * on: Node's loader, which maps stack traces). `run` runs it as `module`.
 */
export function compileBundle(): { how: 'cache' | 'rejected' | 'source'; run: (module: NodeJS.Module, require: NodeJS.Require) => void } {
  const bytes = readFileSync(BUNDLE);
  const source = bytes.toString('utf8');
  // V8 checks a cache against the source's length only: the hash tells an edited bundle.
  let cache: Buffer | undefined;
  const maps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled ?? (process.execArgv.includes('--enable-source-maps') || /--enable-source-maps/.test(process.env.NODE_OPTIONS ?? ''));
  if (!maps) {
    try {
      const file = readFileSync(CACHE);
      if (file.length > HASH_BYTES && file.subarray(0, HASH_BYTES).equals(hashOf(bytes))) cache = file.subarray(HASH_BYTES);
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
  writeFileSync(CACHE, Buffer.concat([hashOf(bytes), data]));
  return HASH_BYTES + data.length;
}

if (require.main === module) compileBundle().run(module, require);
