// `golens goroutines`: the groups and numbers go tool trace's /goroutines page shows, sorted
// and filtered as asked, as JSON and as a table; wrong input is one line and exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/fixtures';

const TRACE = join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', 'trace-leak.trace');
const REF = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'goroutines', 'go1.27', 'trace-leak.json'), 'utf8')) as
  { groups: { name: string; count: number; execTime: number }[] };

const CLI = join(ROOT, 'dist', 'cli.js');

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Json { groups: { startFunction: string; count: number; ids: number[]; execNs: number; columns: Record<string, number> }[]; goroutines: { id: number }[] }

test('--json: every group of go tool trace\'s /goroutines with its count and execution time', () => {
  const r = run('goroutines', TRACE, '--json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as Json;
  assert.equal(j.groups.length, REF.groups.length);
  for (const want of REF.groups) {
    const g = j.groups.find((x) => x.startFunction === want.name)!;
    assert.equal(g.count, want.count, want.name);
    assert.equal(g.execNs, want.execTime, want.name);
    assert.equal(g.columns.running, want.execTime);
    assert.equal(g.ids.length, want.count);
  }
  assert.equal(j.goroutines.length, REF.groups.reduce((a, g) => a + g.count, 0));
});

test('--sort and --start-fn order and filter the groups', () => {
  const j = JSON.parse(run('goroutines', TRACE, '--json', '--sort', 'chan', '--start-fn', '^main\\.').out) as Json;
  const want = REF.groups.filter((g) => /^main\./.test(g.name));
  assert.deepEqual(j.groups.map((g) => g.startFunction).sort(), want.map((g) => g.name).sort());
  for (let i = 1; i < j.groups.length; i++) assert.ok(j.groups[i - 1].columns.chan >= j.groups[i].columns.chan);
  assert.deepEqual(j.goroutines.map((g) => g.id).sort((a, b) => a - b), j.groups.flatMap((g) => g.ids).sort((a, b) => a - b));
  const byCount = JSON.parse(run('goroutines', TRACE, '--json', '--sort', 'count').out) as Json;
  for (let i = 1; i < byCount.groups.length; i++) assert.ok(byCount.groups[i - 1].count >= byCount.groups[i].count);
});

test('the table lists each group once with its count', () => {
  const r = run('goroutines', TRACE);
  assert.equal(r.code, 0, r.err);
  for (const want of REF.groups) {
    const line = r.out.split('\n').find((l) => l.endsWith(`  ${want.name}`));
    assert.ok(line, want.name);
    assert.equal(Number(line.trim().split(/\s+/)[0]), want.count);
  }
});

test('wrong input: one line, exit 2', () => {
  for (const args of [
    ['goroutines'],
    ['goroutines', TRACE, '--sort', 'bogus'],
    ['goroutines', TRACE, '--start-fn', '('],
    ['goroutines', join(ROOT, 'test', 'fixtures', 'pprof', 'go1.27', 'cpu.pprof')],
  ]) {
    const r = run(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});
