// When nothing leaks, GoLens says what it saw and why none of it is a leak. programs/mainwait
// is parked in main (a channel receive) while a sleeper sleeps and a reporter writes its
// trace, goroutine profile and dump: no leak rows, main named with its line, the rest by state.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeLeaks, censusLines, leakReport } from '../../../src/core/analysis/leaks';
import { ROOT } from '../helpers/fixtures';
import { golensProcess } from '../helpers/golensproc';
import { leakDirs, leakInput, leakPath, PROGRAMS } from '../helpers/leakfixtures';

const SRC = readFileSync(join(PROGRAMS, 'mainwait', 'main.go'), 'utf8').split('\n');
const WAIT_LINE = SRC.findIndex((l) => l.includes('// golens:line wait')) + 1;

const dirs = leakDirs();

test('mainwait was written by several toolchains', () => assert.ok(dirs.length >= 8, dirs.join(', ')));

for (const dir of dirs) {
  describe(`${dir}: mainwait`, () => {
    for (const file of ['mainwait.txt', 'mainwait.pprof', 'mainwait.trace']) {
      test(`${file}: no leaks; the census names main parked at its line`, () => {
        const inputs = [leakInput(leakPath(dir, file))];
        assert.deepEqual(analyzeLeaks(inputs), []);
        const { rows, census: c } = leakReport(inputs);
        assert.deepEqual(rows, []);
        assert.equal(c.parked, 0, 'no candidates');
        assert.ok(c.main, 'main is parked');
        assert.equal(c.main.waitReason, 'chan receive');
        assert.equal(c.main.at?.function, 'main.main');
        assert.equal(c.main.at?.line, WAIT_LINE);
        const notParked = Object.values(c.notParked).reduce((a, b) => a + b, 0);
        assert.equal(c.goroutines, 1 + c.runtimeParked + notParked, 'every goroutine in one class');
        // The reporter runs and the sleeper sleeps; traces add the runtime's own goroutines.
        if (file === 'mainwait.txt') assert.deepEqual(c.notParked, { running: 1, sleep: 1 });
        else assert.ok(notParked >= 2, JSON.stringify(c.notParked));
        const text = censusLines(c).join('\n');
        assert.match(text, new RegExp(`main goroutine is parked on chan receive at main\\.main \\(main\\.go:${WAIT_LINE}\\)`));
        assert.match(text, new RegExp(`^Seen: ${c.goroutines} goroutines \\(those alive`));
      });
    }
  });
}

test('golens leaks prints the census as text and JSON', () => {
  const dump = leakPath('go1.27', 'mainwait.txt');
  const txt = golensProcess('leaks', dump);
  assert.equal(txt.code, 0, txt.stderr);
  assert.match(txt.stdout, /No goroutine leaks/);
  assert.match(txt.stdout, new RegExp(`The main goroutine is parked on chan receive at main\\.main \\(main\\.go:${WAIT_LINE}\\): that is the program waiting`));
  assert.match(txt.stdout, /2 goroutines are not parked on a channel, select, lock or Cond \(1 running, 1 sleep\)/);
  const js = golensProcess('leaks', '--json', dump);
  assert.equal(js.code, 0, js.stderr);
  const o = JSON.parse(js.stdout) as { leaks: unknown[]; seen: { goroutines: number; main: { line?: number; at: { line: number } } } };
  assert.deepEqual(o.leaks, []);
  assert.equal(o.seen.goroutines, 3);
  assert.equal(o.seen.main.at.line, WAIT_LINE);
});

test('a debug=1 goroutine profile is refused by leaks with why and what to capture instead', () => {
  for (const dir of ['go1.19', 'go1.27']) {
    const file = join(ROOT, 'test', 'fixtures', 'legacy', dir, 'goroutine.debug1.txt');
    const r = golensProcess('leaks', file);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /a debug=1 goroutine profile leaves out the runtime frames that say why a goroutine waits.*\?debug=2/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    // top reads it, with the frames the text names.
    const top = golensProcess('top', file);
    assert.equal(top.code, 0, top.stderr);
    assert.match(top.stdout, /main\.park/);
  }
});
