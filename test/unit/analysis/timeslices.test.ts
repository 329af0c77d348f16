// The trace's time-slice profiles against Go's own: `go tool trace -pprof=net|sync|syscall|sched`
// of every committed trace (test/fixtures/slices, by generate-slices.sh), stack by stack; and
// the CPU range flame against the reference reader's CPU sample counts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cpuRangeProfile, offCpuProfile, STATE_FRAMES, timeProfile, type OffCpuKind } from '../../../src/core/analysis/timeslices';
import { cmdSlice } from '../../../src/cli/slice';
import { profileFromFile } from '../../../src/core/artifacts/profiles';
import type { Profile } from '../../../src/core/pprof/model';
import { replay } from '../../../src/core/runtime/pass';
import type { RuntimeModel } from '../../../src/core/runtime/model';
import { memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { ROOT } from '../helpers/fixtures';

const TRACES = join(ROOT, 'test', 'fixtures', 'trace');
const REFS = join(ROOT, 'test', 'fixtures', 'slices');
const KINDS: OffCpuKind[] = ['net', 'sync', 'syscall', 'sched'];

/** Per stack (function@line, leaf first): [count, delay]. */
function byStack(p: Profile): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const k = p.sampleTypes.length;
  const ci = p.sampleTypes.findIndex((t) => t.type === 'contentions');
  const di = p.sampleTypes.findIndex((t) => t.type === 'delay');
  for (let i = 0; i < p.samples.count; i++) {
    const names: string[] = [];
    for (let j = p.samples.offsets[i]; j < p.samples.offsets[i + 1]; j++) {
      // cmd/trace merges a stack of one PC-0 frame with the empty stack (its dedup key is the
      // PCs) and prints whichever it saw last: such a frame counts as none.
      for (const ln of p.locations[p.samples.locs[j]].lines) if (p.functions[ln.fn]?.name || ln.line) names.push(`${p.functions[ln.fn]?.name}@${ln.line}`);
    }
    const key = names.join(' ');
    const v = out.get(key) ?? [0, 0];
    v[0] += p.samples.values[i * k + ci];
    v[1] += p.samples.values[i * k + di];
    out.set(key, v);
  }
  return out;
}

const traces: { dir: string; name: string }[] = [];
for (const dir of readdirSync(TRACES).filter((d) => d.startsWith('go1.')).sort()) {
  for (const f of readdirSync(join(TRACES, dir)).filter((f) => f.endsWith('.trace')).sort()) traces.push({ dir, name: f.replace(/\.trace$/, '') });
}
const models = new Map<string, RuntimeModel>();
function model(dir: string, name: string): RuntimeModel {
  const key = `${dir}/${name}`;
  let m = models.get(key);
  if (!m) { m = replay(openTrace(memorySource(readFileSync(join(TRACES, dir, `${name}.trace`))))); models.set(key, m); }
  return m;
}

describe('off-CPU profiles equal go tool trace -pprof, stack by stack', () => {
  for (const { dir, name } of traces) {
    test(`${dir}/${name}`, () => {
      const m = model(dir, name);
      let compared = 0;
      for (const kind of KINDS) {
        const want = byStack(profileFromFile(join(REFS, dir, `${name}.${kind}.pprof`)));
        const got = byStack(offCpuProfile(m, kind));
        const sum = (x: Map<string, [number, number]>) => [...x.values()].reduce((a, v) => a + v[1], 0);
        assert.equal(sum(got), sum(want), `${kind}: total delay`);
        assert.deepEqual(new Map([...got].sort()), new Map([...want].sort()), `${kind}: per stack`);
        compared += want.size;
      }
      assert.ok(compared > 0, 'Go found some off-CPU time');
    });
  }
});

describe('CPU range profile', () => {
  const withCpu = traces.filter(({ dir, name }) => JSON.parse(readFileSync(join(TRACES, dir, `${name}.expected.json`), 'utf8')).observed?.cpuSamples > 0);
  test('fixtures with CPU samples exist', () => assert.ok(withCpu.length >= 8));
  for (const { dir, name } of withCpu) {
    test(`${dir}/${name}: the whole range has the reference's CPU samples; a sub-range exactly those from ≤ t < to`, () => {
      const expected = JSON.parse(readFileSync(join(TRACES, dir, `${name}.expected.json`), 'utf8'));
      const m = model(dir, name);
      const total = (p: Profile) => { let s = 0; for (let i = 0; i < p.samples.count; i++) s += p.samples.values[i]; return s; };
      assert.equal(total(cpuRangeProfile(m)), expected.observed.cpuSamples);
      const times = [...m.cpuSamples.time].sort((a, b) => a - b);
      // Bounds on sample times themselves: from is in, to is out.
      const from = times[Math.floor(times.length / 3)], to = times[Math.floor((2 * times.length) / 3)];
      const want = times.filter((t) => t >= from && t < to).length;
      assert.ok(want > 0 && want < times.length);
      assert.equal(total(cpuRangeProfile(m, from, to)), want);
      assert.equal(total(cpuRangeProfile(m, from, from)), 0);
    });
  }
});

