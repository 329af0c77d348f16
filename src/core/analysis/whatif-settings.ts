// The what-if settings as a Go programmer writes them, read the way the Go runtime reads its
// environment (runtime/mgcpacer.go readGOGC and readGOMEMLIMIT, runtime/string.go
// parseByteCount, schedinit's GOMAXPROCS): one reading for `golens whatif`'s flags, the trace
// editor's panel and the code action on debug.SetGCPercent / GOGC. Where Go silently falls
// back to a default (GOGC=abc is 100) or crashes (GOMEMLIMIT=1.5GB), GoLens says what is wrong.
// Pure: no DOM, no Node.
import type { Gogc } from './whatif-pacer';

/** A setting read, or why not: `error` for a page, `note` (what Go would do, or the limit passed) for a flag's message. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; note: string };

/** GOMAXPROCS above this is not modelled (Go itself takes any int32 above 0). */
export const MAX_PROCS = 1024;
const MAX_INT32 = 2 ** 31 - 1;
const MAX_INT64 = (1n << 63n) - 1n;

/** What each setting takes, for error messages ("GOGC is …", "--gogc needs …"). */
export const NEEDS = {
  gogc: 'a whole percentage (100 is Go\'s default; 0 collects all the time; off, or below 0, turns the GC off)',
  memlimit: 'a size such as 536870912, 512MiB or 2GiB (or off)',
  gomaxprocs: `a whole number from 1 to ${MAX_PROCS}`,
} as const;

const LABEL = { gogc: 'GOGC', memlimit: 'The memory limit', gomaxprocs: 'GOMAXPROCS' } as const;

function fail<T>(setting: keyof typeof NEEDS, text: string, note: string): Parsed<T> {
  return { ok: false, error: `${LABEL[setting]} is ${NEEDS[setting]}, not ${JSON.stringify(text)}: ${note}`, note };
}

/** A signed decimal integer as Go's strconv.ParseInt(s, 10, …) reads it (an optional sign, digits only), as a bigint. */
function goInt(s: string): bigint | undefined {
  return /^[+-]?\d+$/.test(s) ? BigInt(s) : undefined;
}

/**
 * GOGC: "off" or an int32 percentage. Below 0 is off too (SetGCPercent's rule: any negative
 * disables the GC); 0 is a valid setting. Surrounding space is forgiven, and "OFF".
 */
export function parseGogc(text: string): Parsed<Gogc> {
  const s = text.trim();
  if (s.toLowerCase() === 'off') return { ok: true, value: 'off' };
  const n = goInt(s);
  if (n === undefined) return fail('gogc', s, 'Go would read it as 100');
  if (n > BigInt(MAX_INT32) || n < -BigInt(MAX_INT32) - 1n) return fail('gogc', s, 'it overflows Go\'s 32-bit setting (Go would read it as 100)');
  return { ok: true, value: n < 0n ? 'off' : Number(n) };
}

/** Binary units, as parseByteCount takes them (case matters in Go; GoLens forgives it). */
const IEC: Record<string, bigint> = { '': 1n, b: 1n, kib: 1n << 10n, mib: 1n << 20n, gib: 1n << 30n, tib: 1n << 40n };
/** Decimal units Go does not take: GoLens reads them (as `golens whatif --memlimit` always has), with fractions. */
const DECIMAL: Record<string, number> = { k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12 };
const OVERFLOW = 'it overflows Go\'s 63-bit byte count (Go would refuse to start)';

/**
 * GOMEMLIMIT: "off" (or empty, or "none") for no limit, else a byte count with an optional
 * B/KiB/MiB/GiB/TiB, at most 2^63−1 bytes (more overflows: the Go runtime refuses to start).
 * 2^63−1 itself is Go's own "no limit". GoLens also reads decimal kB/MB/GB/TB and fractions
 * ("1.5GiB"), which Go does not. A limit of 0 is valid (the GC runs all the time).
 */
export function parseMemLimit(text: string): Parsed<number | null> {
  const s = text.trim();
  if (/^(off|none|)$/i.test(s)) return { ok: true, value: null };
  const m = /^\+?(\d+)(\.\d+)?\s*([a-z]*)$/i.exec(s);
  const unit = m?.[3].toLowerCase() ?? '';
  if (!m || (IEC[unit] === undefined && DECIMAL[unit] === undefined)) return fail('memlimit', s, 'Go would refuse to start');
  if (m[2] === undefined && IEC[unit] !== undefined) {
    const bytes = BigInt(m[1]) * IEC[unit];
    if (bytes > MAX_INT64) return fail('memlimit', s, OVERFLOW);
    // Past 2^53 a number is approximate: such a limit is never reached anyway.
    return { ok: true, value: bytes === MAX_INT64 ? null : Number(bytes) };
  }
  const bytes = Math.floor(Number(m[1] + (m[2] ?? '')) * (IEC[unit] !== undefined ? Number(IEC[unit]) : DECIMAL[unit]));
  if (!(bytes <= Number(MAX_INT64))) return fail('memlimit', s, OVERFLOW);
  return { ok: true, value: bytes };
}

/** GOMAXPROCS: a whole number above 0 (Go ignores anything else and uses the CPU count); GoLens models up to MAX_PROCS. */
export function parseProcs(text: string): Parsed<number> {
  const s = text.trim();
  const n = goInt(s);
  if (n === undefined || n < 1n) return fail('gomaxprocs', s, 'Go would ignore it and use the CPU count');
  if (n > BigInt(MAX_PROCS)) return fail('gomaxprocs', s, 'GoLens does not model more procs');
  return { ok: true, value: Number(n) };
}

/** A limit in the largest of Go's units that holds it exactly, else in bytes (it parses back to itself, in Go too). */
export function memLimitText(b: number): string {
  for (const [u, n] of [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) if (b > 0 && b % n === 0) return `${b / n}${u}`;
  return String(b);
}
