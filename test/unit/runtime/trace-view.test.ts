// The trace timeline's server side on real traces from every toolchain: what it reports
// agrees with Go's reference reader, its tiles agree with the spans they summarize, clicking
// a wait names the goroutine and the line that ended it, and findings land on their moment.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { GoState } from '../../../src/core/trace/events';
import type { LaneRef, TileWire, TraceViewSummary } from '../../../src/protocol/trace';
import { TraceWorkerClient } from '../../../src/server/traceclient';
import { TraceStore } from '../../../src/server/traces';
import { ROOT } from '../helpers/fixtures';

const TRACE_DIR = join(ROOT, 'test', 'fixtures', 'trace');
const dirs = existsSync(TRACE_DIR) ? readdirSync(TRACE_DIR).filter((d) => /^go1\.\d+$/.test(d)) : [];

async function open(store: TraceStore, dir: string, prog: string): Promise<TraceViewSummary> {
  const res = await store.openTrace({ uri: pathToFileURL(join(TRACE_DIR, dir, `${prog}.trace`)).toString() }, () => {});
  if (!res.ok) assert.fail(res.error.message);
  return res.summary;
}

const f64 = (b64?: string) => (b64 ? new Float64Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer) : new Float64Array(0));
const f32 = (b64?: string) => (b64 ? new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer) : new Float32Array(0));

test('trace fixtures exist for every toolchain', () => assert.ok(dirs.length >= 8, dirs.join(',')));

