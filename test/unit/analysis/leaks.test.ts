// Goroutine leaks on real programs from every toolchain: exactly the planted leaks of
// programs/leakprof come out of every input kind (counts, reasons, blocking line, creation
// line where the input has it, confidence, pattern), programs/trace-leak's from its
// traces, and programs/healthy gives no likely or proven leak. The runtime's own
// goroutines never appear.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeLeaks, dumpReason, leakFindings, leakReport, stackReason, type LeakRow } from '../../../src/core/analysis/leaks';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { Replayer } from '../../../src/core/runtime/replay';
import { parseGoroutineDump } from '../../../src/core/text/goroutines';
import { EventBuilder, EventKind, GoState, NONE, ResourceKind, StackTable, StringTable } from '../../../src/core/trace/events';
import { PPROF_DIR, toolchainDirs } from '../helpers/fixtures';
import { healthyFacts, leakDirs, leakFacts, leakInput, leakPath, minor, rowsOf, TRACE_DIR, traceDirs, type LeakFacts, type PlantedLeak } from '../helpers/leakfixtures';


const RUNTIME = /^(runtime|internal)[./]/;

/** The runtime's own goroutines never come out. */
function assertNoRuntime(rows: LeakRow[]): void {
  for (const r of rows) {
    assert.ok(!RUNTIME.test(r.blockedAt.function), `runtime frame reported: ${r.blockedAt.function}`);
    assert.ok(!r.createdAt || !RUNTIME.test(r.createdAt.function), `runtime goroutine reported: created by ${r.createdAt?.function}`);
  }
}

interface Expect {
  round: number;
  confidence: string;
  /** The input has the creation site ("created by", a trace's creation stack). */
  created: boolean;
  /** The input has the runtime's frames (chanrecv1/2 tell a range from a plain receive). */
  runtimeFrames: boolean;
  /** goLine from a profile: function literals only, and Function.start_line only from Go 1.20. */
  goLineFromProfile?: boolean;
  growth?: number[][];
}

/** Exactly the planted leaks, and nothing else. */
function assertPlanted(rows: LeakRow[], facts: LeakFacts, e: Expect): void {
  assertNoRuntime(rows);
  const got = rows.map((r) => ({
    count: r.count, reason: r.reason, blockedAt: r.blockedAt, createdAt: r.createdAt, confidence: r.confidence,
    pattern: r.pattern, goLine: r.goLine, growth: r.growth,
  }));
  const want = facts.leaks.map((l: PlantedLeak, i) => {
    let pattern = l.pattern;
    if (l.reason === 'chan receive' && !e.runtimeFrames) pattern = undefined;
    let goLine: number | undefined;
    if (e.created) goLine = l.goLine;
    else if (e.goLineFromProfile && l.literal) goLine = l.goLine;
    return {
      count: l.counts[e.round], reason: l.reason,
      blockedAt: { function: l.blockFunction, file: facts.file, line: l.blockLine },
      createdAt: e.created ? { function: l.createdBy, file: facts.file, line: l.goLine } : null,
      confidence: e.confidence, pattern, goLine, growth: e.growth?.[i],
    };
  });
  const order = (a: { count: number }, b: { count: number }) => b.count - a.count;
  assert.deepEqual(got, want.sort(order));
}

