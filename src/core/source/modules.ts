// Module-aware mapping of the file paths a Go binary records (in profiles, traces, dumps)
// to files in the workspace. With -trimpath a path is the module path plus the file's path
// in the module (golens.example/fixtures/trace-leak/main.go); without, the absolute path on
// the machine that built it. The go.mod files (text and directory) are handed in, so this
// stays pure.
import { bestSourceMatch, splitPath } from './paths';

export interface GoModFile {
  /** The directory holding go.mod, in the workspace's own spelling. */
  dir: string;
  /** The text of go.mod. */
  text: string;
}

export interface GoMod {
  /** The module path ('' when go.mod has no module directive). */
  module: string;
  /** replace directives whose target is a directory: module path → relative or absolute directory. */
  localReplaces: Map<string, string>;
}

export type SourceLocation =
  /** A workspace file: via the module path, the exact absolute path, or the longest shared path suffix. */
  | { kind: 'workspace'; path: string; via: 'module' | 'exact' | 'suffix' }
  /** The standard library (GOROOT): runtime/proc.go, /usr/lib/go/src/… */
  | { kind: 'goroot' }
  /** A dependency from the module cache: github.com/x/y@v1.2.3/z.go */
  | { kind: 'module-cache' }
  | { kind: 'unknown' };

/** The module path and local replaces of a go.mod file (comments, quotes and blocks allowed). */
export function parseGoMod(text: string): GoMod {
  let module = '';
  const localReplaces = new Map<string, string>();
  let block = '';
  for (const raw of text.split('\n')) {
    const line = stripComment(raw).trim();
    if (!line) continue;
    if (block) {
      if (line === ')') { block = ''; continue; }
      if (block === 'replace') addReplace(line, localReplaces);
      continue;
    }
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, verb, rest] = m;
    if (rest === '(') { block = verb; continue; }
    if (verb === 'module') module = unquoteMod(rest.trim());
    else if (verb === 'replace') addReplace(rest, localReplaces);
  }
  return { module, localReplaces };
}

function stripComment(line: string): string {
  // go.mod has only // comments; a quoted path may hold "//" but module paths never do.
  const i = line.indexOf('//');
  return i < 0 ? line : line.slice(0, i);
}

function unquoteMod(s: string): string {
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith('`') && s.endsWith('`'))) return s.slice(1, -1);
  return s;
}

function addReplace(spec: string, out: Map<string, string>): void {
  const arrow = spec.indexOf('=>');
  if (arrow < 0) return;
  const from = spec.slice(0, arrow).trim().split(/\s+/)[0];
  const to = spec.slice(arrow + 2).trim().split(/\s+/);
  // A directory target has no version and starts with ./ ../ or /.
  if (to.length === 1 && /^(?:\.\.?\/|\/|[A-Za-z]:[\\/])/.test(to[0])) out.set(unquoteMod(from), unquoteMod(to[0]));
}

// The standard library's top-level directories: a -trimpath path that starts with one of
// these (and is no file of a workspace module) is in GOROOT.
const STD_ROOTS = new Set([
  'archive', 'arena', 'bufio', 'builtin', 'bytes', 'cmd', 'cmp', 'compress', 'container', 'context', 'crypto', 'database',
  'debug', 'embed', 'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html', 'image', 'index', 'internal', 'io',
  'iter', 'log', 'maps', 'math', 'mime', 'net', 'os', 'path', 'plugin', 'reflect', 'regexp', 'runtime', 'slices', 'sort',
  'strconv', 'strings', 'structs', 'sync', 'syscall', 'testing', 'text', 'time', 'unicode', 'unique', 'unsafe', 'vendor', 'weak',
]);

interface ModuleRoot {
  module: string;
  segments: string[];
  /** Normalised directory (forward slashes, no trailing slash). */
  dir: string;
}

/** Maps build paths to workspace files, knowing the workspace's modules and its Go files. */
export class SourceMapper {
  private readonly roots: ModuleRoot[] = [];
  private files: string[] = [];
  /** Normalised path → the caller's spelling. */
  private byNorm = new Map<string, string>();

  constructor(goMods: GoModFile[], files: Iterable<string> = []) {
    for (const m of goMods) {
      const mod = parseGoMod(m.text);
      const dir = normalize(m.dir);
      if (mod.module) this.roots.push({ module: mod.module, segments: mod.module.split('/'), dir });
      for (const [path, target] of mod.localReplaces) {
        const abs = /^(?:\/|[A-Za-z]:)/.test(target.replace(/\\/g, '/')) ? normalize(target) : resolveDir(dir, target);
        this.roots.push({ module: path, segments: path.split('/'), dir: abs });
      }
    }
    // Longest module path first: nested modules win over their parents.
    this.roots.sort((a, b) => b.segments.length - a.segments.length);
    this.setFiles(files);
  }

