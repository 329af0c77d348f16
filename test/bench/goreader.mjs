// Builds the streaming-reader reference (goreader/main.go.txt): Go's own internal/trace
// reader counting events, nothing else. internal/trace is importable only from inside
// GOROOT/src, so the file is placed there virtually with `go build -overlay` (GOROOT itself
// is not touched) and built by the installed toolchain alone.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goEnv } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'goreader', 'main.go.txt');

/** The reader binary for toolchain `go`, built into `outDir` unless it is newer than its source. */
export function buildGoReader(go, dir) {
  const outDir = resolve(dir);
  const goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8', env: goEnv }).trim();
  const version = execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8', env: goEnv }).trim();
  const bin = join(outDir, `goreader-${version}`);
  if (existsSync(bin) && statSync(bin).mtimeMs > statSync(source).mtimeMs) return bin;
  const overlay = join(outDir, `goreader-${version}.overlay.json`);
  const main = join(goroot, 'src', 'cmd', 'golensgoreader', 'main.go');
  writeFileSync(overlay, JSON.stringify({ Replace: { [main]: resolve(source) } }));
  // Built as a file inside GOROOT/src/cmd, so it belongs to cmd and may import internal/….
  execFileSync(go, ['build', '-overlay', overlay, '-o', bin, main], {
    cwd: join(goroot, 'src', 'cmd'), env: { ...goEnv, GOFLAGS: '' }, stdio: 'inherit',
  });
  return bin;
}