for (const dir of leakDirs()) {
  const facts = leakFacts(dir);
  const p = (name: string) => leakPath(dir, name);
  const v = minor(dir);
  const startLines = v >= 20;
  describe(`${dir}: leakprof`, () => {
    test('one goroutine profile: possible, no creation site, the go line of literals', () => {
      assertPlanted(rowsOf(p('leakprof-1.pprof')), facts, { round: 0, confidence: 'possible', created: false, runtimeFrames: true, goLineFromProfile: startLines });
      assertPlanted(rowsOf(p('leakprof-2.pprof')), facts, { round: 1, confidence: 'possible', created: false, runtimeFrames: true, goLineFromProfile: startLines });
    });
    test('two goroutine profiles: growth → likely (in time order, whatever the argument order)', () => {
      const growth = facts.leaks.map((l) => l.counts);
      const e = { round: 1, confidence: 'likely', created: false, runtimeFrames: true, goLineFromProfile: startLines, growth };
      assertPlanted(rowsOf(p('leakprof-1.pprof'), p('leakprof-2.pprof')), facts, e);
      assertPlanted(rowsOf(p('leakprof-2.pprof'), p('leakprof-1.pprof')), facts, e);
    });
    test('one dump: possible, created by', () => {
      assertPlanted(rowsOf(p('leakprof-1.txt')), facts, { round: 0, confidence: 'possible', created: true, runtimeFrames: false });
      assertPlanted(rowsOf(p('leakprof-2.txt')), facts, { round: 1, confidence: 'possible', created: true, runtimeFrames: false });
    });
    test('two dumps (oldest first): growth → likely', () => {
      const growth = facts.leaks.map((l) => l.counts);
      assertPlanted(rowsOf(p('leakprof-1.txt'), p('leakprof-2.txt')), facts, { round: 1, confidence: 'likely', created: true, runtimeFrames: false, growth });
    });
    test('a profile then a dump: growth, with the dump\'s creation sites', () => {
      const growth = facts.leaks.map((l) => l.counts);
      assertPlanted(rowsOf(p('leakprof-1.pprof'), p('leakprof-2.txt')), facts, { round: 1, confidence: 'likely', created: true, runtimeFrames: true, growth });
    });
    test('SIGQUIT output: the runtime\'s own goroutines left out', () => {
      const d = parseGoroutineDump(readFileSync(p('leakprof.sigquit.txt'), 'utf8'));
      assert.ok(d.goroutines.some((g) => g.createdBy?.fn.startsWith('runtime.')), 'the dump has runtime goroutines');
      // After the goroutineleak profile ran, the runtime marks them "(leaked)".
      assertPlanted(rowsOf(p('leakprof.sigquit.txt')), facts, { round: 1, confidence: facts.goroutineleak ? 'proven' : 'possible', created: true, runtimeFrames: true });
    });
    test('panic output (GOTRACEBACK=all)', () => {
      assertPlanted(rowsOf(p('leakprof.panic.txt')), facts, { round: 1, confidence: facts.goroutineleak ? 'proven' : 'possible', created: true, runtimeFrames: false });
    });
    if (facts.goroutineleak) {
      test('goroutineleak profile: proven', () => {
        const prof = decodeProfile(readFileSync(p('leakprof.goroutineleak.pprof')));
        assert.deepEqual(prof.sampleTypes, [{ type: 'goroutineleak', unit: 'count' }], 'the leak profile\'s own sample type');
        assertPlanted(rowsOf(p('leakprof.goroutineleak.pprof')), facts, { round: 1, confidence: 'proven', created: false, runtimeFrames: true, goLineFromProfile: true });
      });
      test('goroutineleak debug=2 dump: proven, created by', () => {
        assertPlanted(rowsOf(p('leakprof.goroutineleak.txt')), facts, { round: 1, confidence: 'proven', created: true, runtimeFrames: false });
      });
    } else {
      test('no goroutineleak profile on this toolchain', () => {
        assert.ok(v <= 25 || v === 26, 'only Go ≤ 1.25 (and 1.26 without the experiment) lack it');
      });
    }
    test('everything together: each planted site once, with the strongest evidence', () => {
      const files = facts.files.map(p).concat(p('leakprof.sigquit.txt'));
      const rows = rowsOf(...files);
      assert.equal(rows.length, facts.leaks.length);
      assertNoRuntime(rows);
      for (const l of facts.leaks) {
        const r = rows.find((x) => x.blockedAt.line === l.blockLine)!;
        assert.equal(r.count, l.counts[1], l.marker);
        assert.equal(r.confidence, facts.goroutineleak ? 'proven' : 'likely', l.marker);
        assert.deepEqual(r.createdAt, { function: l.createdBy, file: facts.file, line: l.goLine });
        assert.equal(r.pattern, l.pattern);
      }
    });
  });

  describe(`${dir}: healthy`, () => {
    const h = healthyFacts(dir);
    const files = h.files.map(p);
    for (const f of [...files.map((x) => [x]), files.filter((x) => !x.endsWith('.trace')), files]) {
      test(`no likely or proven leak: ${f.map((x) => x.slice(x.lastIndexOf('/') + 1)).join(' ')}`, () => {
        const rows = rowsOf(...f);
        assertNoRuntime(rows);
        for (const r of rows) assert.equal(r.confidence, 'possible', `${r.blockedAt.function}: ${r.why}`);
        // net/http's own goroutines wait for peers, not for the program: the server's connection
        // for its client, the client's pooled connection (writer parked, reader on the network).
        assert.deepEqual(rows.filter((r) => r.blockedAt.function.startsWith('net/http')).map((r) => r.blockedAt.function), []);
        if (f.length === 1 && f[0].endsWith('.goroutineleak.pprof')) assert.deepEqual(rows, []);
        // The idle pool, where the input can see it (a trace sees goroutines blocked before
        // it began only through their status stacks, written since Go 1.23).
        const pool = rows.find((r) => r.blockedAt.line === h.pool.blockLine);
        const seesPool = !(f.length === 1 && f[0].endsWith('.trace') && v < 23) && !f[0].endsWith('.goroutineleak.pprof');
        if (seesPool) {
          assert.ok(pool, 'the idle pool is a possible leak');
          assert.equal(pool.count, h.pool.workers);
          assert.equal(pool.reason, 'chan receive');
        } else {
          assert.equal(pool, undefined);
        }
      });
    }
    if (v >= 23) {
      test('trace: goroutines blocked through the whole trace', () => {
        const rows = rowsOf(p('healthy.trace'));
        const pool = rows.find((r) => r.blockedAt.line === h.pool.blockLine)!;
        assert.equal(pool.traceShare, 1);
        assert.equal(pool.createdAt, null, 'created before the trace');
        assert.equal(pool.pattern, 'range-never-closed');
      });
      test('trace: the requests\' connections are counted, not rows', () => {
        const { census } = leakReport([leakInput(p('healthy.trace'))]);
        assert.equal(census.pooledConnections, 1, 'the client\'s idle pooled connection (its writer parked in select)');
        assert.equal(census.openConnections, 1, 'the server\'s keep-alive connection');
      });
    }
  });
}

