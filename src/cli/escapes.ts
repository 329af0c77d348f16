// `golens escapes <package dir> [--profile heap.pprof]... [--all] [--json]`: the compiler's
// heap escapes in a package, ranked by the bytes an allocation profile measured on their
// lines. Runs the user's go (`go build -gcflags=-m=2`), or reads precomputed compiler output
// with --compiler-output (a -m / -m=2 text file, or a -json directory or file).
import { formatBytes, formatShare, type AllocIndex, type EscapeHint, type HintResult } from '../core/analysis/escapes';
import { escapesOfPackage } from '../core/artifacts/escapes';
import { printable } from '../core/format';
import { one, parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

export function hintJson(h: EscapeHint) {
  return {
    file: h.file, line: h.line, column: h.column, kind: h.kind, message: h.message, allocBytes: h.allocBytes, allocObjects: h.allocObjects,
    flow: h.flow.map((s) => ({ file: s.file, line: s.line, column: s.column, text: s.text })),
    compiler: h.compiler, why: h.why, fix: h.fix, share: h.share,
  };
}

export function cmdEscapes(argv: string[], out: (s: string) => void, err: (s: string) => void): void {
  const a = parseArgs(argv, { values: ['compiler-output', 'go', 'timeout'], repeatable: ['profile'], booleans: ['json', 'all'] });
  if (a.positional.length !== 1) throw new UsageError('escapes needs one package directory: golens escapes <package dir> [--profile heap.pprof] [--compiler-output FILE|DIR] [--all] [--json]');
  const timeoutText = one(a, 'timeout') ?? '300';
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || Number(timeoutText) <= 0) throw new UsageError(`--timeout needs seconds, not ${JSON.stringify(timeoutText)}`);
  const { result: res, allocs, moduleDir } = escapesOfPackage({
    dir: a.positional[0], compilerOutput: one(a, 'compiler-output'), go: one(a, 'go'), env: process.env,
    timeoutMs: Number(timeoutText) * 1000, timeoutSetting: '--timeout', profiles: a.flags.get('profile') ?? [], all: a.bools.has('all'),
    warn: (s) => err(`golens: ${printable(s)}\n`),
  }, decodeOptions);
  if (a.bools.has('json')) {
    out(JSON.stringify({ hints: res.hints.map(hintJson), hidden: res.hidden, profile: allocs ? { totalBytes: allocs.totalBytes, totalObjects: allocs.totalObjects } : null }) + '\n');
    return;
  }
  out(escapesTable(res, allocs, moduleDir));
}

export function escapesTable(res: HintResult, allocs: AllocIndex | undefined, moduleDir: string): string {
  const lines: string[] = [];
  const rel = (f: string) => printable(f.startsWith(moduleDir + '/') ? f.slice(moduleDir.length + 1) : f);
  if (res.hints.length === 0) {
    lines.push(allocs && res.hidden ? `No heap escape with measured allocations (${res.hidden} without; --all shows them).` : 'No heap escapes reported by the compiler.');
    return lines.join('\n') + '\n';
  }
  lines.push(`${res.hints.length} heap escape${res.hints.length === 1 ? '' : 's'}${allocs ? ` ranked by bytes allocated (of ${formatBytes(allocs.totalBytes)} in the profile)` : ''}${res.hidden ? `; ${res.hidden} with no measured allocation hidden (--all)` : ''}`, '');
  for (const h of res.hints) {
    const cost = allocs ? `${formatBytes(h.allocBytes).padStart(9)} ${formatShare(h.share).padStart(5)}  ` : '';
    lines.push(`${cost}${rel(h.file)}:${h.line}:${h.column}  ${printable(h.compiler)} — ${printable(h.why)}`);
    lines.push(`${' '.repeat(cost.length)}  fix: ${printable(h.fix)}`);
  }
  return lines.join('\n') + '\n';
}
