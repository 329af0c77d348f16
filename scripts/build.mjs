// One build for everything that runs: the extension host bundle, the language server,
// the CLI, the webview bundles and the compiled tests. `--production` minifies and
// leaves out the tests and source maps.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

const builds = [
  { ...node, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['src/server/traceworker.ts'], outfile: 'dist/traceworker.js' },
  // The CLI starts for every command: whitespace- and syntax-minified, it is a third less to parse
  // (identifiers are not renamed). Not keepNames: its __name wrappers made the old-format decode 2.4× slower.
  // dist/cli.js (start.ts) runs the bundle with its code cache, made below; the bundle's first
  // line is a comment, so that the wrapper compiled before it shifts no column of its code.
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', banner: { js: '// GoLens CLI: started by dist/cli.js' }, minifyWhitespace: true, minifySyntax: true },
  { ...node, entryPoints: ['src/cli/start.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, minifyWhitespace: true, minifySyntax: true },
  {
    ...common, platform: 'browser', target: 'chrome114', format: 'iife',
    entryPoints: { profile: 'webview/profile/main.ts', trace: 'webview/trace/main.ts', diff: 'webview/diff/main.ts', watch: 'webview/watch/main.ts', tracediff: 'webview/tracediff/main.ts' }, outdir: 'dist/webview',
  },
];

if (!production) {
  // test/unit/<area>/*.test.ts, one folder per area of src/ (helpers/ holds no tests).
  const tests = (dir) => existsSync(dir)
    ? readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f)) : [];
  const unit = tests('test/unit');
  if (unit.length) builds.push({ ...node, entryPoints: unit, outbase: 'test/unit', outdir: 'dist/test/unit', external: ['vscode'] });
  if (existsSync('test/bench/traceview-open.ts')) {
    builds.push({ ...node, entryPoints: ['test/bench/traceview-open.ts'], outfile: 'dist/test/bench/traceview-open.js' });
  }
  if (existsSync('test/bench/decode.ts')) {
    builds.push({ ...node, entryPoints: ['test/bench/decode.ts'], outfile: 'dist/test/bench/decode.js' });
  }
  if (existsSync('test/bench/sched-updates.ts')) {
    builds.push({ ...node, entryPoints: ['test/bench/sched-updates.ts'], outfile: 'dist/test/bench/sched-updates.js' });
  }
  if (existsSync('test/e2e/suite.ts')) {
    builds.push({ ...node, entryPoints: ['test/e2e/suite.ts'], outfile: 'dist/test/e2e/suite.js', external: ['vscode'] });
  }
}

mkdirSync('dist/webview', { recursive: true });
if (watch) {
  // No code cache: the bundle changes under it (dist/cli.js compiles it from the source).
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The CLI bundle's V8 code cache, made by this node in a process of its own started as
  // `golens` is (another node's V8 rejects it, and the CLI compiles the bundle as before).
  const made = spawnSync(process.execPath, ['-e', "require('./dist/cli.js').writeCodeCache()"], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error('build: the CLI code cache could not be made');
}
// The webview's stylesheet ships as a file so the CSP can stay free of 'unsafe-inline'.
for (const f of readdirSync('webview/shared').filter((f) => f.endsWith('.css'))) {
  copyFileSync(join('webview/shared', f), join('dist/webview', f));
}
copyFileSync('node_modules/d3-flame-graph/dist/d3-flamegraph.css', 'dist/webview/d3-flamegraph.css');
copyFileSync('webview/trace/trace.css', 'dist/webview/trace.css');
copyFileSync('webview/watch/watch.css', 'dist/webview/watch.css');
copyFileSync('webview/tracediff/tracediff.css', 'dist/webview/tracediff.css');
