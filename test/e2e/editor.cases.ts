// End-to-end cases of what GoLens shows in text editors: lenses on contended Lock/Unlock lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { copyFileSync } from 'node:fs';
import { cmdContention } from '../../src/cli/contention';
import { cmdReport } from '../../src/cli/report';
import { reportFindings } from '../../src/core/artifacts/report';
import { formatNs } from '../../src/core/format';
import type { RevealLineArgs } from '../../src/protocol/lenses';
import { page, test } from './agent';
import { lineCosts, lineCostText } from '../../src/core/pprof/linecost';
import { defaultSampleIndex } from '../../src/core/pprof/model';
import { stacks } from '../../src/core/pprof/stacks';
import { GO, load, openProfile, W, waitFor, within, ws } from './util';

async function lensesOf(doc: vscode.TextDocument, command: string, atLeast: number): Promise<vscode.CodeLens[]> {
  // The server answers requests one at a time: a big trace decoding there (another case)
  // delays the lenses, so a slow answer is waited for again rather than failed at once.
  return waitFor(`${command} lenses`, async () => {
    let all: vscode.CodeLens[] | undefined;
    try {
      all = await within(30000, 'code lens request', vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri));
    } catch {
      return undefined;
    }
    const mine = (all ?? []).filter((l) => l.command?.command === command);
    return mine.length >= atLeast ? mine : undefined;
  }, 120000);
}

/**
 * The visible lines of the one text editor: line number → code + end-of-line decoration text.
 * Decoration text is CSS generated content (::after of a span in the line), not DOM text.
 */
async function renderedLines(): Promise<Map<number, string>> {
  const rows = await page.eval<[number, string][]>(`(() => {
    const ed = [...document.querySelectorAll('.monaco-editor')].find((e) => e.querySelector('.view-lines') && e.closest('.editor-group-container'));
    if (!ed) return [];
    const top = (el) => Math.round(el.getBoundingClientRect().top);
    const nums = new Map([...ed.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => [top(n), Number(n.textContent.trim())]));
    const after = (line) => [...line.querySelectorAll('span')].map((s) => getComputedStyle(s, '::after').content)
      .filter((c) => c && c !== 'none' && c !== 'normal').map((c) => JSON.parse(c)).join('');
    return [...ed.querySelectorAll('.view-lines .view-line')]
      .map((l) => [nums.get(top(l)) ?? -1, l.textContent.replace(/\\u00a0/g, ' ').trimEnd() + after(l)]).filter(([n]) => n > 0);
  })()`, 'workbench');
  return new Map(rows);
}

/** A screenshot with the Go editor's group maximized and no side bar, so the end-of-line texts show. */
async function screenshotWide(name: string, editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
  await new Promise((r) => setTimeout(r, 600));
  try {
    await page.screenshot(name);
  } finally {
    await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
    await vscode.commands.executeCommand('workbench.action.toggleSidebarVisibility');
  }
}

/** The token spans of the visible lines of the one text editor: line number → [class, colour] per span. */
async function tokenSpans(): Promise<Map<number, [string, string][]>> {
  const rows = await page.eval<[number, [string, string][]][]>(`(() => {
    const ed = [...document.querySelectorAll('.monaco-editor')].find((e) => e.querySelector('.view-lines') && e.closest('.editor-group-container'));
    if (!ed) return [];
    const top = (el) => Math.round(el.getBoundingClientRect().top);
    const nums = new Map([...ed.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => [top(n), Number(n.textContent.trim())]));
    return [...ed.querySelectorAll('.view-lines .view-line')].map((l) => [nums.get(top(l)) ?? -1,
      [...l.querySelectorAll('span[class^="mtk"], span[class*=" mtk"]')].filter((s) => s.textContent.trim()).map((s) => [s.className, getComputedStyle(s).color])]).filter(([n]) => n > 0);
  })()`, 'workbench');
  return new Map(rows);
}

/**
 * Opens a text artifact and checks what GoLens puts on it: its language, the diagnostics
 * (exactly `golens report`'s findings for the file, on lines `lineOk` accepts) and coloured tokens.
 */
