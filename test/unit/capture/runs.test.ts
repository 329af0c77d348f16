// `go test` runs with profiles, for real with Go 1.27 on the benchme fixture: cmdBench in
// process makes two runs of BenchmarkChecksum, the second compares with the first (checked
// against totals summed straight from the decoded profiles and ns/op from the output); the CPU
// top matches `go tool pprof -top`; a test run, a benchmark that matches nothing, a missing
// package and a missing go; runGoTest streams and is cancelled with its whole process group.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cmdBench } from '../../../src/cli/bench';
import { benchmarkLines, formatChange, lastRun, matchedNothing, newRunDir, nsPerOp, orderRuns, prepareRun, runDirName, runsOf } from '../../../src/core/capture/runs';
import { InputError, ToolError } from '../../../src/core/errors';
import { runGoTest } from '../../../src/core/io/gotest';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { ROOT, readPprofTop } from '../helpers/fixtures';
import { goOf, hermeticGoEnv } from '../helpers/pprofserve';

const GO = goOf('1.27');
const skip = GO ? false : 'Go 1.27 is not installed (scripts/install-go.sh 1.27)';
const BENCHME = join(ROOT, 'test', 'fixtures', 'programs', 'benchme');
const tmp = mkdtempSync(join(tmpdir(), 'golens-runs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const env = (): NodeJS.ProcessEnv => ({ ...hermeticGoEnv(join(ROOT, '.cache', 'programs')), PATH: `/usr/lib/go-1.27/bin:${process.env.PATH}` });

function bench(args: string[], root = tmp): { code: number; out: string; err: string } {
  let out = '', err = '';
  const code = cmdBench(args, (s) => { out += s; }, (s) => { err += s; }, { cwd: root, env: env() });
  return { code, out, err };
}

/** The sum of one sample type's values, straight from the decoded file. */
function sampleTotal(file: string, type: string): number {
  const p = decodeProfile(readFileSync(file));
  const k = p.sampleTypes.length;
  const i = p.sampleTypes.findIndex((t) => t.type === type);
  let s = 0;
  for (let x = 0; x < p.samples.count; x++) s += p.samples.values[x * k + i];
  return s;
}

test('run directories: names, order, a second run in the same second', () => {
  assert.equal(runDirName('BenchmarkX'), 'BenchmarkX');
  assert.equal(runDirName('../../etc'), '__.._etc', 'one component, never a parent');
  assert.equal(runDirName(''), '_');
  const root = join(tmp, 'naming');
  const when = new Date(Date.UTC(2026, 11, 2, 16, 5, 1));
  const a = newRunDir(root, 'BenchmarkX', when);
  const b = newRunDir(root, 'BenchmarkX', when);
  assert.equal(a, join(runsOf(root, 'BenchmarkX'), '20261202T160501Z'));
  assert.equal(b, `${a}-2`);
  assert.deepEqual(orderRuns(['20261202T160502Z', '20261202T160501Z-10', '20261202T160501Z', '20261202T160501Z-2']),
    ['20261202T160501Z', '20261202T160501Z-2', '20261202T160501Z-10', '20261202T160502Z']);
  assert.equal(lastRun(root, 'BenchmarkX', BENCHME), undefined, 'runs without a record or profile are not "the last run"');
  assert.equal(formatChange(0.1234), '+12%');
  assert.equal(formatChange(-0.031), '\u22123.1%');
  assert.equal(formatChange(0.0001), '±0%');
});

let first: { runDir: string; files: { cpu: string; mem: string; output: string }; nsPerOp: number };

test('golens bench: a first run writes profiles and output into .golens/runs/<name>/<UTC time>/', { skip }, () => {
  const r = bench([BENCHME, 'BenchmarkChecksum', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  first = j;
  assert.match(j.runDir, new RegExp(`^${tmp}/\\.golens/runs/BenchmarkChecksum/\\d{8}T\\d{6}Z$`));
  for (const f of [j.files.cpu, j.files.mem, j.files.output, join(j.runDir, 'run.json')]) assert.ok(existsSync(f), f);
  assert.ok(!existsSync(join(j.runDir, 'pkg.test')), 'the test binary is not left behind');
  assert.ok(!existsSync(join(BENCHME, 'benchme.test')), 'nor in the package');
  assert.equal(j.lines.length, 1);
  assert.match(j.lines[0], /^BenchmarkChecksum(-\d+)?\s+\d+\s+[\d.]+ ns\/op/);
  assert.ok(j.nsPerOp > 0);
  assert.equal(j.comparison, null);
  assert.equal(readFileSync(j.files.output, 'utf8').includes(j.lines[0]), true);
  // The CPU top is pprof's: same total, same first rows (go tool pprof on the same file, keeping
  // every node: its default -nodefraction drops rows under 0.5% cum, and -nodecount picks by another order).
  const text = spawnSync(GO!, ['tool', 'pprof', '-symbolize=none', '-top', '-nodefraction=0', '-unit=ns', j.files.cpu], { env: { ...env(), TZ: 'UTC' }, encoding: 'utf8' });
  assert.equal(text.status, 0, text.stderr);
  writeFileSync(join(tmp, 'top.txt'), text.stdout);
  const ref = readPprofTop('', 'top.txt', tmp);
  assert.equal(j.cpu.total, ref.total);
  assert.deepEqual(j.cpu.top.slice(0, 3).map((x: { name: string; flat: number }) => [x.name, x.flat]), ref.rows.slice(0, 3).map((x) => [x.name, x.flat]));
  // The benchmark's time is in Checksum.
  const checksum = j.cpu.top.find((x: { name: string }) => x.name === 'golens.example/fixtures/benchme.Checksum');
  assert.ok(checksum && checksum.cum > j.cpu.total / 2, JSON.stringify(j.cpu.top));
});

test('golens bench: a second run compares with the first (cpu total, alloc_space, ns/op)', { skip }, () => {
  const r = bench([BENCHME, 'BenchmarkChecksum', '--count', '2']);
  assert.equal(r.code, 0, r.err);
  const dir = /^files in (.*):$/m.exec(r.out)![1];
  assert.notEqual(dir, first.runDir);
  assert.equal(lastRun(tmp, 'BenchmarkChecksum', BENCHME), dir);
  assert.equal(lastRun(tmp, 'BenchmarkChecksum', BENCHME, dir), first.runDir);
  const output = readFileSync(join(dir, 'output.txt'), 'utf8');
  assert.equal(benchmarkLines(output, 'BenchmarkChecksum').length, 2, '-count 2: two result lines');
  for (const l of benchmarkLines(output, 'BenchmarkChecksum')) assert.ok(r.out.includes(l.replace(/\t/g, ' ')), r.out);
  assert.match(r.out, /Top 10 of the CPU profile:/);
  assert.match(r.out, /benchme\.Checksum/);
  const line = /^compared with the last run: .*$/m.exec(r.out)?.[0];
  assert.ok(line, r.out);
  const cpu = sampleTotal(join(dir, 'cpu.pprof'), 'cpu') / sampleTotal(first.files.cpu, 'cpu') - 1;
  const ns = nsPerOp(output, 'BenchmarkChecksum')! / first.nsPerOp - 1;
  assert.ok(line.includes(`${formatChange(cpu)} cpu`), `${line} vs ${formatChange(cpu)}`);
  assert.ok(line.includes(`${formatChange(ns)} ns/op`), `${line} vs ${formatChange(ns)}`);
  const alloc0 = sampleTotal(first.files.mem, 'alloc_space');
  if (alloc0 > 0) assert.ok(line.includes(`${formatChange(sampleTotal(join(dir, 'mem.pprof'), 'alloc_space') / alloc0 - 1)} alloc_space`), line);
});

test('golens bench runs a test too; the allocation benchmark\'s memory profile holds Render', { skip }, () => {
  const t = bench([BENCHME, 'TestRender', '--json']);
  assert.equal(t.code, 0, t.err);
  const j = JSON.parse(t.out);
  assert.equal(j.kind, 'test');
  assert.deepEqual(j.lines, []);
  assert.ok(existsSync(j.files.cpu));
  const b = JSON.parse(bench([BENCHME, 'BenchmarkRender', '--json']).out);
  const p = decodeProfile(readFileSync(b.files.mem));
  const names = new Set(p.functions.map((f) => f.name));
  assert.ok(names.has('golens.example/fixtures/benchme.Render'), [...names].join(','));
  assert.ok(sampleTotal(b.files.mem, 'alloc_space') > 0);
});

test('golens bench: nothing matched, no package, no go, not a benchmark name: one clear error', { skip }, () => {
  assert.throws(() => bench([BENCHME, 'BenchmarkNope']), (e: Error) => e instanceof ToolError && /no benchmark matched \^BenchmarkNope\$/.test(e.message));
  assert.equal(existsSync(runsOf(tmp, 'BenchmarkNope')) ? lastRun(tmp, 'BenchmarkNope', BENCHME) : undefined, undefined);
  assert.throws(() => bench([BENCHME, 'TestNope']), (e: Error) => e instanceof ToolError && /no test matched/.test(e.message));
  assert.throws(() => bench([join(BENCHME, 'missing'), 'BenchmarkChecksum']), (e: Error) => e instanceof InputError && /no such package directory/.test(e.message));
  assert.throws(() => cmdBench([BENCHME, 'BenchmarkChecksum'], () => {}, () => {}, { cwd: tmp, env: { PATH: '/nonexistent' } }), (e: Error) => e instanceof ToolError && /no go found/.test(e.message));
  assert.throws(() => bench([BENCHME, 'Benchmarkx']), /not a benchmark or test name/);
  assert.ok(matchedNothing('benchmark', 'BenchmarkNope', 'PASS\nok  \tx\t0.01s\n'));
  assert.ok(!matchedNothing('benchmark', 'BenchmarkA', 'BenchmarkA-2   10   5 ns/op\nPASS\n'));
});

test('runGoTest streams the output and a cancel stops go test and its test binary', { skip }, async () => {
  const spec = prepareRun({ root: tmp, pkgDir: BENCHME, kind: 'benchmark', name: 'BenchmarkChecksum', count: 100, env: env(), workspaceFolders: [], timeoutMs: 120_000, when: new Date() });
  const ac = new AbortController();
  const chunks: string[] = [];
  const t0 = Date.now();
  const res = await runGoTest(spec, { signal: ac.signal, onOutput: (s) => { chunks.push(s); if (/^BenchmarkChecksum/m.test(chunks.join(''))) ac.abort(); } });
  assert.equal(res.stopped, 'cancelled');
  assert.ok(Date.now() - t0 < 60_000);
  assert.ok(chunks.length > 0 && chunks.join('') === res.output);
  await new Promise((r) => setTimeout(r, 200));
  const ps = spawnSync('pgrep', ['-f', spec.runDir], { encoding: 'utf8' });
  assert.equal(ps.stdout.trim(), '', 'no go test process left');
});
