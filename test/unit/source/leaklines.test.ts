// End to end: leak rows (and findings) from the real traces, goroutine profiles and dumps
// of every toolchain land on the `go` statements planted in the fixture programs — the
// lines marked `// golens:go NAME` — through the module mapping of -trimpath paths.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Finding } from '../../../src/core/analysis/finding';
import { leakFindings, type LeakRow } from '../../../src/core/analysis/leaks';
import { findGoStatements, type GoStatement } from '../../../src/core/source/gostmt';
import { tokenize } from '../../../src/core/source/gotoken';
import { leakSites, matchLeaksToStatements, type LeakLines, type MatchedBy } from '../../../src/core/source/leaklines';
import { SourceMapper } from '../../../src/core/source/modules';
import { goFiles, healthyFacts, leakDirs, leakFacts, leakPath, minor, PROGRAMS, rowsOf, TRACE_DIR, traceDirs } from '../helpers/leakfixtures';


// The whole fixture module is the workspace: many package mains with the same function names.
const FILES = goFiles(PROGRAMS);
const MAPPER = new SourceMapper([{ dir: PROGRAMS, text: readFileSync(join(PROGRAMS, 'go.mod'), 'utf8') }], FILES);
const STATEMENTS = new Map<string, GoStatement[]>(FILES.map((f) => [f, findGoStatements(readFileSync(f, 'utf8'), { packagePath: MAPPER.packagePath(f) })]));
const map = (p: string) => MAPPER.map(p);

function markers(file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokenize(readFileSync(file, 'utf8'))) {
    const r = t.kind === 'comment' ? /^\/\/ golens:go (\S+)$/.exec(t.text) : null;
    if (r) m.set(r[1], t.line);
  }
  return m;
}


/** Each leak lands on the marked line it was planted at (keyed by blocking function), by the expected means. */
function assertLands<L>(
  got: LeakLines<L>, program: string, want: { blockFunction: string; marker: string; by: MatchedBy }[], blockFn: (l: L) => string,
): void {
  const file = join(PROGRAMS, program, 'main.go');
  const lines = markers(file);
  assert.deepEqual(got.unmatched.map((u) => `${blockFn(u.leak)}: ${u.reason}`), []);
  const actual = got.matched.map((m) => ({ fn: blockFn(m.leak), file: m.file, line: m.statement.line, by: m.by })).sort((a, b) => a.line - b.line);
  const expected = want.map((w) => ({ fn: w.blockFunction, file, line: lines.get(w.marker)!, by: w.by })).sort((a, b) => a.line - b.line);
  assert.deepEqual(actual, expected);
}

describe('trace-leak traces: creation sites → the planted go statements', () => {
  const planted = [
    { blockFunction: 'main.fetch.func1', marker: 'send' },
    { blockFunction: 'main.startConsumers.func1', marker: 'range' },
    { blockFunction: 'main.startCondWaiters.func1', marker: 'cond' },
    { blockFunction: 'main.startSelectors.func1', marker: 'select' },
  ];
  const dirs = traceDirs();
  test('traces of several toolchains', () => assert.ok(dirs.length >= 5, dirs.join(' ')));
  for (const dir of dirs) {
    test(dir, () => {
      const rows = rowsOf(join(TRACE_DIR, dir, 'trace-leak.trace'));
      const got = matchLeaksToStatements(rows, STATEMENTS, { map });
      assertLands(got, 'trace-leak', planted.map((p) => ({ ...p, by: 'createdAt' })), (r) => r.blockedAt.function);
      assert.deepEqual(got.matched.map((m) => m.statement.line).sort((a, b) => a - b), [75, 90, 101, 114]);
      for (const m of got.matched) {
        assert.equal(m.statement.kind, 'literal');
        assert.equal(m.statement.creatorFunction, m.leak.createdAt!.function);
        assert.equal(m.statement.literalName, m.leak.blockedAt.function);
      }
      // The same through findings (what the language server will hold).
      const viaFindings = matchLeaksToStatements(leakFindings(rows), STATEMENTS, { map });
      assertLands(viaFindings, 'trace-leak', planted.map((p) => ({ ...p, by: 'createdAt' })), (f: Finding) => f.site!.function);
    });
  }
});

