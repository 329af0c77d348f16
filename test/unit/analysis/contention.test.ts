// Lock contention on real programs, for every toolchain: in trace-contention the mutex site's
// waiter is the planted Lock line and its releaser the planted Unlock line, with as many waits
// as Go's reference reader saw blocks there; the channel handoff shows up in the channel
// report both ways; mutex and block profiles give the sites and numbers `go tool pprof -top
// -lines` recorded beside them; a block+mutex pair from one run joins Lock and Unlock in the
// same function and leaves apart what only the trace can pair; bad input is a FormatError.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cmdContention } from '../../../src/cli/contention';
import { contentionFindingsFromFiles, contentionFrom } from '../../../src/core/artifacts/contention';
import { contentionFromProfiles, convoy, profileSide, TraceContention, type ContentionReport, type WaitSite } from '../../../src/core/analysis/contention';
import { FormatError } from '../../../src/core/errors';
import { decodeProfile } from '../../../src/core/pprof/decode';
import type { Profile } from '../../../src/core/pprof/model';
import { EventBuilder, EventKind, GoState, NONE, ResourceKind, StackTable, StringTable, type Frame } from '../../../src/core/trace/events';
import { ROOT, readPprofTop, toolchainDirs } from '../helpers/fixtures';

const FIX = join(ROOT, 'test', 'fixtures');
const TRACE_DIR = join(FIX, 'trace');
const CONTENTION_DIR = join(FIX, 'contention');

interface Expected {
  planted: { lines: { marker: string; line: number }[] };
  observed: { lines: { marker: string; line: number; events: Record<string, number> }[] };
}

function expected(path: string) {
  const e = JSON.parse(readFileSync(path, 'utf8')) as Expected;
  const line = (marker: string) => e.planted.lines.find((l) => l.marker === marker)!.line;
  const events = (marker: string) => e.observed.lines.find((l) => l.marker === marker)?.events ?? {};
  return { line, events };
}

const goDirs = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((d) => /^go1\.\d+$/.test(d)) : []);

function siteAt(sites: WaitSite[], side: 'waiter' | 'releaser', file: string, line: number): WaitSite | undefined {
  return sites.find((s) => s[side]?.file.endsWith(file) && s[side]?.line === line);
}

function sortedByWait(sites: WaitSite[]): boolean {
  return sites.every((s, i) => i === 0 || sites[i - 1].waitNs >= s.waitNs);
}

test('contention fixtures exist for every toolchain', () => {
  assert.ok(goDirs(TRACE_DIR).length >= 8);
  assert.ok(goDirs(CONTENTION_DIR).length >= 8, goDirs(CONTENTION_DIR).join(','));
});