  /** Replaces the list of workspace Go files (absolute paths, the workspace's spelling). */
  setFiles(files: Iterable<string>): void {
    this.files = [...files];
    this.byNorm = new Map(this.files.map((f) => [normalize(f), f]));
  }

  get workspaceFiles(): readonly string[] {
    return this.files;
  }

  get modules(): readonly { module: string; dir: string }[] {
    return this.roots.map((r) => ({ module: r.module, dir: r.dir }));
  }

  /** Where a build path is: a workspace file, GOROOT, the module cache, or not known. */
  locate(buildPath: string): SourceLocation {
    const p = buildPath.replace(/\\/g, '/');
    if (!p) return { kind: 'unknown' };
    const absolute = p.startsWith('/') || /^[A-Za-z]:\//.test(p);
    if (absolute) {
      const exact = this.byNorm.get(normalize(p));
      if (exact) return { kind: 'workspace', path: exact, via: 'exact' };
      if (isModuleCache(p)) return { kind: 'module-cache' };
      if (isGorootPath(p)) return { kind: 'goroot' };
    } else {
      const viaModule = this.viaModule(p);
      if (viaModule) return { kind: 'workspace', path: viaModule, via: 'module' };
      const segs = splitPath(p);
      if (segs.some((s) => s.includes('@'))) return { kind: 'module-cache' };
      if (segs.length > 0 && STD_ROOTS.has(segs[0])) return { kind: 'goroot' };
      if (segs[0] === '$GOROOT') return { kind: 'goroot' };
    }
    const m = bestSourceMatch(p, this.files);
    // One shared segment (the bare file name) is too weak for a path that has directories.
    if (m && (m.segments >= 2 || splitPath(p).length === 1)) return { kind: 'workspace', path: m.path, via: 'suffix' };
    return { kind: 'unknown' };
  }

  /** The workspace file for a build path, or undefined. */
  map(buildPath: string): string | undefined {
    const l = this.locate(buildPath);
    return l.kind === 'workspace' ? l.path : undefined;
  }

  /** The import path of the package a workspace file is in (module path + directory), or undefined outside every module. */
  packagePath(workspaceFile: string): string | undefined {
    const f = normalize(workspaceFile);
    for (const r of this.rootsByDir()) {
      if (f.startsWith(r.dir + '/')) {
        const rel = f.slice(r.dir.length + 1).split('/').slice(0, -1);
        return [r.module, ...rel].join('/');
      }
    }
    return undefined;
  }

  private rootsByDir(): ModuleRoot[] {
    // Deepest directory first: a nested module owns its subtree.
    return this.roots.slice().sort((a, b) => b.dir.length - a.dir.length);
  }

  private viaModule(p: string): string | undefined {
    const segs = splitPath(p);
    for (const r of this.roots) {
      if (segs.length <= r.segments.length) continue;
      if (!r.segments.every((s, i) => segs[i] === s)) continue;
      const candidate = `${r.dir}/${segs.slice(r.segments.length).join('/')}`;
      const found = this.byNorm.get(candidate);
      if (found) return found;
      // No file list given: trust the module (the caller checks existence).
      if (this.files.length === 0) return candidate;
    }
    return undefined;
  }
}

/** Forward slashes, no trailing slash, . and .. resolved. */
function normalize(p: string): string {
  const s = p.replace(/\\/g, '/');
  const lead = s.startsWith('/') ? '/' : '';
  const out: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  return lead + out.join('/');
}

function resolveDir(base: string, rel: string): string {
  return normalize(`${base}/${rel}`);
}

function isModuleCache(p: string): boolean {
  return /\/pkg\/mod\/.+@[^/]+\//.test(p);
}

/** An absolute path into a Go installation: …/go/src/runtime/proc.go, …/go1.22.1/src/…, …/libexec/src/…, $GOROOT/src/… */
function isGorootPath(p: string): boolean {
  const segs = p.split('/');
  for (let i = segs.length - 3; i >= 1; i--) {
    if (segs[i] !== 'src') continue;
    const above = segs[i - 1];
    if ((/^go(?:\d[\w.]*)?$/i.test(above) || above === 'libexec' || above === '$GOROOT') && STD_ROOTS.has(segs[i + 1])) return true;
  }
  return false;
}