async function artifactCase(uri: vscode.Uri, language: string, lineOk: RegExp, shot: string): Promise<vscode.Diagnostic[]> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const doc = await vscode.workspace.openTextDocument(uri);
  assert.equal(doc.languageId, language, uri.fsPath);
  const editor = await vscode.window.showTextDocument(doc);
  const findings = reportFindings([uri.fsPath]);
  assert.ok(findings.length > 0, `${uri.fsPath} has findings`);
  const diags = await waitFor('diagnostics', () => {
    const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'GoLens');
    return d.length === findings.length ? d : undefined;
  }, 60000);
  assert.deepEqual(diags.map((d) => d.message.split('\n')[0]).sort(), findings.map((f) => `${f.title} (${f.confidence})`).sort());
  for (const d of diags) assert.match(doc.lineAt(d.range.start.line).text, lineOk);
  const first = diags.slice().sort((a, b) => a.range.start.line - b.range.start.line)[0];
  editor.revealRange(first.range, vscode.TextEditorRevealType.InCenter);
  editor.selection = new vscode.Selection(first.range.start, first.range.start);
  // Coloured: the finding's line has tokens of at least three kinds, in at least three colours.
  const spans = await waitFor('coloured tokens', async () => {
    const t = (await tokenSpans()).get(first.range.start.line + 1);
    return t && new Set(t.map(([c]) => c)).size >= 3 ? t : undefined;
  });
  assert.ok(new Set(spans.map(([, colour]) => colour)).size >= 3, JSON.stringify(spans));
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await page.wait('.markers-panel .monaco-list-row', { timeoutMs: 10000, state: 'attached' });
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot(shot);
  await vscode.commands.executeCommand('workbench.action.closePanel');
  return diags;
}

const COST = /(flat \d+\.\d+% · \S+ — )?cum \d+\.\d+% · \S+$/;

