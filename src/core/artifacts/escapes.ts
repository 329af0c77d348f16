// The compiler's heap escapes in a module, ranked by the bytes allocation profiles measured
// on their lines: compiler output (a -m / -m=2 text file, or a -json directory or file), the
// heap or allocs profiles, and the module's files to meet their paths. The command line and
// the server's escape diagnostics both use these.
import { dirname, isAbsolute, resolve } from 'node:path';
import { allocsByLine, escapeHints, type AllocIndex, type HintResult } from '../analysis/escapes';
import { FormatError, InputError, ToolError, WrongKindError } from '../errors';
import { findModuleRoot, resolveGoBinary, runEscapeBuildSync } from '../io/gobuild';
import { filesUnder, readRegularFile, statOf } from '../io/file';
import { scanGoFiles } from '../io/goscan';
import { profileKind } from '../pprof/model';
import { SourceMapper, type GoModFile } from '../source/modules';
import { looksLikeCompilerText, parseEscapeText, type EscapeRecord } from '../text/escapes';
import { parseGcJson } from '../text/gcjson';
import { type LoadOptions, withArtifact } from './load';
import { profileOf } from './profiles';

/** The Go files and go.mod files under a directory (bounded; skips dependency and hidden folders). */
function scanModule(root: string, max = 20000): { goFiles: string[]; goMods: GoModFile[] } {
  return scanGoFiles([root], max);
}

/**
 * Maps the compiler's and the profile's file paths to files of the module at moduleDir:
 * relative paths against baseDir (go's working directory), -trimpath paths by module path,
 * absolute paths exactly or by their longest shared suffix. Other files (GOROOT, the module
 * cache, other modules) map to undefined.
 */
export function moduleResolver(moduleDir: string, baseDir: string): (file: string) => string | undefined {
  const { goFiles, goMods } = scanModule(moduleDir);
  const mapper = new SourceMapper(goMods, goFiles);
  const known = new Set(goFiles);
  return (file: string) => {
    if (!isAbsolute(file)) {
      const p = resolve(baseDir, file);
      if (known.has(p)) return p;
    }
    return mapper.map(file);
  };
}

/** The escapes in compiler output: a -m text file, a -json file, or a -json directory (searched recursively). */
export function readCompilerOutput(path: string, opts: LoadOptions = {}): EscapeRecord[] {
  const st = statOf(path);
  if (!st) throw new InputError(path, 'no such file or directory');
  if (st.isDirectory()) {
    const files = filesUnder(path, '.json');
    if (files.length === 0) throw new InputError(path, 'no .json files; expected the directory given to go build -gcflags=-json=0,file://DIR');
    const text = (f: string) => new TextDecoder().decode(readRegularFile(f, opts.maxBytes, opts.raiseWith));
    return files.flatMap((f) => parseGcJson(text(f), f).records);
  }
  const { text, kind } = withArtifact(path, opts, (a) => ({ text: a.text(), kind: a.kind }));
  if (text.trimStart().startsWith('{')) return parseGcJson(text, path).records;
  if (!looksLikeCompilerText(text)) {
    throw new WrongKindError(`${path}: not compiler output`, 'compiler output', kind, 'expected the stderr of go build -gcflags=-m=2 (file:line:col: lines) or a -json file or directory', 0);
  }
  return parseEscapeText(text);
}

/**
 * Allocations per line from heap or allocs profiles (several are added up). A profile that
 * cannot be used throws (FormatError, WrongKindError, InputError), or goes to `skip` when given.
 */
export function readAllocProfiles(
  paths: string[], resolveFile: (f: string) => string | undefined, opts: LoadOptions = {}, skip?: (path: string, e: FormatError | InputError) => void,
): AllocIndex | undefined {
  if (paths.length === 0) return undefined;
  let total: AllocIndex | undefined;
  for (const path of paths) {
    let idx: AllocIndex;
    try {
      idx = withArtifact(path, opts, (a) => {
        const prof = profileOf(a);
        try {
          return allocsByLine(prof, (f) => resolveFile(f) ?? f);
        } catch (e) {
          if (e instanceof WrongKindError) {
            throw new WrongKindError(`a ${profileKind(prof)} profile: ${e.what}; give a heap or allocs profile`, e.expected, e.found);
          }
          throw e;
        }
      });
    } catch (e) {
      if (skip && (e instanceof FormatError || e instanceof InputError)) { skip(path, e); continue; }
      throw e;
    }
    total ??= { byLine: new Map(), totalBytes: 0, totalObjects: 0 };
    total.totalBytes += idx.totalBytes;
    total.totalObjects += idx.totalObjects;
    for (const [k, v] of idx.byLine) {
      const a = total.byLine.get(k) ?? { bytes: 0, objects: 0 };
      a.bytes += v.bytes;
      a.objects += v.objects;
      total.byLine.set(k, a);
    }
  }
  return total;
}

