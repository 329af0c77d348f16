// `golens report <files...> [--md|--json|--html] [--fail-on KIND[=N]]...`: every finding that
// applies to the inputs, ranked; Markdown by default (fit for a CI job summary). With
// --fail-on, exit 1 when likely or proven findings of that kind pass the threshold.
import { rankFindings, type Finding, type FindingKind } from '../core/analysis/finding';
import { parseArgs, UsageError } from './args';
import { contentionFindingsFromFiles } from './contention';
import { gcFindingsFromFiles } from './gc';
import { leakFindingsFromFiles } from './leaks';
import { schedFindingsFromFiles } from './sched';

const KINDS: FindingKind[] = ['leak', 'contention', 'gc', 'sched'];

export function reportFindings(paths: string[]): Finding[] {
  return rankFindings([
    ...leakFindingsFromFiles(paths),
    ...contentionFindingsFromFiles(paths),
    ...gcFindingsFromFiles(paths),
    ...schedFindingsFromFiles(paths),
  ]);
}

interface Threshold { kind: FindingKind; min: number }

/** `leaks`, `leaks=10`, `contention`, … ; a leak's size is its goroutine count, others count 1. */
function parseFailOn(specs: string[]): Threshold[] {
  return specs.map((spec) => {
    const m = /^(leaks?|contention|gc|sched)(?:=(\d+))?$/.exec(spec);
    if (!m) throw new UsageError(`--fail-on takes leaks[=N], contention[=N], gc[=N] or sched[=N], not ${JSON.stringify(spec)}`);
    const kind = (m[1].startsWith('leak') ? 'leak' : m[1]) as FindingKind;
    return { kind, min: m[2] === undefined ? 1 : Number(m[2]) };
  });
}

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

function markdown(findings: Finding[], paths: string[]): string {
  const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
  const lines = ['# GoLens report', '', `Inputs: ${paths.map((p) => `\`${p.replace(/`/g, "'")}\``).join(', ')}`, ''];
  const counts = KINDS.map((k) => `${findings.filter((f) => f.kind === k).length} ${k}`).join(' · ');
  lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'}: ${counts}`, '');
  if (findings.length) {
    lines.push('| # | kind | confidence | finding | site | evidence |', '|---|---|---|---|---|---|');
    findings.forEach((f, i) => lines.push(`| ${i + 1} | ${f.kind} | ${f.confidence} | ${cell(f.title)} | ${cell(site(f))} | ${cell(evidence(f))} |`));
    const advised = findings.filter((f) => f.advice);
    if (advised.length) {
      lines.push('', '## What to do', '');
      advised.forEach((f) => lines.push(`- **${cell(f.title)}** — ${cell(f.advice!)}`));
    }
  }
  return lines.join('\n') + '\n';
}

function html(findings: Finding[], paths: string[]): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
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
export function reportMarkdown(paths: string[]): string {
  return markdown(reportFindings(paths), paths);
}

/** Returns the exit code: 1 when a --fail-on threshold is passed, else 0. */
export function cmdReport(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  const a = parseArgs(argv, { booleans: ['md', 'json', 'html'], repeatable: ['fail-on'] });
  if (a.positional.length === 0) throw new UsageError('report needs at least one file');
  const formats = ['md', 'json', 'html'].filter((f) => a.bools.has(f));
  if (formats.length > 1) throw new UsageError('choose one of --md, --json, --html');
  const thresholds = parseFailOn(a.flags.get('fail-on') ?? []);
  const findings = reportFindings(a.positional);
  if (formats[0] === 'json') out(JSON.stringify({ findings }) + '\n');
  else if (formats[0] === 'html') out(html(findings, a.positional));
  else out(markdown(findings, a.positional));
  const failed = failures(findings, thresholds);
  for (const f of failed) err(`golens: --fail-on: ${f}\n`);
  return failed.length ? 1 : 0;
}
