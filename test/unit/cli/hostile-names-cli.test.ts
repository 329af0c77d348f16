// The golens process on artifacts with hostile names (issue 16): human output shows control
// characters escaped and never starts a line with `::` (a CI workflow command), JSON keeps the
// names exact; exit codes as before, in bounded time and memory.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { golensProcess } from '../helpers/golensproc';
import { fixture, ROOT } from '../helpers/fixtures';
import { hostileDump, hostileProfile, PROFILE_NAMES, RAW_CONTROL } from '../helpers/hostilenames';

const tmp = mkdtempSync(join(tmpdir(), 'golens-names-'));

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

const golens = golensProcess;

/** Nothing a terminal or a CI log acts on, in bounded time and memory. */
function inert(r: ReturnType<typeof golens>, what: string): void {
  for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]]) {
    const raw = RAW_CONTROL.exec(text);
    assert.equal(raw, null, `${what}: raw U+${raw?.[0].charCodeAt(0).toString(16).padStart(4, '0')} on ${stream}`);
    assert.doesNotMatch(text, /^::/m, `${what}: a line of ${stream} starts with ::`);
  }
  assert.ok(r.ms < 10_000, `${what}: took ${r.ms} ms`);
  assert.ok(r.rssMB < 300, `${what}: peak RSS ${r.rssMB.toFixed(0)} MB`);
}

const dump = file('hostile-goroutines.txt', hostileDump(Buffer.from(fixture('go1.27', 'goroutine.txt')).toString('utf8')));
const goroutine = file('hostile-goroutine.pprof', hostileProfile(fixture('go1.27', 'goroutine.pprof')));
const cpu = file('hostile-cpu.pprof', hostileProfile(fixture('go1.27', 'cpu.pprof')));
const mutex = file('hostile-mutex.pprof', hostileProfile(fixture('go1.27', 'mutex.pprof')));
const block = file('hostile-block.pprof', hostileProfile(fixture('go1.27', 'block.pprof')));

describe('golens on hostile names', () => {
  const cases: [string, string[], number][] = [
    ['top', ['top', cpu], 0],
    ['top by line', ['top', '--granularity', 'lines', cpu], 0],
    ['diff', ['diff', goroutine, join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'goroutine.pprof')], 0],
    ['leaks of a dump', ['leaks', dump], 0],
    ['leaks of a profile', ['leaks', goroutine], 0],
    ['contention', ['contention', mutex, block], 0],
    ['report', ['report', goroutine, dump, mutex], 0],
    ['report --html', ['report', '--html', goroutine], 0],
    ['report --text', ['report', '--text', goroutine, dump, mutex], 0],
    ['report --fail-on', ['report', '--fail-on', 'contention', mutex], 1],
  ];
  for (const [what, args, code] of cases) {
    test(`${what}: control characters escaped, no line starts with ::, exit ${code}`, () => {
      const r = golens(...args);
      assert.equal(r.code, code, r.stderr);
      inert(r, what);
      // The hostile names reached the output, shown escaped.
      if (!what.startsWith('report')) assert.match(r.stdout, /main\.b\\n::error::pwned|main\.\\e\]8;;/, r.stdout);
    });
  }

  test('JSON keeps the names exact, every control character and bidi override as a \\u escape', () => {
    const r = golens('top', '--json', cpu);
    assert.equal(r.code, 0, r.stderr);
    inert(r, 'top --json');
    const names = new Set((JSON.parse(r.stdout) as { rows: { function: string }[] }).rows.map((x) => x.function));
    for (const n of PROFILE_NAMES) assert.ok(names.has(n), `${JSON.stringify(n)} in ${JSON.stringify([...names])}`);
  });

  test('an error about a file whose name holds escapes: exit 2, one line, escaped', () => {
    const bad = file('bad\u001b[31m\n::error::x.pprof', 'not a profile at all');
    const r = golens('top', bad);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    inert(r, 'error');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, /bad\\e\[31m\\n::error::x\.pprof/);
  });
});
