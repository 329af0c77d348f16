// Build paths → workspace files, module-aware: -trimpath paths through go.mod's module
// path, other machines' absolute paths by suffix, GOROOT and module-cache paths never a
// workspace file. Run on every file path the fixtures' profiles and traces hold.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeLeaks } from '../../../src/core/analysis/leaks';
import { fileSource } from '../../../src/core/io/file';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { replay } from '../../../src/core/runtime/pass';
import { parseGoMod, SourceMapper } from '../../../src/core/source/modules';
import { openTrace } from '../../../src/core/trace/open';
import { ROOT } from '../helpers/fixtures';
import { goFiles, LEAKS_DIR, PROGRAMS, TRACE_DIR, traceDirs } from '../helpers/leakfixtures';


const fixturesMapper = () =>
  new SourceMapper([{ dir: PROGRAMS, text: readFileSync(join(PROGRAMS, 'go.mod'), 'utf8') }], goFiles(PROGRAMS));

test('parseGoMod: module path, comments, quotes, local replaces', () => {
  assert.equal(parseGoMod(readFileSync(join(PROGRAMS, 'go.mod'), 'utf8')).module, 'golens.example/fixtures');
  const m = parseGoMod([
    '// a comment',
    'module "example.com/app" // trailing',
    '',
    'go 1.22',
    'require (',
    '\texample.com/lib v1.2.3',
    ')',
    'replace example.com/lib => ../lib',
    'replace (',
    '\texample.com/other v1.0.0 => ./third_party/other',
    '\texample.com/remote => example.com/fork v1.0.1',
    ')',
  ].join('\n'));
  assert.equal(m.module, 'example.com/app');
  assert.deepEqual([...m.localReplaces], [['example.com/lib', '../lib'], ['example.com/other', './third_party/other']]);
  assert.equal(parseGoMod('go 1.21\n').module, '');
});

test('-trimpath paths of the fixtures map through the module path', () => {
  const sm = fixturesMapper();
  assert.deepEqual(sm.locate('golens.example/fixtures/trace-leak/main.go'),
    { kind: 'workspace', path: join(PROGRAMS, 'trace-leak', 'main.go'), via: 'module' });
  assert.equal(sm.map('golens.example/fixtures/internal/tracefacts/tracefacts.go'), join(PROGRAMS, 'internal', 'tracefacts', 'tracefacts.go'));
  assert.equal(sm.packagePath(join(PROGRAMS, 'internal', 'tracefacts', 'tracefacts.go')), 'golens.example/fixtures/internal/tracefacts');
  assert.equal(sm.packagePath(join(PROGRAMS, 'leakprof', 'main.go')), 'golens.example/fixtures/leakprof');
  assert.equal(sm.packagePath('/elsewhere/x.go'), undefined);
  // In the module but not in the workspace (an older build, a deleted file): not found.
  assert.deepEqual(sm.locate('golens.example/fixtures/gone/main.go'), { kind: 'unknown' });
});

test('every file path in the fixtures\' profiles: workspace via the module, or GOROOT', () => {
  const sm = fixturesMapper();
  let workspace = 0, goroot = 0;
  for (const base of [join(ROOT, 'test', 'fixtures', 'pprof'), LEAKS_DIR]) {
    for (const d of readdirSync(base).filter((x) => /^go1\.\d+$/.test(x))) {
      for (const f of readdirSync(join(base, d)).filter((x) => x.endsWith('.pprof'))) {
        for (const fn of decodeProfile(readFileSync(join(base, d, f))).functions) {
          const l = sm.locate(fn.filename);
          if (fn.filename.startsWith('golens.example/fixtures/')) {
            assert.deepEqual(l, { kind: 'workspace', path: join(PROGRAMS, fn.filename.slice('golens.example/fixtures/'.length)), via: 'module' });
            workspace++;
          } else if (fn.filename === '') {
            assert.deepEqual(l, { kind: 'unknown' });
          } else {
            assert.deepEqual(l, { kind: 'goroot' }, fn.filename);
            goroot++;
          }
        }
      }
    }
  }
  assert.ok(workspace > 100 && goroot > 100, `${workspace} workspace, ${goroot} goroot`);
});

