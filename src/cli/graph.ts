// `golens graph`: pprof's call graph (what -dot draws) as numbers: nodes with flat and cum,
// edges with their weight, residual (over dropped nodes) and inline marks.
import { profileFromFile } from '../core/artifacts/profiles';
import { printable } from '../core/format';
import { callGraph, GRAPH_DEFAULTS, type GraphOptions } from '../core/pprof/graph';
import { merge } from '../core/pprof/merge';
import { stacks } from '../core/pprof/stacks';
import { percentage, scaledLabel } from '../core/pprof/units';
import { one, parseArgs, UsageError, type Parsed } from './args';
import { decodeOptions } from './limits';
import { filtersOf, header, pickSample } from './top';

const SPEC = {
  values: ['sample', 'nodefraction', 'edgefraction', 'nodecount', 'focus', 'ignore', 'hide', 'show'],
  repeatable: ['tag', 'tagignore'], booleans: ['json'], aliases: { n: 'nodecount', s: 'sample' },
};

function fraction(p: Parsed, name: 'nodefraction' | 'edgefraction'): number | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(v) || Number(v) > 1) throw new UsageError(`--${name} needs a fraction between 0 and 1, not ${JSON.stringify(v)}`);
  return Number(v);
}

export function graphOptionsOf(p: Parsed): GraphOptions {
  const n = one(p, 'nodecount');
  if (n !== undefined && !/^\d+$/.test(n)) throw new UsageError(`--nodecount needs a whole number (0: no limit), not ${JSON.stringify(n)}`);
  return {
    nodeFraction: fraction(p, 'nodefraction') ?? GRAPH_DEFAULTS.nodeFraction,
    edgeFraction: fraction(p, 'edgefraction') ?? GRAPH_DEFAULTS.edgeFraction,
    nodeCount: n !== undefined ? Number(n) : GRAPH_DEFAULTS.nodeCount,
  };
}

export function cmdGraph(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, SPEC);
  if (a.positional.length === 0) throw new UsageError('graph needs a profile file');
  const prof = merge(a.positional.map((p) => profileFromFile(p, decodeOptions)));
  const si = pickSample(prof, one(a, 'sample'));
  const opts = graphOptionsOf(a);
  const g = callGraph(stacks(prof, si, filtersOf(a)), opts);
  const st = prof.sampleTypes[si];
  if (a.bools.has('json')) {
    out(JSON.stringify({
      sampleType: st.type, unit: st.unit, total: g.total, shown: g.shown, options: opts,
      nodes: g.nodes.map((n) => ({ id: n.id, name: n.name, flat: n.flat, cum: n.cum })),
      edges: g.edges,
    }) + '\n');
    return;
  }
  const fmt = (v: number) => scaledLabel(v, st.unit, 'auto');
  const lines = [...header(prof, a.positional, si),
    `Showing nodes accounting for ${fmt(g.shown)}, ${percentage(g.shown, g.total).trim()} of ${fmt(g.total)} total`];
  if (g.droppedNodes) lines.push(`Dropped ${g.droppedNodes} node${g.droppedNodes === 1 ? '' : 's'} (cum <= ${fmt(Math.abs(Math.trunc(g.total * opts.nodeFraction!)))})`);
  if (g.droppedEdges) lines.push(`Dropped ${g.droppedEdges} edge${g.droppedEdges === 1 ? '' : 's'} (freq <= ${fmt(Math.abs(Math.trunc(g.total * opts.edgeFraction!)))})`);
  if (opts.nodeCount! > 0 && g.nodes.length < g.nodesBeforeCount) lines.push(`Showing top ${g.nodes.length} nodes out of ${g.nodesBeforeCount}`);
  lines.push('', `${'node'.padStart(5)} ${'flat'.padStart(10)} ${'flat'.padStart(5)}% ${'cum'.padStart(10)} ${'cum'.padStart(5)}%  name`);
  for (const n of g.nodes) {
    lines.push(`${('N' + n.id).padStart(5)} ${fmt(n.flat).padStart(10)} ${percentage(n.flat, g.total)} ${fmt(n.cum).padStart(10)} ${percentage(n.cum, g.total)}  ${printable(n.name)}`);
  }
  lines.push('', 'edges (-> a call, ... a call through dropped nodes):');
  for (const e of g.edges) {
    lines.push(`${('N' + e.from).padStart(5)} ${e.residual ? '...' : '->'} N${e.to}  ${fmt(e.weight)}${e.inline ? ' (inline)' : ''}`);
  }
  out(lines.join('\n') + '\n');
}
