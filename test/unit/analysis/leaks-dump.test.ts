// The text goroutine dump parser on real dumps from every toolchain — pprof debug=2,
// goroutineleak debug=2, panic (GOTRACEBACK=all) and SIGQUIT output — and on the
// variants the runtime prints that the fixtures do not hold.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { userFrame } from '../../../src/core/analysis/frames';
import { analyzeLeaks } from '../../../src/core/analysis/leaks';
import { FormatError } from '../../../src/core/errors';
import { looksLikeGoroutineDump, parseGoroutineDump, type DumpGoroutine } from '../../../src/core/text/goroutines';
import { leakDirs, leakFacts, LEAKS_DIR, minor } from '../helpers/leakfixtures';
import { PPROF_DIR, toolchainDirs } from '../helpers/fixtures';

const read = (dir: string, name: string) => readFileSync(join(LEAKS_DIR, dir, name), 'utf8');

function byState(gs: DumpGoroutine[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of gs) out[g.state] = (out[g.state] ?? 0) + 1;
  return out;
}

for (const dir of leakDirs()) {
  const facts = leakFacts(dir);
  const v = minor(dir);
  describe(`${dir}: goroutine dumps`, () => {
    for (const [file, round] of [['leakprof-1.txt', 0], ['leakprof-2.txt', 1]] as const) {
      test(`${file}: every planted goroutine with its frames and creation site`, () => {
        const d = parseGoroutineDump(read(dir, file));
        assert.deepEqual(d.preamble, []);
        const n = facts.leaks.reduce((a, l) => a + l.counts[round], 0);
        assert.equal(d.goroutines.length, n + 1, 'the planted ones and main');
        const main = d.goroutines.find((g) => g.id === 1)!;
        assert.equal(main.state, 'running');
        assert.equal(main.createdBy, null);
        assert.equal(new Set(d.goroutines.map((g) => g.id)).size, d.goroutines.length);
        for (const leak of facts.leaks) {
          const gs = d.goroutines.filter((g) => g.createdBy?.line === leak.goLine);
          assert.equal(gs.length, leak.counts[round], leak.marker);
          for (const g of gs) {
            assert.equal(g.state, leak.reason === 'sync.(*Cond).Wait' ? 'sync.Cond.Wait' : leak.reason, leak.marker);
            assert.equal(g.minutes, 0);
            assert.equal(g.leaked, false);
            assert.equal(g.lockedToThread, false);
            assert.equal(g.createdBy!.fn, leak.createdBy);
            assert.equal(g.createdBy!.file, facts.file);
            assert.equal(g.createdBy!.goroutine, v >= 21 ? 1 : undefined, '" in goroutine N" since Go 1.21');
            const u = userFrame(g.frames)!;
            assert.deepEqual([u.fn, u.file, u.line], [leak.blockFunction, facts.file, leak.blockLine], leak.marker);
            // debug=2 hides the runtime's frames.
            assert.ok(!g.frames.some((f) => f.fn.startsWith('runtime.')), leak.marker);
            for (const f of g.frames) {
              assert.ok(f.line > 0 && f.file !== '', `${leak.marker}: ${f.fn} has a location`);
            }
          }
        }
      });
    }

    test('leakprof.sigquit.txt: SIGQUIT output with the runtime\'s own goroutines and frame registers', () => {
      const d = parseGoroutineDump(read(dir, 'leakprof.sigquit.txt'));
      assert.equal(d.preamble[0], 'SIGQUIT: quit');
      assert.match(d.preamble[1], /^PC=0x[0-9a-f]+ m=\d+ sigcode=/);
      // The signalled thread's g0 when the signal landed on an idle thread (timing).
      const g0 = d.goroutines.find((g) => g.id === 0);
      if (g0) assert.equal(g0.state, 'idle');
      assert.match(d.goroutines.find((g) => g.id === 1)!.state, /^(running|sleep)$/);
      const fns = new Set(d.goroutines.flatMap((g) => g.frames.map((f) => f.fn)));
      for (const fn of ['runtime.gopark', 'runtime.goexit', 'runtime.forcegchelper', 'runtime.bgsweep', 'runtime.bgscavenge', 'runtime.gcBgMarkWorker']) {
        assert.ok(fns.has(fn), fn);
      }
      const created = new Set(d.goroutines.map((g) => g.createdBy?.fn));
      assert.ok(created.has('runtime.gcenable') && created.has('runtime.gcBgMarkStartWorkers'));
      // Every frame's location parsed although "fp=… sp=… pc=…" follows it.
      for (const g of d.goroutines) for (const f of g.frames) assert.ok(f.line > 0, `goroutine ${g.id} ${f.fn}`);
      const leaked = facts.goroutineleak;
      for (const leak of facts.leaks) {
        const gs = d.goroutines.filter((g) => g.createdBy?.line === leak.goLine);
        assert.equal(gs.length, leak.counts[1], leak.marker);
        for (const g of gs) {
          assert.equal(g.leaked, leaked, `${leak.marker}: "(leaked)" once the leak profile ran`);
          assert.ok(g.frames.some((f) => f.fn === 'runtime.gopark'), 'SIGQUIT shows the runtime\'s frames');
        }
      }
    });

    test('leakprof.sigquit.txt: header variants of the toolchain', () => {
      const text = read(dir, 'leakprof.sigquit.txt');
      const headers = text.split('\n').filter((l) => l.startsWith('goroutine '));
      assert.equal(headers.length, parseGoroutineDump(text).goroutines.length);
      if (v >= 22) assert.ok(headers.every((h) => / gp=0x[0-9a-f]+ m=/.test(h)), 'gp= m= since Go 1.22 at level system (SIGQUIT)');
      else assert.ok(headers.every((h) => !h.includes(' gp=')));
    });

    test('leakprof.panic.txt: panic output (GOTRACEBACK=all)', () => {
      const d = parseGoroutineDump(read(dir, 'leakprof.panic.txt'));
      assert.deepEqual(d.preamble, ['panic: leakprof: planted leaks are parked']);
      assert.equal(d.goroutines[0].id, 1);
      assert.match(d.goroutines[0].state, /^running/);
      assert.equal(d.goroutines.length, facts.leaks.reduce((a, l) => a + l.counts[1], 0) + 1);
      assert.equal(d.goroutines.filter((g) => g.leaked).length, facts.goroutineleak ? d.goroutines.length - 1 : 0);
    });

    if (facts.goroutineleak) {
      test('leakprof.goroutineleak.txt: debug=2 of the goroutineleak profile marks the leaked ones', () => {
        const d = parseGoroutineDump(read(dir, 'leakprof.goroutineleak.txt'));
        const leaked = d.goroutines.filter((g) => g.leaked);
        assert.equal(leaked.length, facts.leaks.reduce((a, l) => a + l.counts[1], 0));
        const want: Record<string, number> = {};
        for (const l of facts.leaks) {
          const state = l.reason === 'sync.(*Cond).Wait' ? 'sync.Cond.Wait' : l.reason;
          want[state] = (want[state] ?? 0) + l.counts[1];
        }
        assert.deepEqual(byState(leaked), want);
        assert.ok(d.goroutines.some((g) => g.id === 1 && !g.leaked), 'the rest are printed too');
      });
    }
  });
}

