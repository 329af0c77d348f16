// The house's layers, checked on the import graph of src/ and webview/ (docs/ARCHITECTURE.md
// draws them): core is pure and ranked inside, protocol sits on core, the faces (cli, server,
// extension, webview) sit on both and never import one another, and nothing imports in a circle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ROOT } from '../helpers/fixtures';

interface Edge { to: string; typeOnly: boolean; line: number }
interface Module { file: string; local: Edge[]; external: { spec: string; typeOnly: boolean; line: number }[] }

const FACES = ['cli', 'server', 'extension', 'webview'] as const;
/** Ranks inside src/core: a module may import its own folder or a lower rank only. */
export const CORE_RANK: Record<string, number> = {
  'errors.ts': 0, 'format.ts': 0,
  pprof: 1, trace: 1, text: 1,
  runtime: 2,
  analysis: 3,
  source: 4,
  io: 5,
  artifacts: 6,
  capture: 7,
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(dir, f));
}

function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(c) && c.endsWith('.ts')) return c;
  return undefined;
}

/** Every import, export-from, dynamic import and require of a file, with whether it is type-only. */
export function parseModule(file: string, text: string): Module {
  const mod: Module = { file, local: [], external: [] };
  // Statements can span lines: scan the text, find each specifier's line afterwards.
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[4] ?? m[5] ?? m[6];
    const typeOnly = !!m[2] || (/^\{[^}]*\}$/.test((m[3] ?? '').trim()) && (m[3] ?? '').replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type')));
    const line = text.slice(0, (m.index ?? 0) + m[0].length).split('\n').length;
    if (spec.startsWith('.') && spec.endsWith('package.json')) {
      // The extension manifest (settings' schema): data, kept apart from the module graph.
      mod.external.push({ spec: `manifest:${relative(ROOT, resolve(dirname(file), spec))}`, typeOnly, line });
    } else if (spec.startsWith('.')) {
      const to = resolveLocal(file, spec);
      if (to) mod.local.push({ to, typeOnly, line });
      else mod.external.push({ spec: `unresolved:${spec}`, typeOnly, line });
    } else {
      mod.external.push({ spec, typeOnly, line });
    }
  }
  return mod;
}

/** 'core', 'protocol', a face, or 'other'; and for core, the rank key. */
export function placeOf(root: string, file: string): { layer: string; core?: string } {
  const rel = relative(root, file).split(sep);
  if (rel[0] === 'webview') return { layer: 'webview' };
  if (rel[0] !== 'src') return { layer: 'other' };
  if (rel[1] === 'core') return { layer: 'core', core: rel.length === 3 ? rel[2] : rel[2] };
  return { layer: rel[1] };
}

function graph(): Module[] {
  return [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'webview'))]
    .map((f) => parseModule(f, readFileSync(f, 'utf8')));
}

/** Import rule violations of one module, as 'file:line: what'. */
export function violations(root: string, mod: Module): string[] {
  const out: string[] = [];
  const from = placeOf(root, mod.file);
  const at = (line: number) => `${relative(root, mod.file)}:${line}`;
  for (const e of mod.local) {
    const to = placeOf(root, e.to);
    const what = `${at(e.line)}: imports ${relative(root, e.to)}`;
    if (to.layer === 'other') { out.push(`${what} (outside src/ and webview/)`); continue; }
    if (from.layer === 'core') {
      if (to.layer !== 'core') { out.push(`${what} (core imports only core)`); continue; }
      const a = CORE_RANK[from.core!], b = CORE_RANK[to.core!];
      if (a === undefined || b === undefined) { out.push(`${what} (core/${a === undefined ? from.core : to.core} has no rank in CORE_RANK)`); continue; }
      if (from.core !== to.core && b >= a) out.push(`${what} (core/${from.core} may not import core/${to.core})`);
    } else if (from.layer === 'protocol') {
      if (to.layer !== 'core' && to.layer !== 'protocol') out.push(`${what} (protocol imports only core and protocol)`);
    } else if ((FACES as readonly string[]).includes(from.layer)) {
      if (to.layer !== from.layer && to.layer !== 'core' && to.layer !== 'protocol') out.push(`${what} (a face never imports another face)`);
    }
  }
  for (const e of mod.external) {
    const what = `${at(e.line)}: imports '${e.spec}'`;
    if (e.spec.startsWith('unresolved:')) { out.push(what); continue; }
    if (e.spec.startsWith('manifest:')) { if (e.spec !== 'manifest:package.json' || from.layer !== 'protocol') out.push(`${what} (only src/protocol reads the manifest)`); continue; }
    const pkg = e.spec.startsWith('@') ? e.spec.split('/').slice(0, 2).join('/') : e.spec.split('/')[0];
    const node = pkg.startsWith('node:');
    // Path arithmetic is allowed where files are named (the application layer); the rest of Node only in core/io.
    const pathOnly = pkg === 'node:path' && (from.core === 'artifacts' || from.core === 'capture');
    if (from.layer === 'core' && node && from.core !== 'io' && !pathOnly) out.push(`${what} (Node's API only behind core/io)`);
    if (from.layer === 'core' && !node && !['protobufjs', 'pako'].includes(pkg)) out.push(`${what} (core stays pure)`);
    if (from.layer === 'webview' && node) out.push(`${what} (browser code)`);
    if (pkg === 'vscode' && from.layer !== 'extension') out.push(`${what} (only the extension talks to VS Code)`);
    if (pkg === 'vscode-languageclient' && from.layer !== 'extension') out.push(what);
    if (/^vscode-languageserver(?!-protocol)/.test(pkg) && from.layer !== 'server') out.push(what);
  }
  return out;
}

