// The Go tokenizer: kinds, 1-based lines and byte columns, and the literals and comments
// that hide `go` from a naive scan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endsStatementAtNewline, tokenize, type GoToken } from '../../../src/core/source/gotoken';

const brief = (ts: GoToken[]) => ts.map((t) => [t.kind, t.text, t.line, t.column]);

test('identifiers, keywords and operators with positions', () => {
  assert.deepEqual(brief(tokenize('go f(x)\n\tgoto L; gopher := <-ch')), [
    ['keyword', 'go', 1, 1], ['ident', 'f', 1, 4], ['op', '(', 1, 5], ['ident', 'x', 1, 6], ['op', ')', 1, 7],
    ['keyword', 'goto', 2, 2], ['ident', 'L', 2, 7], ['op', ';', 2, 8], ['ident', 'gopher', 2, 10], ['op', ':=', 2, 17],
    ['op', '<-', 2, 20], ['ident', 'ch', 2, 22],
  ]);
});

test('longest operators', () => {
  const ops = tokenize('a <<= b &^= c ... && || ++ -- != <= >= &^ >> ~').filter((t) => t.kind === 'op').map((t) => t.text);
  assert.deepEqual(ops, ['<<=', '&^=', '...', '&&', '||', '++', '--', '!=', '<=', '>=', '&^', '>>', '~']);
});

test('numbers of every form', () => {
  const src = '42 4_2 0x1F 0X_1f 0b1010 0o17 017 3.14 .5 1. 1e9 1E-9 0x1p-2 0x1.8p3 2i 1.5i 0b1i';
  assert.deepEqual(tokenize(src).map((t) => [t.kind, t.text]), [
    ['int', '42'], ['int', '4_2'], ['int', '0x1F'], ['int', '0X_1f'], ['int', '0b1010'], ['int', '0o17'], ['int', '017'],
    ['float', '3.14'], ['float', '.5'], ['float', '1.'], ['float', '1e9'], ['float', '1E-9'], ['float', '0x1p-2'],
    ['float', '0x1.8p3'], ['imag', '2i'], ['imag', '1.5i'], ['imag', '0b1i'],
  ]);
  // A selector after an index is not a float: x[1].y
  assert.deepEqual(tokenize('x[1].y').map((t) => t.text), ['x', '[', '1', ']', '.', 'y']);
});

test('interpreted strings with escapes, runes', () => {
  const ts = tokenize(String.raw`s := "go \"go\" \\" + 'g' + '\'' + '\\' + "\u00e9\x41\n"; go`);
  assert.deepEqual(ts.map((t) => t.kind), ['ident', 'op', 'string', 'op', 'char', 'op', 'char', 'op', 'char', 'op', 'string', 'op', 'keyword']);
  assert.equal(ts[2].text, String.raw`"go \"go\" \\"`);
  assert.equal(ts[6].text, String.raw`'\''`);
  assert.equal(ts[8].text, String.raw`'\\'`);
  assert.equal(ts.filter((t) => t.kind === 'keyword').length, 1);
});

test('raw strings span lines and keep line numbers right', () => {
  const src = 'x := `line1\ngo func() {\n"not a string`\ngo f()';
  const ts = tokenize(src);
  assert.deepEqual(brief(ts), [
    ['ident', 'x', 1, 1], ['op', ':=', 1, 3], ['rawstring', '`line1\ngo func() {\n"not a string`', 1, 6],
    ['keyword', 'go', 4, 1], ['ident', 'f', 4, 4], ['op', '(', 4, 5], ['op', ')', 4, 6],
  ]);
  assert.equal(ts[2].endLine, 3);
});

test('line and block comments', () => {
  const src = '// go f()\n/* go g()\n   go h() */ go k() /* go */ // go\n';
  const ts = tokenize(src);
  assert.deepEqual(ts.filter((t) => t.kind === 'comment').map((t) => [t.text, t.line, t.endLine]), [
    ['// go f()', 1, 1], ['/* go g()\n   go h() */', 2, 3], ['/* go */', 3, 3], ['// go', 3, 3],
  ]);
  assert.deepEqual(ts.filter((t) => t.kind === 'keyword').map((t) => [t.line, t.column]), [[3, 14]]);
});

test('byte columns count UTF-8 bytes, as the compiler does', () => {
  // "é" is 2 bytes, "世" 3, "😀" 4 (a surrogate pair in JavaScript).
  const ts = tokenize('s := "é世😀"; go f()\nπ := 1; go g()');
  const gos = ts.filter((t) => t.text === 'go');
  assert.deepEqual(gos.map((t) => [t.line, t.column]), [[1, 19], [2, 10]]);
  // Unicode identifiers.
  assert.deepEqual(tokenize('π 世界 _x9').map((t) => [t.kind, t.text]), [['ident', 'π'], ['ident', '世界'], ['ident', '_x9']]);
});

test('CRLF line endings', () => {
  const ts = tokenize('// c\r\ngo f()\r\n\tgo g()\r\n');
  assert.equal(ts[0].text, '// c');
  assert.deepEqual(ts.filter((t) => t.text === 'go').map((t) => [t.line, t.column]), [[2, 1], [3, 2]]);
});

test('unterminated literals and stray characters are illegal tokens, never a throw or a hang', () => {
  assert.deepEqual(tokenize('"abc\ngo f()').map((t) => [t.kind, t.line]), [['illegal', 1], ['keyword', 2], ['ident', 2], ['op', 2], ['op', 2]]);
  assert.deepEqual(tokenize('`abc\ngo f()').map((t) => t.kind), ['illegal']);
  assert.deepEqual(tokenize('/* abc go').map((t) => t.kind), ['illegal']);
  assert.deepEqual(tokenize("'\ngo").map((t) => t.kind), ['illegal', 'keyword']);
  assert.deepEqual(tokenize('a # $ ? @ \\ b').map((t) => t.kind), ['ident', 'illegal', 'illegal', 'illegal', 'illegal', 'illegal', 'ident']);
  assert.deepEqual(tokenize('"a\\'), [{ kind: 'illegal', text: '"a\\', line: 1, column: 1, endLine: 1, start: 0, end: 3 }]);
  assert.deepEqual(tokenize(''), []);
});

test('automatic semicolon rule', () => {
  const ends = (src: string) => endsStatementAtNewline(tokenize(src)[0]);
  for (const s of ['x', '1', '1.5', '2i', "'a'", '"s"', '`r`', 'return', 'break', 'continue', 'fallthrough', ')', ']', '}', '++', '--']) {
    assert.ok(ends(s), s);
  }
  for (const s of ['go', 'func', '(', '{', ',', '.', '+', '=', 'if']) assert.ok(!ends(s), s);
});
