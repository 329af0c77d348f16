// How strings and numbers from an artifact are shown: one module for every face, so the
// CLI, the report, the hovers and the webviews say the same thing the same way.
//
// Strings from a file (function names, file paths, labels) are data an attacker can write:
// in a terminal they are printed with control characters escaped, in Markdown as code spans,
// so they never become escape sequences, workflow commands, links, images or HTML.

/** Characters a terminal or a log reader acts on: C0 and C1 controls, DEL, bidi overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escapeControl(c: string): string {
  switch (c) {
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
    case '\u001b': return '\\e';
    default: {
      const n = c.charCodeAt(0);
      return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
    }
  }
}

/** A string from a file, safe to print as part of one terminal line. */
export function printable(s: string): string {
  return s.replace(CONTROL, escapeControl);
}

/**
 * Human CLI output, made safe as a whole: every line that would start with `::` (which CI
 * runners read as a workflow command) starts with a space instead. Fields are escaped with
 * `printable` before they are put into lines; this is the last guard at the writer.
 */
export function safeLines(text: string): string {
  return text.replace(/^::/gm, ' ::');
}

/**
 * A string from a file as a Markdown code span: nothing in it is read as Markdown or HTML
 * (no link, image, emphasis or tag), control characters are shown escaped, and in a table
 * cell a `|` cannot end the cell.
 */
export function mdCode(s: string, inTable = false): string {
  let t = printable(s);
  if (inTable) t = t.replace(/\|/g, '\\|');
  if (t === '') return '` `';
  // A fence longer than any run of backticks inside; a space pads a backtick at either end.
  let longest = 0;
  for (const m of t.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** Plain text from a file inside Markdown prose (a reason, an advice line): every Markdown and HTML character escaped. */
export function mdText(s: string): string {
  return printable(s).replace(/[\\`*_{}[\]()<>#+\-.!|~&:]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
}

// ---- numbers: one formatter per idea (pprof's own table formats stay in pprof/units.ts) ----

/** A duration from nanoseconds, three or four significant digits: 840ns, 1.25µs, 12.3ms, 1.50s. */
export function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(ns >= 10e9 ? 1 : 2)}s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 10e6 ? 1 : 2)}ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(ns >= 10e3 ? 1 : 2)}µs`;
  return `${Math.round(ns)}ns`;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes for people: 512 B, 46.9 kB, 39.5 MB (powers of 1024 and unit names as pprof scales them). */
export function formatBytes(b: number): string {
  let v = b;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${v} B` : `${Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)} ${BYTE_UNITS[i]}`;
}

/** `part` as a share of `total` (a fraction when total is left out): 12.3%, 1.23%, <0.01%, 0%. */
export function formatShare(part: number, total = 1): string {
  if (!total || !part) return '0%';
  const p = (part / total) * 100;
  if (p > 0 && p < 0.005) return '<0.01%';
  return `${p.toFixed(Math.abs(p) >= 10 ? 1 : 2)}%`;
}

/** Nearest-rank percentile (q in 0..1) of values sorted ascending; 0 when there are none. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** A code site in one short label: `function (file.go:line)`, or `unknown`. */
export function siteLabel(s: { function: string; file: string; line: number } | null | undefined): string {
  // Names from a file: printed escaped wherever the label goes.
  return s ? printable(`${s.function} (${s.file.slice(s.file.lastIndexOf('/') + 1)}:${s.line})`) : 'unknown';
}

/** How strongly a finding is established, for ordering: higher is surer. */
export const CONFIDENCE_RANK: Readonly<Record<'proven' | 'likely' | 'possible', number>> = { proven: 3, likely: 2, possible: 1 };