describe('trace-leak traces: goroutines blocked at the end', () => {
  const blocking: Record<string, string> = {
    send: 'ch <- slowWork(id)', range: 'for j := range jobs', cond: 'cond.Wait()', select: 'select {',
  };
  const src = readFileSync(join(TRACE_DIR, '..', 'programs', 'trace-leak', 'main.go'), 'utf8').split('\n');
  const lineAfter = (goLine: number, text: string) => goLine + src.slice(goLine).findIndex((l) => l.includes(text)) + 1;
  const patterns: Record<string, string> = { send: 'send-after-timeout', range: 'range-never-closed', cond: 'cond-never-signalled', select: 'missing-cancel' };
  const funcs: Record<string, string> = { send: 'main.fetch', range: 'main.startConsumers', cond: 'main.startCondWaiters', select: 'main.startSelectors' };
  for (const dir of traceDirs()) {
    test(dir, () => {
      const expected = JSON.parse(readFileSync(join(TRACE_DIR, dir, 'trace-leak.expected.json'), 'utf8')) as {
        durationNs: number; planted: { leaks: { marker: string; goLine: number; count: number; reason: string }[] };
      };
      const rows = rowsOf(join(TRACE_DIR, dir, 'trace-leak.trace'));
      assertNoRuntime(rows);
      const file = 'golens.example/fixtures/trace-leak/main.go';
      const got = rows.map((r) => ({ count: r.count, reason: r.reason, blockedAt: r.blockedAt, createdAt: r.createdAt, confidence: r.confidence, pattern: r.pattern }));
      const want = expected.planted.leaks.map((l) => ({
        count: l.count, reason: l.reason,
        blockedAt: { function: `${funcs[l.marker]}.func1`, file, line: lineAfter(l.goLine, blocking[l.marker]) },
        createdAt: { function: funcs[l.marker], file, line: l.goLine },
        // The fetch workers are created one per fetch, across the whole trace; the others in one burst.
        confidence: l.marker === 'send' ? 'likely' : 'possible',
        pattern: patterns[l.marker],
      }));
      assert.deepEqual(got, want);
      for (const r of rows) {
        assert.ok(r.blockedNs! > 0 && r.blockedNs! < expected.durationNs, `${r.blockedAt.function} blockedNs ${r.blockedNs}`);
        assert.ok(r.traceShare! > 0 && r.traceShare! < 1);
        assert.equal(r.goLine, r.createdAt!.line);
      }
    });
  }
});

