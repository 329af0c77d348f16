// What the "What if" panel reads and prints (no DOM: unit-tested). Its fields accept what the
// Go runtime reads from its environment: GOGC a whole number or "off"; GOMEMLIMIT bytes with
// Go's units (B, KiB, MiB, GiB, TiB; also decimal kB, MB, GB, TB as `golens whatif --memlimit`
// reads them) or none; GOMAXPROCS a count of Ps. The same ranges as the CLI's flags. Its table's numbers use GoLens's formatters.
import type { Gogc, WhatIfSettings } from '../../src/protocol/whatif';
import { formatBytes, formatNs, formatShare } from '../shared/format';

/** The fields as typed (kept across hide/show as typed, even when not yet valid). */
export interface SettingsText { gogc: string; memlimit: string; gomaxprocs: string }

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const UNITS: Record<string, number> = { b: 1, k: 1e3, kb: 1e3, kib: 2 ** 10, m: 1e6, mb: 1e6, mib: 2 ** 20, g: 1e9, gb: 1e9, gib: 2 ** 30, t: 1e12, tb: 1e12, tib: 2 ** 40 };
/** GOMAXPROCS above this is not a machine anyone traces on. */
const MAX_PROCS = 1024;

export function parseGogc(text: string): Parsed<Gogc> {
  const s = text.trim().toLowerCase();
  if (s === 'off') return { ok: true, value: 'off' };
  if (/^\d{1,7}$/.test(s) && Number(s) >= 1 && Number(s) <= 1e6) return { ok: true, value: Number(s) };
  return { ok: false, error: 'GOGC is a whole percentage from 1 to 1000000 (100 is Go\'s default) or off' };
}

export function parseMemLimit(text: string): Parsed<number | null> {
  const s = text.trim().toLowerCase();
  if (s === '' || s === 'none' || s === 'off') return { ok: true, value: null };
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(s);
  const unit = m ? UNITS[m[2] || 'b'] : undefined;
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(bytes > 0) || !Number.isSafeInteger(bytes)) return { ok: false, error: 'The memory limit is none, or a size such as 512MiB, 1.5GiB or 800000000' };
  return { ok: true, value: bytes };
}

export function parseProcs(text: string): Parsed<number> {
  const s = text.trim();
  const n = /^\d{1,4}$/.test(s) ? Number(s) : NaN;
  if (!(n >= 1 && n <= MAX_PROCS)) return { ok: false, error: `GOMAXPROCS is a whole number from 1 to ${MAX_PROCS}` };
  return { ok: true, value: n };
}

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

/** A limit in the largest of Go's units that holds it exactly, else in bytes (it parses back to itself). */
export function memLimitText(b: number): string {
  for (const [u, n] of [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) if (b % n === 0) return `${b / n}${u}`;
  return String(b);
}

/** A limit for the table: none, or as the field spells it (formatBytes' "MB" would read as decimal there). */
export function memLimitLabel(b: number | null): string { return b === null ? 'none' : memLimitText(b); }

type Metric = 'gcCycles' | 'peakHeapBytes' | 'gcCpuFraction' | 'stwTotalNs' | 'wallNs';

/** The table's rows: each number as the panel (and the E2E test) formats it. */
export const METRICS: { key: Metric; label: string; title: string; format: (v: number) => string }[] = [
  { key: 'gcCycles', label: 'GC cycles', title: 'Garbage collections over the trace', format: (v) => String(v) },
  { key: 'peakHeapBytes', label: 'Peak heap', title: 'The most heap in use at any moment', format: formatBytes },
  { key: 'gcCpuFraction', label: 'GC CPU', title: 'The GC\'s share of the CPU time available (GOMAXPROCS × wall time)', format: (v) => formatShare(v) },
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
