// golens report: every analysis over mixed inputs, ranked, in text, Markdown, JSON or HTML, and
// --fail-on for CI: planted leaks trip it, a healthy program does not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers/fixtures';

const CLI = join(ROOT, 'dist', 'cli.js');
const T = (go: string, f: string) => join(ROOT, 'test', 'fixtures', 'trace', go, f);
const L = (go: string, f: string) => join(ROOT, 'test', 'fixtures', 'leaks', go, f);
const P = (go: string, f: string) => join(ROOT, 'test', 'fixtures', 'pprof', go, f);

function golens(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('golens report', () => {
  test('mixed inputs: findings of every kind that applies, ranked by confidence', () => {
    const r = golens('report', '--json', T('go1.27', 'trace-leak.trace'), T('go1.27', 'trace-gc.trace'), P('go1.27', 'mutex.pprof'));
    assert.equal(r.code, 0, r.stderr);
    const { findings } = JSON.parse(r.stdout) as { findings: { kind: string; confidence: string; site: { line: number } | null; evidence: Record<string, unknown>; source: string }[] };
    const kinds = new Set(findings.map((f) => f.kind));
    for (const k of ['leak', 'contention', 'gc']) assert.ok(kinds.has(k), `no ${k} finding`);
    const rank = { proven: 3, likely: 2, possible: 1 } as Record<string, number>;
    for (let i = 1; i < findings.length; i++) assert.ok(rank[findings[i - 1].confidence] >= rank[findings[i].confidence], 'ranked by confidence');
    const send = findings.find((f) => f.kind === 'leak' && f.evidence.reason === 'chan send');
    assert.ok(send, 'the planted chan-send leak');
    assert.equal(send.evidence.count, 12);
    assert.equal(send.site?.line, 76);
  });

  test('Markdown by default, fit for a job summary', () => {
    const r = golens('report', T('go1.27', 'trace-leak.trace'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^# GoLens report\n/);
    assert.match(r.stdout, /^\| # \| kind \| confidence \| finding \| site \| evidence \|$/m);
    assert.match(r.stdout, /^\| 1 \| leak \| likely \| 12 goroutines blocked on chan send/m);
    assert.match(r.stdout, /^## What to do$/m);
  });

  test('plain text at a terminal (a real pty) and with --text: the findings of --json, nothing escaped for Markdown', () => {
    const file = T('go1.27', 'trace-leak.trace');
    const json = JSON.parse(golens('report', '--json', file).stdout) as { findings: { title: string; advice?: string }[] };
    const text = golens('report', '--text', file);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^GoLens report\n/);
    assert.doesNotMatch(text.stdout, /\\[.():_-]|&lt;|^\|/m, 'no Markdown escapes or table rows');
    json.findings.forEach((f, i) => {
      assert.ok(text.stdout.includes(`${i + 1}. `) && text.stdout.includes(f.title), f.title);
      if (f.advice) assert.ok(text.stdout.includes(`what to do: ${f.advice}`), f.advice);
    });
    // `script` gives the CLI a real terminal as its stdout: the default there is the text form.
    const pty = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} report ${JSON.stringify(file)}`, '/dev/null'], { encoding: 'utf8', timeout: 60000 });
    assert.equal(pty.status, 0, pty.stderr);
    assert.equal(pty.stdout.replace(/\r\n/g, '\n'), text.stdout);
  });

  test('--fail-on leaks=N exits 1 when likely or proven leaks reach N, 0 below it', () => {
    const over = golens('report', '--fail-on', 'leaks=10', T('go1.27', 'trace-leak.trace'));
    assert.equal(over.code, 1);
    assert.match(over.stderr, /^golens: --fail-on: 12 leaked goroutines \(likely or proven\), threshold 10\n$/);
    assert.equal(golens('report', '--fail-on', 'leaks=13', T('go1.27', 'trace-leak.trace')).code, 0);
  });

  test('proven leaks from a goroutineleak profile trip --fail-on leaks', () => {
    const r = golens('report', '--json', '--fail-on', 'leaks', L('go1.27', 'leakprof.goroutineleak.pprof'));
    assert.equal(r.code, 1, r.stderr);
    assert.ok(JSON.parse(r.stdout).findings.every((f: { confidence: string }) => f.confidence === 'proven'));
  });

  test('a healthy program passes --fail-on leaks in every form', () => {
    for (const go of ['go1.19', 'go1.23', 'go1.27']) {
      const files = [L(go, 'healthy-1.pprof'), L(go, 'healthy-2.pprof'), L(go, 'healthy-1.txt'), L(go, 'healthy.trace')];
      const r = golens('report', '--fail-on', 'leaks', ...files);
      assert.equal(r.code, 0, `${go}: ${r.stderr}\n${r.stdout}`);
    }
  });

  test('HTML escapes everything from the files', () => {
    const r = golens('report', '--html', T('go1.27', 'trace-leak.trace'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^<!DOCTYPE html>/);
    assert.match(r.stdout, /Content-Security-Policy/);
    assert.doesNotMatch(r.stdout, /<-ctx/);
    assert.match(r.stdout, /&lt;-ctx\.Done\(\)/);
  });

  test('bad input and usage: exit 2, one line', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'golens-report-'));
    const bad = join(tmp, 'bad.trace');
    writeFileSync(bad, 'go 1.22 trace\0\0\0\x01\x05');
    for (const args of [['report', bad], ['report'], ['report', '--md', '--json', T('go1.27', 'trace-leak.trace')], ['report', '--fail-on', 'bugs', T('go1.27', 'trace-leak.trace')]]) {
      const r = golens(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    }
  });
});