for (const dir of dirs) {
  describe(`${dir}: trace view`, () => {
    test('summary counts equal the reference reader\'s', async () => {
      const store = new TraceStore();
      for (const prog of ['trace-leak', 'trace-contention', 'trace-gc', 'trace-syscall']) {
        const exp = JSON.parse(readFileSync(join(TRACE_DIR, dir, `${prog}.expected.json`), 'utf8'));
        const s = await open(store, dir, prog);
        assert.equal(s.events, exp.events, prog);
        assert.equal(s.gcCycles, exp.gcCycles, prog);
        assert.equal(s.durationNs, exp.durationNs, prog);
        assert.ok(s.procs.length >= 1 && s.threads.length >= 1, `${prog}: lanes`);
      }
    });

    test('tiles: spans when zoomed in, per-pixel summaries when zoomed out, the same busy time', async () => {
      const store = new TraceStore();
      const s = await open(store, dir, 'trace-contention');
      const lanes: LaneRef[] = s.procs.map((id) => ({ kind: 'proc', id }));
      const wide = store.tiles({ id: s.id, query: { t0: 0, t1: s.durationNs, pixels: 1 << 14, lanes, colorBy: 'goroutine', counters: true } });
      const narrow = store.tiles({ id: s.id, query: { t0: 0, t1: s.durationNs, pixels: 16, lanes, colorBy: 'goroutine', counters: true } });
      if (!wide.ok || !narrow.ok) assert.fail('tiles failed');
      let summarized = 0;
      for (let j = 0; j < lanes.length; j++) {
        const a: TileWire<string> = wide.tiles[j];
        const b: TileWire<string> = narrow.tiles[j];
        // Hundreds of Lock/Unlock handoffs: far more spans than 16 pixels.
        assert.equal(b.mode, 'summary', `P${lanes[j].id} at 16 px`);
        if (a.mode !== 'spans') continue;
        const start = f64(a.start), end = f64(a.end);
        let busy = 0;
        for (let i = 0; i < start.length; i++) busy += end[i] - start[i];
        const px = f32(b.busy);
        let est = 0;
        for (const v of px) est += v * (s.durationNs / 16);
        // Both describe the same running time: the summary within a part in a thousand.
        assert.ok(Math.abs(est - busy) <= busy * 1e-3 + 1, `P${lanes[j].id}: ${est} vs ${busy}`);
        summarized++;
      }
      assert.ok(summarized >= 1);
      // The goroutine counter never exceeds the goroutines the trace has.
      const run = f64(wide.counters!.running);
      for (const v of run) assert.ok(v <= Math.max(s.gomaxprocs, s.procs.length), `running ${v} > GOMAXPROCS ${s.gomaxprocs}`);
    });

    test('a Lock wait names the Unlock that ended it', async () => {
      const store = new TraceStore();
      const s = await open(store, dir, 'trace-contention');
      const exp = JSON.parse(readFileSync(join(TRACE_DIR, dir, 'trace-contention.expected.json'), 'utf8'));
      const lockLine = exp.planted.lines.find((l: { marker: string }) => l.marker === 'lock').line;
      const unlockLine = exp.planted.lines.find((l: { marker: string }) => l.marker === 'unlock').line;
      // The four workers are the one `go func(id int)` literal in main started four times
      // (compilers number main's closures differently).
      const all = store.goroutines({ id: s.id, query: 'main.main.func', limit: 100 });
      assert.ok(all.ok);
      const byFn = new Map<string, typeof all.rows>();
      for (const r of all.rows) byFn.set(r.startFunction, [...(byFn.get(r.startFunction) ?? []), r]);
      const workers = [...byFn.values()].filter((rows) => rows.length === 4);
      assert.equal(workers.length, 1, [...byFn].map(([f, r]) => `${f}×${r.length}`).join(', '));
      let checked = 0;
      for (const w of workers[0]) {
        const lane: LaneRef = { kind: 'goroutine', id: w.id };
        const t = store.tiles({ id: s.id, query: { t0: 0, t1: s.durationNs, pixels: 1 << 14, lanes: [lane], colorBy: 'goroutine', counters: false } });
        assert.ok(t.ok && t.tiles[0].mode === 'spans');
        const tile = t.tiles[0];
        const start = f64(tile.start), end = f64(tile.end), key = f64(tile.key), ref = f64(tile.ref);
        for (let i = 0; i < start.length && checked < 20; i++) {
          if (key[i] !== GoState.Waiting) continue;
          const d = store.span({ id: s.id, source: 'g', ref: ref[i] });
          assert.ok(d.ok && d.details);
          if (d.details.reason !== 'sync' || !d.details.stack.some((f) => f.line === lockLine && f.fn.startsWith('main.'))) continue;
          assert.ok(d.details.unblockedBy, `wait at ${start[i]} has no waker`);
          assert.notEqual(d.details.unblockedBy.goroutine, w.id);
          assert.ok(d.details.unblockedBy.stack.some((f) => f.line === unlockLine && f.fn.startsWith('main.')),
            `woken from ${d.details.unblockedBy.stack.map((f) => `${f.fn}:${f.line}`).join(' < ')}`);
          // spanAt finds the same span from a time inside it.
          const at = store.spanAt({ id: s.id, lane, t: (start[i] + end[i]) / 2, slop: 0 });
          assert.ok(at.ok && at.details?.ref === ref[i]);
          checked++;
        }
      }
      assert.ok(checked >= 5, `checked ${checked} waits`);
    });

    test('leak findings point at the planted goroutines, at the moment they blocked', async () => {
      const store = new TraceStore();
      const s = await open(store, dir, 'trace-leak');
      const exp = JSON.parse(readFileSync(join(TRACE_DIR, dir, 'trace-leak.expected.json'), 'utf8'));
      const all = await store.findingsOf({ id: s.id });
      if (!all.ok) assert.fail(all.error.message);
      const leaks = all.findings.filter((f) => f.kind === 'leak');
      for (const p of exp.planted.leaks as { count: number; reason: string }[]) {
        const f = leaks.find((x) => x.evidence.count === p.count && x.evidence.reason === p.reason);
        assert.ok(f, `no finding for ${p.count} × ${p.reason}: ${leaks.map((x) => x.title).join(' | ')}`);
        assert.ok(f.place, `${f.title}: no place`);
        assert.equal(f.place.goroutines.length, Math.min(8, p.count));
        assert.equal(f.place.t1, s.durationNs);
        // Each goroutine shown is blocked from the marked moment to the end.
        for (const g of f.place.goroutines) {
          const d = store.spanAt({ id: s.id, lane: { kind: 'goroutine', id: g }, t: s.durationNs - 1, slop: 0 });
          assert.ok(d.ok && d.details, `G${g}`);
          assert.equal(d.details.state, 'waiting', `G${g} at the end`);
          assert.ok(d.details.start >= f.place.at - 1, `G${g} blocked at ${d.details.start}, before the place ${f.place.at}`);
        }
      }
    });
  });
}

