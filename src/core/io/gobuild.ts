// The io seam for running the user's `go` for escape analysis: which binary (never one inside
// a workspace folder), and `go build -gcflags=-m=2 ./...` in a module with a timeout and
// cancellation. -m=2 rather than -json: with -json every main package of a module writes to
// the same DIR/main/<file>.json, so a module with several commands loses files; and the go
// command replays cached -m output, so a rebuild that hits the build cache still reports.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { runGo } from './gorun';

export type GoBinary = { path: string; via: 'setting' | 'PATH' | 'GOROOT' } | { error: string };

/** True when p (or what it links to) is inside one of the folders. */
export function insideAny(p: string, folders: string[]): boolean {
  const candidates = new Set([resolve(p)]);
  try { candidates.add(realpathSync(p)); } catch { /* missing: the path itself decides */ }
  const roots = new Set<string>();
  for (const f of folders) {
    roots.add(resolve(f));
    try { roots.add(realpathSync(f)); } catch { /* missing folder */ }
  }
  for (const c of candidates) {
    for (const r of roots) {
      const rel = relative(r, c);
      if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return true;
    }
  }
  return false;
}

function executable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The user's go: the setting if given (absolute), else the first `go` on PATH, else
 * $GOROOT/bin/go. A binary inside a workspace folder is refused (a repository must not be
 * able to plant the `go` that GoLens runs); relative PATH entries are ignored for the same reason.
 */
export function resolveGoBinary(opts: { setting?: string; env: Record<string, string | undefined>; workspaceFolders: string[] }): GoBinary {
  const refuse = (p: string) => `refusing to run ${p}: it is inside a workspace folder; GoLens runs only a go from your environment (PATH, GOROOT or the golens.goPath setting)`;
  const name = process.platform === 'win32' ? 'go.exe' : 'go';
  if (opts.setting) {
    const p = opts.setting;
    if (!isAbsolute(p)) return { error: `golens.goPath must be an absolute path, not ${JSON.stringify(p)}` };
    if (insideAny(p, opts.workspaceFolders)) return { error: refuse(p) };
    if (!executable(p)) return { error: `golens.goPath: ${p} is not an executable file` };
    return { path: p, via: 'setting' };
  }
  let skipped: string | undefined;
  for (const dir of (opts.env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const p = join(dir, name);
    if (!executable(p)) continue;
    if (insideAny(p, opts.workspaceFolders)) { skipped ??= p; continue; }
    return { path: p, via: 'PATH' };
  }
  const goroot = opts.env.GOROOT;
  if (goroot && isAbsolute(goroot)) {
    const p = join(goroot, 'bin', name);
    if (executable(p)) {
      if (insideAny(p, opts.workspaceFolders)) skipped ??= p;
      else return { path: p, via: 'GOROOT' };
    }
  }
  if (skipped) return { error: refuse(skipped) };
  return { error: 'no go found on PATH or in GOROOT; install Go or set golens.goPath' };
}

/** The directory of the nearest go.mod at or above dir, or undefined. */
export function findModuleRoot(dir: string): string | undefined {
  let d = resolve(dir);
  for (;;) {
    if (existsSync(join(d, 'go.mod'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** True when the real path of p lies inside the real path of one of the folders (links resolved on both sides). */
function reallyInside(p: string, folders: string[]): boolean {
  let real: string;
  try { real = realpathSync(p); } catch { return false; }
  return folders.some((f) => {
    let root: string;
    try { root = realpathSync(f); } catch { return false; }
    const rel = relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

/**
 * Where go may run for a Go file: the directory of its nearest go.mod, only when that lies
 * (links resolved) inside one of the workspace folders. A go.mod in a parent folder of the
 * workspace, or none, means no run, and `reason` says why.
 */
export function workspaceModule(file: string, workspaceFolders: string[]): { dir: string } | { reason: string } {
  const root = findModuleRoot(dirname(file));
  if (!root) return { reason: 'no go.mod in its folder or above' };
  if (!reallyInside(root, workspaceFolders)) return { reason: `its go.mod (${join(root, 'go.mod')}) is outside the workspace folders` };
  return { dir: root };
}

/**
 * The environment for go in moduleDir: GOWORK=off when the nearest go.work above it lies outside
 * the workspace folders (go would otherwise build the modules that file names, wherever they are).
 */
export function moduleEnv(moduleDir: string, workspaceFolders: string[], env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (env.GOWORK) return env;
  for (let d = resolve(moduleDir); ; d = dirname(d)) {
    if (existsSync(join(d, 'go.work'))) return reallyInside(d, workspaceFolders) ? env : { ...env, GOWORK: 'off' };
    if (dirname(d) === d) return env;
  }
}

export interface GoBuildResult {
  /** The compiler's -m=2 output (stderr of go build); paths relative to cwd. */
  text: string;
  exitCode: number | null;
  ms: number;
  /** Set when go was stopped: 'timeout' or 'cancelled'. */
  stopped?: 'timeout' | 'cancelled';
}

/**
 * Runs `go build -gcflags=-m=2 -o TMP/ <packages>` in cwd (binaries go to a temporary
 * directory, never into the workspace). Resolves when go exits or is stopped; the whole
 * process group is killed on timeout or abort.
 */
export function runEscapeBuild(opts: {
  go: string; cwd: string; packages?: string[]; timeoutMs: number; signal?: AbortSignal;
  env?: Record<string, string | undefined>; onOutput?: (chunk: string) => void;
}): Promise<GoBuildResult> {
  const out = mkdtempSync(join(tmpdir(), 'golens-escapes-'));
  const args = ['build', '-gcflags=-m=2', '-o', out + '/', ...(opts.packages ?? ['./...'])];
  return runGo(opts.go, args, opts).then((r) => {
    try { rmSync(out, { recursive: true, force: true }); } catch { /* best effort */ }
    return r;
  });
}

/** runEscapeBuild for the command line: the same go build, waited for synchronously. */
export function runEscapeBuildSync(opts: { go: string; cwd: string; packages?: string[]; timeoutMs: number; env?: Record<string, string | undefined> }): GoBuildResult {
  const out = mkdtempSync(join(tmpdir(), 'golens-escapes-'));
  const t0 = Date.now();
  try {
    const r = spawnSync(opts.go, ['build', '-gcflags=-m=2', '-o', out + '/', ...(opts.packages ?? ['./...'])], {
      cwd: opts.cwd, env: { ...(opts.env ?? process.env) } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: opts.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 << 20,
    });
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    const extra = r.error && !timedOut ? `${opts.go}: ${r.error.message}\n` : '';
    return { text: (r.stderr ?? '') + (r.stdout ?? '') + extra, exitCode: r.status, ms: Date.now() - t0, stopped: timedOut ? 'timeout' : undefined };
  } finally {
    try { rmSync(out, { recursive: true, force: true }); } catch { /* best effort */ }
  }
}