describe('time profile', () => {
  for (const { dir, name } of traces.filter((t) => t.dir === 'go1.27')) {
    test(`${dir}/${name}: every goroutine's time in the range is accounted for once, by state`, () => {
      const m = model(dir, name);
      const from = m.end / 4, to = (3 * m.end) / 4;
      const p = timeProfile(m, { from, to });
      let want = 0;
      for (let i = 0; i < m.gSpans.count; i++) want += Math.max(0, Math.min(to, m.gSpans.end(i)) - Math.max(from, m.gSpans.start(i)));
      let got = 0;
      const roots = new Set<string>();
      for (let i = 0; i < p.samples.count; i++) {
        got += p.samples.values[i];
        const root = p.samples.locs[p.samples.offsets[i + 1] - 1];
        roots.add(p.functions[p.locations[root].lines[0].fn].name);
      }
      assert.ok(Math.abs(got - want) <= 1e-6 * want, `${got} vs ${want}`);
      for (const r of roots) assert.ok(Object.values(STATE_FRAMES).includes(r), r);
      // Blocked-on-sync time over the whole trace includes Go's (which leaves out stretches still open at the end).
      const whole = timeProfile(m);
      const rootTotal = (frame: string) => {
        let s = 0;
        for (let i = 0; i < whole.samples.count; i++) {
          const root = whole.samples.locs[whole.samples.offsets[i + 1] - 1];
          if (whole.functions[whole.locations[root].lines[0].fn].name === frame) s += whole.samples.values[i];
        }
        return s;
      };
      const goSync = [...byStack(offCpuProfile(m, 'sync')).values()].reduce((a, v) => a + v[1], 0);
      assert.ok(rootTotal(STATE_FRAMES['blocked-sync']) >= goSync);
    });
  }
});

describe('golens slice', () => {
  const file = join(TRACES, 'go1.27', 'trace-syscall.trace');
  const run = (...args: string[]) => { let s = ''; cmdSlice([file, ...args], (x) => { s += x; }); return s; };
  test('--view sync --json: the total and the root of the tree are Go\'s sync delay', () => {
    const want = [...byStack(profileFromFile(join(REFS, 'go1.27', 'trace-syscall.sync.pprof'))).values()].reduce((a, v) => a + v[1], 0);
    const j = JSON.parse(run('--view', 'sync', '--json'));
    assert.equal(j.unit, 'nanoseconds');
    assert.equal(j.total, want);
    assert.equal(j.tree.nodes[0][2], want);
  });
  test('--from/--to: the CPU samples from ≤ t < to, in the table and the tree', () => {
    const m = model('go1.27', 'trace-syscall');
    const times = [...m.cpuSamples.time].sort((a, b) => a - b);
    const from = times[2], to = times[times.length - 2];
    const j = JSON.parse(run('--from', `${from}ns`, '--to', `${to}ns`, '--json'));
    assert.equal(j.total, times.filter((t) => t >= from && t < to).length);
    assert.equal(j.tree.nodes[0][2], j.total);
    assert.ok(j.rows.some((r: { function: string }) => r.function === 'main.burn'));
  });
  test('--view time --goroutine: the states of one goroutine add up to its life in the trace', () => {
    const m = model('go1.27', 'trace-syscall');
    // The goroutine that burns CPU (the most samples).
    const counts = new Map<number, number>();
    for (const x of m.cpuSamples.g) counts.set(x, (counts.get(x) ?? 0) + 1);
    const g = m.goroutines.get([...counts].sort((x, y) => y[1] - x[1])[0][0])!;
    const j = JSON.parse(run('--view', 'time', '--goroutine', String(g.id), '--json'));
    let life = 0;
    for (let i = 0; i < m.gSpans.count; i++) if (m.gSpans.id(i) === g.id) life += m.gSpans.end(i) - m.gSpans.start(i);
    assert.ok(Math.abs(j.total - life) < 1e-6 * life);
    const roots = j.tree.nodes.filter((n: number[]) => n[0] === 0).map((n: number[]) => j.tree.names[n[1]]);
    assert.ok(roots.includes('[running]'), roots.join());
  });
  test('usage errors are one line', () => {
    assert.throws(() => run('--view', 'sync', '--from', '1ms'), /whole-trace/);
    assert.throws(() => run('--view', 'bogus'), /--view must be/);
    assert.throws(() => run('--from', '2ms', '--to', '1ms'), /after --from/);
  });
});