test('the GC and STW lanes hold the cycles and pauses the reference counts', async () => {
  const store = new TraceStore();
  for (const dir of dirs) {
    const s = await open(store, dir, 'trace-gc');
    const exp = JSON.parse(readFileSync(join(TRACE_DIR, dir, 'trace-gc.expected.json'), 'utf8'));
    const t = store.tiles({ id: s.id, query: { t0: 0, t1: s.durationNs, pixels: 1 << 14, lanes: [{ kind: 'gc', id: 0 }, { kind: 'stw', id: 0 }], colorBy: 'goroutine', counters: false } });
    assert.ok(t.ok);
    assert.equal(t.tiles[0].mode, 'spans');
    // Cycles that began inside the trace, plus at most one already running when it started.
    const cycles = f64(t.tiles[0].start).length;
    assert.ok(cycles === exp.gcCycles || cycles === exp.gcCycles + 1, `${dir}: ${cycles} GC spans for ${exp.gcCycles} cycles`);
    assert.equal(f64(t.tiles[1].start).length, s.stw, dir);
    const gc = store.span({ id: s.id, source: 'gc', ref: f64(t.tiles[0].ref)[0] });
    assert.ok(gc.ok && gc.details?.title === 'GC mark phase');
  }
});

test('the STW lane names each pause as the reference does, even when the string table is large', async () => {
  // trace-strings interns 600 log categories before the first pause, so new-format pause
  // reasons have string ids far above 255.
  const store = new TraceStore();
  const i32 = (b64?: string) => (b64 ? new Int32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer) : new Int32Array(0));
  for (const dir of dirs) {
    const dump = [`trace-strings.parsed.txt`, `trace-strings.parsed.txt.gz`].map((x) => join(TRACE_DIR, dir, x)).find(existsSync);
    if (!dump) continue;
    const raw = readFileSync(dump);
    const text = (dump.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const want = [...text.matchAll(/^M=.* RangeBegin Time=(\d+) Name="(stop-the-world \(.*\))" Scope=/gm)].map((m) => m[2]);
    const s = await open(store, dir, 'trace-strings');
    const t = store.tiles({ id: s.id, query: { t0: 0, t1: s.durationNs, pixels: 1 << 14, lanes: [{ kind: 'stw', id: 0 }], colorBy: 'goroutine', counters: false } });
    assert.ok(t.ok);
    const tile = t.tiles[0];
    const starts = f64(tile.start), names = i32(tile.name);
    const got = [...starts].map((t0, k) => ({ t0, name: tile.names![names[k]] })).sort((a, b) => a.t0 - b.t0).map((x) => x.name);
    assert.deepEqual(got, want, dir);
    assert.ok(want.includes('stop-the-world (GC mark termination)'), `${dir}: the reference saw a GC pause`);
  }
});

test('a truncated trace is one clear error; a cancelled open says so', async () => {
  const store = new TraceStore();
  const full = readFileSync(join(TRACE_DIR, 'go1.27', 'trace-gc.trace'));
  const dir = mkdtempSync(join(tmpdir(), 'golens-trace-'));
  const cut = join(dir, 'cut.trace');
  writeFileSync(cut, full.subarray(0, 16 + Math.floor(full.length / 3)));
  const bad = await store.openTrace({ uri: pathToFileURL(cut).toString() }, () => {});
  // A cut trace decodes the whole generations before the cut, or says what is wrong.
  if (!bad.ok) assert.match(bad.error.what, /\S/);
  const empty = join(dir, 'empty.trace');
  writeFileSync(empty, '');
  const e = await store.openTrace({ uri: pathToFileURL(empty).toString() }, () => {});
  assert.ok(!e.ok && /empty/.test(e.error.what));
  const notTrace = await store.openTrace({ uri: pathToFileURL(join(ROOT, 'package.json')).toString() }, () => {});
  assert.ok(!notTrace.ok && notTrace.error.hint, JSON.stringify(notTrace));
  // Cancelled while decoding (checked after every generation): one clear answer, nothing kept.
  let asked = 0;
  const token = { get isCancellationRequested() { asked++; return true; } };
  const fresh = new TraceStore();
  const cancelled = await fresh.openTrace({ uri: pathToFileURL(join(TRACE_DIR, 'go1.27', 'trace-gc.trace')).toString() }, () => {}, token);
  assert.ok(!cancelled.ok && cancelled.error.what === 'cancelled', JSON.stringify(cancelled));
  assert.equal(asked, 1);
  assert.equal(fresh.tiles({ id: 't1', query: { t0: 0, t1: 1, pixels: 1, lanes: [], colorBy: 'goroutine', counters: false } }).ok, false);
});

