// The packaged extension carries every bundle the build writes for it to run: each top-level
// dist/*.js that scripts/build.mjs makes (the extension, the server, its workers, the CLI) is in
// what `vsce ls` says the .vsix holds, and is built beside the others
// (the bundles find one another by their own folder: __dirname).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/fixtures';

test('every bundle the build writes to dist/ is in the package', () => {
  const build = readFileSync(join(ROOT, 'scripts', 'build.mjs'), 'utf8');
  const bundles = [...build.matchAll(/outfile: '(dist\/[^/']+\.js)'/g)].map((m) => m[1]);
  assert.ok(bundles.includes('dist/traceworker.js') && bundles.includes('dist/cli.js') && bundles.includes('dist/server.js'), bundles.join(' '));
  for (const b of bundles) assert.ok(existsSync(join(ROOT, b)), `${b} is built (npm run build)`);
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const packaged = new Set(r.stdout.split('\n').map((l) => l.trim()));
  for (const b of bundles) assert.ok(packaged.has(b), `${b} is packaged (.vscodeignore)`);
  // The CLI's code cache, which the build writes beside its bundle (src/cli/start.ts).
  assert.ok(existsSync(join(ROOT, 'dist', 'cli-main.cache')), 'dist/cli-main.cache is built (npm run build)');
  assert.ok(packaged.has('dist/cli-main.cache'), 'dist/cli-main.cache is packaged (.vscodeignore)');
  assert.ok(!packaged.has('dist/test/bench/traceview-open.js'), 'no test bundle is packaged');
});
