// One run of the go command for GoLens (a build for escape analysis, a test with profiles):
// output streamed and kept, bounded in time, cancellable, and stopped as a whole process group
// (go starts the compiler or the test binary as children, which must not outlive it).
import { spawn } from 'node:child_process';

export interface GoRun {
  /** stdout and stderr as they arrived, interleaved. */
  text: string;
  exitCode: number | null;
  ms: number;
  stopped?: 'timeout' | 'cancelled';
}

export function runGo(go: string, args: string[], opts: {
  cwd: string; timeoutMs: number; signal?: AbortSignal;
  env?: Record<string, string | undefined>; onOutput?: (chunk: string) => void;
}): Promise<GoRun> {
  const t0 = Date.now();
  return new Promise<GoRun>((done) => {
    const child = spawn(go, args, { cwd: opts.cwd, env: { ...(opts.env ?? process.env) } as NodeJS.ProcessEnv, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let stopped: GoRun['stopped'];
    const take = (b: Buffer) => { const s = b.toString('utf8'); text += s; opts.onOutput?.(s); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = (why: 'timeout' | 'cancelled') => {
      if (stopped || child.exitCode !== null) return;
      stopped = why;
      try { if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL'); else child.kill('SIGKILL'); } catch { child.kill('SIGKILL'); }
    };
    const timer = setTimeout(() => kill('timeout'), opts.timeoutMs);
    const onAbort = () => kill('cancelled');
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    let finished = false;
    const finish = (exitCode: number | null, extra = '') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (extra) opts.onOutput?.(extra);
      done({ text: text + extra, exitCode, ms: Date.now() - t0, stopped });
    };
    child.on('error', (e) => finish(null, `${go}: ${e.message}\n`));
    child.on('close', (code) => finish(code));
  });
}
