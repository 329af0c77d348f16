// What the "What if" panel reads and prints (no DOM: unit-tested). Its fields read what the Go
// runtime reads from its environment, with core's parsers (the CLI's flags use the same):
// GOGC, GOMEMLIMIT (Go's units, and decimal kB/MB/GB/TB) or none, GOMAXPROCS. Its table's
// numbers use GoLens's formatters, its columns and the pacer states' words core's.
import { PACER_STATES, pacerStatesText } from '../../src/core/analysis/pacerstate';
import { memLimitText, parseGogc, parseMemLimit, parseProcs } from '../../src/core/analysis/whatif-settings';
import type { WhatIfReport, WhatIfResult, WhatIfSettings } from '../../src/protocol/whatif';
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
 * A column of the table: a prediction (`of`), or with `change` the change from the model at the
 * trace's settings to `of` (blank without one). `describedBy` names the element that explains it.
 */
export interface WhatIfColumn { key: string; label: string; title: string; of?: WhatIfResult; change?: true; describedBy?: string }

/** The heading of the column of the pacer's other steady state. */
export const OTHER_WAY = 'If the GC settles the other way';

/**
 * The table's columns: the trace, the model at its settings, the scenario and its change; and
 * where a run could settle in either of the pacer's steady states (the model gives `otherState`),
 * the other one beside them with its own change: the scenario's, or with no scenario of its own
 * the model's. `states` is the line under the table that names the two states (undefined when
 * there is no other-state column).
 */
export function whatIfColumns(r: WhatIfReport): { columns: WhatIfColumn[]; states?: string } {
  const sc = r.scenarios[0];
  const columns: WhatIfColumn[] = [
    { key: 'baseline', label: 'Trace', title: 'What the trace shows', of: r.baseline },
    { key: 'model', label: 'Model', title: 'The model at the trace\'s own settings (it must match the trace)', of: r.model },
    { key: 'scenario', label: 'Scenario', title: 'The model at the settings applied', of: sc },
    { key: 'change', label: 'Change', title: 'Scenario against the model at the trace\'s settings', of: sc, change: true },
  ];
  const x = sc?.otherState ? sc : r.model.otherState ? r.model : undefined;
  if (!x?.otherState) return { columns };
  const { otherState } = x;
  const of: WhatIfResult = { gogc: x.gogc, memlimit: x.memlimit, gomaxprocs: x.gomaxprocs, ...otherState };
  const other = PACER_STATES[otherState.pacerState].name;
  const which = x === sc ? 'the settings applied' : 'the trace\'s own settings';
  const label = x === sc ? OTHER_WAY : `At the trace's settings, ${OTHER_WAY[0].toLowerCase()}${OTHER_WAY.slice(1)}`;
  const traced = r.model.pacerState ?? x.pacerState;
  columns.push(
    { key: 'other', label, title: `The model at ${which} with ${other} (${PACER_STATES[otherState.pacerState].how}): a run there could settle this way too, as its first GC cycles go`, of, describedBy: 'whatif-states' },
    { key: 'other-change', label: 'Change (other way)', title: `${label} (${other}), against the model at the trace's settings`, of, change: true },
  );
  const follows = x === sc ? 'Scenario' : 'Model';
  const states = `${pacerStatesText(traced)} Where a run could settle into either, ${follows} follows the trace's run and “${label}” shows it with ${other}.`;
  return { columns, states };
}
