// Diagnostics the language server publishes on open goroutine dumps, gctrace and schedtrace
// logs (real fixtures of every toolchain): the findings of `golens report` on that file, on
// the lines that show them; and the Show Report request.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { cmdReport } from '../../../src/cli/report';
import { reportFindings } from '../../../src/core/artifacts/report';
import { LeakLenses } from '../../../src/server/leaklenses';
import { artifactDiagnostics, artifactReport } from '../../../src/server/textdocs';
import { ROOT } from '../helpers/fixtures';

const WS = join(ROOT, 'test', 'fixtures');
const toolchains = (area: string) => readdirSync(join(WS, area)).filter((d) => /^go1\.\d+$/.test(d));
const mapper = new LeakLenses(() => undefined);
mapper.update([WS], []);

function diagnose(path: string, languageId: string): { diags: Diagnostic[]; lines: string[] } {
  const text = readFileSync(path, 'utf8');
  const doc = TextDocument.create(pathToFileURL(path).toString(), languageId, 1, text);
  return { diags: artifactDiagnostics(doc, (p) => mapper.workspacePath(p)), lines: text.split('\n') };
}

/** The diagnostics carry exactly the findings `golens report` gives for the file. */
function sameAsReport(path: string, diags: Diagnostic[]): ReturnType<typeof reportFindings> {
  const findings = reportFindings([path]);
  assert.deepEqual(diags.map((d) => d.message.split('\n')[0]).sort(), findings.map((f) => `${f.title} (${f.confidence})`).sort(), path);
  return findings;
}

