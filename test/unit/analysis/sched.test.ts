// Scheduler reports on real runs of programs/sched (8 CPU-bound goroutines on 2 Ps for
// 600 ms, then 400 ms mostly idle), for every toolchain: schedtrace and scheddetail logs
// parse completely; the trace's runnable→running waits agree with an independent pass over
// the events and with the goroutine spans; the spinners' go statement is the worst site;
// the busy phase is saturated; bad input is a FormatError.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cmdSched } from '../../../src/cli/sched';
import { schedFindingsFromFiles, schedFrom } from '../../../src/core/artifacts/sched';
import { latencyStats, runnableWaits, schedFromModel } from '../../../src/core/analysis/sched';
import { percentile } from '../../../src/core/format';
import { FormatError } from '../../../src/core/errors';
import { replay } from '../../../src/core/runtime/pass';
import { EventKind, GoState, ResourceKind, memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { parseSchedtrace } from '../../../src/core/text/schedtrace';
import { ROOT } from '../helpers/fixtures';

const FIX = join(ROOT, 'test', 'fixtures');
const SCHED_DIR = join(FIX, 'sched');
const dirs = existsSync(SCHED_DIR) ? readdirSync(SCHED_DIR).filter((d) => /^go1\.\d+$/.test(d)) : [];

interface Expected {
  planted: { finished: { marker: string; goLine: number; count: number }[] };
}

test('sched fixtures exist for every toolchain', () => assert.ok(dirs.length >= 8, dirs.join(',')));

/** Runnable→running waits straight from the event stream: entered Runnable from a known state, left for Running. */
function waitsFromEvents(bytes: Uint8Array): number[] {
  const reader = openTrace(memorySource(bytes));
  const since = new Map<number, number>();
  const out: number[] = [];
  for (let ev = reader.next(); ev; ev = reader.next()) {
    for (let i = 0; i < ev.count; i++) {
      if (ev.kind[i] !== EventKind.StateTransition || ev.r[i] !== ResourceKind.Goroutine) continue;
      const g = ev.a[i], from = ev.b[i], to = ev.c[i];
      if (from === to) continue;
      if (to === GoState.Runnable) {
        if (from !== GoState.Undetermined) since.set(g, ev.time[i]); else since.delete(g);
      } else {
        const t = since.get(g);
        since.delete(g);
        if (from === GoState.Runnable && to === GoState.Running && t !== undefined) out.push(ev.time[i] - t);
      }
    }
  }
  return out;
}

for (const dir of dirs) {
  describe(`${dir} sched`, () => {
    const d = join(SCHED_DIR, dir);
    const exp = JSON.parse(readFileSync(join(d, 'sched.expected.json'), 'utf8')) as Expected;
    const spinner = exp.planted.finished.find((f) => f.marker === 'spinner')!;
    const ticker = exp.planted.finished.find((f) => f.marker === 'ticker')!;

    for (const log of ['schedtrace.log', 'scheddetail.log']) {
      test(`${log} parses completely`, () => {
        const text = readFileSync(join(d, log), 'utf8');
        const st = parseSchedtrace(text);
        assert.equal(st.samples.length, text.split('\n').filter((l) => l.startsWith('SCHED ')).length);
        assert.equal(st.skipped, 0);
        assert.equal(st.detail, log === 'scheddetail.log');
        let prev = -1;
        for (const s of st.samples) {
          assert.equal(s.gomaxprocs, 2);
          assert.equal(s.localRunqueues.length, 2);
          assert.ok(s.idleProcs >= 0 && s.idleProcs <= 2 && s.threads >= 2 && s.runqueue >= 0);
          assert.ok(s.timeMs > prev);
          prev = s.timeMs;
          if (st.detail) {
            assert.equal(s.procs?.length, 2);
            assert.ok(s.threadList!.length >= 2 && s.threadList!.length <= s.threads + 1, `${s.threadList!.length} M lines, threads=${s.threads}`);
            assert.ok(s.goroutines!.some((g) => g.id === 1));
            assert.deepEqual(s.localRunqueues, s.procs!.map((p) => p.runqsize));
          }
        }
        // The busy phase: no idle P and the spinners queued; the idle phase: both Ps idle.
        const queued = (s: typeof st.samples[number]) => s.runqueue + s.localRunqueues.reduce((a, b) => a + b, 0);
        assert.ok(st.samples.some((s) => s.idleProcs === 0 && queued(s) >= 4), 'no saturated sample');
        assert.ok(st.samples.some((s) => s.idleProcs === 2 && queued(s) === 0), 'no idle sample');
        if (st.detail) {
          // Up to 6 spinners runnable (plus at most one being switched) while 2 run.
          const busy = st.samples.filter((s) => s.idleProcs === 0 && queued(s) >= 4);
          assert.ok(busy.some((s) => s.goroutines!.filter((g) => g.status === 1).length >= 5));
        }
        const r = schedFrom(join(d, log));
        assert.equal(r.source, 'schedtrace');
        assert.equal(r.timeline.length, st.samples.length);
        assert.ok(r.utilization.mean > 0.3 && r.utilization.mean < 0.9, String(r.utilization.mean));
        assert.ok(r.utilization.saturatedNs >= 200e6, String(r.utilization.saturatedNs));
        assert.ok(r.maxQueued! >= 4);
        assert.equal(r.threads?.max, Math.max(...st.samples.map((s) => s.threads)));
      });
    }

    test('trace: runnable→running waits agree with the event stream and the spans', () => {
      const bytes = readFileSync(join(d, 'sched.trace'));
      const model = replay(openTrace(memorySource(bytes)));
      const ours = [...runnableWaits(model).values()].flat().sort((a, b) => a - b);
      const theirs = waitsFromEvents(bytes).sort((a, b) => a - b);
      assert.deepEqual(ours, theirs);
      const r = schedFromModel(model);
      const sorted = Float64Array.from(theirs);
      assert.equal(r.latency!.count, theirs.length);
      assert.equal(r.latency!.p50Ns, percentile(sorted, 0.5));
      assert.equal(r.latency!.p99Ns, percentile(sorted, 0.99));
      assert.equal(r.latency!.maxNs, theirs[theirs.length - 1]);
      // Waiting to run never exceeds the time goroutines spent Runnable.
      let runnableNs = 0, runningNs = 0;
      const t = model.gSpans;
      for (let i = 0; i < t.count; i++) {
        if (t.state(i) === GoState.Runnable) runnableNs += t.end(i) - t.start(i);
        if (t.state(i) === GoState.Running) runningNs += t.end(i) - t.start(i);
      }
      assert.ok(r.latency!.totalNs <= runnableNs + 1);
      // The timeline's running goroutines add up to the Running spans.
      const w = r.timeline[0].endNs - r.timeline[0].startNs;
      const timelineRunning = r.timeline.reduce((a, x) => a + x.running * w, 0);
      assert.ok(Math.abs(timelineRunning - runningNs) <= 1e-6 * runningNs + 1, `${timelineRunning} vs ${runningNs}`);
      assert.ok(r.timeline.every((x) => x.utilization >= 0 && x.utilization <= 1));
    });

    test('trace: the spinners are the worst site; the ticker waits little; the busy phase is saturated', () => {
      const r = schedFrom(join(d, 'sched.trace'));
      assert.equal(r.gomaxprocs, 2);
      const w = r.worst[0];
      assert.equal(w.by, 'go statement');
      assert.equal(w.site?.line, spinner.goLine);
      assert.ok(w.site?.file.endsWith('sched/main.go'));
      assert.equal(w.goroutines, spinner.count);
      assert.ok(w.startFunction.startsWith('main.main.func'));
      // Each spinner waits out others' 10 ms time slices.
      assert.ok(w.latency.p90Ns >= 10e6, String(w.latency.p90Ns));
      assert.ok(r.latency!.p99Ns >= 10e6);
      const t = r.worst.find((x) => x.site?.line === ticker.goLine);
      assert.ok(t, 'ticker site');
      assert.equal(t.by, 'go statement');
      assert.ok(t.latency.p50Ns < 1e6, String(t.latency.p50Ns));
      // ~600 ms of the ~1 s run has all Ps busy with spinners queued.
      const share = r.utilization.saturatedNs / r.durationNs;
      assert.ok(share > 0.4 && share < 0.8, String(share));
      assert.ok(r.utilization.mean > 0.4 && r.utilization.mean < 0.8, String(r.utilization.mean));
      // Busy first (600 ms), idle after: the timeline shows both.
      const mean = (xs: typeof r.timeline) => xs.reduce((a, x) => a + x.utilization, 0) / xs.length;
      const busy = mean(r.timeline.filter((x) => x.endNs <= 0.5 * r.durationNs));
      const idle = mean(r.timeline.filter((x) => x.startNs >= 0.7 * r.durationNs));
      assert.ok(busy > 0.85 && idle < 0.2, `busy ${busy}, idle ${idle}`);
    });

    test('findings: latency at the spinners\' go statement, saturated Ps', () => {
      const fs = schedFindingsFromFiles([join(d, 'sched.trace'), join(d, 'schedtrace.log'), join(d, 'scheddetail.log')]);
      for (const f of fs) assert.equal(f.kind, 'sched');
      const lat = fs.find((f) => f.source.endsWith('sched.trace') && f.evidence.p99Ns !== undefined);
      assert.ok(lat);
      assert.equal(lat.site?.line, spinner.goLine);
      assert.equal(lat.confidence, 'likely');
      for (const src of ['sched.trace', 'schedtrace.log', 'scheddetail.log']) {
        assert.ok(fs.some((f) => f.source.endsWith(src) && f.evidence.saturatedNs !== undefined), src);
      }
    });
  });
}

describe('schedtrace parsing', () => {
  test('formats of every Go version, interleaved output, cut lines', () => {
    const st = parseSchedtrace([
      'starting server',
      'SCHED 0ms: gomaxprocs=4 idleprocs=2 threads=6 spinningthreads=1 idlethreads=2 runqueue=0 [0 1 0 0]',
      'SCHED 1004ms: gomaxprocs=4 idleprocs=0 threads=9 spinningthreads=0 needspinning=1 idlethreads=1 runqueue=7 [ 3 1 0 2 ] schedticks=[ 10 4 7 1 ]',
      '2026/01/01 request served',
      'SCHED 2008ms: gomaxprocs=4 idleprocs=0 thr', // cut by other output
      'SCHED 3012ms: gomaxprocs=4 idleprocs=1 threads=9 spinningthreads=0 needspinning=0 idlethreads=3 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false',
      '  P0: status=1 schedtick=40 syscalltick=2 m=0 runqsize=2 gfreecnt=0 timerslen=1',
      '  P1: status=0 schedtick=3 syscalltick=0 m=nil runqsize=0 gfreecnt=0 timerslen=0',
      '  M0: p=0 curg=7 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=nil',
      '  G7: status=2() m=0 lockedm=nil',
      '  G8: status=4100(chan receive) m=nil lockedm=nil',
      '',
    ].join('\n'));
    assert.equal(st.samples.length, 3);
    assert.equal(st.skipped, 1);
    assert.deepEqual(st.samples.map((s) => s.timeMs), [0, 1004, 3012]);
    assert.deepEqual(st.samples[1].localRunqueues, [3, 1, 0, 2]);
    assert.equal(st.samples[1].fields.schedticks, '[ 10 4 7 1 ]');
    assert.equal(st.samples[1].fields.needspinning, '1');
    assert.deepEqual(st.samples[2].localRunqueues, [2, 0]);
    assert.equal(st.samples[2].procs![1].m, -1);
    assert.deepEqual(st.samples[2].goroutines, [{ id: 7, status: 2, reason: '', m: 0 }, { id: 8, status: 4, reason: 'chan receive', m: -1 }]);
    assert.equal(st.detail, true);
  });

  test('no SCHED line is a FormatError', () => {
    assert.throws(() => parseSchedtrace('hello\n'), FormatError);
    assert.throws(() => parseSchedtrace(''), FormatError);
    assert.throws(() => parseSchedtrace('SCHED 10ms: gomaxprocs=x\n'), (e: unknown) => e instanceof FormatError && e.offset === 0);
  });

  test('percentiles are nearest-rank', () => {
    const s = latencyStats(Float64Array.from([5, 1, 4, 2, 3]));
    assert.deepEqual([s.p50Ns, s.p90Ns, s.p99Ns, s.maxNs, s.meanNs, s.totalNs, s.count], [3, 5, 5, 5, 3, 15, 5]);
  });
});

describe('golens sched', () => {
  const trace = join(SCHED_DIR, 'go1.27', 'sched.trace');

  test('--json', () => {
    let text = '';
    cmdSched([trace, '--json', '--buckets', '10'], (s) => { text += s; });
    const j = JSON.parse(text) as Record<string, unknown> & { timeline: unknown[]; worst: { site: unknown; p99Ns: number }[]; latency: Record<string, number> };
    for (const k of ['source', 'durationNs', 'gomaxprocs', 'latency', 'worst', 'utilization', 'timeline', 'syscalls', 'threads']) assert.ok(k in j, k);
    assert.equal(j.timeline.length, 10);
    for (const k of ['count', 'p50Ns', 'p90Ns', 'p99Ns', 'maxNs']) assert.equal(typeof j.latency[k], 'number');
    assert.equal(typeof j.worst[0].p99Ns, 'number');
    text = '';
    cmdSched([join(SCHED_DIR, 'go1.27', 'scheddetail.log'), '--json'], (s) => { text += s; });
    const k = JSON.parse(text) as { source: string; latency: unknown; timeline: { runqueue: number; localRunqueues: number[]; waiting: number }[] };
    assert.equal(k.source, 'schedtrace');
    assert.equal(k.latency, null);
    assert.equal(k.timeline[0].localRunqueues.length, 2);
    assert.equal(typeof k.timeline[0].waiting, 'number');
  });

  test('human output', () => {
    let text = '';
    cmdSched([trace], (s) => { text += s; });
    assert.match(text, /Runnable→running latency: p50 .* p99 /);
    assert.match(text, /main\.main \(main\.go:\d+\) \(go statement, runs main\.main\.func\d\)/);
    text = '';
    cmdSched([join(SCHED_DIR, 'go1.19', 'schedtrace.log')], (s) => { text += s; });
    assert.match(text, /GOMAXPROCS: 2 {3}Threads: \d+/);
  });

  test('bad input is a FormatError naming the file; usage errors', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'golens-sched-'));
    const empty = join(tmp, 'empty'), text = join(tmp, 'notes.txt'), cut = join(tmp, 'cut.trace');
    writeFileSync(empty, '');
    writeFileSync(text, 'no scheduler here\n');
    writeFileSync(cut, readFileSync(trace).subarray(0, 2000));
    for (const f of [empty, text, cut, join(FIX, 'pprof', 'go1.27', 'cpu.pprof')]) {
      assert.throws(() => schedFrom(f), (e: unknown) => e instanceof FormatError && e.message.includes(f), f);
    }
    assert.throws(() => cmdSched([trace, '--buckets', '0'], () => {}), /--buckets/);
    assert.throws(() => cmdSched([trace, text], () => {}), /exactly one/);
    assert.deepEqual(schedFindingsFromFiles([empty, text, cut, join(tmp, 'missing')]), []);
  });
});