function hintsFor(records: EscapeRecord[], resolveFile: (f: string) => string | undefined, allocs: AllocIndex | undefined, all: boolean): HintResult {
  return escapeHints(records, { resolve: resolveFile, allocs, all });
}

export interface EscapesInput {
  /** The compiler's escapes (readCompilerOutput, or parseEscapeText of a go build). */
  records: EscapeRecord[];
  /** The module the escapes are in, and go's working directory (relative paths are against it). */
  moduleDir: string;
  baseDir: string;
  /** Heap or allocs profiles to rank by. */
  profiles: string[];
  /** Also the escapes on lines where the profiles measured no allocation. */
  all?: boolean;
  /** A profile that cannot be used goes here instead of being thrown. */
  skipProfile?: (path: string, e: FormatError | InputError) => void;
  /** Build path → workspace file (the server's one mapper); without it, one for this module alone. */
  resolve?: (file: string) => string | undefined;
}

/** The escapes as hints, ranked by the allocations the profiles measured on their lines. */
export function escapesFrom(input: EscapesInput, opts: LoadOptions = {}): { result: HintResult; allocs: AllocIndex | undefined } {
  const resolveFile = input.resolve ?? moduleResolver(input.moduleDir, input.baseDir);
  const allocs = readAllocProfiles(input.profiles, resolveFile, opts, input.skipProfile);
  return { result: hintsFor(input.records, resolveFile, allocs, input.all ?? false), allocs };
}

export interface PackageEscapesInput {
  /** The package's directory, as given (messages name it so). */
  dir: string;
  /** Precomputed compiler output (a -m / -m=2 text file, or a -json file or directory) instead of running go. */
  compilerOutput?: string;
  /** The go to run (absolute), else go from PATH or GOROOT. */
  go?: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** How the timeout is set, for the message when go does not finish in time ("--timeout"). */
  timeoutSetting?: string;
  profiles: string[];
  all?: boolean;
  /** go build failed but reported escapes: they are shown, with this said. */
  warn?: (s: string) => void;
}

/**
 * The escapes of one package: the compiler's output (go build -gcflags=-m=2 run
 * synchronously in the package, or precomputed), ranked by the profiles. Throws InputError
 * (the directory), ToolError (go), FormatError (the files).
 */
export function escapesOfPackage(input: PackageEscapesInput, opts: LoadOptions = {}): { result: HintResult; allocs: AllocIndex | undefined; moduleDir: string } {
  const pkgDir = resolve(input.dir);
  const st = statOf(pkgDir);
  if (!st) throw new InputError(input.dir, 'no such directory');
  if (!st.isDirectory()) throw new InputError(input.dir, "not a directory; give the package's directory");
  const moduleDir = findModuleRoot(pkgDir) ?? pkgDir;
  let records: EscapeRecord[];
  let baseDir = pkgDir;
  if (input.compilerOutput !== undefined) {
    records = readCompilerOutput(input.compilerOutput, opts);
    baseDir = dirname(resolve(input.compilerOutput)) === pkgDir ? pkgDir : moduleDir;
  } else {
    const go = resolveGoBinary({ setting: input.go, env: input.env, workspaceFolders: [] });
    if ('error' in go) throw new ToolError(go.error);
    const r = runEscapeBuildSync({ go: go.path, cwd: pkgDir, packages: ['.'], timeoutMs: input.timeoutMs, env: input.env });
    if (r.stopped) throw new ToolError(`go build did not finish in ${input.timeoutMs / 1000} s${input.timeoutSetting ? ` (${input.timeoutSetting})` : ''}`);
    records = parseEscapeText(r.text);
    if (r.exitCode !== 0 && records.length === 0) {
      const first = r.text.split('\n').find((l) => l.trim() && !l.startsWith('#')) ?? `exit status ${r.exitCode}`;
      throw new ToolError(`go build failed in ${pkgDir}: ${first.trim()}`);
    }
    if (r.exitCode !== 0) input.warn?.(`go build exited with status ${r.exitCode}; showing the escapes it reported`);
  }
  return { ...escapesFrom({ records, moduleDir, baseDir, profiles: input.profiles, all: input.all }, opts), moduleDir };
}
