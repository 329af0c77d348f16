// Box colours from the theme: each chart colour mixed with the editor background (in the
// stylesheet's .c-* classes), so boxes are muted in dark themes and pastel in light ones.
// A probe element resolves the CSS (SVG fill attributes take no var() or color-mix()).
import { el } from '../vscode';
import { diffColor, parseColor, type DiffPalette } from './diffcolor';
import type { FlameNode } from './tree';

export type KindColors = Record<FlameNode['kind'] | 'highlight', string>;

/** A box as the colour mapper sees it: a search match is highlighted. */
export interface ColoredBox { data: FlameNode; highlight?: boolean }

function probe<T>(read: (resolve: (cls: string) => string) => T): T {
  const p = document.body.appendChild(el('span', { class: 'color-probe' }));
  const resolve = (cls: string) => { p.className = `color-probe ${cls}`; return getComputedStyle(p).color; };
  const out = read(resolve);
  p.remove();
  return out;
}

const kinds = (resolve: (cls: string) => string): KindColors => ({
  user: resolve('c-user'), std: resolve('c-std'), runtime: resolve('c-runtime'), root: resolve('c-root'), highlight: resolve('c-highlight'),
});

/** Colour by package class: user code, standard library, runtime. */
export function byKind(): (d: ColoredBox) => string {
  const colors = probe(kinds);
  return (d) => (d.highlight ? colors.highlight : colors[d.data.kind]);
}

/** Differential mode: by relative change from the base (search matches still highlighted). */
export function byChange(): (d: ColoredBox) => string {
  const { highlight, palette } = probe((resolve) => ({
    highlight: resolve('c-highlight'),
    palette: { same: parseColor(resolve('c-same')), grow: parseColor(resolve('c-grow')), shrink: parseColor(resolve('c-shrink')) } as DiffPalette,
  }));
  return (d) => (d.highlight ? highlight : diffColor(d.data, palette));
}
