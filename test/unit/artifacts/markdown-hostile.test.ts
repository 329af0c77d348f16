// Markdown built from hostile artifacts (issue 16): the report (`golens report --md`, what
// "GoLens: Show Report" previews) and the leak hover, rendered as VS Code's preview renders
// Markdown, hold no image, link or element from the files, and the table keeps its rows.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { leaksFrom } from '../../../src/core/artifacts/leaks';
import { renderHtml, reportFindings, reportMarkdown } from '../../../src/core/artifacts/report';
import { hoverText } from '../../../src/server/leaklenses';
import { fixture } from '../helpers/fixtures';
import { HOSTILE_HTML, hostileDump, hostileProfile, RAW_CONTROL } from '../helpers/hostilenames';

// CommonMark + GFM tables, HTML and linkify on: the most a Markdown preview does with text.
const md = new MarkdownIt({ html: true, linkify: true });
const tmp = mkdtempSync(join(tmpdir(), 'golens-md-'));
const dump = join(tmp, 'hostile-goroutines.txt');
writeFileSync(dump, hostileDump(Buffer.from(fixture('go1.27', 'goroutine.txt')).toString('utf8')));
const prof = join(tmp, 'hostile-goroutine.pprof');
writeFileSync(prof, hostileProfile(fixture('go1.27', 'goroutine.pprof')));
const mutex = join(tmp, 'hostile-mutex.pprof');
writeFileSync(mutex, hostileProfile(fixture('go1.27', 'mutex.pprof')));

describe('Markdown from hostile names', () => {
  for (const [name, files] of [['a goroutine dump', [dump]], ['a goroutine profile', [prof]], ['a mutex profile', [mutex]]] as const) {
    test(`the report of ${name}: no image, link or element, one table row per finding`, () => {
      const findings = reportFindings([...files]);
      assert.ok(findings.length >= 2, `${findings.length} findings`);
      const text = reportMarkdown([...files]);
      // The hostile names are there (escaped), so the test sees them.
      assert.match(text, /example\\?\.invalid/);
      assert.doesNotMatch(text, RAW_CONTROL);
      const html = md.render(text);
      assert.doesNotMatch(html, HOSTILE_HTML, html);
      assert.equal((html.match(/<tr>/g) ?? []).length, findings.length + 1, html);
      for (const row of html.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) assert.equal((row.match(/<t[dh]>/g) ?? []).length, 6, row);
      // The What to do list: one item per finding with advice, none forged.
      assert.equal((html.match(/<li>/g) ?? []).length, findings.filter((f) => f.advice).length);
    });
  }

  test('the HTML report shows control characters escaped and names as text', () => {
    const html = renderHtml(reportFindings([prof]), [prof]);
    assert.doesNotMatch(html, RAW_CONTROL);
    assert.doesNotMatch(html.replace(/^[\s\S]*?<body>/, ''), /<(img|a|script)\b/i);
    assert.match(html, /main\.b\\n::error::pwned/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  test('the leak hover: no image or link, the names as code', () => {
    for (const file of [dump, prof]) {
      const rows = leaksFrom([file]);
      assert.ok(rows.length >= 4);
      const text = hoverText(rows);
      assert.doesNotMatch(text, RAW_CONTROL);
      const html = md.render(text);
      assert.doesNotMatch(html, HOSTILE_HTML, html);
      assert.equal((html.match(/<hr>/g) ?? []).length, rows.length - 1, 'one section per leak site');
      assert.match(html, /<code>main\.(!\[x\]|&lt;img)/);
    }
  });
});
