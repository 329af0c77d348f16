// Reads the call graphs `go tool pprof -dot -unit=<raw>` wrote (test/fixtures/graph/): node
// names (from the tooltip, which holds the full printable name), flat and cum (from the
// label), edge weights, "(inline)" and dotted (residual) edges. Nodelets (tags) are skipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures';

export const GRAPH_DIR = join(ROOT, 'test', 'fixtures', 'graph');

export interface DotNode { id: number; name: string; flat: number; cum: number; flatPct: string; cumPct: string }
export interface DotEdge { from: number; to: number; weight: number; residual: boolean; inline: boolean }
export interface DotGraph { total: number; shown: number; nodes: DotNode[]; edges: DotEdge[] }

export interface DotVariant { file: string; profile: string; sampleType: string; unit: string; variant: string; command: string[] }

export function dotVariants(dir: string): DotVariant[] {
  return JSON.parse(readFileSync(join(GRAPH_DIR, dir, 'manifest.json'), 'utf8')) as DotVariant[];
}

const NUM = String.raw`(-?\d+)[a-zA-Z]*`;
const NODE = /^N(\d+) \[label="(.*)" id="node\d+" fontsize=\d+ shape=\w+ tooltip="(.*) \([^()]*\)" color="#[0-9a-f]{6}" fillcolor="#[0-9a-f]{6}"\]$/;
const EDGE = /^N(\d+) -> N(\d+) \[label=" (-?\d+)[a-zA-Z]*((?:\\n \(inline\))?)"(.*)\]$/;
const FLAT_CUM = new RegExp(String.raw`(?:^|\\n)${NUM} \(([^()]*)\)(?:\\nof ${NUM} \(([^()]*)\))?$`);
const ZERO_CUM = new RegExp(String.raw`(?:^|\\n)0 of ${NUM} \(([^()]*)\)$`);

function unescape(s: string): string {
  return s.replace(/\\(["\\])/g, '$1').replace(/\\l/g, '\n');
}

export function readDot(dir: string, file: string): DotGraph {
  const text = readFileSync(join(GRAPH_DIR, dir, file), 'utf8');
  const shownM = new RegExp(String.raw`Showing nodes accounting for ${NUM}, [^ ]+ of ${NUM} total`).exec(text);
  if (!shownM) throw new Error(`${dir}/${file}: no "Showing nodes" line`);
  const nodes: DotNode[] = [];
  const edges: DotEdge[] = [];
  for (const line of text.split('\n')) {
    const n = NODE.exec(line);
    if (n) {
      const label = n[2];
      const z = ZERO_CUM.exec(label);
      let flat: number, cum: number, flatPct = '', cumPct: string;
      if (z) {
        flat = 0; cum = Number(z[1]); cumPct = z[2];
      } else {
        const f = FLAT_CUM.exec(label);
        if (!f) throw new Error(`${dir}/${file}: cannot read node label ${JSON.stringify(label)}`);
        flat = Number(f[1]); flatPct = f[2];
        cum = f[3] !== undefined ? Number(f[3]) : flat;
        cumPct = f[4] ?? f[2];
      }
      nodes.push({ id: Number(n[1]), name: unescape(n[3]), flat, cum, flatPct, cumPct });
      continue;
    }
    const e = EDGE.exec(line);
    if (e) {
      edges.push({ from: Number(e[1]), to: Number(e[2]), weight: Number(e[3]), inline: e[4] !== '', residual: / style="dotted"/.test(e[5]) });
      continue;
    }
    if (/^N\d+ \[|^N\d+ -> N\d+ \[/.test(line)) throw new Error(`${dir}/${file}: cannot read ${JSON.stringify(line)}`);
  }
  return { shown: Number(shownM[1]), total: Number(shownM[2]), nodes, edges };
}
