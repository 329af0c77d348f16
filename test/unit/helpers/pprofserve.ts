// A real Go service serving net/http/pprof on loopback (test/fixtures/programs/pprofserve),
// built with an installed Go toolchain and started for the tests that capture from a running
// program. No mocked HTTP: every byte comes from the Go runtime's own handlers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures';

const PROGRAMS = join(ROOT, 'test', 'fixtures', 'programs');

/** The installed Go of that version (Debian's layout), or undefined. */
export function goOf(version: string): string | undefined {
  const p = `/usr/lib/go-${version}/bin/go`;
  return existsSync(p) ? p : undefined;
}

/** Go with no toolchain switching, no network and none of the caller's Go settings. */
export function hermeticGoEnv(cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['GOROOT', 'GOOS', 'GOARCH', 'GODEBUG', 'GOEXPERIMENT', 'GOMAXPROCS', 'GOGC', 'GOMEMLIMIT', 'GOTRACEBACK']) delete env[k];
  return {
    ...env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off', GOENV: 'off', GOWORK: 'off',
    GO111MODULE: 'on', CGO_ENABLED: '0', GOPATH: join(cache, 'gopath'), GOCACHE: join(cache, 'gocache'),
  };
}

/** Whether that Go has the goroutineleak profile: Go 1.26 behind GOEXPERIMENT=goroutineleakprofile, on from 1.27. */
export function goroutineleakExperiment(go: string): string | undefined {
  const root = spawnSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
  return existsSync(join(root, 'src', 'internal', 'goexperiment', 'exp_goroutineleakprofile_on.go')) ? 'goroutineleakprofile' : undefined;
}

/** Builds a program of test/fixtures/programs with that Go (cached under .cache/programs/go<version>/). */
export function buildProgram(name: string, version: string): string {
  const go = goOf(version);
  if (!go) throw new Error(`Go ${version} is not installed (scripts/install-go.sh ${version})`);
  const cache = join(ROOT, '.cache', 'programs');
  const out = join(cache, `go${version}`);
  mkdirSync(out, { recursive: true });
  const env = hermeticGoEnv(cache);
  const experiment = goroutineleakExperiment(go);
  if (experiment) env.GOEXPERIMENT = experiment;
  const r = spawnSync(go, ['build', '-trimpath', '-o', out + '/', `./${name}`], { cwd: PROGRAMS, env, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`go build ./${name} with Go ${version} failed: ${r.stderr || r.error}`);
  return join(out, name);
}

export interface PprofServer {
  /** http://127.0.0.1:PORT */
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Builds and starts pprofserve; resolves once it listens. */
export async function startPprofServer(opts: { version?: string; args?: string[] } = {}): Promise<PprofServer> {
  const bin = buildProgram('pprofserve', opts.version ?? '1.27');
  const proc = spawn(bin, opts.args ?? [], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`pprofserve did not start in 20 s: ${err}`)), 20_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`pprofserve exited with ${code}: ${err}`)); });
  });
  return {
    url,
    proc,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    }),
  };
}

export interface Clients {
  proc: ChildProcess;
  /** How many clients had their first answer so far. */
  connected(): number;
  stop(): Promise<void>;
}

/** Builds and starts programs/keepalive against `url` (one more keep-alive connection every `every`, up to `max`, each asking again every `poll`). */
export function startClients(url: string, opts: { every: string; max: number; poll: string; version?: string }): Clients {
  const bin = buildProgram('keepalive', opts.version ?? '1.27');
  const proc = spawn(bin, ['-url', url, '-every', opts.every, '-max', String(opts.max), '-poll', opts.poll], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.resume();
  return {
    proc,
    connected: () => out.match(/^client \d+ connected$/gm)?.length ?? 0,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    }),
  };
}