// Go's own annotated traces (user tasks, regions and logs), where this machine has them.
const REF_V2 = join(ROOT, 'test', 'fixtures', 'go-reference', 'v2');
test('task and region lanes hold every task and region of Go\'s annotated traces', async () => {
  const store = new TraceStore();
  for (const name of ['go122-annotations.trace', 'go122-annotations-stress.trace', 'go122-task-across-generations.trace']) {
    const res = await store.openTrace({ uri: pathToFileURL(join(REF_V2, name)).toString() }, () => {});
    if (!res.ok) assert.fail(`${name}: ${res.error.message}`);
    const s = res.summary;
    assert.ok(s.tasks > 0, `${name}: no tasks`);
    const t = store.tiles({ id: s.id, query: { t0: 0, t1: Math.max(1, s.durationNs), pixels: 1 << 14, lanes: [{ kind: 'task', id: 0 }, { kind: 'region', id: 0 }], colorBy: 'goroutine', counters: false } });
    if (!t.ok) assert.fail(t.error.message);
    const [tasks, regions] = t.tiles;
    assert.equal(tasks.mode, 'spans');
    assert.equal(f64(tasks.start).length, s.tasks, `${name}: task spans`);
    if (regions.mode === 'spans') assert.equal(f64(regions.start).length, s.regions, `${name}: region spans`);
    // Every region span is labelled with its name, and its details say so.
    if (s.regions && regions.mode === 'spans') {
      const ref = f64(regions.ref)[0];
      const d = store.span({ id: s.id, source: 'region', ref });
      assert.ok(d.ok && d.details);
      const names = regions.names ?? [];
      assert.ok(names.length > 0 && names.every((n) => n !== ''), `${name}: region names ${names.join(',')}`);
      assert.ok(names.some((n) => d.details!.title === `Region ${n}`), `${name}: ${d.details.title}`);
    }
  }
});

// The language server asks a worker thread, so a big trace never stalls lenses and hovers.
test('the trace worker answers as the store does, and its thread stays free while it decodes', async () => {
  const script = join(ROOT, 'dist', 'traceworker.js');
  assert.ok(existsSync(script), 'dist/traceworker.js is built');
  const client = new TraceWorkerClient(script);
  const store = new TraceStore();
  try {
    const uri = pathToFileURL(join(TRACE_DIR, 'go1.27', 'trace-contention.trace')).toString();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let progressed = 0;
    const viaWorker = await client.openTrace({ uri }, () => progressed++);
    clearInterval(timer);
    const direct = await store.openTrace({ uri }, () => {});
    assert.ok(viaWorker.ok && direct.ok);
    assert.ok(ticks > 0 && progressed > 0);
    const { decodeMs: _a, ...w } = viaWorker.summary;
    const { decodeMs: _b, ...d } = direct.summary;
    assert.deepEqual(w, d);
    const q = { t0: 0, t1: d.durationNs, pixels: 500, lanes: d.procs.map((id) => ({ kind: 'proc' as const, id })), colorBy: 'goroutine' as const, counters: true };
    assert.deepEqual(await client.tiles({ id: w.id, query: q }), store.tiles({ id: d.id, query: q }));
    assert.deepEqual(await client.findingsOf({ id: w.id }), await store.findingsOf({ id: d.id }));
    assert.deepEqual(await client.goroutines({ id: w.id, query: 'main', limit: 50 }), store.goroutines({ id: d.id, query: 'main', limit: 50 }));
    // A cancelled open: the worker stops after the generation it is in and says so.
    let cancel: (() => void) | undefined;
    const token = { isCancellationRequested: false, onCancellationRequested: (f: () => void) => { cancel = f; } };
    const pendingOpen = client.openTrace({ uri: pathToFileURL(join(TRACE_DIR, 'go1.27', 'trace-gc.trace')).toString() }, () => {}, token);
    cancel!();
    const res = await pendingOpen;
    if (!res.ok) assert.equal(res.error.what, 'cancelled');
    await client.close({ id: w.id });
    const gone = await client.tiles({ id: w.id, query: q });
    assert.equal(gone.ok, false);
  } finally {
    await client.dispose();
  }
});
