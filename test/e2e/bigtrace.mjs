// The large trace of the E2E area `progressive`, made on the machine that runs the tests: the
// committed program test/fixtures/programs/pipeline built with Go 1.27 (the toolchain CI has,
// scripts/setup-go.sh) and traced for 3 s into .cache/e2e/ once; later runs reuse it. A fresh
// clone has nothing else to read, so when it cannot be made the case fails with the reason.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PROGRESSIVE_GO = '/usr/lib/go-1.27/bin/go';
const SECONDS = 3;

/** The trace's path, made if missing: { path } or { error } (one line: what, where, hint). */
export function progressiveTrace(repo) {
  const dir = path.join(repo, '.cache', 'e2e');
  const trace = path.join(dir, `pipeline-go1.27-${SECONDS}s.trace`);
  if (fs.existsSync(trace)) return { path: trace };
  if (!fs.existsSync(PROGRESSIVE_GO)) return { error: `cannot make the progressive case's trace: ${PROGRESSIVE_GO} is missing (run scripts/setup-go.sh)` };
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' };
  const bin = path.join(dir, `pipeline-go1.27-${process.pid}`);
  // Written beside its final name and renamed: a run cut short leaves no half trace to reuse.
  const part = `${trace}.${process.pid}.part`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(PROGRESSIVE_GO, ['build', '-o', bin, './pipeline'], { cwd: path.join(repo, 'test', 'fixtures', 'programs'), env, stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync(bin, ['-o', part, '-d', `${SECONDS}s`], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    fs.renameSync(part, trace);
    return { path: trace };
  } catch (e) {
    const why = String(e?.stderr || e?.message || e).trim().split('\n').slice(-3).join(' ');
    return { error: `cannot make the progressive case's trace at ${path.relative(repo, trace)}: ${why}` };
  } finally {
    fs.rmSync(bin, { force: true });
    fs.rmSync(part, { force: true });
  }
}