describe('diagnostics on goroutine dumps', () => {
  const dumps: string[] = [];
  for (const go of toolchains('leaks')) for (const f of ['leakprof-1.txt', 'leakprof.panic.txt', 'leakprof.sigquit.txt', 'healthy-1.txt']) dumps.push(join(WS, 'leaks', go, f));
  for (const go of toolchains('pprof')) dumps.push(join(WS, 'pprof', go, 'goroutine.txt'));
  for (const path of dumps.filter((p) => existsSync(p))) {
    test(`${path.slice(WS.length + 1)}: each leak on the header of its first goroutine`, () => {
      const { diags, lines } = diagnose(path, 'go-goroutines');
      const findings = sameAsReport(path, diags);
      if (path.endsWith('healthy-1.txt')) return;
      assert.ok(diags.length >= 4, `${diags.length} diagnostics`);
      for (const d of diags) {
        const f = findings.find((x) => `${x.title} (${x.confidence})` === d.message.split('\n')[0])!;
        const header = lines[d.range.start.line];
        assert.match(header, /^goroutine \d+ .*\[/, header);
        assert.equal(d.range.end.character, header.replace(/\r$/, '').length);
        // The goroutines of the leak: this header and the related ones, as many as the count (up to 21 shown).
        const count = Number(f.evidence.count);
        const related = (d.relatedInformation ?? []).filter((r) => r.location.uri === pathToFileURL(path).toString());
        assert.equal(related.length, Math.min(count - 1, 20), d.message);
        for (const r of related) assert.match(lines[r.location.range.start.line], /^goroutine \d+ /);
        // The blocking frame's file:line is in the block under this header.
        const block = lines.slice(d.range.start.line, lines.indexOf('', d.range.start.line)).join('\n');
        assert.ok(block.includes(`${f.site!.file}:${f.site!.line}`), block);
        // And the Go source it points at is in the workspace.
        const src = d.relatedInformation![0];
        assert.match(src.location.uri, /\/programs\/(leakprof|goroutine)\/main\.go$/);
        assert.equal(src.location.range.start.line, f.site!.line - 1);
        assert.equal(d.severity, f.confidence === 'possible' ? DiagnosticSeverity.Information : DiagnosticSeverity.Warning);
        assert.equal(d.code, 'leak');
      }
    });
  }
});

describe('diagnostics on gctrace and schedtrace logs', () => {
  for (const go of toolchains('gctrace')) {
    const path = join(WS, 'gctrace', go, 'gc-log.log');
    if (!existsSync(path)) continue;
    test(`gctrace/${go}/gc-log.log: GC findings on the cycle lines that show them`, () => {
      const { diags, lines } = diagnose(path, 'go-gctrace');
      sameAsReport(path, diags);
      assert.ok(diags.length >= 1);
      for (const d of diags) {
        const line = lines[d.range.start.line];
        assert.match(line, /gc \d+ @[\d.]+s \d+%: /, line);
        if (/forced by runtime\.GC\(\)/.test(d.message)) {
          assert.match(line, /\(forced\)\s*$/);
          for (const r of d.relatedInformation ?? []) assert.match(lines[r.location.range.start.line], /\(forced\)\s*$/);
        }
        if (/of the CPU/.test(d.message)) {
          // The costliest cycle: no other cycle line spent more GC CPU.
          const cpu = (l: string) => { const m = /, ([\d.]+)\+([\d.]+)\/([\d.]+)\/[\d.]+\+([\d.]+) ms cpu/.exec(l); return m ? Number(m[1]) + Number(m[2]) + Number(m[3]) + Number(m[4]) : -1; };
          assert.ok(lines.every((l) => cpu(l) <= cpu(line) + 1e-9), line);
        }
      }
    });
  }
  for (const go of toolchains('sched')) {
    for (const name of ['schedtrace.log', 'scheddetail.log']) {
      const path = join(WS, 'sched', go, name);
      if (!existsSync(path)) continue;
      test(`sched/${go}/${name}: scheduler findings on SCHED lines`, () => {
        const { diags, lines } = diagnose(path, 'go-schedtrace');
        sameAsReport(path, diags);
        for (const d of diags) {
          const line = lines[d.range.start.line];
          assert.match(line, /^SCHED \d+ms: gomaxprocs=/, line);
          if (/Ps busy/.test(d.message)) {
            assert.match(line, / idleprocs=0 /);
            for (const r of d.relatedInformation ?? []) assert.match(lines[r.location.range.start.line], /^SCHED \d+ms: .* idleprocs=0 /);
          }
        }
      });
    }
  }
});

describe('bad text and the report', () => {
  test('text of another kind, or none: one error, or nothing', () => {
    const gc = readFileSync(join(WS, 'gctrace', 'go1.27', 'gc-log.log'), 'utf8');
    for (const [lang, text] of [['go-goroutines', gc], ['go-gctrace', 'hello\n'], ['go-schedtrace', gc]] as const) {
      const d = artifactDiagnostics(TextDocument.create('file:///tmp/x.txt', lang, 1, text), () => undefined);
      assert.equal(d.length, 1, lang);
      assert.equal(d[0].severity, DiagnosticSeverity.Error);
      assert.match(d[0].message, /^GoLens cannot read this file: /);
    }
    assert.deepEqual(artifactDiagnostics(TextDocument.create('file:///tmp/x.txt', 'go-gctrace', 1, '  \n'), () => undefined), []);
    assert.deepEqual(artifactDiagnostics(TextDocument.create('file:///tmp/x.go', 'go', 1, 'package main'), () => undefined), []);
  });

  test('Show Report gives what golens report prints', () => {
    for (const path of [join(WS, 'leaks', 'go1.27', 'leakprof-1.txt'), join(WS, 'sched', 'go1.27', 'schedtrace.log'), join(WS, 'gctrace', 'go1.27', 'gc-log.log')]) {
      let cli = '';
      assert.equal(cmdReport([path], (s) => { cli += s; }, () => undefined), 0);
      const res = artifactReport({ uri: pathToFileURL(path).toString() });
      assert.ok(res.ok);
      assert.equal(res.markdown, cli);
      assert.match(res.markdown, /^# GoLens report\n/);
    }
    const missing = artifactReport({ uri: 'file:///nonexistent/dump.txt' });
    assert.ok(!missing.ok && /no such file/.test(missing.message), JSON.stringify(missing));
    assert.ok(!artifactReport({ uri: 'untitled:Untitled-1' }).ok);
  });
});
