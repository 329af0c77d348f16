// The call graph of every fixture profile, for every sample type and Go toolchain, is the one
// `go tool pprof -dot` drew: the same nodes (names, flat, cum, percentages), the same edges
// (weights, residual, inline) and the same "Showing nodes" total — at pprof's default pruning,
// with a small -nodecount and with larger node/edge fractions (test/fixtures/graph/).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { callGraph, type GraphOptions } from '../../../src/core/pprof/graph';
import { sampleIndex } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { percentage } from '../../../src/core/pprof/units';
import { dotVariants, GRAPH_DIR, readDot } from '../helpers/dot';
import { fixture, toolchainDirs } from '../helpers/fixtures';

function optionsOf(command: string[]): GraphOptions {
  const o: GraphOptions = {};
  for (const a of command) {
    const [flag, value] = a.split('=');
    if (flag === '-nodecount') o.nodeCount = Number(value);
    if (flag === '-nodefraction') o.nodeFraction = Number(value);
    if (flag === '-edgefraction') o.edgeFraction = Number(value);
  }
  return o;
}

const dirs = toolchainDirs().filter((d) => existsSync(join(GRAPH_DIR, d, 'manifest.json')));
test('graph references exist for every toolchain', () => {
  assert.equal(dirs.length, toolchainDirs().length);
});

for (const dir of dirs) {
  describe(`call graph ${dir}`, () => {
    const profiles = new Map<string, ReturnType<typeof decodeProfile>>();
    for (const v of dotVariants(dir)) {
      test(v.file, () => {
        let p = profiles.get(v.profile);
        if (!p) { p = decodeProfile(fixture(dir, v.profile)); profiles.set(v.profile, p); }
        const want = readDot(dir, v.file);
        const got = callGraph(stacks(p, sampleIndex(p, v.sampleType)), optionsOf(v.command));
        assert.equal(got.total, want.total, 'total');
        assert.equal(got.shown, want.shown, 'shown');
        const byId = (g: { id: number; name: string }[]) => new Map(g.map((n) => [n.id, n.name]));
        const gotNames = byId(got.nodes), wantNames = byId(want.nodes);
        // Nodes as pprof draws them (order free: equal entropy scores may order either way).
        const nodeKey = (n: { name: string; flat: number; cum: number }) => `${n.name} flat=${n.flat} cum=${n.cum}`;
        assert.deepEqual(got.nodes.map(nodeKey).sort(), want.nodes.map(nodeKey).sort(), 'nodes');
        for (const n of got.nodes) {
          const w = want.nodes.find((x) => x.name === n.name)!;
          if (n.flat !== 0) assert.equal(percentage(n.flat, got.total).trim(), w.flatPct, `${n.name} flat%`);
          assert.equal(percentage(n.cum, got.total).trim(), w.cumPct, `${n.name} cum%`);
        }
        const edgeKey = (names: Map<number, string>) => (e: { from: number; to: number; weight: number; residual: boolean; inline: boolean }) =>
          `${names.get(e.from)} ${e.residual ? '...' : '->'} ${names.get(e.to)} ${e.weight}${e.inline ? ' inline' : ''}`;
        assert.deepEqual(got.edges.map(edgeKey(gotNames)).sort(), want.edges.map(edgeKey(wantNames)).sort(), 'edges');
        // And in pprof's order: its N<id> numbering (entropy order) and its edge order.
        assert.deepEqual(got.nodes.map((n) => `N${n.id} ${n.name}`), want.nodes.map((n) => `N${n.id} ${n.name}`), 'node order');
        assert.deepEqual(got.edges, want.edges, 'edge order');
      });
    }
  });
}
