// The what-if fixtures (test/fixtures/whatif/, generate-whatif.sh) are the measured ground
// truth the what-if model is judged against, so they must say what they claim: every
// committed trace's GC figures in its manifest are what GoLens's GC analysis says of that
// file now, the run really had the setting its name says, the trace's GC cycles agree with
// the runtime's own count, and the ranges are the runs' min and max.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { analyzeTraceGc } from '../../../src/core/analysis/gc';
import { memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { ROOT } from '../helpers/fixtures';

const DIR = join(ROOT, 'test', 'fixtures', 'whatif');
const SHAPES = ['steady', 'bursty', 'largelive', 'manyg', 'cpupar'];
const SETTINGS = /^(default|gogc(25|50|200|400|off)|memlimit(\d+)MiB-gogc(100|off)|procs1)$/;

interface Figures { gcCycles: number; peakHeapBytes: number; gcCpuFraction: number; stwTotalNs: number; wallNs: number }
interface Setting { name: string; gogc: number | 'off'; memlimit: number | null; gomaxprocs: number }
interface Program {
  shape: string; goVersion: string; numGC: number; cyclesDoneInTrace: number; numForcedGC: number;
  gomaxprocs: number; gogc: number | 'off'; memlimit: number | null; elapsedNs: number;
}
interface Run { file: string; shape: string; setting: Setting; run: number; loadavg: string; nice?: number; program: Program; trace: Figures }
interface Range { min: number; max: number }
interface Manifest {
  goVersion: string;
  traces: Run[];
  ranges: Record<string, Record<string, Setting & { runs: number; trace: Record<keyof Figures, Range> }>>;
}

const toolchains = existsSync(DIR) ? readdirSync(DIR).filter((d) => /^go1\.\d+$/.test(d)).sort() : [];

/** What `golens gc --json` reports for the trace, through the core API (the file is gzipped). */
function measure(path: string): Figures {
  const r = analyzeTraceGc(openTrace(memorySource(gunzipSync(readFileSync(path)))));
  return { gcCycles: r.cycles, peakHeapBytes: r.heap.peakInUseBytes, gcCpuFraction: r.gcCpuFraction, stwTotalNs: r.stw.totalNs, wallNs: r.durationNs };
}

/** The setting a name stands for, from the name alone (default: GOGC=100, no limit, 2 Ps). */
function settingOf(name: string): Omit<Setting, 'name'> {
  const m = SETTINGS.exec(name);
  assert.ok(m, `unknown setting name ${name}`);
  if (name === 'procs1') return { gogc: 100, memlimit: null, gomaxprocs: 1 };
  if (m[3]) return { gogc: m[4] === 'off' ? 'off' : 100, memlimit: Number(m[3]) * 2 ** 20, gomaxprocs: 2 };
  if (m[2]) return { gogc: m[2] === 'off' ? 'off' : Number(m[2]), memlimit: null, gomaxprocs: 2 };
  return { gogc: 100, memlimit: null, gomaxprocs: 2 };
}

test('the what-if fixtures are committed for Go 1.27 at least', () => {
  assert.ok(toolchains.includes('go1.27'), `no go1.27 under ${DIR}`);
});

for (const tc of toolchains) {
  describe(`what-if fixtures ${tc}`, () => {
    const manifest = JSON.parse(readFileSync(join(DIR, tc, 'manifest.json'), 'utf8')) as Manifest;

    test('every shape and setting has its runs, every file on disk is in the manifest', () => {
      assert.match(manifest.goVersion, new RegExp(`go${tc.slice(2).replace('.', '\\.')}(\\.\\d+)? `));
      const listed = new Set(manifest.traces.map((t) => t.file));
      assert.equal(listed.size, manifest.traces.length, 'a file is listed twice');
      for (const shape of SHAPES) {
        const names = Object.keys(manifest.ranges[shape] ?? {});
        assert.equal(names.length, 9, `${shape}: ${names.join(', ')}`);
        assert.ok(names.includes('default') && names.includes('procs1') && names.includes('gogcoff'));
        const onDisk = readdirSync(join(DIR, tc, shape));
        for (const f of onDisk) assert.ok(listed.has(`${shape}/${f}`), `${shape}/${f} is not in the manifest`);
        assert.equal(onDisk.length, manifest.traces.filter((t) => t.shape === shape).length);
      }
    });

    test('each run had the setting its name says, read back from the runtime', () => {
      for (const t of manifest.traces) {
        assert.equal(t.file, `${t.shape}/${t.setting.name}-${t.run}.trace.gz`);
        const want = settingOf(t.setting.name);
        assert.deepEqual({ gogc: t.setting.gogc, memlimit: t.setting.memlimit, gomaxprocs: t.setting.gomaxprocs }, want, t.file);
        assert.deepEqual({ gogc: t.program.gogc, memlimit: t.program.memlimit, gomaxprocs: t.program.gomaxprocs }, want, `${t.file}: the runtime's own`);
        assert.equal(t.program.shape, t.shape);
        assert.equal(t.program.numForcedGC, 0, `${t.file}: the work forces no cycle`);
        assert.match(t.loadavg, /^\d+\.\d+ \d+\.\d+ \d+\.\d+ /);
        // The nice level the program ran at (WHATIF_NICE); absent in runs made before it was recorded.
        if (t.nice !== undefined) assert.ok(Number.isInteger(t.nice) && t.nice >= -20 && t.nice <= 19, `${t.file}: nice ${t.nice}`);
      }
    });

    test('the trace-side figures are what the GC analysis says of each committed trace', () => {
      for (const t of manifest.traces) {
        assert.deepEqual(measure(join(DIR, tc, t.file)), t.trace, t.file);
      }
    });

    test("the trace's GC cycles agree with the runtime's own count", () => {
      for (const t of manifest.traces) {
        const done = t.program.cyclesDoneInTrace;
        // The trace counts cycles that began inside it; the runtime counts cycles that
        // finished (runtime/metrics /gc/cycles/total, read right after trace.Start and right
        // before trace.Stop). They differ only at the edges. At the end the trace also has a
        // cycle the work began that had not finished at that read (about 1 run in 6) and,
        // rarely (once, in the old manyg's go1.21 runs; none in the current set), one more begun
        // between the read and the trace stopping. At the start (go1.22 at GOGC=50, 7 runs in
        // 135) a cycle begun by
        // trace.Start's own allocations is active when the trace begins (Go's reader shows
        // it as RangeActive) and finishes inside it: the runtime counts it, the trace does not.
        const extra = t.trace.gcCycles - done;
        assert.ok(extra >= -1 && extra <= 2,
          `${t.file}: trace ${t.trace.gcCycles} cycles, runtime ${done} finished inside the trace`);
        // NumGC (ReadMemStats before trace.Start and after trace.Stop) also counts cycles
        // finished after the trace stopped, so it is never below the in-trace count.
        assert.ok(t.program.numGC >= done, `${t.file}: NumGC ${t.program.numGC} < ${done}`);
        if (t.setting.gogc === 'off' && t.setting.memlimit === null) assert.equal(t.trace.gcCycles, 0, `${t.file}: GOGC=off, no limit`);
      }
    });

    test('the ranges are the min and max over the runs', () => {
      for (const [shape, bySetting] of Object.entries(manifest.ranges)) {
        for (const [name, r] of Object.entries(bySetting)) {
          const runs = manifest.traces.filter((t) => t.shape === shape && t.setting.name === name);
          assert.equal(r.runs, runs.length);
          assert.ok(runs.length >= 3, `${shape}/${name}: ${runs.length} runs`);
          for (const k of Object.keys(r.trace) as (keyof Figures)[]) {
            const xs = runs.map((t) => t.trace[k]);
            assert.deepEqual(r.trace[k], { min: Math.min(...xs), max: Math.max(...xs) }, `${shape}/${name} ${k}`);
          }
        }
      }
    });
  });
}