for (const dir of leakDirs()) {
  const facts = leakFacts(dir);
  const p = (name: string) => leakPath(dir, name);
  const v = minor(dir);
  // Function.start_line is written since Go 1.20; before, literals are found by their name.
  const literalBy: MatchedBy = v >= 20 ? 'goLine' : 'function';
  const want = (by: (literal: boolean) => MatchedBy) =>
    facts.leaks.map((l) => ({ blockFunction: l.blockFunction, marker: l.marker, by: by(l.literal) }));
  const fromProfile = want((literal) => (literal ? literalBy : 'function'));
  const fromDump = want(() => 'createdAt');
  const blockFn = (r: LeakRow) => r.blockedAt.function;

  describe(`${dir}: leakprof → its go statements`, () => {
    test('goroutine profiles: the literal\'s start line, or the started function\'s name', () => {
      assertLands(matchLeaksToStatements(rowsOf(p('leakprof-1.pprof')), STATEMENTS, { map }), 'leakprof', fromProfile, blockFn);
      assertLands(matchLeaksToStatements(rowsOf(p('leakprof-1.pprof'), p('leakprof-2.pprof')), STATEMENTS, { map }), 'leakprof', fromProfile, blockFn);
    });
    test('goroutine dumps (debug=2, panic, SIGQUIT): the creating frame', () => {
      for (const f of ['leakprof-1.txt', 'leakprof-2.txt', 'leakprof.panic.txt', 'leakprof.sigquit.txt']) {
        assertLands(matchLeaksToStatements(rowsOf(p(f)), STATEMENTS, { map }), 'leakprof', fromDump, blockFn);
      }
    });
    if (facts.goroutineleak) {
      test('goroutineleak profile and its dump', () => {
        assertLands(matchLeaksToStatements(rowsOf(p('leakprof.goroutineleak.pprof')), STATEMENTS, { map }), 'leakprof', fromProfile, blockFn);
        assertLands(matchLeaksToStatements(rowsOf(p('leakprof.goroutineleak.txt')), STATEMENTS, { map }), 'leakprof', fromDump, blockFn);
      });
    }
    test('findings of a profile and of a dump', () => {
      const fBlock = (f: Finding) => f.site!.function;
      assertLands(matchLeaksToStatements(leakFindings(rowsOf(p('leakprof-2.pprof'))), STATEMENTS, { map }), 'leakprof', fromProfile, fBlock);
      assertLands(matchLeaksToStatements(leakFindings(rowsOf(p('leakprof-2.txt'))), STATEMENTS, { map }), 'leakprof', fromDump, fBlock);
    });
    test('healthy: the idle pool lands on its go statement', () => {
      const h = healthyFacts(dir);
      for (const f of ['healthy-1.pprof', 'healthy-1.txt']) {
        const rows = rowsOf(p(f)).filter((r) => r.blockedAt.line === h.pool.blockLine);
        assert.equal(rows.length, 1, f);
        const got = matchLeaksToStatements(rows, STATEMENTS, { map });
        assert.deepEqual(got.matched.map((m) => [m.file, m.statement.line]), [[join(PROGRAMS, 'healthy', 'main.go'), h.pool.goLine]], f);
        assert.equal(h.pool.goLine, markers(join(PROGRAMS, 'healthy', 'main.go')).get('pool'));
      }
    });
  });
}

// ---- the rules, on made-up rows ----

const site = (fn: string, file: string, line: number) => ({ function: fn, file, line });
const WS = new Map<string, GoStatement[]>([
  ['/ws/a/main.go', findGoStatements([
    'package main',
    'func run() {',
    '\tgo worker(1)',                       // 3
    '\tgo func() {',                         // 4
    '\t\tblock()',
    '\t}()',
    '\tgo s.loop(); go worker(2)',           // 7
    '}',
  ].join('\n'))],
  ['/ws/b/main.go', findGoStatements('package main\nfunc other() {\n\tgo worker(3)\n\tgo worker(4)\n}\n')],
]);

