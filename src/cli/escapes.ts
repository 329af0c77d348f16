// `golens escapes <package dir> [--profile heap.pprof]... [--all] [--json]`: the compiler's
// heap escapes in a package, ranked by the bytes an allocation profile measured on their
// lines. Runs the user's go (`go build -gcflags=-m=2`), or reads precomputed compiler output
// with --compiler-output (a -m / -m=2 text file, or a -json directory or file).
// The server's escape diagnostics use the same functions (readCompilerOutput, moduleResolver,
// hintsFor).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { AllocProfileError, allocsByLine, escapeHints, formatBytes, formatShare, type AllocIndex, type EscapeHint, type HintResult } from '../core/analysis/escapes';
import { FormatError } from '../core/errors';
import { findModuleRoot, resolveGoBinary, runEscapeBuildSync } from '../core/io/gobuild';
import { scanGoFiles } from '../core/io/goscan';
import { decodeProfile } from '../core/pprof/decode';
import { profileKind } from '../core/pprof/model';
import { SourceMapper, type GoModFile } from '../core/source/modules';
import { looksLikeCompilerText, parseEscapeText, type EscapeRecord } from '../core/text/escapes';
import { parseGcJson } from '../core/text/gcjson';
import { one, parseArgs, UsageError } from './args';
import { readAll, withPath } from './inputkind';
import { decodeOptions } from './limits';

/** The Go files and go.mod files under a directory (bounded; skips dependency and hidden folders). */
export function scanModule(root: string, max = 20000): { goFiles: string[]; goMods: GoModFile[] } {
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
export function readCompilerOutput(path: string): EscapeRecord[] {
  let st;
  try { st = statSync(path); } catch { throw new UsageError(`${path}: no such file or directory`); }
  if (st.isDirectory()) {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.json')) files.push(p);
      }
    };
    walk(path);
    if (files.length === 0) throw new UsageError(`${path}: no .json files; expected the directory given to go build -gcflags=-json=0,file://DIR`);
    return files.sort().flatMap((f) => parseGcJson(readFileSync(f, 'utf8'), f).records);
  }
  const text = new TextDecoder().decode(readAll(path));
  if (text.trimStart().startsWith('{')) return parseGcJson(text, path).records;
  if (!looksLikeCompilerText(text)) {
    throw new FormatError(`${path}: not compiler output`, 0, 'expected the stderr of go build -gcflags=-m=2 (file:line:col: lines) or a -json file or directory');
  }
  return parseEscapeText(text);
}

