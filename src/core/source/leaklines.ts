// Puts leaks on the `go` statements that started them, for code lenses: by the creating
// frame's file:line (traces, dumps: that line is the `go` statement's), by the start line
// of the function literal the goroutines run (goroutine profiles: Function.start_line is
// the line of `func`), or by the name of the function they run (`go waitFor(done)`).
import type { Finding, Site } from '../analysis/finding';
import type { LeakRow } from '../analysis/leaks';
import type { GoStatement } from './gostmt';
import { bestSourceMatch } from './paths';

/** What matching reads of a leak: a LeakRow has it all, a leak Finding most of it. */
export interface LeakSites {
  /** The blocking user frame. */
  blockedAt: Site | null;
  /** The `go` statement's creating frame (traces and dumps). */
  createdAt: Site | null;
  /** The function literal's start line (profiles), and its file when known. */
  goFile?: string;
  goLine?: number;
  /** The goroutine's start function (outermost frame), when the caller knows it. */
  startFunction?: string;
}

export type MatchedBy = 'createdAt' | 'goLine' | 'function';

export interface LeakMatch<L> {
  leak: L;
  /** The workspace file (a key of statementsByFile). */
  file: string;
  statement: GoStatement;
  by: MatchedBy;
}

export interface LeakMiss<L> {
  leak: L;
  /** Why no statement, in a few words per thing tried. */
  reason: string;
  /** Statements that fit equally well (an ambiguous name). */
  candidates?: { file: string; statement: GoStatement }[];
}

export interface LeakLines<L> {
  matched: LeakMatch<L>[];
  unmatched: LeakMiss<L>[];
}

export interface MatchOptions {
  /** Build path → key of statementsByFile (a SourceMapper's map). Default: exact key, else the longest shared path suffix (two segments or more). */
  map?: (buildPath: string) => string | undefined;
}

/** The sites of a LeakRow, a leak Finding (evidence.createdAt "fn file:line", evidence.goLine), or anything shaped like LeakSites. */
export function leakSites(leak: LeakRow | Finding | LeakSites): LeakSites {
  if ('kind' in leak && 'evidence' in leak) {
    const f = leak as Finding;
    const s: LeakSites = { blockedAt: f.site, createdAt: null };
    const c = typeof f.evidence.createdAt === 'string' ? /^(\S+) (.+):(\d+)$/.exec(f.evidence.createdAt) : null;
    if (c) s.createdAt = { function: c[1], file: c[2], line: Number(c[3]) };
    const goLine = f.evidence.goLine;
    if (typeof goLine === 'number') {
      s.goLine = goLine;
      // A finding keeps no goFile: the literal is the goroutine's function, most often in the blocking frame's file.
      if (typeof f.evidence.goFile === 'string') s.goFile = f.evidence.goFile;
    }
    return s;
  }
  return leak as LeakSites;
}

/** For each leak, the workspace file and `go` statement it was created by; the rest with the reason. */
export function matchLeaksToStatements<L extends LeakRow | Finding | LeakSites>(
  leaks: readonly L[], statementsByFile: ReadonlyMap<string, readonly GoStatement[]>, options: MatchOptions = {},
): LeakLines<L> {
  const files = [...statementsByFile.keys()];
  const map = options.map ?? ((p: string) => {
    if (statementsByFile.has(p)) return p;
    const m = bestSourceMatch(p, files);
    return m && m.segments >= 2 ? m.path : undefined;
  });
  const out: LeakLines<L> = { matched: [], unmatched: [] };
  for (const leak of leaks) {
    const r = matchOne(leakSites(leak), statementsByFile, map);
    if ('statement' in r) out.matched.push({ leak, ...r });
    else out.unmatched.push({ leak, ...r });
  }
  return out;
}

type One = { file: string; statement: GoStatement; by: MatchedBy } | { reason: string; candidates?: { file: string; statement: GoStatement }[] };

