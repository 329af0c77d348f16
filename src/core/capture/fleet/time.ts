// Time arguments as people type them for a continuous profiler: RFC 3339, unix seconds or
// milliseconds, or Grafana's relative `now`, `now-1h`, `now-30m`.

export class TimeArgError extends Error {}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds since the epoch for `text`, relative forms counted back from `now`. */
export function parseTime(text: string, now: number): number {
  const s = text.trim();
  if (s === 'now') return now;
  const rel = /^now-(\d+(?:\.\d+)?)([smhdw])$/.exec(s);
  if (rel) return Math.round(now - Number(rel[1]) * UNIT_MS[rel[2]]);
  // Unix time: 13 digits and more are milliseconds, fewer are seconds (the year 2286 boundary).
  if (/^\d{1,16}$/.test(s)) return s.length >= 13 ? Number(s) : Number(s) * 1000;
  if (/^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:\d\d)$/.test(s)) {
    const ms = Date.parse(s.replace(' ', 'T'));
    if (Number.isFinite(ms)) return ms;
  }
  throw new TimeArgError(`${JSON.stringify(text)} is not a time: give RFC 3339 (2026-12-02T15:04:05Z), unix seconds or milliseconds, now, or now-30m / now-1h / now-2d`);
}

export interface TimeRange { startMs: number; endMs: number }

/** Both ends, checked: the start comes first. */
export function parseRange(from: string, to: string, now: number): TimeRange {
  const startMs = parseTime(from, now);
  const endMs = parseTime(to, now);
  if (!(startMs < endMs)) throw new TimeArgError(`the range is empty: --from ${from} is not before --to ${to}`);
  return { startMs, endMs };
}
