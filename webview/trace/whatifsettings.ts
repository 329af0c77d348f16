// What the "What if" panel reads and prints (no DOM: unit-tested). Its fields read what the Go
// runtime reads from its environment, with core's parsers (the CLI's flags use the same):
// GOGC, GOMEMLIMIT (Go's units, and decimal kB/MB/GB/TB) or none, GOMAXPROCS. Its table's
// numbers use GoLens's formatters.
import { memLimitText, parseGogc, parseMemLimit, parseProcs } from '../../src/core/analysis/whatif-settings';
import type { WhatIfResult, WhatIfSettings } from '../../src/protocol/whatif';
import { formatBytes, formatNs, formatShare } from '../shared/format';

export { memLimitText };

/** The fields as typed (kept across hide/show as typed, even when not yet valid). */
export interface SettingsText { gogc: string; memlimit: string; gomaxprocs: string }

/** The three fields parsed, or the first field's error (by name, for focus). */
export function parseSettings(t: SettingsText): { ok: true; value: WhatIfSettings } | { ok: false; field: keyof SettingsText; error: string } {
  const gogc = parseGogc(t.gogc);
  if (!gogc.ok) return { ok: false, field: 'gogc', error: gogc.error };
  const memlimit = parseMemLimit(t.memlimit);
  if (!memlimit.ok) return { ok: false, field: 'memlimit', error: memlimit.error };
  const gomaxprocs = parseProcs(t.gomaxprocs);
  if (!gomaxprocs.ok) return { ok: false, field: 'gomaxprocs', error: gomaxprocs.error };
  return { ok: true, value: { gogc: gogc.value, memlimit: memlimit.value, gomaxprocs: gomaxprocs.value } };
}

/** Settings as the fields show them. */
export function settingsText(s: WhatIfSettings): SettingsText {
  return { gogc: String(s.gogc), memlimit: s.memlimit === null ? 'none' : memLimitText(s.memlimit), gomaxprocs: String(s.gomaxprocs) };
}

/** A limit for the table: none, or as the field spells it (formatBytes' "MB" would read as decimal there). */
export function memLimitLabel(b: number | null): string { return b === null ? 'none' : memLimitText(b); }

type Metric = 'gcCycles' | 'peakHeapBytes' | 'gcCpuFraction' | 'stwTotalNs' | 'wallNs';

/** The table's rows: each number as the panel (and the E2E test) formats it. */
export const METRICS: { key: Metric; label: string; title: string; format: (v: number) => string }[] = [
  { key: 'gcCycles', label: 'GC cycles', title: 'Garbage collections over the trace', format: (v) => String(v) },
  { key: 'peakHeapBytes', label: 'Peak heap', title: 'The most heap in use at any moment', format: formatBytes },
  { key: 'gcCpuFraction', label: 'GC CPU (procs held)', title: 'The share of the procs\' time (GOMAXPROCS × wall time) the GC held: pauses, marking workers (idle-time ones too) and assists, as the MMU counts them', format: (v) => formatShare(v) },
  { key: 'stwTotalNs', label: 'STW total', title: 'Time the world was stopped, summed', format: formatNs },
  { key: 'wallNs', label: 'Wall', title: 'Wall time of the traced run', format: formatNs },
];

/** The change from `base` to `v`, signed: +12.3%, −40.0%, 0%; a dash when there is no base. */
export function changeLabel(v: number, base: number): string {
  if (v === base) return '0%';
  if (!base) return '—';
  const s = formatShare(Math.abs(v - base), Math.abs(base));
  return `${v > base ? '+' : '−'}${s}`;
}

/**
 * The other steady state of a prediction, in plain words (one line under the table): the GC can
 * settle into either where the model gives it (a run's first cycles decide), and the table
 * follows the traced run's. Undefined where only one is possible.
 */
export function otherStateLine(x: WhatIfResult, label: string): string | undefined {
  const o = x.otherState;
  if (!o) return undefined;
  const how = o.pacerState === 'zero'
    ? 'its cycles start right at the heap goal and the program waits for each to finish'
    : 'its cycles start early and the program keeps allocating while they run';
  const figures = METRICS.map((m) => `${m.label} ${m.format(o[m.key])}`).join(', ');
  return `${label}: the GC could also settle the other way (${how}): ${figures}.`;
}
