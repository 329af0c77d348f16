// The text-artifact languages: their grammars compile and their main rules match every line
// of that kind in the real fixtures; file names and first lines pick the right language and
// no other. Escape output (-gcflags=-m) is made at test time by an installed toolchain.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { parseGctrace } from '../../../src/core/text/gctrace';
import { parseGoroutineDump } from '../../../src/core/text/goroutines';
import { globToRegExp } from '../../../src/server/leaklenses';
import { ROOT } from '../helpers/fixtures';

const WS = join(ROOT, 'test', 'fixtures');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
interface Lang { id: string; extensions?: string[]; filenames?: string[]; filenamePatterns?: string[]; firstLine?: string }
const langs = pkg.contributes.languages as Lang[];
const grammars = pkg.contributes.grammars as { language: string; scopeName: string; path: string }[];
type Rule = { match?: string; begin?: string; end?: string; patterns?: Rule[]; captures?: Record<string, Rule>; beginCaptures?: Record<string, Rule>; repository?: Record<string, Rule>; name?: string };
const grammar = (id: string): Rule & { scopeName: string; repository: Record<string, Rule> } =>
  JSON.parse(readFileSync(join(ROOT, grammars.find((g) => g.language === id)!.path), 'utf8'));
const rule = (id: string, name: string): RegExp => {
  const r = grammar(id).repository[name];
  return new RegExp(r.match ?? r.begin!);
};
const toolchains = (area: string) => readdirSync(join(WS, area)).filter((d) => /^go1\.\d+$/.test(d));

/** The language VS Code picks by name: an exact file name, then the patterns, then the extension. */
function byName(file: string): string | undefined {
  const name = basename(file);
  for (const l of langs) if (l.filenames?.includes(name)) return l.id;
  for (const l of langs) if (l.filenamePatterns?.some((p) => globToRegExp(p).test(name))) return l.id;
  for (const l of langs) if (l.extensions?.some((e) => name.endsWith(e))) return l.id;
  return undefined;
}
function byFirstLine(line: string): string[] {
  return langs.filter((l) => l.firstLine && new RegExp(l.firstLine).test(line)).map((l) => l.id);
}

function escapeText(): string | undefined {
  const go = ['/usr/lib/go-1.27/bin/go', '/usr/lib/go-1.26/bin/go'].find(existsSync);
  if (!go) return undefined;
  // -m output is printed on standard error by a successful build.
  const out = execFileSync('sh', ['-c', `"${go}" build -gcflags=-m=2 -o /dev/null ./alloc 2>&1`], {
    cwd: join(WS, 'programs'), env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' },
  });
  return out.toString();
}

describe('text-artifact grammars', () => {
  test('one grammar per language; every regex compiles', () => {
    assert.deepEqual(grammars.map((g) => g.language).sort(), ['go-escapes', 'go-gctrace', 'go-goroutines', 'go-schedtrace']);
    for (const g of grammars) {
      const gr = grammar(g.language);
      assert.equal(gr.scopeName, g.scopeName);
      let n = 0;
      const walk = (r: Rule | undefined) => {
        if (!r) return;
        for (const re of [r.match, r.begin, r.end]) if (re !== undefined) { assert.doesNotThrow(() => new RegExp(re), `${g.language}: ${re}`); n++; }
        r.patterns?.forEach(walk);
        for (const c of [r.captures, r.beginCaptures, r.repository]) if (c) Object.values(c).forEach(walk);
      };
      walk(gr);
      assert.ok(n >= 5, `${g.language}: ${n} regexes`);
    }
  });

  test('goroutine dumps: the header rule matches every goroutine header, the location rule every file:line', () => {
    let headers = 0;
    for (const go of toolchains('leaks')) {
      for (const f of ['leakprof-1.txt', 'leakprof.panic.txt', 'leakprof.sigquit.txt']) {
        const path = join(WS, 'leaks', go, f);
        if (!existsSync(path)) continue;
        const text = readFileSync(path, 'utf8');
        const lines = text.split('\n');
        const dump = parseGoroutineDump(text);
        const header = rule('go-goroutines', 'header'), location = rule('go-goroutines', 'location'), created = rule('go-goroutines', 'created');
        for (const g of dump.goroutines) {
          assert.match(lines[g.textLine - 1], header, `${go}/${f}:${g.textLine}`);
          headers++;
        }
        for (const [i, l] of lines.entries()) {
          if (/^\t.+:\d+/.test(l)) assert.match(l, location, `${go}/${f}:${i + 1}`);
          if (l.startsWith('created by ')) assert.match(l, created, `${go}/${f}:${i + 1}`);
        }
      }
    }
    assert.ok(headers > 100, `${headers} headers`);
  });

  test('gctrace and schedtrace: the cycle and SCHED rules match every such line', () => {
    for (const go of toolchains('gctrace')) {
      const path = join(WS, 'gctrace', go, 'gc-log.log');
      if (!existsSync(path)) continue;
      // The cycle lines the parser reads (the log also holds look-alikes such as "gc 12 @ lunch").
      const text = readFileSync(path, 'utf8');
      const cycles = parseGctrace(text).cycles.map((c) => text.split('\n')[c.line - 1]);
      assert.ok(cycles.length > 0);
      const head = new RegExp(grammar('go-gctrace').repository.cycle.patterns![0].match!);
      for (const l of cycles) assert.match(l, head, `${go}: ${l}`);
    }
    for (const go of toolchains('sched')) {
      for (const f of ['schedtrace.log', 'scheddetail.log']) {
        const lines = readFileSync(join(WS, 'sched', go, f), 'utf8').split('\n');
        for (const l of lines.filter((x) => x.startsWith('SCHED '))) assert.match(l, rule('go-schedtrace', 'sched'), `${go}/${f}`);
        if (f === 'scheddetail.log') assert.ok(lines.some((l) => rule('go-schedtrace', 'detail').test(l)), `${go}: P/M/G lines`);
      }
    }
  });
});