for (const dir of goDirs(TRACE_DIR)) {
  describe(`${dir} trace-contention`, () => {
    const file = 'trace-contention/main.go';
    const exp = expected(join(TRACE_DIR, dir, 'trace-contention.expected.json'));
    const r = contentionFrom([join(TRACE_DIR, dir, 'trace-contention.trace')]);

    test('the mutex: waiter is the Lock line, releaser the Unlock line, one wait per reference block', () => {
      const lock = exp.line('lock'), unlock = exp.line('unlock');
      const s = siteAt(r.sites, 'waiter', file, lock);
      assert.ok(s, `no site at the Lock line ${lock}: ${JSON.stringify(r.sites.map((x) => [x.waiter?.line, x.kind]))}`);
      assert.equal(s.kind, 'mutex');
      assert.equal(s.waiter!.function, 'main.work');
      assert.equal(s.releaser?.line, unlock);
      assert.equal(s.releaser?.function, 'main.work');
      assert.ok(s.releaser?.file.endsWith(file));
      assert.equal(s.count, exp.events('lock')['Running->Waiting sync']);
      // Every wake-up of a blocked Lock came from the Unlock line (the reference saw as many).
      assert.equal(s.releasers?.length, 1);
      assert.equal(s.releasers![0].count, exp.events('unlock')['Waiting->Runnable']);
      assert.equal(s.unreleased, 0);
      assert.ok(s.waitNs > 0 && s.maxNs! > 0 && s.maxNs! <= s.waitNs);
      // Four workers: at most three wait while one holds the lock.
      assert.ok(s.convoy!.max >= 1 && s.convoy!.max <= 3, `convoy ${JSON.stringify(s.convoy)}`);
      assert.ok(s.convoy!.mean >= 1 && s.convoy!.mean <= s.convoy!.max);
      // No site anywhere is sync.(*Mutex).Lock itself.
      for (const x of [...r.sites, ...r.channels]) assert.ok(!x.waiter?.function.startsWith('sync.'), x.waiter?.function);
    });

    test('the wait groups are joins woken by the goroutines that finished', () => {
      for (const marker of ['wait1', 'wait2']) {
        const s = siteAt(r.sites, 'waiter', file, exp.line(marker));
        assert.ok(s, marker);
        assert.equal(s.kind, 'waitgroup');
        assert.equal(s.count, exp.events(marker)['Running->Waiting sync']);
        assert.ok(s.releaser?.function.startsWith('main.main.func'), s.releaser?.function);
      }
    });

    test('the channel handoff: receive woken by the send line and the other way round', () => {
      const send = exp.line('send'), recv = exp.line('recv');
      const rs = siteAt(r.channels, 'waiter', file, recv);
      assert.ok(rs);
      assert.equal(rs.kind, 'chan receive');
      assert.equal(rs.count, exp.events('recv')['Running->Waiting chan receive']);
      assert.equal(rs.releaser?.line, send);
      assert.equal(rs.releaser?.function, 'main.produce');
      const ss = siteAt(r.channels, 'waiter', file, send);
      assert.ok(ss);
      assert.equal(ss.kind, 'chan send');
      assert.equal(ss.count, exp.events('send')['Running->Waiting chan send']);
      assert.equal(ss.releaser?.line, recv);
      // Channel sites are not in the lock report.
      assert.ok(!siteAt(r.sites, 'waiter', file, recv) && !siteAt(r.sites, 'waiter', file, send));
    });

    test('sites are ordered by wait; the trace length is known', () => {
      assert.ok(sortedByWait(r.sites) && sortedByWait(r.channels));
      assert.ok(r.traceNs > 1e9, String(r.traceNs)); // a 1.1 s pause inside
    });
  });
}