describe('pprof fixtures: goroutine.txt (debug=2)', () => {
  for (const dir of toolchainDirs()) {
    test(dir, () => {
      const d = parseGoroutineDump(readFileSync(join(PPROF_DIR, dir, 'goroutine.txt'), 'utf8'));
      assert.equal(d.goroutines.length, 86);
      assert.deepEqual(byState(d.goroutines), { running: 1, 'chan send': 50, 'chan receive': 20, select: 10, 'sync.Cond.Wait': 5 });
    });
  }
});

describe('dump variants', () => {
  test('minutes, locked to thread, (scan), (leaked), labels, CRLF', () => {
    const text = [
      'goroutine 7 [chan receive, 12 minutes, locked to thread]:',
      'main.wait(...)',
      '\t/src/main.go:10',
      'main.main.func1()',
      '\t/src/main.go:20 +0x1d',
      'created by main.main in goroutine 1',
      '\t/src/main.go:19 +0x25',
      '',
      'goroutine 8 gp=0xc000007a40 m=nil [select (leaked) (scan), 3 minutes] {request: "42", user: bob}:',
      'main.loop()',
      '\tC:/work/main.go:30 +0x1d fp=0xc000 sp=0xc000 pc=0x4a',
      '',
    ].join('\r\n');
    const d = parseGoroutineDump(text);
    assert.equal(d.goroutines.length, 2);
    const [a, b] = d.goroutines;
    assert.deepEqual([a.id, a.state, a.minutes, a.lockedToThread, a.leaked], [7, 'chan receive', 12, true, false]);
    assert.deepEqual(a.frames.map((f) => [f.fn, f.args, f.file, f.line, f.pcOffset]), [
      ['main.wait', '...', '/src/main.go', 10, undefined],
      ['main.main.func1', '', '/src/main.go', 20, 0x1d],
    ]);
    assert.deepEqual(a.createdBy, { fn: 'main.main', file: '/src/main.go', line: 19, goroutine: 1 });
    assert.deepEqual([b.id, b.state, b.minutes, b.leaked, b.labels], [8, 'select', 3, true, 'request: "42", user: bob']);
    assert.deepEqual([b.frames[0].file, b.frames[0].line], ['C:/work/main.go', 30]);
  });

  test('method and generic names, elided frames, ancestors, text around the blocks', () => {
    const text = `2026/01/02 10:00:00 starting
panic: runtime error: index out of range [3] with length 3 [recovered]
	panic: again

goroutine 21 [running]:
main.(*Server).handle(0xc000010000, {0x5, 0x6})
	/src/server.go:42 +0x1a
main.Map[...](...)
	/src/generic.go:7
...3 frames elided...
created by net/http.(*Server).Serve in goroutine 1
	/usr/lib/go/src/net/http/server.go:3285 +0x4b4
[originating from goroutine 1]:
main.main(...)
	/src/main.go:5 +0x1
exit status 2
`;
    const d = parseGoroutineDump(text);
    assert.deepEqual(d.preamble, ['2026/01/02 10:00:00 starting', 'panic: runtime error: index out of range [3] with length 3 [recovered]', '\tpanic: again']);
    assert.equal(d.goroutines.length, 1);
    const g = d.goroutines[0];
    assert.deepEqual(g.frames.map((f) => f.fn), ['main.(*Server).handle', 'main.Map[...]']);
    assert.equal(g.frames[0].args, '0xc000010000, {0x5, 0x6}');
    assert.equal(g.elided, true);
    assert.deepEqual(g.createdBy, { fn: 'net/http.(*Server).Serve', file: '/usr/lib/go/src/net/http/server.go', line: 3285, goroutine: 1 });
  });

  test('Go 1.19 "created by" without the goroutine', () => {
    const d = parseGoroutineDump('goroutine 5 [chan send]:\nmain.f()\n\t/x.go:3 +0x1\ncreated by main.main\n\t/x.go:9 +0x2\n');
    assert.deepEqual(d.goroutines[0].createdBy, { fn: 'main.main', file: '/x.go', line: 9 });
  });

  test('not a dump: FormatError', () => {
    for (const text of ['', 'hello world\n', 'goroutine profile: total 3\n3 @ 0x1 0x2\n#\t0x1\tmain.f+0x1\t/x.go:3\n', '{"goroutine": 1}']) {
      assert.throws(() => parseGoroutineDump(text), (e: unknown) => e instanceof FormatError && /not a goroutine dump/.test(e.message), JSON.stringify(text));
      assert.equal(looksLikeGoroutineDump(text), false);
    }
    assert.equal(looksLikeGoroutineDump('x\ngoroutine 1 [running]:\nmain.main()\n'), true);
  });
});

