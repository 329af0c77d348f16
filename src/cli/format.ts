// Human output shaped like `go tool pprof -top`.
import { printable } from '../core/format';
import { outputUnit, percentage, scaledLabel } from '../core/pprof/units';
import type { TopRow } from '../core/pprof/top';
import type { DiffRow } from '../core/pprof/diff';

export function topTable(rows: TopRow[], total: number, unit: string, header: string[]): string {
  const minValue = rows.reduce((m, r) => {
    const v = Math.abs(r.flat) || Math.abs(r.cum);
    return v > 0 && (m === 0 || v < m) ? v : m;
  }, 0);
  const out = outputUnit(minValue, total, unit);
  const fmt = (v: number) => scaledLabel(v, unit, out);
  const shown = rows.reduce((a, r) => a + r.flat, 0);
  const lines = [...header, `Showing nodes accounting for ${fmt(shown)}, ${percentage(shown, total).trim()} of ${fmt(total)} total`];
  lines.push(`${'flat'.padStart(10)} ${'flat'.padStart(5)}% ${'sum'.padStart(5)}% ${'cum'.padStart(10)} ${'cum'.padStart(5)}%`);
  let sum = 0;
  for (const r of rows) {
    sum += r.flat;
    lines.push(`${fmt(r.flat).padStart(10)} ${percentage(r.flat, total)} ${percentage(sum, total)} ${fmt(r.cum).padStart(10)} ${percentage(r.cum, total)}  ${printable(r.printable)}${r.inline ? ` (${printable(r.inline)})` : ''}`);
  }
  return lines.join('\n') + '\n';
}

export function diffTable(rows: DiffRow[], baseTotal: number, unit: string, header: string[]): string {
  const fmt = (v: number) => scaledLabel(v, unit, 'auto');
  const lines = [...header, `${'flat Δ'.padStart(10)} ${'flat%'.padStart(7)} ${'base'.padStart(9)} ${'new'.padStart(9)} ${'cum Δ'.padStart(10)} ${'cum%'.padStart(7)}  function`];
  for (const r of rows) {
    const sign = (v: number) => (v > 0 ? '+' : '') + fmt(v);
    const pct = (v: number) => (v < 0 ? '-' : '+') + percentage(v, baseTotal).trim();
    lines.push(`${sign(r.flat.delta).padStart(10)} ${pct(r.flat.delta).padStart(7)} ${fmt(r.flat.base).padStart(9)} ${fmt(r.flat.new).padStart(9)} ${sign(r.cum.delta).padStart(10)} ${pct(r.cum.delta).padStart(7)}  ${printable(r.name)}`);
  }
  return lines.join('\n') + '\n';
}
