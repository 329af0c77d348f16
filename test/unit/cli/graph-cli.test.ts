// `golens graph` as a user runs it: --json is the call graph pprof -dot draws (its N<id>
// numbering too), the text says what was dropped as pprof's legend does, bad options exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GRAPH_DIR, readDot } from '../helpers/dot';
import { PPROF_DIR, ROOT, toolchainDirs } from '../helpers/fixtures';

const CLI = join(ROOT, 'dist', 'cli.js');
const dir = toolchainDirs().at(-1)!;
const f = (name: string) => join(PPROF_DIR, dir, name);

function golens(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Json {
  nodes: { id: number; name: string; flat: number; cum: number }[];
  edges: { from: number; to: number; weight: number; residual: boolean; inline: boolean }[];
}

describe('golens graph', () => {
  for (const [file, args] of [['cpu.cpu.nodecount-12.dot', ['--sample', 'cpu', '-n', '12']], ['heap.alloc_space.fractions.dot', ['--sample', 'alloc_space', '--nodefraction', '0.02', '--edgefraction', '0.01']]] as const) {
    test(`--json is pprof's graph, numbered as pprof numbers it (${file})`, () => {
      const r = golens('graph', f(file.startsWith('cpu') ? 'cpu.pprof' : 'heap.pprof'), ...args, '--json');
      assert.equal(r.code, 0, r.stderr);
      const got = JSON.parse(r.stdout) as Json & Record<string, unknown>;
      assert.deepEqual(Object.keys(got), ['sampleType', 'unit', 'total', 'shown', 'options', 'nodes', 'edges']);
      const want = readDot(dir, file);
      assert.equal(got.total, want.total);
      assert.deepEqual(got.nodes.map((n) => [n.id, n.name, n.flat, n.cum]), want.nodes.map((n) => [n.id, n.name, n.flat, n.cum]));
      assert.deepEqual(got.edges, want.edges);
    });
  }

  test('the text lists nodes and edges and says what pprof\'s legend says was dropped', () => {
    const r = golens('graph', f('cpu.pprof'), '--sample', 'cpu', '--nodecount', '12');
    assert.equal(r.code, 0, r.stderr);
    const legend = /label="([^"]*)"/.exec(readFileSync(join(GRAPH_DIR, dir, 'cpu.cpu.nodecount-12.dot'), 'utf8'))![1];
    const top = /Showing top \d+ nodes out of \d+/.exec(legend);
    assert.ok(top, legend);
    assert.ok(r.stdout.includes(top[0]), r.stdout);
    const want = readDot(dir, 'cpu.cpu.nodecount-12.dot');
    assert.equal(r.stdout.split('\n').filter((l) => /^\s+N\d+ {2,}/.test(l)).length, want.nodes.length);
    assert.equal(r.stdout.split('\n').filter((l) => /^\s+N\d+ (->|\.\.\.) N\d+ {2}/.test(l)).length, want.edges.length);
  });

  for (const [args, msg] of [
    [['--nodefraction', '2'], /--nodefraction needs a fraction between 0 and 1/],
    [['--edgefraction', 'x'], /--edgefraction needs a fraction/],
    [['--nodecount', '-3'], /--nodecount needs a whole number/],
    [[], null],
  ] as const) {
    test(`bad options are one line and exit 2: ${args.join(' ') || 'no profile'}`, () => {
      const r = args.length ? golens('graph', f('cpu.pprof'), ...args) : golens('graph');
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, msg ?? /graph needs a profile file/);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    });
  }
});
