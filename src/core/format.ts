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
