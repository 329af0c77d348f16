// Profile strings keep their bytes: pprof prints a name's invalid UTF-8 as the bytes it is,
// so each byte that is not part of valid UTF-8 is held as a lone surrogate U+DC80+(byte−0x80)
// (never produced by valid UTF-8) and written back as that byte. Order is Go's, bytewise.

const strict = new TextDecoder('utf-8', { fatal: true });

/** Bytes as a string: valid UTF-8 decoded, each other byte b as U+DC00+b. */
export function decodeBytes(buf: Uint8Array): string {
  try {
    return strict.decode(buf);
  } catch {
    return decodeSlow(buf);
  }
}

function decodeSlow(b: Uint8Array): string {
  let s = '';
  let i = 0;
  while (i < b.length) {
    const n = validRun(b, i);
    if (n > 0) { s += strict.decode(b.subarray(i, i + n)); i += n; continue; }
    s += String.fromCharCode(0xdc00 + b[i]);
    i++;
  }
  return s;
}

/** Length of the valid UTF-8 sequence at i (one code point), or 0. */
function validRun(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c >= 0xe1 && c <= 0xec || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

const ESCAPED = /[\udc80-\udcff]/u; // with u, the low half of a real pair does not match

/** Whether s holds bytes that were not valid UTF-8. */
export function hasRawBytes(s: string): boolean {
  return ESCAPED.test(s);
}

/** The bytes a string stands for: UTF-8, with held bytes written back as themselves. */
export function encodeBytes(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) out.push(cp - 0xdc00);
    else if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

/**
 * Go's string order (bytewise) on these strings. UTF-16 order agrees with it except where a
 * surrogate meets a character from U+E000 up; only then are the bytes compared.
 */
export function compareGo(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const x = a.charCodeAt(i), y = b.charCodeAt(i);
  if (x < 0xd800 && y < 0xd800) return x - y;
  // A pair split at i would mis-encode: step back to its high half.
  const j = i > 0 && a.charCodeAt(i - 1) >= 0xd800 && a.charCodeAt(i - 1) <= 0xdbff ? i - 1 : i;
  const ea = encodeBytes(a.slice(j)), eb = encodeBytes(b.slice(j));
  const m = Math.min(ea.length, eb.length);
  for (let k = 0; k < m; k++) if (ea[k] !== eb[k]) return ea[k] - eb[k];
  return ea.length - eb.length;
}
