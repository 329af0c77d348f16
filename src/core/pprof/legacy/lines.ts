// Reading a legacy text profile line by line, as pprof's scanner does: lines end at \n (a
// trailing \r is dropped), and a line longer than the scanner's 64 KiB buffer is an error.
import { FormatError } from '../../errors';

export const MAX_LINE = 64 * 1024;

export class LineReader {
  private pos = 0;
  /** 1-based number of the current line (0 before the first). */
  lineNo = 0;
  /** The current line ('' once the text is exhausted, as Go's Scanner.Text()). */
  text = '';

  constructor(private readonly src: string, private readonly what: string) {}

  /** Advances to the next line; false at the end of the text. */
  scan(): boolean {
    if (this.pos >= this.src.length) {
      this.text = '';
      return false;
    }
    let end = this.src.indexOf('\n', this.pos);
    const next = end < 0 ? this.src.length : end + 1;
    if (end < 0) end = this.src.length;
    this.lineNo++;
    if (end - this.pos > MAX_LINE) throw this.error('line longer than 64 KiB', 'the file is not a legacy profile, or is damaged');
    let line = this.src.slice(this.pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.pos = next;
    this.text = line;
    return true;
  }

  /** The text after the current line. */
  rest(): string {
    return this.src.slice(this.pos);
  }

  error(what: string, hint?: string): FormatError {
    return new FormatError(`${this.what}, line ${this.lineNo}: ${what}`, undefined, hint);
  }
}

export function isSpaceOrComment(line: string): boolean {
  const t = line.trim();
  return t.length === 0 || t[0] === '#';
}

/** Whether the line announces the memory map that follows the samples. */
export function isMemoryMapSentinel(line: string): boolean {
  return line.includes('--- Memory map: ---') || line.includes('MAPPED_LIBRARIES:');
}

const HEX = /0x[0-9a-f]+/g;
/** The largest unsigned 64-bit address. */
export const U64_MAX = (1n << 64n) - 1n;

/** Every lowercase 0x… number in the text, as uint64s; one past 64 bits is an error (null). */
export function hexAddresses(s: string): bigint[] | null {
  const out: bigint[] = [];
  for (const m of s.matchAll(HEX)) {
    const v = BigInt(m[0]);
    if (v > U64_MAX) return null;
    out.push(v);
  }
  return out;
}

/**
 * An integer as Go's strconv.ParseInt(s, base, 64) reads it (base 0: 0x, 0o, 0b, 0 prefixes
 * and underscores); undefined when it is not one or passes int64.
 */
export function parseGoInt(s: string, base: 0 | 10 = 10): number | undefined {
  let t = s;
  let neg = false;
  if (t.startsWith('+') || t.startsWith('-')) { neg = t[0] === '-'; t = t.slice(1); }
  let radix = 10;
  if (base === 0) {
    if (/^0[xX]/.test(t)) { radix = 16; t = t.slice(2); }
    else if (/^0[oO]/.test(t)) { radix = 8; t = t.slice(2); }
    else if (/^0[bB]/.test(t)) { radix = 2; t = t.slice(2); }
    else if (/^0./.test(t)) { radix = 8; t = t.slice(1); }
    if (t.includes('_')) {
      if (/^_|_$|__/.test(t) && !(radix !== 10 && /^_[^_]/.test(t) && !/_$|__/.test(t))) return undefined;
      t = t.replace(/_/g, '');
    }
  }
  const digits = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : radix === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!digits.test(t)) return undefined;
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  const v = BigInt(prefix + t) * (neg ? -1n : 1n);
  if (v > (1n << 63n) - 1n || v < -(1n << 63n)) return undefined;
  return Number(v);
}
