// The golens CLI run as a process, as a user runs it: exit code, output, wall time and peak
// memory (the child's max RSS from /usr/bin/time -f %M, or, without it, Node's own count
// written at exit by a preloaded script).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './fixtures';

const CLI = join(ROOT, 'dist', 'cli.js');
const TIME = '/usr/bin/time';

export interface GolensRun { code: number | null; stdout: string; stderr: string; ms: number; rssMB: number }

export function golensProcess(...args: string[]): GolensRun {
  const tmp = mkdtempSync(join(tmpdir(), 'golens-run-'));
  const rssFile = join(tmp, 'rss');
  writeFileSync(rssFile, '');
  let cmd: string, argv: string[];
  if (existsSync(TIME)) {
    cmd = TIME; argv = ['-o', rssFile, '-f', '%M', process.execPath, CLI, ...args];
  } else {
    const preload = join(tmp, 'rss.js');
    writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);
    cmd = process.execPath; argv = ['--require', preload, CLI, ...args];
  }
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  const ms = Date.now() - t0;
  const kb = Number(/(\d+)\s*$/.exec(readFileSync(rssFile, 'utf8'))?.[1] ?? NaN);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms, rssMB: kb / 1024 };
}
