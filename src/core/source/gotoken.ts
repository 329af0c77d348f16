// A Go tokenizer, enough of the spec to find statements without being fooled by strings,
// raw strings, runes or comments. Positions are 1-based lines and byte columns, as the Go
// compiler reports them (a leading BOM counts as 3 bytes of column, like any other bytes).

export type GoTokenKind =
  | 'ident' | 'keyword'
  | 'int' | 'float' | 'imag' | 'char' | 'string' | 'rawstring'
  | 'comment' | 'op'
  /** A character Go does not allow here, or an unterminated string, rune or comment. */
  | 'illegal';

export interface GoToken {
  kind: GoTokenKind;
  /** The source text of the token (a comment's including its // or delimiters). */
  text: string;
  line: number;
  /** Byte column, 1-based. */
  column: number;
  /** Line of the token's last character (raw strings and block comments span lines). */
  endLine: number;
  /** UTF-16 offsets into the source string, end exclusive. */
  start: number;
  end: number;
}

export const GO_KEYWORDS: ReadonlySet<string> = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func',
  'go', 'goto', 'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct',
  'switch', 'type', 'var',
]);

// Longest first within each leading character, so a plain scan of this list finds the longest match.
const OPERATORS = [
  '<<=', '>>=', '&^=', '...',
  '&&', '||', '<-', '++', '--', '==', '!=', '<=', '>=', ':=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '<<', '>>', '&^',
  '+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '=', '!', '~', '(', ')', '[', ']', '{', '}', ',', ';', '.', ':',
];

const IDENT = /[\p{L}_][\p{L}\p{Nd}_]*/uy;
const HEX = /0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?i?/y;
const BINOCT = /0[bBoO][0-9_]+i?/y;
const DECIMAL = /(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9_]+)?i?/y;

/** Tokens of a Go source file, comments included, in order. Never throws: bad input gives 'illegal' tokens. */
export function tokenize(src: string): GoToken[] {
  const out: GoToken[] = [];
  const n = src.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  // Byte column cache: the byte column of UTF-16 offset colAt on the current line.
  let colAt = 0;
  let colBytes = 0;

  const byteColumn = (at: number): number => {
    if (colAt < lineStart || colAt > at) { colAt = lineStart; colBytes = 0; }
    for (; colAt < at; colAt++) {
      const c = src.charCodeAt(colAt);
      if (c < 0x80) colBytes += 1;
      else if (c < 0x800) colBytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && colAt + 1 < n) { colBytes += 4; colAt++; }
      else colBytes += 3;
    }
    return colBytes + 1;
  };

  const push = (kind: GoTokenKind, start: number, end: number, startLine: number, column: number): void => {
    out.push({ kind, text: src.slice(start, end), line: startLine, column, endLine: line, start, end });
  };

  /** Advances over newlines in [from, to), keeping line and lineStart current. */
  const countLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (src.charCodeAt(k) === 10) { line++; lineStart = k + 1; }
    }
  };

  while (i < n) {
    const c = src[i];
    if (c === '\n') { line++; i++; lineStart = i; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') { i++; continue; }
    const start = i;
    const startLine = line;
    const column = byteColumn(i);

    if (c === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      // A trailing \r belongs to the line ending, not the comment.
      const end = i > start && src[i - 1] === '\r' ? i - 1 : i;
      push('comment', start, end, startLine, column);
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      countLines(i, end);
      i = end;
      push(close < 0 ? 'illegal' : 'comment', start, end, startLine, column);
      continue;
    }
    if (c === '`') {
      const close = src.indexOf('`', i + 1);
      const end = close < 0 ? n : close + 1;
      countLines(i, end);
      i = end;
      push(close < 0 ? 'illegal' : 'rawstring', start, end, startLine, column);
      continue;
    }
    if (c === '"' || c === "'") {
      // Escapes are skipped whole (\" \\ \'); a newline ends an unterminated literal.
      let k = i + 1;
      let ok = false;
      while (k < n) {
        const d = src[k];
        if (d === '\n') break;
        if (d === '\\') { k += src[k + 1] === '\n' ? 1 : 2; continue; }
        k++;
        if (d === c) { ok = true; break; }
      }
      i = Math.min(k, n);
      push(ok ? (c === '"' ? 'string' : 'char') : 'illegal', start, i, startLine, column);
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(src);
    if (id) {
      i += id[0].length;
      push(GO_KEYWORDS.has(id[0]) ? 'keyword' : 'ident', start, i, startLine, column);
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && src[i + 1] >= '0' && src[i + 1] <= '9')) {
      let m: RegExpExecArray | null = null;
      for (const re of [HEX, BINOCT, DECIMAL]) {
        re.lastIndex = i;
        m = re.exec(src);
        if (m) break;
      }
      const text = m ? m[0] : c;
      i += text.length;
      const kind: GoTokenKind = text.endsWith('i') ? 'imag'
        : /^0[xX]/.test(text) ? (/[.pP]/.test(text) ? 'float' : 'int')
          : /^0[bBoO]/.test(text) ? 'int'
            : /[.eE]/.test(text) ? 'float' : 'int';
      push(kind, start, i, startLine, column);
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      i += op.length;
      push('op', start, i, startLine, column);
      continue;
    }
    // One code point of something Go does not have here (#, $, ?, @, a stray \ …).
    const cp = src.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
    push('illegal', start, i, startLine, column);
  }
  return out;
}

/** Whether a newline after this token ends the statement (Go's automatic semicolon rule). */
export function endsStatementAtNewline(t: GoToken): boolean {
  switch (t.kind) {
    case 'ident': case 'int': case 'float': case 'imag': case 'char': case 'string': case 'rawstring':
      return true;
    case 'keyword':
      return t.text === 'break' || t.text === 'continue' || t.text === 'fallthrough' || t.text === 'return';
    case 'op':
      return t.text === '++' || t.text === '--' || t.text === ')' || t.text === ']' || t.text === '}';
    default:
      return false;
  }
}