describe('other traces: no leaks where none were planted', () => {
  for (const dir of traceDirs()) {
    test(dir, () => {
      for (const prog of ['trace-contention', 'trace-gc', 'trace-syscall']) {
        const rows = rowsOf(join(TRACE_DIR, dir, `${prog}.trace`));
        assertNoRuntime(rows);
        for (const r of rows) assert.equal(r.confidence, 'possible', `${prog}: ${r.blockedAt.function}`);
      }
    });
  }
});

describe('pprof fixtures: the goroutine program', () => {
  for (const dir of toolchainDirs()) {
    test(dir, () => {
      for (const name of ['goroutine.pprof', 'goroutine.txt']) {
        const rows = rowsOf(join(PPROF_DIR, dir, name));
        assert.deepEqual(rows.map((r) => [r.count, r.reason, r.blockedAt.function, r.confidence]), [
          [50, 'chan send', 'main.parkSend', 'possible'],
          [20, 'chan receive', 'main.parkRecv', 'possible'],
          [10, 'select', 'main.parkSelect', 'possible'],
          [5, 'sync.(*Cond).Wait', 'main.parkCond', 'possible'],
        ], name);
      }
    });
  }
});

describe('confidence and reasons', () => {
  const dir = leakDirs().at(-1)!;
  const facts = leakFacts(dir);
  test('a dump with long waits: likely', () => {
    const text = readFileSync(leakPath(dir, 'leakprof-1.txt'), 'utf8')
      .replace(/^goroutine (\d+) \[chan send\]:/gm, 'goroutine $1 [chan send, 12 minutes]:')
      .replace(/^goroutine (\d+) \[select\]:/gm, 'goroutine $1 [select, 3 minutes]:');
    const rows = analyzeLeaks([{ kind: 'dump', source: 'x.txt', dump: parseGoroutineDump(text) }]);
    const send = rows.find((r) => r.reason === 'chan send')!;
    assert.deepEqual([send.confidence, send.blockedNs], ['likely', 12 * 60e9]);
    const sel = rows.find((r) => r.reason === 'select')!;
    assert.deepEqual([sel.confidence, sel.blockedNs], ['possible', 3 * 60e9]);
    assert.equal(rows.length, facts.leaks.length);
  });
  test('no growth across snapshots: possible', () => {
    const rows = rowsOf(leakPath(dir, 'leakprof-2.txt'), leakPath(dir, 'leakprof-2.txt'.replace('2', '2')));
    for (const r of rows) assert.equal(r.confidence, 'possible');
  });
  test('a shrinking site is not growth', () => {
    const rows = rowsOf(leakPath(dir, 'leakprof-2.txt'), leakPath(dir, 'leakprof-1.txt'));
    for (const r of rows) assert.equal(r.confidence, 'possible');
  });
  test('dump wait reasons', () => {
    assert.equal(dumpReason('chan send'), 'chan send');
    assert.equal(dumpReason('chan receive (nil chan)'), 'forever');
    assert.equal(dumpReason('select (no cases)'), 'forever');
    assert.equal(dumpReason('sync.Cond.Wait'), 'sync.(*Cond).Wait');
    assert.equal(dumpReason('sync.WaitGroup.Wait (durable)'), 'sync');
    assert.equal(dumpReason('semacquire'), 'sync');
    for (const s of ['running', 'runnable', 'IO wait', 'sleep', 'syscall', 'GC worker (idle)', 'finalizer wait', 'force gc (idle)']) {
      assert.equal(dumpReason(s), null, s);
    }
  });
  test('stack wait reasons', () => {
    const st = (...fns: string[]) => stackReason(fns.map((fn) => ({ fn })));
    assert.equal(st('runtime.gopark', 'runtime.chansend', 'runtime.chansend1', 'main.f'), 'chan send');
    assert.equal(st('runtime.gopark', 'runtime.block', 'main.f'), 'forever');
    assert.equal(st('runtime.gopark', 'runtime.semacquire1', 'internal/sync.runtime_SemacquireMutex', 'internal/sync.(*Mutex).lockSlow', 'sync.(*Mutex).Lock', 'main.f'), 'sync');
    assert.equal(st('runtime.gopark', 'runtime.netpollblock', 'internal/poll.runtime_pollWait', 'net.(*conn).Read', 'main.f'), null);
    assert.equal(st('runtime.gopark', 'time.Sleep', 'main.f'), null);
    assert.equal(st('main.f', 'runtime.chansend1'), null, 'only the frames above the first user frame count');
  });
  test('findings: one per site, at the blocking line, with advice', () => {
    const rows = rowsOf(leakPath(dir, 'leakprof-1.txt'), leakPath(dir, 'leakprof-2.txt'));
    const fs = leakFindings(rows);
    assert.equal(fs.length, facts.leaks.length);
    for (const [i, f] of fs.entries()) {
      assert.equal(f.kind, 'leak');
      assert.deepEqual(f.site, rows[i].blockedAt);
      assert.equal(f.confidence, 'likely');
      assert.equal(f.evidence.count, rows[i].count);
      assert.ok(f.advice && f.advice.length > 20);
      assert.match(f.title, /^\d+ goroutines? blocked on /);
      assert.match(f.source, /leakprof-1\.txt, .*leakprof-2\.txt$/);
    }
  });
});