export async function editorCases(): Promise<void> {
  await test('contention lenses sit on the contended Lock and Unlock lines with golens contention --json numbers', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const rel = `trace/${GO}/trace-contention.trace`;
    const planted = JSON.parse(readFileSync(ws('trace', GO, 'trace-contention.expected.json').fsPath, 'utf8')).planted.lines as { marker: string; line: number }[];
    const lockLine = planted.find((l) => l.marker === 'lock')!.line, unlockLine = planted.find((l) => l.marker === 'unlock')!.line;
    let out = '';
    cmdContention([ws('trace', GO, 'trace-contention.trace').fsPath, '--json'], (s) => { out += s; });
    const site = (JSON.parse(out) as { sites: { kind: string; waitNs: number; count: number; convoy?: { max: number } }[] }).sites.find((s) => s.kind === 'mutex')!;
    await within(10000, 'settings update', vscode.workspace.getConfiguration('golens').update('artifacts', [rel], vscode.ConfigurationTarget.Workspace));
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'trace-contention', 'main.go'));
    await vscode.window.showTextDocument(doc);
    const lenses = await lensesOf(doc, 'golens.revealLine', 2);
    assert.deepEqual(lenses.map((l) => l.range.start.line + 1).sort((a, b) => a - b), [lockLine, unlockLine]);
    const lock = lenses.find((l) => l.range.start.line + 1 === lockLine)!;
    const unlock = lenses.find((l) => l.range.start.line + 1 === unlockLine)!;
    const la = lock.command!.arguments![0] as RevealLineArgs, ua = unlock.command!.arguments![0] as RevealLineArgs;
    assert.deepEqual([la.role, la.waitNs, la.count], ['lock', site.waitNs, site.count]);
    assert.deepEqual([ua.role, ua.waitNs, ua.count], ['unlock', site.waitNs, site.count]);
    assert.match(lock.command!.title, new RegExp(`^\\$\\(lock\\) Mutex contended: ${formatNs(site.waitNs)} in ${site.count} waits \\(max .*, up to ${site.convoy!.max} waiting at once\\) — released at main\\.go:${unlockLine} · trace-contention\\.trace$`));
    assert.match(unlock.command!.title, new RegExp(`^\\$\\(unlock\\) Unlock woke ${site.count} waits \\(${formatNs(site.waitNs)} waited at main\\.go:${lockLine}\\) · trace-contention\\.trace$`));
    assert.match(doc.lineAt(lockLine - 1).text, /mu\.Lock\(\)/);
    assert.match(doc.lineAt(unlockLine - 1).text, /mu\.Unlock\(\)/);
    // As a user sees them: the lens texts in the workbench, over those lines.
    const shown = await vscode.window.showTextDocument(doc);
    shown.revealRange(new vscode.Range(lockLine - 6, 0, lockLine - 6, 0), vscode.TextEditorRevealType.AtTop);
    const texts = await waitFor('lens texts in the editor', async () => {
      const t = await page.texts('.codelens-decoration', 'workbench');
      return t.some((x) => x.includes('Mutex contended')) && t.some((x) => x.includes('Unlock woke')) ? t : undefined;
    });
    // The icon renders as a codicon element; the text after it is the title's.
    const plain = (title: string) => title.replace(/^\$\([a-z-]+\) /, '');
    assert.ok(texts.some((t) => t.trim() === plain(lock.command!.title)), texts.join('\n'));
    assert.ok(texts.some((t) => t.trim() === plain(unlock.command!.title)), texts.join('\n'));
    await page.screenshot('contention-lenses');
    // A click on the Lock lens shows the Unlock that woke its waiters.
    await vscode.commands.executeCommand(lock.command!.command, ...(lock.command!.arguments ?? []));
    await waitFor('unlock line selected', () => vscode.window.activeTextEditor?.selection.active.line === unlockLine - 1 || undefined);
    await within(10000, 'settings reset', vscode.workspace.getConfiguration('golens').update('artifacts', undefined, vscode.ConfigurationTarget.Workspace));
  });

  await test('a lens on the line leaked goroutines block on names the go statement that started them', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const planted = JSON.parse(readFileSync(ws('trace', GO, 'trace-leak.expected.json').fsPath, 'utf8')).planted.leaks as { goLine: number; count: number; reason: string }[];
    await within(10000, 'settings update', vscode.workspace.getConfiguration('golens').update('artifacts', [`trace/${GO}/trace-leak.trace`], vscode.ConfigurationTarget.Workspace));
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'trace-leak', 'main.go'));
    await vscode.window.showTextDocument(doc);
    const lenses = (await lensesOf(doc, 'golens.revealLine', planted.length)).filter((l) => (l.command!.arguments![0] as RevealLineArgs).role === 'blocked');
    assert.equal(lenses.length, planted.length);
    for (const p of planted) {
      const lens = lenses.find((l) => (l.command!.arguments![0] as RevealLineArgs).line === p.goLine);
      assert.ok(lens, `a blocking-line lens pointing at the go statement on line ${p.goLine}`);
      assert.equal(lens.command!.title, `⚠ ${p.count} leaked goroutine${p.count === 1 ? '' : 's'} blocked here on ${p.reason} — started by go at main.go:${p.goLine}`);
      assert.doesNotMatch(doc.lineAt(lens.range.start.line).text, /^\s*go /);
    }
    const send = lenses.find((l) => l.command!.title.includes('chan send'))!;
    await vscode.commands.executeCommand(send.command!.command, ...(send.command!.arguments ?? []));
    const goLine = (send.command!.arguments![0] as RevealLineArgs).line;
    await waitFor('go statement selected', () => vscode.window.activeTextEditor?.selection.active.line === goLine - 1 || undefined);
    assert.match(vscode.window.activeTextEditor!.document.lineAt(goLine - 1).text, /^\s*go /);
    await within(10000, 'settings reset', vscode.workspace.getConfiguration('golens').update('artifacts', undefined, vscode.ConfigurationTarget.Workspace));
  });

  await test('per-line cost: with cpu.pprof open, the hot lines of main.go end with the flat and cum core computes; the toggle hides them', async () => {
    await openProfile('cpu.pprof');
    const p = load('cpu.pprof');
    const si = defaultSampleIndex(p);
    const costs = lineCosts(stacks(p, si));
    const file = costs.files.find((f) => f.file === 'golens.example/fixtures/cpu/main.go')!;
    const want = new Map(file.lines.map((l) => [l.line, lineCostText(l, costs.total, p.sampleTypes[si].unit)]));
    const hottest = file.lines.slice().sort((a, b) => b.flat - a.flat)[0];
    const doc = await vscode.workspace.openTextDocument(ws('programs', 'cpu', 'main.go'));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    editor.revealRange(new vscode.Range(hottest.line - 1, 0, hottest.line - 1, 0), vscode.TextEditorRevealType.InCenter);
    let last = new Map<number, string>();
    const check = async (expect: Map<number, string>, what: string) => waitFor(what, async () => {
      const lines = last = await renderedLines();
      const shown = [...lines].filter(([n]) => expect.has(n));
      if (shown.length < 3) return undefined;
      for (const [n, text] of lines) {
        const w = expect.get(n);
        if (w ? !text.endsWith(w) : COST.test(text)) return undefined;
      }
      return shown;
    }, 60000).catch(async (e: Error) => {
      await page.screenshot('per-line-cost-failed');
      throw new Error(`${e.message}; shown: ${JSON.stringify([...last])}; wanted: ${JSON.stringify([...expect])}`);
    });
    const shown = await check(want, 'cost texts at the hot lines');
    assert.ok(shown.some(([n]) => n === hottest.line), `the hottest line ${hottest.line} is shown`);
    // The text is after the code, not instead of it.
    const hot = shown.find(([n]) => n === hottest.line)![1];
    assert.ok(hot.includes(doc.lineAt(hottest.line - 1).text.trim()), hot);
    await screenshotWide('per-line-cost', editor);
    await check(want, 'cost texts after the screenshot');

    // Another sample type in the profile editor: the numbers follow it.
    const other = si === 0 ? 1 : 0;
    await page.select('#sample', String(other), W);
    const c2 = lineCosts(stacks(p, other));
    const f2 = c2.files.find((f) => f.file === file.file)!;
    await check(new Map(f2.lines.map((l) => [l.line, lineCostText(l, c2.total, p.sampleTypes[other].unit)])), `cost texts for ${p.sampleTypes[other].type}`);
    await page.select('#sample', String(si), W);
    await check(want, 'cost texts back on the default sample type');

    // Toggled off: gone from every line; on again: back.
    await vscode.commands.executeCommand('golens.togglePerLineCost');
    await waitFor('cost texts gone', async () => {
      const lines = await renderedLines();
      return lines.size > 10 && ![...lines.values()].some((t) => COST.test(t)) ? true : undefined;
    });
    await vscode.commands.executeCommand('golens.togglePerLineCost');
    await check(want, 'cost texts after toggling on');

    // Closing the profile takes them away.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const again = await vscode.window.showTextDocument(doc);
    again.revealRange(new vscode.Range(hottest.line - 1, 0, hottest.line - 1, 0), vscode.TextEditorRevealType.InCenter);
    await waitFor('cost texts gone with the profile', async () => {
      const lines = await renderedLines();
      return lines.has(hottest.line) && ![...lines.values()].some((t) => COST.test(t)) ? true : undefined;
    });
  });

  await test('a goroutine dump is a go-goroutines document with its leaks as diagnostics on goroutine headers, coloured', async () => {
    const uri = ws('pprof', GO, 'goroutine.txt');
    const diags = await artifactCase(uri, 'go-goroutines', /^goroutine \d+ \[/, 'goroutine-dump');
    // Each leak names its goroutines and the Go line they block on.
    for (const d of diags) {
      assert.ok((d.relatedInformation ?? []).some((r) => r.location.uri.path.endsWith('/programs/goroutine/main.go')), d.message);
    }
  });

  await test('GoLens: Show Report opens what golens report prints for the file, beside it', async () => {
    const uri = ws('pprof', GO, 'goroutine.txt');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const report = await within(60000, 'show report', vscode.commands.executeCommand<string | undefined>('golens.showReport'));
    assert.ok(report, 'a report opened');
    let cli = '';
    cmdReport([uri.fsPath], (x) => { cli += x; }, () => undefined);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(report));
    assert.equal(doc.getText(), cli);
    assert.equal(doc.languageId, 'markdown');
    // The preview shows the findings table beside the dump.
    const rows = await waitFor('report preview table', async () => {
      try {
        const n = await page.count('table tbody tr', { frame: 'webview', webviewTitle: 'report' });
        return n > 0 ? n : undefined;
      } catch { return undefined; }
    }, 20000);
    assert.equal(rows, reportFindings([uri.fsPath]).length);
    await page.screenshot('goroutine-report');
  });

  await test('a schedtrace log is a go-schedtrace document with its findings on SCHED lines, coloured', async () => {
    await artifactCase(ws('sched', GO, 'schedtrace.log'), 'go-schedtrace', /^SCHED \d+ms: gomaxprocs=\d+ idleprocs=0 /, 'schedtrace');
  });

  await test('a gctrace log is a go-gctrace document with its findings on cycle lines, coloured', async () => {
    // The fixture starts with the program's own output, so it is recognised by name: a *gctrace*.log copy.
    const named = ws('gctrace', GO, 'gc-log.gctrace.log');
    copyFileSync(ws('gctrace', GO, 'gc-log.log').fsPath, named.fsPath);
    await artifactCase(named, 'go-gctrace', /^gc \d+ @[\d.]+s \d+%: /, 'gctrace');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
}
