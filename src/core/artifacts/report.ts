// `golens report`: every finding that applies to the inputs, ranked, rendered as Markdown
// (fit for a CI job summary), JSON or HTML; and the --fail-on thresholds they pass.
import { rankFindings, type Finding, type FindingKind } from '../analysis/finding';
import { mdCode, mdText, printable } from '../format';
import { ContentionInputs } from './contention';
import { decodeEach } from './decode';
import { GcFindings } from './gc';
import { LeakFindings } from './leaks';
import type { LoadOptions } from './load';
import { SchedFindings } from './sched';

const KINDS: FindingKind[] = ['leak', 'contention', 'gc', 'sched'];

/**
 * Every finding that applies to the files, ranked. Each file is opened and read once: a
 * trace is walked in one pass that feeds every analysis. Throws for a broken file.
 */
export function reportFindings(paths: string[], opts: LoadOptions = {}): Finding[] {
  const leaks = new LeakFindings(), contention = new ContentionInputs(), gc = new GcFindings(), sched = new SchedFindings();
  decodeEach(paths, opts, { model: true, contention: true, gcUse: true }, (d) => {
    leaks.add(d);
    contention.addOrSkip(d);
    gc.add(d);
    sched.add(d);
  });
  return rankFindings([...leaks.findings(), ...contention.findings(), ...gc.findings(), ...sched.findings()]);
}

/** --fail-on: fail when likely or proven findings of a kind reach `min` (a leak counts its goroutines). */
export interface Threshold { kind: FindingKind; min: number }

function size(f: Finding): number {
  const n = f.evidence.count;
  return f.kind === 'leak' && typeof n === 'number' ? n : 1;
}

/** The thresholds passed, as sentences (empty: none). */
export function failures(findings: Finding[], thresholds: Threshold[]): string[] {
  const out: string[] = [];
  for (const t of thresholds) {
    const sure = findings.filter((f) => f.kind === t.kind && f.confidence !== 'possible');
    const total = sure.reduce((a, f) => a + size(f), 0);
    if (sure.length > 0 && total >= t.min) {
      out.push(`${total} ${t.kind === 'leak' ? 'leaked goroutines' : `${t.kind} findings`} (likely or proven), threshold ${t.min}`);
    }
  }
  return out;
}

const site = (f: Finding) => (f.site ? `${f.site.function} (${f.site.file}:${f.site.line})` : '—');
// Whole numbers as they are (ns, bytes, counts); fractions to three significant digits.
const num = (v: number | string) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(3)) : v);
const evidence = (f: Finding) => Object.entries(f.evidence).map(([k, v]) => `${k}=${num(v)}`).join(', ');

/**
 * The report in Markdown (what `golens report` prints by default). Strings from the files
 * (titles and advice name functions) are escaped prose or code spans: never a link, an
 * image, HTML or a new table row.
 */
export function renderMarkdown(findings: Finding[], paths: string[]): string {
  const lines = ['# GoLens report', '', `Inputs: ${paths.map((p) => mdCode(p)).join(', ')}`, ''];
  const counts = KINDS.map((k) => `${findings.filter((f) => f.kind === k).length} ${k}`).join(' · ');
  lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'}: ${counts}`, '');
  if (findings.length) {
    lines.push('| # | kind | confidence | finding | site | evidence |', '|---|---|---|---|---|---|');
    findings.forEach((f, i) => lines.push(`| ${i + 1} | ${f.kind} | ${f.confidence} | ${mdText(f.title)} | ${f.site ? mdCode(site(f), true) : '—'} | ${mdCode(evidence(f), true)} |`));
    const advised = findings.filter((f) => f.advice);
    if (advised.length) {
      lines.push('', '## What to do', '');
      advised.forEach((f) => lines.push(`- **${mdText(f.title)}** — ${mdText(f.advice!)}`));
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The report for a terminal: plain lines, nothing escaped for Markdown. Strings from the files
 * pass through `printable`, so a name cannot move the cursor or start a workflow command.
 */
export function renderText(findings: Finding[], paths: string[]): string {
  const lines = ['GoLens report', '', `Inputs: ${paths.map(printable).join(', ')}`, ''];
  const counts = KINDS.map((k) => `${findings.filter((f) => f.kind === k).length} ${k}`).join(' · ');
  lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'}: ${counts}`);
  findings.forEach((f, i) => {
    lines.push('', `${i + 1}. ${f.kind} · ${f.confidence} — ${printable(f.title)}`);
    if (f.site) lines.push(`   at ${printable(site(f))}`);
    lines.push(`   evidence: ${printable(evidence(f))}`);
    if (f.advice) lines.push(`   what to do: ${printable(f.advice)}`);
  });
  return lines.join('\n') + '\n';
}

/** The report as a standalone HTML page (no scripts; inline style only; control characters shown escaped). */
export function renderHtml(findings: Finding[], paths: string[]): string {
  const esc = (s: string) => printable(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  const rows = findings.map((f, i) => `<tr><td>${i + 1}</td><td>${f.kind}</td><td>${f.confidence}</td><td>${esc(f.title)}</td><td>${esc(site(f))}</td><td>${esc(evidence(f))}</td><td>${esc(f.advice ?? '')}</td></tr>`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>GoLens report</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #8884;padding:4px 8px;text-align:left;vertical-align:top}</style></head>
<body><h1>GoLens report</h1><p>Inputs: ${paths.map(esc).join(', ')}</p><p>${findings.length} findings</p>
<table><thead><tr><th>#</th><th>kind</th><th>confidence</th><th>finding</th><th>site</th><th>evidence</th><th>what to do</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></body></html>
`;
}

/** What `golens report <paths>` prints by default (Markdown). */
export function reportMarkdown(paths: string[], opts: LoadOptions = {}): string {
  return renderMarkdown(reportFindings(paths, opts), paths);
}

/** The JSON form of the report. */
export function renderJson(findings: Finding[]): string {
  return JSON.stringify({ findings }) + '\n';
}