describe('not leaks', () => {
  test('a timed-out go test: the test framework\'s waits and main are left out, the test\'s leak stays', () => {
    const text = `panic: test timed out after 10m0s
	running tests:
		TestFetch (10m0s)

goroutine 34 [running]:
testing.(*M).startAlarm.func1()
	/usr/lib/go/src/testing/testing.go:2373 +0x385
created by time.goFunc
	/usr/lib/go/src/time/sleep.go:215 +0x2d

goroutine 1 [chan receive, 10 minutes]:
testing.(*T).Run(0xc000007ba0, {0x5a8f0e?, 0x0?}, 0x5b6e48)
	/usr/lib/go/src/testing/testing.go:1750 +0x3ab
testing.runTests.func1(0xc000007ba0)
	/usr/lib/go/src/testing/testing.go:2161 +0x37
testing.tRunner(0xc000007ba0, 0xc000067c70)
	/usr/lib/go/src/testing/testing.go:1689 +0xf4
testing.runTests(0xc000012258, {0x688e40, 0x1, 0x1}, {0x0?, 0x0?, 0x0?})
	/usr/lib/go/src/testing/testing.go:2159 +0x445
testing.(*M).Run(0xc000070140)
	/usr/lib/go/src/testing/testing.go:2027 +0x68b
main.main()
	_testmain.go:47 +0x16c

goroutine 6 [chan receive, 10 minutes]:
testing.(*T).Run(0xc000007d40, {0x5a9a0f?, 0x0?}, 0x5b6e50)
	/usr/lib/go/src/testing/testing.go:1750 +0x3ab
example.com/app.TestFetch(0xc000007d40)
	/src/app/fetch_test.go:12 +0x45
testing.tRunner(0xc000007d40, 0x5b6e58)
	/usr/lib/go/src/testing/testing.go:1689 +0xf4
created by testing.(*T).Run in goroutine 1
	/usr/lib/go/src/testing/testing.go:1742 +0x390

goroutine 7 [chan send, 10 minutes]:
example.com/app.fetch.func1()
	/src/app/fetch.go:20 +0x2a
created by example.com/app.fetch in goroutine 6
	/src/app/fetch.go:19 +0x8d
`;
    const rows = analyzeLeaks([{ kind: 'dump', source: 'test.log', dump: parseGoroutineDump(text) }]);
    assert.deepEqual(rows.map((r) => [r.count, r.reason, r.blockedAt.function, r.blockedAt.line, r.createdAt?.line, r.confidence, r.blockedNs]), [
      [1, 'chan send', 'example.com/app.fetch.func1', 20, 19, 'likely', 10 * 60e9],
    ]);
  });
});