for (const dir of goDirs(CONTENTION_DIR)) {
  describe(`${dir} contention program: trace, mutex and block profiles of one run`, () => {
    const d = join(CONTENTION_DIR, dir);
    const file = 'contention/main.go';
    const exp = expected(join(d, 'contention.expected.json'));
    const top = (name: string) => readPprofTop(join('..', 'contention', dir), name);
    const cum = (t: ReturnType<typeof top>, fn: string, line: number) =>
      t.rows.find((row) => row.name === `${fn} golens.example/fixtures/${file}:${line}`)?.cum ?? 0;

    test('trace: Lock and Unlock in one function, and in two', () => {
      const r = contentionFrom([join(d, 'contention.trace')]);
      const store = siteAt(r.sites, 'waiter', file, exp.line('storeLock'));
      assert.ok(store);
      assert.equal(store.releaser?.line, exp.line('storeUnlock'));
      assert.equal(store.count, exp.events('storeLock')['Running->Waiting sync']);
      const cfg = siteAt(r.sites, 'waiter', file, exp.line('cfgLock'));
      assert.ok(cfg);
      assert.equal(cfg.waiter!.function, 'main.beginUpdate');
      assert.equal(cfg.releaser?.function, 'main.endUpdate');
      assert.equal(cfg.releaser?.line, exp.line('cfgUnlock'));
      assert.equal(cfg.count, exp.events('cfgLock')['Running->Waiting sync']);
    });

    test('the mutex and block profiles are told apart by their stacks', () => {
      assert.equal(profileSide(decodeProfile(readFileSync(join(d, 'mutex.pprof')))), 'mutex');
      assert.equal(profileSide(decodeProfile(readFileSync(join(d, 'block.pprof')))), 'block');
    });

    test('profiles together: (*store).add pairs its Lock and Unlock; beginUpdate/endUpdate stay apart', () => {
      const r = contentionFrom([join(d, 'mutex.pprof'), join(d, 'block.pprof')]);
      const bd = top('block.delay.lines.top.txt'), bc = top('block.contentions.lines.top.txt');
      const md = top('mutex.delay.lines.top.txt'), mc = top('mutex.contentions.lines.top.txt');
      const storeLock = exp.line('storeLock'), storeUnlock = exp.line('storeUnlock');
      const store = siteAt(r.sites, 'waiter', file, storeLock);
      assert.ok(store);
      assert.equal(store.source, 'block+mutex profiles');
      assert.equal(store.releaser?.line, storeUnlock);
      assert.equal(store.waitNs, cum(bd, 'main.(*store).add', storeLock));
      assert.equal(store.count, cum(bc, 'main.(*store).add', storeLock));
      const mp = decodeProfile(readFileSync(join(d, 'mutex.pprof')));
      const [rtDelay, rtCount] = runtimeLockUnder(mp, 'main.(*store).add', storeUnlock);
      assert.equal(store.releaserNs, cum(md, 'main.(*store).add', storeUnlock) - rtDelay);
      assert.equal(store.releaserCount, cum(mc, 'main.(*store).add', storeUnlock) - rtCount);
      const begin = siteAt(r.sites, 'waiter', file, exp.line('cfgLock'));
      assert.ok(begin);
      assert.equal(begin.releaser, null);
      assert.equal(begin.source, 'block profile');
      assert.equal(begin.waitNs, cum(bd, 'main.beginUpdate', exp.line('cfgLock')));
      const end = siteAt(r.sites, 'releaser', file, exp.line('cfgUnlock'));
      assert.ok(end);
      assert.equal(end.waiter, null);
      assert.equal(end.source, 'mutex profile');
      const [rtDelay2, rtCount2] = runtimeLockUnder(mp, 'main.endUpdate', exp.line('cfgUnlock'));
      assert.equal(end.waitNs, cum(md, 'main.endUpdate', exp.line('cfgUnlock')) - rtDelay2);
      assert.equal(end.count, cum(mc, 'main.endUpdate', exp.line('cfgUnlock')) - rtCount2);
      // No releaser site at a Lock line: a runtime lock released inside Lock is the runtime's.
      assert.ok(!siteAt(r.sites, 'releaser', file, storeLock) && !siteAt(r.sites, 'releaser', file, exp.line('cfgLock')));
      assert.ok(sortedByWait(r.sites));
    });
  });
}

/**
 * What a mutex profile charges to the runtime's own locks (a stack whose leaf is runtime.unlock
 * or _LostContendedRuntimeLock) under one line of user code: GoLens counts that as runtime
 * waiting, pprof's cum of the line includes it. [delay, contentions].
 */
function runtimeLockUnder(p: Profile | undefined, fn: string, line: number): [number, number] {
  if (!p) return [0, 0];
  const s = p.samples, k = p.sampleTypes.length;
  const ci = p.sampleTypes.findIndex((t) => t.type === 'contentions'), di = p.sampleTypes.findIndex((t) => t.type === 'delay');
  let delay = 0, count = 0;
  for (let i = 0; i < s.count; i++) {
    const lines = [];
    for (let j = s.offsets[i]; j < s.offsets[i + 1]; j++) lines.push(...p.locations[s.locs[j]].lines);
    const name = (ln: { fn: number }) => (ln.fn >= 0 ? p.functions[ln.fn].name : '');
    if (!lines.length || !name(lines[0]).startsWith('runtime.')) continue;
    if (!lines.some((ln) => name(ln) === fn && ln.line === line)) continue;
    delay += s.values[i * k + di];
    count += s.values[i * k + ci];
  }
  return [delay, count];
}

/** Every site of a profile report against pprof's -top -lines: cum of the site's line, and the total. */
function checkAgainstPprof(
  r: ContentionReport, delay: ReturnType<typeof readPprofTop>, counts: ReturnType<typeof readPprofTop>, side: 'waiter' | 'releaser', mutex?: Profile,
): void {
  let sum = r.runtime.waitNs, n = r.runtime.count;
  for (const s of [...r.sites, ...r.channels]) {
    const at = s[side]!;
    const name = `${at.function} ${at.file}:${at.line}`;
    const [rtDelay, rtCount] = runtimeLockUnder(mutex, at.function, at.line);
    assert.equal(s.waitNs, delay.rows.find((row) => row.name === name)!.cum - rtDelay, `${name} delay`);
    assert.equal(s.count, counts.rows.find((row) => row.name === name)!.cum - rtCount, `${name} contentions`);
    sum += s.waitNs;
    n += s.count;
  }
  assert.equal(sum, delay.total);
  assert.equal(n, counts.total);
}

