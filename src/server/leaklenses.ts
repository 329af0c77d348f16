// Leak code lenses: the leaks in the artifacts the workspace names (traces, goroutine
// profiles, dumps; analysed on the worker, see artifacts.ts) are each matched to the `go`
// statement that created their goroutines, and the statement's line gets a lens and a hover
// with the evidence; the line they block on gets one too.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { LeakRow } from '../core/analysis/leaks';
import { formatNs, formatShare, mdCode, mdText, printable } from '../core/format';
import type { Place } from '../core/analysis/locate';
import { findGoStatements, type GoStatement } from '../core/source/gostmt';
import { matchLeaksToStatements } from '../core/source/leaklines';
import { artifactPaths } from './artifactpaths';
import type { LensData } from './artifacts';
import { WorkspaceSources } from './sources';

export { globToRegExp } from './artifactpaths';

export interface LeakAtLine {
  /** 1-based line of the `go` keyword. */
  line: number;
  rows: LeakRow[];
}

export interface BlockedAtLine {
  /** 1-based line where the leaked goroutines are blocked. */
  line: number;
  rows: LeakRow[];
  /** The `go` statements that created them (workspace file, 1-based line), where found. */
  createdBy: { file: string; line: number }[];
}

/** The files the patterns name, really inside the roots (see artifactpaths.ts); dropped entries are not read. */
export function resolveArtifacts(roots: string[], patterns: string[], outside: readonly string[] = []): string[] {
  return artifactPaths(roots, patterns, outside).files;
}

export class LeakLenses {
  private byFile = new Map<string, LeakAtLine[]>();
  /** Where a trace's leak shows in the timeline: the trace and the place. */
  private places = new Map<LeakRow, { trace: string; place: Place }>();
  private blockedByFile = new Map<string, BlockedAtLine[]>();

  /** sources: the server's one mapper; a refresh here re-reads it (both follow the files). */
  constructor(private readonly log: (s: string) => void, private readonly sources = new WorkspaceSources()) {}

  /**
   * Places the leaks the artifacts hold (decoded on the worker: see artifacts.ts) on the
   * workspace's Go files, read again for it; returns how many leak sites landed on a line.
   */
  update(roots: string[], leaks: LensData['leaks']): number {
    const rows: LeakRow[] = leaks.map((l) => l.row);
    this.places = new Map();
    for (const l of leaks) if (l.trace) this.places.set(l.row, l.trace);
    this.sources.refresh(roots);
    const mapper = this.sources;
    const goFiles = mapper.goFiles;
    // Parse only the files leaks point at, and their directories' other files (for named callees).
    const wanted = new Set<string>();
    for (const r of rows) {
      for (const p of [r.createdAt?.file, r.goFile, r.blockedAt.file]) {
        const f = p ? mapper.map(p) : undefined;
        if (f) for (const g of goFiles) if (dirname(g) === dirname(f)) wanted.add(g);
      }
    }
    const statements = new Map<string, GoStatement[]>();
    for (const f of wanted) {
      try { statements.set(f, findGoStatements(readFileSync(f, 'utf8'))); } catch { /* unreadable */ }
    }
    const { matched, unmatched } = matchLeaksToStatements(rows, statements, { map: (p) => mapper.map(p) });
    const byFile = new Map<string, Map<number, LeakRow[]>>();
    for (const m of matched) {
      const lines = byFile.get(m.file) ?? new Map<number, LeakRow[]>();
      const list = lines.get(m.statement.line) ?? [];
      list.push(m.leak);
      lines.set(m.statement.line, list);
      byFile.set(m.file, lines);
    }
    this.byFile = new Map([...byFile].map(([f, lines]) => [f, [...lines].map(([line, list]) => ({ line, rows: list }))]));
    // The other end: the line each leak's goroutines are blocked on.
    const goOf = new Map(matched.map((m) => [m.leak, { file: m.file, line: m.statement.line }]));
    const blocked = new Map<string, Map<number, BlockedAtLine>>();
    for (const r of rows) {
      const file = r.blockedAt.line > 0 ? mapper.map(r.blockedAt.file) : undefined;
      if (!file) continue;
      const lines = blocked.get(file) ?? new Map<number, BlockedAtLine>();
      const at = lines.get(r.blockedAt.line) ?? { line: r.blockedAt.line, rows: [], createdBy: [] };
      at.rows.push(r);
      const go = goOf.get(r);
      if (go && !at.createdBy.some((c) => c.file === go.file && c.line === go.line)) at.createdBy.push(go);
      lines.set(r.blockedAt.line, at);
      blocked.set(file, lines);
    }
    this.blockedByFile = new Map([...blocked].map(([f, lines]) => [f, [...lines.values()].sort((a, b) => a.line - b.line)]));
    for (const u of unmatched) this.log(`leak not placed on a go statement: ${u.leak.count} × ${u.leak.reason} at ${u.leak.blockedAt.function} (${u.reason})`);
    return matched.length;
  }

