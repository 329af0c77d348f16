// Strings from files shown safely: terminals, CI logs and Markdown get text, never commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { mdCode, mdText, printable, safeLines } from '../../../src/core/format';

const hostile = [
  'main.(*T).run',
  'evil\n::error file=x::pwned',
  '\u001b[2J\u001b]0;title\u0007clear',
  'a\rforged | row | 1 |',
  '![x](https://example.invalid/i.png)',
  '[click](https://example.invalid/)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'https://example.invalid/autolink',
  '`tick` and ``two``',
  'rtl\u202eeman',
  '',
];

test('printable escapes every control character, and only those', () => {
  assert.equal(printable('main.(*T).run'), 'main.(*T).run');
  assert.equal(printable('a\nb\tc\rd\u001be\u0007f\u007f\u0085\u202e'), 'a\\nb\\tc\\rd\\ee\\x07f\\x7f\\x85\\u202e');
  for (const s of hostile) assert.doesNotMatch(printable(s), /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  assert.equal(printable('héllo 世界 → ok'), 'héllo 世界 → ok');
});

test('safeLines keeps lines from starting as workflow commands', () => {
  assert.equal(safeLines('ok\n::error::x\n  ::warning::y\n'), 'ok\n ::error::x\n  ::warning::y\n');
});

// Rendered with a CommonMark + GFM-table renderer with linkify on, as VS Code's preview is.
const md = new MarkdownIt({ html: true, linkify: true });

test('mdCode: a code span in prose and in a table cell, nothing else', () => {
  for (const s of hostile) {
    const prose = md.render(`Blocked at ${mdCode(s)} here.`);
    assert.doesNotMatch(prose, /<(img|a|script)\b/i, s);
    assert.equal((prose.match(/<code>/g) ?? []).length, 1, `${JSON.stringify(s)} → ${prose}`);
    const table = md.render(`| function | n |\n| --- | --- |\n| ${mdCode(s, true)} | 1 |\n`);
    assert.doesNotMatch(table, /<(img|a|script)\b/i, s);
    assert.equal((table.match(/<tr>/g) ?? []).length, 2, `${JSON.stringify(s)}: one header row and one body row\n${table}`);
    assert.equal((table.match(/<td>/g) ?? []).length, 2, `${JSON.stringify(s)}: two cells\n${table}`);
  }
  // Text survives: the code span shows the string (control characters escaped).
  const shown = md.renderInline(mdCode('`tick` and ``two``')).replace(/<\/?code>/g, '');
  assert.equal(shown.trim(), '`tick` and ``two``');
});

test('mdText: prose from a file has no Markdown or HTML in it', () => {
  for (const s of hostile) {
    const html = md.render(`Reason: ${mdText(s)}`);
    assert.doesNotMatch(html, /<(img|a|script|em|strong|code)\b/i, `${JSON.stringify(s)} → ${html}`);
  }
});