for (const dir of toolchainDirs()) {
  describe(`${dir} mutex and block profiles`, () => {
    const file = (n: string) => join(FIX, 'pprof', dir, n);

    test('mutex profile: releaser sites at the Unlock calls, numbers as go tool pprof -top -lines', () => {
      const p = decodeProfile(readFileSync(file('mutex.pprof')));
      assert.equal(profileSide(p), 'mutex');
      const r = contentionFromProfiles([], [p]);
      checkAgainstPprof(r, readPprofTop(dir, 'mutex.delay.lines.top.txt'), readPprofTop(dir, 'mutex.contentions.lines.top.txt'), 'releaser', p);
      const byFn = new Map(r.sites.map((s) => [s.releaser!.function, s]));
      assert.equal(byFn.get('main.updateCounter')?.kind, 'mutex');
      assert.equal(byFn.get('main.updateCounter')?.releaser?.line, 54);
      assert.equal(byFn.get('main.writeConfig')?.kind, 'rwmutex');
      assert.equal(byFn.get('main.readConfig')?.kind, 'rwmutex');
      for (const s of r.sites) { assert.equal(s.waiter, null); assert.equal(s.source, 'mutex profile'); }
      assert.equal(r.sites[0].releaser?.function, 'main.updateCounter'); // the most contended
    });

    test('block profile: waiter sites; channels apart; kinds from the API called', () => {
      const p = decodeProfile(readFileSync(file('block.pprof')));
      assert.equal(profileSide(p), 'block');
      const r = contentionFromProfiles([p], []);
      checkAgainstPprof(r, readPprofTop(dir, 'block.delay.lines.top.txt'), readPprofTop(dir, 'block.contentions.lines.top.txt'), 'waiter');
      const kinds = Object.fromEntries([...r.sites, ...r.channels].map((s) => [s.waiter!.function, s.kind]));
      assert.deepEqual(
        { lock: kinds['main.lockShared'], cond: kinds['main.waitReady'], wg: kinds['main.main'], recv: kinds['main.consume'], send: kinds['main.produce'], sel: kinds['main.waitEither'] },
        { lock: 'mutex', cond: 'cond', wg: 'waitgroup', recv: 'chan receive', send: 'chan send', sel: 'select' },
      );
      assert.deepEqual(r.channels.map((s) => s.waiter!.function).sort(), ['main.consume', 'main.produce', 'main.waitEither']);
      const cond = r.sites.find((s) => s.kind === 'cond')!;
      assert.equal(cond.count, 4);
    });
  });
}

describe('convoy', () => {
  test('overlaps, handoffs and the mean while any waits', () => {
    assert.deepEqual(convoy([0, 10, 5, 15], 20), { max: 2, mean: 20 / 15, spanNs: 15 });
    // One ends exactly when the next starts: a handoff, not two at once.
    assert.deepEqual(convoy([0, 10, 10, 20], 20), { max: 1, mean: 1, spanNs: 20 });
    assert.deepEqual(convoy([], 0), { max: 0, mean: 0, spanNs: 0 });
  });
  test('the most open at once and the time any is open, as counted interval by interval (many ties)', () => {
    let seed = 7;
    const rand = (k: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % k; };
    for (let round = 0; round < 20; round++) {
      const spans: number[] = [];
      for (let i = 0; i < 300; i++) { const start = rand(500), len = rand(40); spans.push(start, start + len); }
      const n = spans.length / 2;
      // Open at t: start <= t < end (a wait ending at t is not open then); the most is at some start.
      let max = 0;
      for (let i = 0; i < n; i++) {
        let open = 0;
        for (let j = 0; j < n; j++) if (spans[2 * j] <= spans[2 * i] && spans[2 * i] < spans[2 * j + 1]) open++;
        max = Math.max(max, open);
      }
      // The time any is open: each unit step [t, t+1) covered by some wait (integer times).
      let spanNs = 0;
      for (let t = 0; t < 600; t++) if (Array.from({ length: n }, (_, j) => spans[2 * j] <= t && t < spans[2 * j + 1]).some(Boolean)) spanNs++;
      const got = convoy(spans, 1000);
      assert.equal(got.max, max, `round ${round}`);
      assert.equal(got.spanNs, spanNs, `round ${round}`);
    }
  });
});

