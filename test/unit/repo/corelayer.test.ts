// src/core is the bottom layer: it owns its types and imports nothing above it — not the
// protocol (which re-exports core's view types), not a face, not vscode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../helpers/fixtures';

test('nothing in src/core imports src/protocol, a face or vscode', () => {
  const core = join(ROOT, 'src', 'core');
  const files = readdirSync(core, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 50, `${files.length} files in src/core`);
  const bad: string[] = [];
  for (const f of files) {
    const path = join(core, f);
    for (const m of readFileSync(path, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1];
      if (spec === 'vscode' || spec.startsWith('vscode-')) { bad.push(`${f}: ${spec}`); continue; }
      if (!spec.startsWith('.')) continue;
      const target = relative(ROOT, resolve(dirname(path), spec)).split('\\').join('/');
      if (!target.startsWith('src/core/')) bad.push(`${f}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});