test('trace-leak traces of every toolchain: creation and blocking sites map to programs/trace-leak/main.go', () => {
  const sm = fixturesMapper();
  const want = join(PROGRAMS, 'trace-leak', 'main.go');
  const dirs = traceDirs();
  assert.ok(dirs.length >= 5, dirs.join(' '));
  for (const dir of dirs) {
    const src = fileSource(join(TRACE_DIR, dir, 'trace-leak.trace'));
    let rows;
    try { rows = analyzeLeaks([{ kind: 'trace', source: dir, model: replay(openTrace(src)) }]); } finally { src.close(); }
    assert.deepEqual(rows.map((r) => r.createdAt?.line).sort(), [101, 114, 75, 90], dir);
    for (const r of rows) {
      assert.equal(sm.map(r.createdAt!.file), want, dir);
      assert.equal(sm.map(r.blockedAt.file), want, dir);
    }
  }
});

test('other machines\' absolute paths fall back to the longest shared suffix', () => {
  const ws = ['/home/me/app/cmd/server/main.go', '/home/me/app/internal/store/store.go', '/home/me/app/internal/cache/store.go'];
  const sm = new SourceMapper([{ dir: '/home/me/app', text: 'module example.com/app\n' }], ws);
  assert.deepEqual(sm.locate('/home/ci/src/app/internal/cache/store.go'), { kind: 'workspace', path: ws[2], via: 'suffix' });
  assert.deepEqual(sm.locate('/home/me/app/cmd/server/main.go'), { kind: 'workspace', path: ws[0], via: 'exact' });
  assert.deepEqual(sm.locate('example.com/app/internal/store/store.go'), { kind: 'workspace', path: ws[1], via: 'module' });
  // Only the file name in common, and it is ambiguous or too weak: unknown.
  assert.deepEqual(sm.locate('/build/other/store.go'), { kind: 'unknown' });
  assert.deepEqual(sm.locate('/build/other/x/main.go'), { kind: 'unknown' });
});

test('GOROOT and the module cache are never workspace files', () => {
  const sm = new SourceMapper([{ dir: '/ws', text: 'module example.com/app' }], ['/ws/main.go', '/ws/runtime/proc.go']);
  for (const p of [
    'runtime/proc.go', 'sync/cond.go', 'internal/poll/fd_poll_runtime.go', 'net/http/server.go',
    '/usr/lib/go/src/runtime/proc.go', '/usr/local/go/src/sync/mutex.go', '/home/u/sdk/go1.22.1/src/runtime/chan.go',
    '/opt/homebrew/Cellar/go/1.22/libexec/src/runtime/proc.go', 'C:\\Program Files\\Go\\src\\runtime\\proc.go', '$GOROOT/src/runtime/proc.go',
  ]) assert.deepEqual(sm.locate(p), { kind: 'goroot' }, p);
  for (const p of ['github.com/x/y@v1.2.3/z.go', '/home/u/go/pkg/mod/github.com/x/y@v1.2.3/z.go']) {
    assert.deepEqual(sm.locate(p), { kind: 'module-cache' }, p);
  }
  assert.deepEqual(sm.locate(''), { kind: 'unknown' });
});

test('nested modules, a module named like a std package, local replaces, Windows paths', () => {
  const sm = new SourceMapper([
    { dir: '/ws', text: 'module example.com/app' },
    { dir: '/ws/tools', text: 'module example.com/app/tools\nreplace example.com/lib => ../../lib\n' },
    { dir: '/net', text: 'module net/tool' },
    { dir: 'C:\\src\\win', text: 'module win.example/app' },
  ], ['/ws/a/a.go', '/ws/tools/t/t.go', '/lib/l.go', '/net/x/x.go', 'C:\\src\\win\\cmd\\main.go']);
  assert.equal(sm.map('example.com/app/a/a.go'), '/ws/a/a.go');
  assert.equal(sm.map('example.com/app/tools/t/t.go'), '/ws/tools/t/t.go');
  assert.equal(sm.packagePath('/ws/tools/t/t.go'), 'example.com/app/tools/t');
  assert.equal(sm.map('example.com/lib/l.go'), '/lib/l.go');
  assert.equal(sm.map('net/tool/x/x.go'), '/net/x/x.go');
  assert.deepEqual(sm.locate('net/http/server.go'), { kind: 'goroot' });
  assert.equal(sm.map('win.example/app/cmd/main.go'), 'C:\\src\\win\\cmd\\main.go');
});

test('without a file list the module mapping is trusted', () => {
  const sm = new SourceMapper([{ dir: '/ws/', text: 'module example.com/app' }]);
  assert.equal(sm.map('example.com/app/pkg/x.go'), '/ws/pkg/x.go');
  assert.equal(sm.map('runtime/proc.go'), undefined);
});