describe('mutated dumps', () => {
  // Each either parses and analyzes, or throws one FormatError; never another exception.
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
  }
  test('2,000 line-level mutations of real dumps', () => {
    const r = rng(42);
    const sources = leakDirs().flatMap((d) => ['leakprof-2.txt', 'leakprof.sigquit.txt', 'leakprof.panic.txt'].map((f) => read(d, f).split('\n')));
    let parsed = 0;
    for (let i = 0; i < 2000; i++) {
      const lines = sources[Math.floor(r() * sources.length)].slice();
      for (let k = 1 + Math.floor(r() * 6); k > 0 && lines.length > 0; k--) {
        const at = Math.floor(r() * lines.length);
        const other = lines[Math.floor(r() * lines.length)];
        switch (Math.floor(r() * 6)) {
          case 0: lines.splice(at, 1); break;
          case 1: lines.splice(at, 0, other); break;
          case 2: lines[at] = lines[at].slice(0, Math.floor(r() * lines[at].length)); break;
          case 3: lines.length = at; break;
          case 4: lines[at] = lines[at].replace(/\d+/, '99999999999999999999'); break;
          case 5: lines[at] = lines[at].replace(/[()\[\]:]/, ''); break;
        }
      }
      try {
        const d = parseGoroutineDump(lines.join('\n'));
        analyzeLeaks([{ kind: 'dump', source: 'm.txt', dump: d }]);
        parsed++;
      } catch (e) {
        assert.ok(e instanceof FormatError, String(e));
      }
    }
    assert.ok(parsed > 1000, `${parsed} parsed`);
  });
});
