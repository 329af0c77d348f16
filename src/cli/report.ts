// `golens report <files...> [--md|--text|--json|--html] [--fail-on KIND[=N]]...`: every finding
// that applies to the inputs, ranked; plain text at a terminal, Markdown when the output goes
// elsewhere (a file, a pipe, a CI job summary). With
// --fail-on, exit 1 when likely or proven findings of that kind pass the threshold.
import type { FindingKind } from '../core/analysis/finding';
import { failures, reportFindings, renderHtml, renderJson, renderMarkdown, renderText, type Threshold } from '../core/artifacts/report';
import { parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

/** `leaks`, `leaks=10`, `contention`, … ; a leak's size is its goroutine count, others count 1. (`golens watch` takes the same.) */
export function parseFailOn(specs: string[]): Threshold[] {
  return specs.map((spec) => {
    const m = /^(leaks?|contention|gc|sched)(?:=(\d+))?$/.exec(spec);
    if (!m) throw new UsageError(`--fail-on takes leaks[=N], contention[=N], gc[=N] or sched[=N], not ${JSON.stringify(spec)}`);
    const kind = (m[1].startsWith('leak') ? 'leak' : m[1]) as FindingKind;
    return { kind, min: m[2] === undefined ? 1 : Number(m[2]) };
  });
}

/** Returns the exit code: 1 when a --fail-on threshold is passed, else 0. */
export function cmdReport(argv: string[], out: (s: string) => void, err: (s: string) => void, tty = false): number {
  const a = parseArgs(argv, { booleans: ['md', 'text', 'json', 'html'], repeatable: ['fail-on'] });
  if (a.positional.length === 0) throw new UsageError('report needs at least one file');
  const formats = ['md', 'text', 'json', 'html'].filter((f) => a.bools.has(f));
  if (formats.length > 1) throw new UsageError('choose one of --md, --text, --json, --html');
  const thresholds = parseFailOn(a.flags.get('fail-on') ?? []);
  const findings = reportFindings(a.positional, decodeOptions);
  if (formats[0] === 'json') out(renderJson(findings));
  else if (formats[0] === 'html') out(renderHtml(findings, a.positional));
  else if (formats[0] === 'text' || (formats[0] === undefined && tty)) out(renderText(findings, a.positional));
  else out(renderMarkdown(findings, a.positional));
  const failed = failures(findings, thresholds);
  for (const f of failed) err(`golens: --fail-on: ${f}\n`);
  return failed.length ? 1 : 0;
}
