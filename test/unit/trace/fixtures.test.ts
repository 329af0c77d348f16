// Our own traces, written by every Go toolchain: the decoded stream agrees with Go 1.27's
// reference reader (its -d=parsed dump, summarized in expected.json) on the four counts, on
// every event at every marked source line, and on what became of the goroutines of every
// `go` statement; the replayed model finds the leaks the program planted.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Replayer } from '../../../src/core/runtime/replay';
import { EventKind, GoState, NONE, ResourceKind, memorySource, type Frame } from '../../../src/core/trace/events';
import { openTrace, traceWriters } from '../../../src/core/trace/open';
import { SummaryBuilder } from '../../../src/core/trace/summary';
import { ROOT } from '../helpers/fixtures';

const TRACE_DIR = join(ROOT, 'test', 'fixtures', 'trace');
const KINDS = ['Bad', 'Sync', 'Metric', 'Label', 'StackSample', 'RangeBegin', 'RangeActive', 'RangeEnd', 'TaskBegin', 'TaskEnd', 'RegionBegin', 'RegionEnd', 'Log', 'StateTransition', 'Experimental'];
const STATES = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall'];

interface Expected {
  format: string; events: number; goroutinesCreated: number; gcCycles: number; durationNs: number;
  planted: { leaks?: { goLine: number; count: number; reason: string }[] };
  observed: {
    goStatements: { marker: string; goLine: number; created: number; endStates: Record<string, number> }[];
    lines?: { marker: string; line: number; events: Record<string, number> }[];
  };
}

const isMain = (f: Frame) => f.fn.startsWith('main.') && f.file.endsWith('main.go');

const dirs = existsSync(TRACE_DIR) ? readdirSync(TRACE_DIR).filter((d) => /^go1\.\d+$/.test(d)) : [];
test('trace fixtures exist for every toolchain', () => assert.ok(dirs.length >= 8, dirs.join(',')));

test('each toolchain\'s trace header names a format that toolchain writes (Go 1.27 writes go 1.26)', () => {
  for (const dir of dirs) {
    const reader = openTrace(memorySource(readFileSync(join(TRACE_DIR, dir, 'trace-leak.trace'))));
    const writers = traceWriters(reader.version);
    assert.ok(writers, `${dir}: ${reader.version}`);
    const [lo, hi = lo] = writers.replace(/^Go /, '').split('–').map((v) => Number(v.split('.')[1]));
    const minor = Number(dir.split('.')[1]);
    assert.ok(minor >= lo && minor <= hi, `${dir} wrote ${reader.version}, said to be written by ${writers}`);
  }
  assert.equal(traceWriters('go 1.27'), undefined);
});

for (const dir of dirs) {
  describe(`${dir} traces`, () => {
    for (const prog of ['trace-leak', 'trace-contention', 'trace-gc', 'trace-syscall']) {
      test(prog, () => {
        const exp = JSON.parse(readFileSync(join(TRACE_DIR, dir, `${prog}.expected.json`), 'utf8')) as Expected;
        const reader = openTrace(memorySource(readFileSync(join(TRACE_DIR, dir, `${prog}.trace`))));
        const summary = new SummaryBuilder(reader.version, reader.strings);
        const model = new Replayer(reader.strings, reader.stacks);
        const lines = exp.observed.lines ?? [];
        const lineMarkers = new Map(lines.map((l) => [l.line, l.marker]));
        const goLines = new Set(exp.observed.goStatements.map((g) => g.goLine));
        const lineEvents = new Map<string, Map<string, number>>();
        const gs = new Map<number, { goLine: number; state: string; reason: string; created: boolean }>();
        for (let ev = reader.next(); ev; ev = reader.next()) {
          summary.add(ev);
          model.add(ev);
          for (let i = 0; i < ev.count; i++) {
            const isGo = ev.kind[i] === EventKind.StateTransition && ev.r[i] === ResourceKind.Goroutine;
            const reason = ev.s1[i] === NONE ? '' : reader.strings.get(ev.s1[i]);
            const stack = reader.stacks.get(ev.stack[i]);
            const marked = stack.find((f) => isMain(f) && lineMarkers.has(f.line));
            if (marked) {
              let key = KINDS[ev.kind[i]];
              if (isGo) key = `${STATES[ev.b[i]]}->${STATES[ev.c[i]]}${reason ? ` ${reason}` : ''}`;
              const m = lineMarkers.get(marked.line)!;
              const counts = lineEvents.get(m) ?? new Map<string, number>();
              counts.set(key, (counts.get(key) ?? 0) + 1);
              lineEvents.set(m, counts);
            }
            if (isGo) {
              const id = ev.a[i], from = ev.b[i], to = ev.c[i];
              let g = gs.get(id);
              if (!g) { g = { goLine: 0, state: '', reason: '', created: false }; gs.set(id, g); }
              if (from === GoState.NotExist) {
                g.created = true;
                const f = stack.find(isMain);
                if (f && goLines.has(f.line)) g.goLine = f.line;
              }
              if (from !== to || g.state === '') { g.state = STATES[to]; g.reason = reason; }
            }
          }
        }
        const s = summary.finish();
        const m = model.finish();
        assert.deepEqual(
          { format: s.format, events: s.events, goroutinesCreated: s.goroutinesCreated, gcCycles: s.gcCycles, durationNs: s.durationNs },
          { format: exp.format, events: exp.events, goroutinesCreated: exp.goroutinesCreated, gcCycles: exp.gcCycles, durationNs: exp.durationNs },
        );
        for (const l of lines) {
          assert.deepEqual(Object.fromEntries(lineEvents.get(l.marker) ?? []), l.events, `events at ${l.marker} (main.go:${l.line})`);
        }
        for (const st of exp.observed.goStatements) {
          const mine = [...gs.values()].filter((g) => g.created && g.goLine === st.goLine);
          const ends: Record<string, number> = {};
          for (const g of mine) { const k = g.state + (g.reason ? ` ${g.reason}` : ''); ends[k] = (ends[k] ?? 0) + 1; }
          assert.equal(mine.length, st.created, `goroutines created at main.go:${st.goLine}`);
          assert.deepEqual(ends, st.endStates, `end states of main.go:${st.goLine}`);
        }
        // The model: each planted leak is that many goroutines still waiting, created at its go statement.
        for (const leak of exp.planted.leaks ?? []) {
          const blocked = [...m.goroutines.values()].filter((g) => {
            if (g.state !== GoState.Waiting || m.strings.get(g.reason) !== leak.reason) return false;
            const f = m.stacks.get(g.createStack).find(isMain);
            return f?.line === leak.goLine;
          });
          assert.equal(blocked.length, leak.count, `leak at main.go:${leak.goLine} (${leak.reason})`);
        }
      });
    }
  });
}
