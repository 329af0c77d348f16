// The live chart: goroutines per group over the snapshots, one SVG line per group, the
// y axis from 0 to the largest count. Colours are classes (watch.css maps them to the
// theme's --vscode-charts-* colours); names are never part of the SVG's markup.
const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 220;
const PAD = { left: 44, right: 12, top: 10, bottom: 26 };

export interface Series { key: string; colour: number; counts: number[] }

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Draws the series over `slots` snapshots (the planned count, so the x axis does not jump). */
export function drawChart(host: SVGSVGElement, series: Series[], slots: number, everyMs: number, focused?: string): void {
  host.replaceChildren();
  host.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const max = Math.max(1, ...series.flatMap((s) => s.counts));
  const xs = Math.max(1, slots - 1);
  const x = (i: number) => PAD.left + (i / xs) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  for (const t of [0, Math.round(max / 2), max]) {
    host.append(svg('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(t), y2: y(t) }));
    const label = svg('text', { class: 'axis', x: PAD.left - 6, y: y(t) + 4, 'text-anchor': 'end' });
    label.textContent = String(t);
    host.append(label);
  }
  for (const i of [0, xs]) {
    const label = svg('text', { class: 'axis', x: x(i), y: H - 8, 'text-anchor': i === 0 ? 'start' : 'end' });
    label.textContent = i === 0 ? '0 s' : `${((xs * everyMs) / 1000).toFixed(everyMs % 1000 ? 1 : 0)} s`;
    host.append(label);
  }
  for (const s of series) {
    const points = s.counts.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const cls = `series c${s.colour % 8}${focused === s.key ? ' focused' : ''}${focused && focused !== s.key ? ' dimmed' : ''}`;
    host.append(svg('polyline', { class: cls, points, 'data-key': s.key }));
    const last = s.counts.length - 1;
    if (last >= 0) host.append(svg('circle', { class: cls, cx: x(last), cy: y(s.counts[last]), r: 3 }));
  }
}
