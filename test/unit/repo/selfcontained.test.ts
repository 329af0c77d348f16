// A clone with nothing beside it must build, run and test: no file of the project may point
// at a path outside the repository (a sibling checkout, an absolute workplace path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ROOT } from '../helpers/fixtures';

const SKIP_DIRS = new Set(['.git', 'node_modules', 'dist', '.cache', 'out']);
// Files that are read or run: code, scripts, manifests and docs (whose commands people copy).
const TEXT = /\.(ts|mts|mjs|js|cjs|sh|go|md|json|yml|yaml|css|html)$|^(run|\.vscodeignore|\.gitignore|Makefile)$/;

/** Every project file worth checking; generated fixture data is skipped (its recorded paths are output, not references). */
export function projectFiles(root = ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (SKIP_DIRS.has(name)) continue;
      const path = join(dir, name);
      const rel = relative(root, path).split(sep).join('/');
      const st = statSync(path);
      if (st.isDirectory()) { walk(path); continue; }
      if (!TEXT.test(name) || st.size > 1 << 20) continue;
      if (rel.startsWith('test/fixtures/') && !/\.(sh|go|md)$/.test(name)) continue;
      if (rel === 'package-lock.json') continue;
      out.push(rel);
    }
  };
  walk(root);
  return out;
}

/** Places in `text` (a file at `rel`) that name a path outside the repository at `root`. */
export function outsideReferences(root: string, rel: string, text: string): string[] {
  const found: string[] = [];
  const inside = (p: string): boolean => { const r = relative(root, p); return r === '' || (!r.startsWith('..') && !r.startsWith(sep)); };
  // Inside, and landing in a folder the repository has (not a made-up one beside the root,
  // which is what a sibling checkout looks like from the root).
  const there = (p: string): boolean => {
    if (!inside(p)) return false;
    if (relative(root, p) === '') return true;
    let dir = p;
    while (!existsSync(dir)) dir = dirname(dir);
    return relative(root, dir) !== '';
  };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const where = `${rel}:${i + 1}`;
    // Relative paths climbing with `../`: fine when they land on something in the repository
    // from the file's folder (an import) or from the root (a script that cd'd there).
    for (const m of line.matchAll(/(?:\.\.\/)+[\w.@-]+(?:\/[\w.@*-]+)*/g)) {
      const fromFile = resolve(root, dirname(rel), m[0]);
      const fromRoot = resolve(root, m[0]);
      if (!there(fromFile) && !there(fromRoot)) found.push(`${where}: ${m[0]}`);
    }
    // Joining the root with a parent folder.
    if (/\b(ROOT|root|HERE|repo)\b\s*,\s*['"]\.\.['"]/.test(line)) found.push(`${where}: ${line.trim()}`);
    // The workplace's folders by absolute path.
    for (const m of line.matchAll(/(?<![\w.:])\/work\/[\w.-]+/g)) found.push(`${where}: ${m[0]}`);
  });
  return found;
}

test('no project file refers to a path outside the repository', () => {
  const files = projectFiles();
  assert.ok(files.length > 100, `walked only ${files.length} files`);
  assert.ok(files.includes('scripts/setup-go.sh') && files.includes('README.md'));
  const bad = files.flatMap((rel) => outsideReferences(ROOT, rel, readFileSync(join(ROOT, rel), 'utf8')));
  assert.deepEqual(bad, []);
});

test('the check finds what it is for', () => {
  const root = ROOT;
  // Spelled in pieces so that this file does not trip its own check.
  const up = '..', work = '/wo' + 'rk/';
  const sibling = `${up}/shared/tools/install.sh`;
  assert.deepEqual(outsideReferences(root, 'scripts/setup-go.sh', `installer=${sibling}`), [`scripts/setup-go.sh:1: ${sibling}`]);
  assert.equal(outsideReferences(root, 'test/unit/x.test.ts', `const REF = join(ROOT, '${up}', 'shared');`).length, 1);
  assert.equal(outsideReferences(root, 'README.md', `see ${work}shared/testdata`).length, 1);
  // Inside the repository: an import of a sibling folder, a climb to the root.
  assert.deepEqual(outsideReferences(root, 'webview/trace/main.ts', "import { el } from '../shared/vscode';"), []);
  assert.deepEqual(outsideReferences(root, 'test/unit/pprof/a.test.ts', "import { x } from '../../../src/core/a';"), []);
  assert.deepEqual(outsideReferences(root, 'test/fixtures/gen.sh', 'ROOT=$(cd "$HERE/../.." && pwd)'), []);
});

test('the Go reference traces the tests read are in the repository, with origin and licence', () => {
  const ref = join(ROOT, 'test', 'fixtures', 'go-reference');
  const readme = readFileSync(join(ref, 'README.md'), 'utf8');
  assert.match(readme, /Origin/);
  assert.match(readFileSync(join(ref, 'LICENSE'), 'utf8'), /The Go Authors/);
  const expected = JSON.parse(readFileSync(join(ref, 'expected.json'), 'utf8')) as Record<string, unknown>;
  const names = Object.keys(expected);
  assert.ok(names.length >= 30, String(names.length));
  const files = ['v1', 'v2'].flatMap((d) => readdirSync(join(ref, d)));
  for (const name of names) assert.ok(files.includes(name) || files.includes(`${name}.trace`), `${name} missing`);
});