describe('text-artifact languages by name and first line', () => {
  test('fixture names', () => {
    const want: [string, string | undefined][] = [];
    for (const go of toolchains('pprof')) {
      want.push([`pprof/${go}/goroutine.txt`, 'go-goroutines'], [`pprof/${go}/goroutine.goroutine.top.txt`, undefined], [`pprof/${go}/goroutine.traces.txt`, undefined], [`pprof/${go}/cpu.pprof`, undefined]);
    }
    for (const go of toolchains('leaks')) want.push([`leaks/${go}/leakprof.panic.txt`, 'go-goroutines'], [`leaks/${go}/leakprof.sigquit.txt`, 'go-goroutines']);
    for (const go of toolchains('sched')) want.push([`sched/${go}/schedtrace.log`, 'go-schedtrace'], [`sched/${go}/scheddetail.log`, 'go-schedtrace']);
    want.push(['gctrace/go1.27/gc-log.gctrace.log', 'go-gctrace'], ['app.gctrace', 'go-gctrace'], ['escapes.txt', 'go-escapes'], ['build.escapes', 'go-escapes'], ['programs/cpu/main.go', undefined], ['README.md', undefined]);
    for (const [file, id] of want) assert.equal(byName(file), id, file);
  });

  test('first lines of real output pick their language and only it', () => {
    const cases: [string, string][] = [];
    for (const go of toolchains('pprof')) cases.push([readFileSync(join(WS, 'pprof', go, 'goroutine.txt'), 'utf8').split('\n')[0], 'go-goroutines']);
    for (const go of toolchains('leaks')) {
      for (const f of ['leakprof.panic.txt', 'leakprof.sigquit.txt']) {
        const p = join(WS, 'leaks', go, f);
        if (existsSync(p)) cases.push([readFileSync(p, 'utf8').split('\n')[0], 'go-goroutines']);
      }
    }
    for (const go of toolchains('sched')) cases.push([readFileSync(join(WS, 'sched', go, 'schedtrace.log'), 'utf8').split('\n')[0], 'go-schedtrace']);
    // A gctrace log written by a program that prints nothing else starts with its first cycle line.
    for (const go of toolchains('gctrace')) cases.push([readFileSync(join(WS, 'gctrace', go, 'gc-log.log'), 'utf8').split('\n').find((l) => /^gc \d+ @/.test(l))!, 'go-gctrace']);
    for (const [line, id] of cases) assert.deepEqual(byFirstLine(line), [id], line);
    // The gctrace fixtures begin with program output: recognised by name, not first line.
    for (const other of ['package main', '# GoLens report', 'gc-log: start', 'hello', '{"version":0}']) assert.deepEqual(byFirstLine(other), [], other);
  });

  test('-gcflags=-m=2 output of a real build: first line and diagnostic lines', (t) => {
    const text = escapeText();
    if (text === undefined) { t.skip('no Go toolchain at /usr/lib/go-1.2[67]'); return; }
    const lines = text.split('\n').filter(Boolean);
    assert.deepEqual(byFirstLine(lines[0]), ['go-escapes'], lines[0]);
    const diag = rule('go-escapes', 'diagnostic'), flow = rule('go-escapes', 'flow');
    const positions = lines.filter((l) => /^\S+\.go:\d+:\d+: /.test(l));
    assert.ok(positions.length > 20, `${positions.length} lines`);
    for (const l of positions) assert.match(l, diag, l);
    // Every kind of message the grammar names is in real output, and -m=2 adds the flow lines.
    for (const m of ['can inline', 'inlining call to', 'escapes to heap', 'does not escape', 'moved to heap', 'leaking param']) assert.ok(positions.some((l) => l.includes(m)), m);
    // -m=2 reason chains come after the position: the diagnostic rule's flow pattern marks them.
    const flowIn = new RegExp(grammar('go-escapes').repository.diagnostic.patterns![1].match!);
    const chains = positions.filter((l) => /:\s+(flow|from) /.test(l));
    assert.ok(chains.length > 5, `${chains.length} flow lines`);
    for (const l of chains) assert.match(l, flowIn, l);
    void flow;
    assert.deepEqual(byFirstLine(positions[0]), ['go-escapes']);
  });
});