/** Allocations per line from heap or allocs profiles (several are added up). */
export function readAllocProfiles(paths: string[], resolveFile: (f: string) => string | undefined): AllocIndex | undefined {
  if (paths.length === 0) return undefined;
  const total: AllocIndex = { byLine: new Map(), totalBytes: 0, totalObjects: 0 };
  for (const path of paths) {
    const prof = withPath(path, () => decodeProfile(readAll(path), decodeOptions));
    let idx: AllocIndex;
    try {
      idx = allocsByLine(prof, (f) => resolveFile(f) ?? f);
    } catch (e) {
      if (e instanceof AllocProfileError) throw new UsageError(`${path}: a ${profileKind(prof)} profile: ${e.message}; give a heap or allocs profile`);
      throw e;
    }
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

export function hintsFor(records: EscapeRecord[], resolveFile: (f: string) => string | undefined, allocs: AllocIndex | undefined, all: boolean): HintResult {
  return escapeHints(records, { resolve: resolveFile, allocs, all });
}

export function hintJson(h: EscapeHint) {
  return {
    file: h.file, line: h.line, column: h.column, kind: h.kind, message: h.message, allocBytes: h.allocBytes, allocObjects: h.allocObjects,
    flow: h.flow.map((s) => ({ file: s.file, line: s.line, column: s.column, text: s.text })),
    compiler: h.compiler, why: h.why, fix: h.fix, share: h.share,
  };
}

export function cmdEscapes(argv: string[], out: (s: string) => void, err: (s: string) => void): void {
  const a = parseArgs(argv, { values: ['compiler-output', 'go', 'timeout'], repeatable: ['profile'], booleans: ['json', 'all'] });
  if (a.positional.length !== 1) throw new UsageError('escapes needs one package directory: golens escapes <package dir> [--profile heap.pprof] [--compiler-output FILE|DIR] [--all] [--json]');
  const pkgDir = resolve(a.positional[0]);
  let st;
  try { st = statSync(pkgDir); } catch { throw new UsageError(`${a.positional[0]}: no such directory`); }
  if (!st.isDirectory()) throw new UsageError(`${a.positional[0]}: not a directory; give the package's directory`);
  const moduleDir = findModuleRoot(pkgDir) ?? pkgDir;
  const timeoutText = one(a, 'timeout') ?? '300';
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || Number(timeoutText) <= 0) throw new UsageError(`--timeout needs seconds, not ${JSON.stringify(timeoutText)}`);

  let records: EscapeRecord[];
  let baseDir = pkgDir;
  const precomputed = one(a, 'compiler-output');
  if (precomputed !== undefined) {
    records = readCompilerOutput(precomputed);
    baseDir = dirname(resolve(precomputed)) === pkgDir ? pkgDir : moduleDir;
  } else {
    const go = resolveGoBinary({ setting: one(a, 'go'), env: process.env, workspaceFolders: [] });
    if ('error' in go) throw new UsageError(go.error);
    const r = runEscapeBuildSync({ go: go.path, cwd: pkgDir, packages: ['.'], timeoutMs: Number(timeoutText) * 1000 });
    if (r.stopped) throw new UsageError(`go build did not finish in ${timeoutText} s (--timeout)`);
    records = parseEscapeText(r.text);
    if (r.exitCode !== 0 && records.length === 0) {
      const first = r.text.split('\n').find((l) => l.trim() && !l.startsWith('#')) ?? `exit status ${r.exitCode}`;
      throw new UsageError(`go build failed in ${pkgDir}: ${first.trim()}`);
    }
    if (r.exitCode !== 0) err(`golens: go build exited with status ${r.exitCode}; showing the escapes it reported\n`);
  }
  const resolveFile = moduleResolver(moduleDir, baseDir);
  const allocs = readAllocProfiles(a.flags.get('profile') ?? [], resolveFile);
  const res = hintsFor(records, resolveFile, allocs, a.bools.has('all'));
  if (a.bools.has('json')) {
    out(JSON.stringify({ hints: res.hints.map(hintJson), hidden: res.hidden, profile: allocs ? { totalBytes: allocs.totalBytes, totalObjects: allocs.totalObjects } : null }) + '\n');
    return;
  }
  out(escapesTable(res, allocs, moduleDir));
}

export function escapesTable(res: HintResult, allocs: AllocIndex | undefined, moduleDir: string): string {
  const lines: string[] = [];
  const rel = (f: string) => (f.startsWith(moduleDir + '/') ? f.slice(moduleDir.length + 1) : f);
  if (res.hints.length === 0) {
    lines.push(allocs && res.hidden ? `No heap escape with measured allocations (${res.hidden} without; --all shows them).` : 'No heap escapes reported by the compiler.');
    return lines.join('\n') + '\n';
  }
  lines.push(`${res.hints.length} heap escape${res.hints.length === 1 ? '' : 's'}${allocs ? ` ranked by bytes allocated (of ${formatBytes(allocs.totalBytes)} in the profile)` : ''}${res.hidden ? `; ${res.hidden} with no measured allocation hidden (--all)` : ''}`, '');
  for (const h of res.hints) {
    const cost = allocs ? `${formatBytes(h.allocBytes).padStart(9)} ${formatShare(h.share).padStart(5)}  ` : '';
    lines.push(`${cost}${rel(h.file)}:${h.line}:${h.column}  ${h.compiler} — ${h.why}`);
    lines.push(`${' '.repeat(cost.length)}  fix: ${h.fix}`);
  }
  return lines.join('\n') + '\n';
}