test('by creation site: exact line, then a statement spanning it; ties broken by names', () => {
  const got = matchLeaksToStatements([
    { blockedAt: site('main.run.func1', 'x/a/main.go', 5), createdAt: site('main.run', 'x/a/main.go', 4) },
    // A creating frame inside a multi-line literal's span (not a go line): the innermost statement around it.
    { blockedAt: null, createdAt: site('main.run', 'x/a/main.go', 6) },
    // Two statements on line 7: the started function decides.
    { blockedAt: site('main.worker', 'x/a/main.go', 20), createdAt: site('main.run', 'x/a/main.go', 7) },
    { blockedAt: site('main.(*S).loop', 'x/a/main.go', 30), createdAt: site('main.run', 'x/a/main.go', 7) },
  ], WS);
  assert.deepEqual(got.matched.map((m) => [m.file, m.statement.line, m.statement.column, m.by]), [
    ['/ws/a/main.go', 4, 2, 'createdAt'], ['/ws/a/main.go', 4, 2, 'createdAt'],
    ['/ws/a/main.go', 7, 15, 'createdAt'], ['/ws/a/main.go', 7, 2, 'createdAt'],
  ]);
  assert.deepEqual(got.unmatched, []);
});

test('by name: package main stays in the blocking frame\'s directory; ambiguity and misses are reported', () => {
  const got = matchLeaksToStatements([
    { blockedAt: site('main.run.func1', 'x/a/main.go', 5), createdAt: null },
    { blockedAt: site('main.worker', 'x/b/main.go', 9), createdAt: null },
    { blockedAt: site('main.nothing', 'x/a/main.go', 9), createdAt: null },
    { blockedAt: site('main.run.func1', 'runtime/proc.go', 5), createdAt: site('main.run', '/usr/lib/go/src/runtime/proc.go', 4) },
    { blockedAt: site('main.f', 'x/a/main.go', 5), createdAt: null, goFile: 'x/a/main.go', goLine: 40 },
    { blockedAt: null, createdAt: null },
  ], WS);
  assert.deepEqual(got.matched.map((m) => [m.file, m.statement.line, m.by]), [['/ws/a/main.go', 4, 'function']]);
  assert.deepEqual(got.unmatched.map((u) => [u.reason, u.candidates?.map((c) => `${c.file}:${c.statement.line}`)]), [
    ['2 go statements start main.worker', ['/ws/b/main.go:3', '/ws/b/main.go:4']],
    ['no go statement starts main.nothing', undefined],
    ['creation site /usr/lib/go/src/runtime/proc.go:4 is not a workspace file; main.run.func1 is in package main of no workspace directory', undefined],
    ['no function literal started by a go statement at /ws/a/main.go:40; no go statement starts main.f', undefined],
    ['no creation site, start line or function', undefined],
  ]);
});

test('by goLine: a literal\'s func line, or a gowrap wrapper\'s go line; startFunction when the caller has it', () => {
  const got = matchLeaksToStatements([
    { blockedAt: site('main.block', 'x/a/main.go', 5), createdAt: null, goFile: 'x/a/main.go', goLine: 4 },
    { blockedAt: site('main.block', 'x/a/main.go', 5), createdAt: null, goFile: 'x/a/main.go', goLine: 3 },
    { blockedAt: site('main.block', 'x/a/main.go', 5), createdAt: null, startFunction: 'main.(*server).loop' },
  ], WS);
  assert.deepEqual(got.matched.map((m) => [m.statement.line, m.statement.kind, m.by]), [[4, 'literal', 'goLine'], [3, 'call', 'goLine'], [7, 'call', 'function']]);
});

test('leakSites reads a finding\'s evidence', () => {
  const f: Finding = {
    kind: 'leak', title: 't', site: site('main.f.func1', 'm/x.go', 9), confidence: 'possible', score: 1, source: 's',
    evidence: { createdAt: 'main.(*T).run m/x.go:7', goLine: 8 },
  };
  assert.deepEqual(leakSites(f), { blockedAt: site('main.f.func1', 'm/x.go', 9), createdAt: site('main.(*T).run', 'm/x.go', 7), goLine: 8 });
});