describe('trace rules on a hand-made model', () => {
  // Goroutine 1 is main; 10–13 leak at one site, created across the trace; 20–23 are a
  // pool grown across the trace whose workers were woken at their site before; 30 was
  // blocked before the trace began; 40 is a GC worker.
  function model() {
    const strings = new StringTable();
    const stacks = new StackTable();
    const fr = (fn: string, line: number, file = '/src/app.go') => ({ pc: line, fn, file, line });
    const leakAt = stacks.intern([fr('runtime.chansend1', 1, 'runtime/chan.go'), fr('main.worker.func1', 20)]);
    const leakGo = stacks.intern([fr('main.worker', 19), fr('main.main', 5)]);
    const leakStart = stacks.intern([fr('main.worker.func1', 19)]);
    const poolAt = stacks.intern([fr('runtime.chanrecv2', 2, 'runtime/chan.go'), fr('main.pool.func1', 40)]);
    const poolGo = stacks.intern([fr('main.pool', 39)]);
    const oldAt = stacks.intern([fr('runtime.gopark', 3, 'runtime/proc.go'), fr('runtime.selectgo', 4, 'runtime/select.go'), fr('main.old', 60)]);
    const gcAt = stacks.intern([fr('runtime.gopark', 3, 'runtime/proc.go'), fr('runtime.chanrecv1', 5, 'runtime/chan.go'), fr('runtime.gcBgMarkWorker', 1400, 'runtime/mgc.go')]);
    const gcGo = stacks.intern([fr('runtime.gcBgMarkStartWorkers', 1300, 'runtime/mgc.go')]);
    const b = new EventBuilder();
    const tr = (t: number, g: number, from: number, to: number, reason: string, stack: number, stack2 = NONE) => {
      const i = b.add(EventKind.StateTransition, t, 1, 0, 0, stack);
      b.r[i] = ResourceKind.Goroutine; b.a[i] = g; b.b[i] = from; b.c[i] = to; b.stack2[i] = stack2;
      if (reason) b.s1[i] = strings.intern(reason);
    };
    tr(0, 30, GoState.Undetermined, GoState.Waiting, '', oldAt);
    const times = [0, 300, 600, 900];
    times.forEach((t, k) => {
      tr(t + 1, 10 + k, GoState.NotExist, GoState.Runnable, '', leakGo, leakStart);
      tr(t + 2, 10 + k, GoState.Runnable, GoState.Running, '', NONE);
      tr(t + 3, 10 + k, GoState.Running, GoState.Waiting, 'chan send', leakAt);
      tr(t + 4, 20 + k, GoState.NotExist, GoState.Runnable, '', poolGo, NONE);
      tr(t + 5, 20 + k, GoState.Runnable, GoState.Running, '', NONE);
      tr(t + 6, 20 + k, GoState.Running, GoState.Waiting, 'chan receive', poolAt);
      tr(t + 50, 20 + k, GoState.Waiting, GoState.Runnable, '', NONE);
      tr(t + 51, 20 + k, GoState.Runnable, GoState.Running, '', NONE);
      tr(t + 52, 20 + k, GoState.Running, GoState.Waiting, 'chan receive', poolAt);
    });
    tr(950, 40, GoState.NotExist, GoState.Runnable, '', gcGo, NONE);
    tr(951, 40, GoState.Runnable, GoState.Running, '', NONE);
    tr(952, 40, GoState.Running, GoState.Waiting, 'chan receive', gcAt);
    const i = b.add(EventKind.Metric, 1000, NONE, NONE, NONE, NONE);
    b.s1[i] = strings.intern('/gc/heap/goal:bytes'); b.a[i] = 1;
    const r = new Replayer(strings, stacks);
    r.add(b.finish());
    return r.finish();
  }

  test('a pile-up across the trace is likely; a revolving door and a wait older than the trace are possible; GC workers are not there', () => {
    const rows = analyzeLeaks([{ kind: 'trace', source: 'x.trace', model: model() }]);
    assert.deepEqual(rows.map((r) => [r.count, r.reason, r.blockedAt.function, r.createdAt?.function ?? null, r.confidence, r.blockedNs, r.pattern]), [
      [4, 'chan send', 'main.worker.func1', 'main.worker', 'likely', 1000 - 3, 'send-after-timeout'],
      [4, 'chan receive', 'main.pool.func1', 'main.pool', 'possible', 1000 - 52, 'range-never-closed'],
      [1, 'select', 'main.old', null, 'possible', 1000, 'missing-cancel'],
    ]);
    assert.equal(rows[2].why, 'blocked through the whole trace');
    assert.equal(rows[2].traceShare, 1);
    assert.equal(rows[2].waitReason, 'select', 'read from the stack: the status event has no reason');
  });
});