describe('golens contention', () => {
  const traceFile = join(TRACE_DIR, 'go1.27', 'trace-contention.trace');

  test('--json: sites with waitNs, count, waiter, releaser, most wait first', () => {
    let text = '';
    cmdContention([traceFile, '--json'], (s) => { text += s; });
    const j = JSON.parse(text) as { sites: { waitNs: number; count: number; waiter: unknown; releaser: unknown }[]; channels: unknown[] };
    assert.ok(j.sites.length >= 2 && j.channels.length === 2);
    for (const s of j.sites) {
      assert.equal(typeof s.waitNs, 'number');
      assert.equal(typeof s.count, 'number');
      assert.ok('waiter' in s && 'releaser' in s);
    }
    assert.ok(j.sites.every((s, i) => i === 0 || j.sites[i - 1].waitNs >= s.waitNs));
    const exp = expected(join(TRACE_DIR, 'go1.27', 'trace-contention.expected.json'));
    const m = j.sites.find((s) => (s.waiter as { line: number } | null)?.line === exp.line('lock'));
    assert.deepEqual(Object.keys(m!.waiter as object), ['function', 'file', 'line']);
  });

  test('human output names waiter and releaser', () => {
    let text = '';
    cmdContention([traceFile], (s) => { text += s; });
    assert.match(text, /mutex\s+main\.work \(main\.go:59\) ← main\.work \(main\.go:62\)/);
    assert.match(text, /Channel waits: 2 sites/);
  });

  test('several traces add up', () => {
    const one = contentionFrom([traceFile]), two = contentionFrom([traceFile, traceFile]);
    assert.equal(two.sites[0].count, 2 * one.sites[0].count);
    assert.equal(two.sites[0].waitNs, 2 * one.sites[0].waitNs);
    assert.equal(two.traceNs, 2 * one.traceNs);
  });

  test('bad input is a FormatError naming the file', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'golens-contention-'));
    const empty = join(tmp, 'empty'), text = join(tmp, 'notes.txt'), cut = join(tmp, 'cut.trace');
    writeFileSync(empty, '');
    writeFileSync(text, 'hello\nworld\n');
    writeFileSync(cut, readFileSync(traceFile).subarray(0, 3000));
    for (const f of [empty, text, cut, join(FIX, 'pprof', 'go1.27', 'cpu.pprof'), join(FIX, 'sched', 'go1.27', 'schedtrace.log')]) {
      assert.throws(() => contentionFrom([f]), (e: unknown) => e instanceof FormatError && e.message.includes(f), f);
    }
  });

  test('findings: the mutexes, not the wait groups or channels; unusable files skipped', () => {
    const exp = expected(join(TRACE_DIR, 'go1.27', 'trace-contention.expected.json'));
    const prog = join(CONTENTION_DIR, 'go1.27', 'contention.trace');
    const progExp = expected(join(CONTENTION_DIR, 'go1.27', 'contention.expected.json'));
    const mutex = join(FIX, 'pprof', 'go1.27', 'mutex.pprof');
    const tmp = mkdtempSync(join(tmpdir(), 'golens-contention-'));
    writeFileSync(join(tmp, 'junk'), 'junk');
    const fs = contentionFindingsFromFiles([
      traceFile, prog, join(tmp, 'junk'), join(tmp, 'missing'), join(FIX, 'pprof', 'go1.27', 'cpu.pprof'), mutex,
    ]);
    for (const f of fs) assert.equal(f.kind, 'contention');
    // trace-contention: only the mutex can be a finding (the joins and the handoff are not contention).
    assert.ok(fs.filter((f) => f.source === traceFile).every((f) => f.site?.line === exp.line('lock')));
    // The contention program waits a large share of its run on both locks.
    const fromProg = fs.filter((f) => f.source === prog);
    assert.deepEqual(fromProg.map((f) => f.site?.line).sort(), [progExp.line('storeLock'), progExp.line('cfgLock')].sort());
    for (const f of fromProg) {
      assert.equal(f.confidence, 'likely');
      assert.equal(typeof f.evidence.waitNs, 'number');
      assert.match(String(f.evidence.releaser), /main\.go:(60|70)$/);
    }
    const prof = fs.filter((f) => f.source === mutex);
    assert.ok(prof.some((f) => f.site?.function === 'main.updateCounter' && f.site.line === 54 && f.confidence === 'likely'), JSON.stringify(prof));
  });
});