function matchOne(s: LeakSites, byFile: ReadonlyMap<string, readonly GoStatement[]>, map: (p: string) => string | undefined): One {
  const why: string[] = [];
  const names = [s.startFunction, s.blockedAt?.function].filter((n): n is string => !!n);

  if (s.createdAt) {
    const c = s.createdAt;
    const file = map(c.file);
    if (!file) why.push(`creation site ${c.file}:${c.line} is not a workspace file`);
    else {
      const st = atLine(byFile.get(file) ?? [], c.line, c.function, names);
      if (st) return { file, statement: st, by: 'createdAt' };
      why.push(`no go statement at ${file}:${c.line}`);
    }
  }

  if (s.goLine !== undefined && s.goLine > 0) {
    const buildFile = s.goFile ?? s.blockedAt?.file;
    const file = buildFile ? map(buildFile) : undefined;
    if (!file) why.push(`goroutine start ${buildFile ?? '?'}:${s.goLine} is not a workspace file`);
    else {
      const list = byFile.get(file) ?? [];
      // A literal's start line is its `func` line; a Go 1.22+ wrapper (gowrap) starts on the `go` line.
      const st = list.find((g) => g.kind === 'literal' && g.funcLine === s.goLine) ?? list.find((g) => g.line === s.goLine);
      if (st) return { file, statement: st, by: 'goLine' };
      why.push(`no function literal started by a go statement at ${file}:${s.goLine}`);
    }
  }

  if (names.length) {
    const home = s.blockedAt ? map(s.blockedAt.file) : undefined;
    for (const name of names) {
      if (!home && name.startsWith('main.')) {
        why.push(`${name} is in package main of no workspace directory`);
        continue;
      }
      let found = startersOf(name, byFile);
      // Package main's names say nothing of which program: keep to the blocking frame's directory.
      if (home) {
        const near = found.filter((f) => dirOf(f.file) === dirOf(home));
        if (near.length || name.startsWith('main.')) found = near;
      }
      if (found.length === 1) return { ...found[0], by: 'function' };
      if (found.length > 1) {
        why.push(`${found.length} go statements start ${name}`);
        return { reason: why.join('; '), candidates: found };
      }
    }
    const searched = names.filter((n) => home || !n.startsWith('main.'));
    if (searched.length) why.push(`no go statement starts ${searched.join(' or ')}`);
  }
  if (!why.length) why.push('no creation site, start line or function');
  return { reason: why.join('; ') };
}

/** The statement on a line (`go` keyword line first, then the innermost statement spanning it); ties broken by names. */
function atLine(list: readonly GoStatement[], line: number, creator: string, names: string[]): GoStatement | undefined {
  let hits = list.filter((g) => g.line === line);
  if (!hits.length) {
    const spanning = list.filter((g) => g.line <= line && line <= g.endLine);
    if (!spanning.length) return undefined;
    const width = Math.min(...spanning.map((g) => g.endLine - g.line));
    hits = spanning.filter((g) => g.endLine - g.line === width);
  }
  if (hits.length === 1) return hits[0];
  const byCreator = hits.filter((g) => g.creatorFunction === creator);
  if (byCreator.length === 1) return byCreator[0];
  const byName = hits.filter((g) => names.some((n) => starts(g, n)));
  return byName.length === 1 ? byName[0] : hits[0];
}

function startersOf(name: string, byFile: ReadonlyMap<string, readonly GoStatement[]>): { file: string; statement: GoStatement }[] {
  const out: { file: string; statement: GoStatement }[] = [];
  for (const [file, list] of byFile) for (const g of list) if (starts(g, name)) out.push({ file, statement: g });
  return out;
}

/** Whether the statement starts the function the runtime calls `name`. */
export function starts(g: GoStatement, name: string): boolean {
  if (g.kind === 'literal') return g.literalName === name;
  if (g.kind !== 'call') return false;
  if (g.calleeFunction) return g.calleeFunction === name;
  if (g.calleeIsMethod && g.calleeName) {
    // pkg.(*T).m or pkg.T.m: a receiver type between the package and the method.
    const tail = name.slice(name.lastIndexOf('/') + 1);
    return tail.endsWith(`).${g.calleeName}`) || (tail.endsWith(`.${g.calleeName}`) && tail.split('.').length >= 3);
  }
  return false;
}

function dirOf(p: string): string {
  const s = p.replace(/\\/g, '/');
  return s.slice(0, s.lastIndexOf('/'));
}
