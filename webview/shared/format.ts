// Value labels for the webview, matching the CLI and pprof (bytes by 1024, times from ns).
export { formatValue } from '../../src/core/pprof/units';

export function percent(v: number, total: number): string {
  if (!total) return '0%';
  const p = (v / total) * 100;
  return `${Math.abs(p) >= 10 ? p.toFixed(1) : p.toFixed(2)}%`;
}