describe('TraceContention on synthetic events', () => {
  const strings = new StringTable();
  const stacks = new StackTable();
  const fr = (fn: string, line: number, file = 'app/main.go'): Frame => ({ pc: line, fn, file, line });
  const rwLock = stacks.intern([fr('internal/sync.(*Mutex).Lock', 1, 'x'), fr('sync.(*Mutex).Lock', 2, 'x'), fr('sync.(*RWMutex).Lock', 3, 'x'), fr('main.write', 10)]);
  const rwUnlock = stacks.intern([fr('sync.(*RWMutex).Unlock', 4, 'x'), fr('main.write', 12)]);
  const gcSema = stacks.intern([fr('runtime.gcMarkDone', 5, 'x'), fr('runtime.mallocgc', 6, 'x'), fr('main.alloc', 20)]);
  const recv = stacks.intern([fr('runtime.chanrecv1', 7, 'x'), fr('main.consume', 30)]);

  function run(events: [t: number, g: number, id: number, from: GoState, to: GoState, reason: string, stack: number][]): ContentionReport {
    const b = new EventBuilder();
    for (const [t, g, id, from, to, reason, stack] of events) {
      const i = b.add(EventKind.StateTransition, t, g, 0, 0, stack);
      b.r[i] = ResourceKind.Goroutine; b.a[i] = id; b.b[i] = from; b.c[i] = to;
      b.s1[i] = reason ? strings.intern(reason) : NONE;
    }
    const tc = new TraceContention(strings, stacks);
    tc.add(b.view());
    return tc.finish(1000);
  }
  const Running = GoState.Running, Waiting = GoState.Waiting, Runnable = GoState.Runnable, Undetermined = GoState.Undetermined;

  test('RWMutex by its outermost API frame; waits restated at a generation boundary go on', () => {
    const r = run([
      [10, 5, 5, Running, Waiting, 'sync', rwLock],
      [50, NONE, 5, Waiting, Waiting, '', NONE], // generation boundary
      [60, 6, 5, Waiting, Runnable, '', rwUnlock],
      [70, 7, 7, Running, Waiting, 'sync', rwLock],
    ]);
    assert.equal(r.sites.length, 1);
    const s = r.sites[0];
    assert.equal(s.kind, 'rwmutex');
    assert.deepEqual(s.waiter, { function: 'main.write', file: 'app/main.go', line: 10 });
    assert.deepEqual(s.releaser, { function: 'main.write', file: 'app/main.go', line: 12 });
    assert.equal(s.count, 2);
    assert.equal(s.unreleased, 1); // g7 still waits at the end: counted up to it
    assert.equal(s.waitNs, 50 + 930);
    assert.equal(s.maxNs, 930);
    assert.deepEqual(s.convoy, { max: 1, mean: 1, spanNs: 980 });
  });

  test('runtime semaphores reached from user code, waits begun before the trace, unblocks with no stack', () => {
    const r = run([
      [0, NONE, 9, Undetermined, Waiting, '', NONE],
      [5, 1, 9, Waiting, Runnable, '', rwUnlock],
      [10, 3, 3, Running, Waiting, 'sync', gcSema],
      [20, 4, 4, Running, Waiting, 'chan receive', recv],
      [30, 2, 3, Waiting, Runnable, '', gcSema],
      [40, NONE, 4, Waiting, Runnable, '', NONE],
    ]);
    assert.deepEqual(r.sites, []);
    assert.deepEqual(r.runtime, { waitNs: 20, count: 1 });
    assert.equal(r.channels.length, 1);
    assert.equal(r.channels[0].kind, 'chan receive');
    assert.equal(r.channels[0].releaser, null);
    assert.equal(r.channels[0].waitNs, 20);
  });
});