/** Strongly connected components of more than one module (import cycles), type-only edges included. */
export function cycles(mods: Module[]): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>();
  const stack: string[] = [], out: string[][] = [];
  const edges = new Map(mods.map((m) => [m.file, m.local.map((e) => e.to)]));
  let n = 0;
  const visit = (v: string): void => {
    index.set(v, n); low.set(v, n); n++; stack.push(v); on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const m of mods) if (!index.has(m.file)) visit(m.file);
  return out;
}

test('no import goes against the layers', () => {
  const mods = graph();
  assert.ok(mods.length > 100, `${mods.length} modules`);
  assert.deepEqual(mods.flatMap((m) => violations(ROOT, m)), []);
});

test('no import cycle', () => {
  assert.deepEqual(cycles(graph()).map((c) => c.map((f) => relative(ROOT, f))), []);
});

test('webviews take protocol types only: no language-server code is bundled into a page', () => {
  const mods = new Map(graph().map((m) => [m.file, m]));
  const bad: string[] = [];
  for (const m of mods.values()) {
    if (placeOf(ROOT, m.file).layer !== 'webview') continue;
    for (const e of m.local) {
      if (placeOf(ROOT, e.to).layer !== 'protocol' || e.typeOnly) continue;
      const deps = mods.get(e.to)?.external.filter((x) => !x.typeOnly) ?? [];
      if (deps.length) bad.push(`${relative(ROOT, m.file)}:${e.line} imports ${relative(ROOT, e.to)}, which imports ${deps.map((d) => d.spec).join(', ')}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the checks catch what they are for', () => {
  const f = (p: string) => join(ROOT, p);
  const mod = (file: string, text: string) => parseModule(f(file), text);
  // A face importing a face, core importing a face, a rank inversion, Node's API in core.
  assert.equal(violations(ROOT, mod('src/server/x.ts', "import { a } from '../cli/args';")).length, 1);
  assert.equal(violations(ROOT, mod('src/core/pprof/x.ts', "import type { A } from '../../protocol/profile';")).length, 1);
  assert.equal(violations(ROOT, mod('src/core/trace/x.ts', "import { a } from '../analysis/finding';")).length, 1);
  assert.equal(violations(ROOT, mod('src/core/pprof/x.ts', "import { readFileSync } from 'node:fs';")).length, 1);
  assert.equal(violations(ROOT, mod('webview/trace/x.ts', "import { x } from 'vscode';")).length, 1);
  // Allowed: a face on core and protocol, core on a lower rank, io on Node.
  assert.deepEqual(violations(ROOT, mod('src/server/x.ts', "import { a } from '../core/errors';\nimport type { B } from '../protocol/profile';")), []);
  assert.deepEqual(violations(ROOT, mod('src/core/analysis/x.ts', "import { a } from '../runtime/model';")), []);
  assert.deepEqual(violations(ROOT, mod('src/core/io/x.ts', "import { readFileSync } from 'node:fs';")), []);
  // A two-module cycle is found; type-only statements are recognised.
  const a = { file: 'a', local: [{ to: 'b', typeOnly: false, line: 1 }], external: [] };
  const b = { file: 'b', local: [{ to: 'a', typeOnly: true, line: 1 }], external: [] };
  assert.deepEqual(cycles([a, b]), [['a', 'b']]);
  assert.equal(mod('webview/x.ts', "import type { A } from '../src/protocol/profile';").local[0]?.typeOnly, true);
  assert.equal(mod('webview/x.ts', "import { type A, type B } from '../src/protocol/profile';").local[0]?.typeOnly, true);
  assert.equal(mod('webview/x.ts', "import { type A, b } from '../src/protocol/profile';").local[0]?.typeOnly, false);
});
