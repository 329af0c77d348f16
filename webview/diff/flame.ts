// The comparison's flame graph data and colours: nested nodes rebuilt from the host's
// columns, and the differential colour of a node (red grew, green shrank, by relative change).
import type { FlameData } from '../../src/protocol/diff';
import { classify } from '../profile/tree';

export interface DiffNode {
  name: string;
  value: number;
  self: number;
  /** The base's value at the same call path (differential tree only; else equals value). */
  base: number;
  file: string;
  line: number;
  kind: 'user' | 'std' | 'runtime' | 'root';
  children: DiffNode[];
}

export function buildFlame(f: FlameData<ArrayBuffer>, rootName: string, baseValue?: ArrayBuffer): DiffNode {
  const parent = new Int32Array(f.tree.parent);
  const frame = new Int32Array(f.tree.frame);
  const line = new Int32Array(f.tree.line);
  const total = new Float64Array(f.tree.total);
  const self = new Float64Array(f.tree.self);
  const base = baseValue ? new Float64Array(baseValue) : total;
  const nodes: DiffNode[] = new Array(f.treeSize);
  for (let i = 0; i < f.treeSize; i++) {
    const fr = frame[i];
    const name = fr < 0 ? rootName : f.frameNames[fr];
    nodes[i] = {
      name, value: total[i], self: self[i], base: base[i], file: fr < 0 ? '' : f.frameFiles[fr], line: line[i],
      kind: fr < 0 ? 'root' : classify(name), children: [],
    };
    if (i > 0) nodes[parent[i]].children.push(nodes[i]);
  }
  return nodes[0];
}

/** (new − base) / max(|new|, |base|): +1 only in new, −1 gone, 0 unchanged. */
export function relativeChange(n: { value: number; base: number }): number {
  const m = Math.max(Math.abs(n.value), Math.abs(n.base));
  return m === 0 ? 0 : (n.value - n.base) / m;
}

export type Rgb = [number, number, number];

/** Parses what getComputedStyle gives for a colour: rgb()/rgba() or color(srgb …). */
export function parseColor(s: string): Rgb {
  let m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  m = /^color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)/.exec(s);
  if (m) return [Number(m[1]) * 255, Number(m[2]) * 255, Number(m[3]) * 255];
  return [128, 128, 128];
}

export function mix(a: Rgb, b: Rgb, t: number): string {
  const c = (i: number) => Math.round(a[i] + (b[i] - a[i]) * t);
  return `rgb(${c(0)}, ${c(1)}, ${c(2)})`;
}

/** Relative changes below this are drawn unchanged. */
export const NEGLIGIBLE = 0.005;

/** Differential colour: neutral when unchanged, towards grow (red) or shrink (green) by |relative change|. */
export function diffColor(n: { value: number; base: number }, palette: { same: Rgb; grow: Rgb; shrink: Rgb }): string {
  const r = relativeChange(n);
  // Under half a percent is noise (normalizing rounds every sample); above, a floor keeps
  // any real change visibly tinted, saturating at ±100%.
  const a = Math.min(1, Math.abs(r));
  const t = a < NEGLIGIBLE ? 0 : 0.25 + 0.75 * a;
  return mix(palette.same, r > 0 ? palette.grow : palette.shrink, t);
}