  /** The workspace file a build path from a trace or profile names, if it is in the workspace. */
  workspacePath(buildPath: string): string | undefined {
    return this.sources.map(buildPath);
  }

  /** The trace and place a leak row shows at in the timeline (rows from traces). */
  placeOf(row: LeakRow): { trace: string; place: Place } | undefined {
    return this.places.get(row);
  }

  at(file: string): LeakAtLine[] {
    return this.byFile.get(file) ?? [];
  }

  /** The lines of a file where leaked goroutines are blocked. */
  blockedAt(file: string): BlockedAtLine[] {
    return this.blockedByFile.get(file) ?? [];
  }
}

export function lensTitle(rows: LeakRow[], mapBlocked: (file: string) => string): string {
  const top = rows.slice().sort((a, b) => b.count - a.count)[0];
  const total = rows.reduce((a, r) => a + r.count, 0);
  const sure = rows.some((r) => r.confidence === 'proven') ? 'proven' : rows.some((r) => r.confidence === 'likely') ? 'likely' : 'possible';
  const where = `${basename(mapBlocked(top.blockedAt.file))}:${top.blockedAt.line}`;
  const sources = [...new Set(rows.flatMap((r) => r.sources.map((s) => basename(s))))].join(', ');
  return printable(`⚠ ${total} goroutine${total === 1 ? '' : 's'} leaked here (${sure}) — blocked on ${top.reason} at ${where} (${sources})`);
}

/** The hover in Markdown: every string from an artifact as a code span or escaped text, never a link or an image. */
export function hoverText(rows: LeakRow[]): string {
  return rows.map((r) => {
    const lines = [
      `**GoLens: ${r.count} goroutine${r.count === 1 ? '' : 's'} leaked** (${r.confidence}: ${mdText(r.why)})`,
      '',
      `- blocked on ${mdCode(r.reason)} in ${mdCode(r.blockedAt.function)} at ${mdCode(`${basename(r.blockedAt.file)}:${r.blockedAt.line}`)}`,
    ];
    if (r.blockedNs !== undefined) lines.push(`- blocked for ${formatNs(r.blockedNs)}${r.traceShare !== undefined ? ` (${formatShare(r.traceShare)} of the trace)` : ''}`);
    if (r.growth) lines.push(`- growth over ${r.growth.length} moments: ${r.growth.join(' → ')}`);
    if (r.pattern) lines.push(`- pattern: ${r.pattern}`);
    lines.push(`- from ${r.sources.map((s) => mdCode(basename(s))).join(', ')}`);
    return lines.join('\n');
  }).join('\n\n---\n\n');
}

/** The lens on the blocking line: how many, on what, and the `go` statement(s) that created them. */
export function blockedLensTitle(at: BlockedAtLine): string {
  const total = at.rows.reduce((a, r) => a + r.count, 0);
  const reasons = [...new Set(at.rows.map((r) => r.reason))].join(', ');
  const go = at.createdBy.map((c) => `${basename(c.file)}:${c.line}`).join(', ');
  return printable(`⚠ ${total} leaked goroutine${total === 1 ? '' : 's'} blocked here on ${reasons}${go ? ` — started by go at ${go}` : ''}`);
}
