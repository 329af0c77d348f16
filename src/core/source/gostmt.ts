// Finds every `go` statement in a Go source file, from tokens (gotoken.ts), with what it
// starts and the function it sits in, named as the runtime names functions in stacks
// (main.fetch, main.(*server).loop, main.fetch.func1) where the syntax alone can tell.
import { endsStatementAtNewline, tokenize, type GoToken } from './gotoken';

export interface GoStatement {
  /** The `go` keyword: 1-based line and byte column. */
  line: number;
  column: number;
  /** Last line of the statement (the call's closing parenthesis). */
  endLine: number;
  /** What it starts: a function literal (`go func() {…}()`), a call of a named function or method, or something unreadable. */
  kind: 'literal' | 'call' | 'other';
  /** literal: where the `func` keyword is — the line Function.start_line reports for it. */
  funcLine?: number;
  funcColumn?: number;
  /** literal: its runtime name as the compiler numbers closures (main.fetch.func1, main.f.func2.1); best effort. */
  literalName?: string;
  /** call: the callee as written, without spaces: "worker", "s.loop", "pkg.F", "f[int]". */
  callee?: string;
  /** call: the last name of the callee: "worker", "loop", "F". */
  calleeName?: string;
  /** call: the runtime name when the syntax tells it: main.worker, net/http.Serve. Unset for methods on values (s.loop). */
  calleeFunction?: string;
  /** call: the callee selects a method or a field on a value, not an import (`s.loop`), so the runtime name ends in `.loop` with a receiver type we cannot see. */
  calleeIsMethod?: boolean;
  /** The declared function it is in (main.fetch, main.(*T).run); '' at package level. */
  enclosingFunction: string;
  /** The innermost function it runs in, as the runtime names it: a trace's or dump's creating frame (main.fetch, main.fetch.func1). */
  creatorFunction: string;
  /** The prefix of the file's runtime function names: "main", or the package path. */
  runtimePackage: string;
}

export interface GoStatementOptions {
  /** The package's import path, for names outside package main (the runtime writes example.com/app/store.F). Default: the package clause's name. */
  packagePath?: string;
}

export interface GoFileInfo {
  /** The package clause's name ('' if none). */
  packageName: string;
  /** The prefix of runtime function names: "main" for package main, else the package path. */
  runtimePackage: string;
  /** Import name → import path (`_` and `.` imports left out). */
  imports: Map<string, string>;
  statements: GoStatement[];
  /** Every function literal with a body: where its `func` keyword is and its runtime name (best effort). */
  literals: { line: number; column: number; name: string }[];
}

/** Every `go` statement in the file, in source order. */
export function findGoStatements(source: string, options: GoStatementOptions = {}): GoStatement[] {
  return readGoFile(source, options).statements;
}

interface Scope {
  name: string;
  literal: boolean;
  /** Token index of the body's closing brace. */
  close: number;
  /** Closures numbered so far inside this function. */
  litGen: number;
}

const LITERAL_PREV_OPS = new Set(['=', ':=', '(', ',', '{', ':', '[', '<-', '&&', '||', '!', '==', '!=', '+', '-', '&', '|', '^',
  '<', '>', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '&^=', '&^', '<<', '>>', '/', '%', ';']);

/** The file's package, imports and `go` statements. */
export function readGoFile(source: string, options: GoStatementOptions = {}): GoFileInfo {
  const toks = tokenize(source).filter((t) => t.kind !== 'comment');
  const match = matchBrackets(toks);
  const newStmt = (j: number): boolean =>
    j === 0 || (toks[j - 1].kind === 'op' && toks[j - 1].text === ';') ||
    (toks[j].line > toks[j - 1].endLine && endsStatementAtNewline(toks[j - 1]));

  const pkgAt = toks.findIndex((t) => t.kind === 'keyword' && t.text === 'package');
  const packageName = pkgAt >= 0 && toks[pkgAt + 1]?.kind === 'ident' ? toks[pkgAt + 1].text : '';
  const runtimePackage = packageName === 'main' ? 'main' : escapePackagePath(options.packagePath ?? packageName);
  const imports = readImports(toks, match);

  const statements: GoStatement[] = [];
  const literals: GoFileInfo['literals'] = [];
  const pendingLiteral = new Map<number, GoStatement>();
  const scopes: Scope[] = [];
  let globGen = 0;
  let depth = 0;

  for (let j = 0; j < toks.length; j++) {
    while (scopes.length && scopes[scopes.length - 1].close < j) scopes.pop();
    const t = toks[j];
    if (t.kind === 'op') {
      if (t.text === '{') depth++;
      else if (t.text === '}') depth = Math.max(0, depth - 1);
      continue;
    }
    if (t.kind !== 'keyword') continue;

    if (t.text === 'func') {
      const decl = depth === 0 && newStmt(j);
      if (decl) {
        const d = readFuncDecl(toks, match, j, runtimePackage);
        if (d.body >= 0) scopes.push({ name: d.name, literal: false, close: match[d.body] ?? toks.length, litGen: 0 });
        continue;
      }
      if (!isExpressionFunc(toks, j, newStmt)) continue;
      const body = signatureBody(toks, match, j + 1, newStmt);
      if (body < 0) continue;
      const outer = scopes[scopes.length - 1];
      const name = !outer ? `${runtimePackage}.glob..func${++globGen}`
        : outer.literal ? `${outer.name}.${++outer.litGen}` : `${outer.name}.func${++outer.litGen}`;
      scopes.push({ name, literal: true, close: match[body] ?? toks.length, litGen: 0 });
      literals.push({ line: t.line, column: t.column, name });
      const stmt = pendingLiteral.get(j);
      if (stmt) stmt.literalName = name;
      continue;
    }

    if (t.text !== 'go') continue;
    // `x.go` or `T{go: 1}`: a name, not a statement (neither is valid Go, but editors hold half-written code).
    const prev = toks[j - 1];
    const after = toks[j + 1];
    if (prev?.kind === 'op' && prev.text === '.') continue;
    if (after?.kind === 'op' && after.text !== '(' && after.text !== '[' && !newStmt(j + 1)) continue;
    const declScope = scopes.find((s) => !s.literal);
    const stmt: GoStatement = {
      line: t.line, column: t.column, endLine: t.endLine, kind: 'other',
      enclosingFunction: declScope?.name ?? '',
      creatorFunction: scopes[scopes.length - 1]?.name ?? '',
      runtimePackage,
    };
    statements.push(stmt);
    const next = toks[j + 1];
    if (!next || newStmt(j + 1)) continue;
    if (next.kind === 'keyword' && next.text === 'func') {
      stmt.kind = 'literal';
      stmt.funcLine = next.line;
      stmt.funcColumn = next.column;
      pendingLiteral.set(j + 1, stmt);
      const body = signatureBody(toks, match, j + 2, newStmt);
      const close = body >= 0 ? match[body] : undefined;
      const args = close !== undefined ? close + 1 : -1;
      if (args > 0 && toks[args]?.text === '(' && match[args] !== undefined) stmt.endLine = toks[match[args]].endLine;
      else if (close !== undefined) stmt.endLine = toks[close].endLine;
      continue;
    }
    readCall(toks, match, j + 1, newStmt, stmt, runtimePackage, imports);
  }
  return { packageName, runtimePackage, imports, statements, literals };
}

/** For each opening ( [ { the index of its closing partner, and back (tolerant of unbalanced input). */
function matchBrackets(toks: GoToken[]): (number | undefined)[] {
  const match: (number | undefined)[] = new Array(toks.length);
  const stack: number[] = [];
  const pair: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let j = 0; j < toks.length; j++) {
    const t = toks[j];
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') { stack.push(j); continue; }
    const open = pair[t.text];
    if (!open) continue;
    // Unwind to the nearest matching opener; a stray closer matches nothing.
    for (let s = stack.length - 1; s >= 0; s--) {
      if (toks[stack[s]].text === open) {
        match[stack[s]] = j;
        match[j] = stack[s];
        stack.length = s;
        break;
      }
    }
  }
  return match;
}

/** A `func` keyword in an expression (a literal) rather than in a type (`[]func()`, `cb func()`, `chan func()`). */
function isExpressionFunc(toks: GoToken[], j: number, newStmt: (j: number) => boolean): boolean {
  if (newStmt(j)) return true;
  const p = toks[j - 1];
  if (p.kind === 'keyword') return p.text === 'go' || p.text === 'defer' || p.text === 'return' || p.text === 'case';
  return p.kind === 'op' && LITERAL_PREV_OPS.has(p.text);
}

/**
 * Given the token after `func` (or after a declaration's name), the index of the body's `{`,
 * or -1 for a function type or a declaration without body.
 */
function signatureBody(toks: GoToken[], match: (number | undefined)[], from: number, newStmt: (j: number) => boolean): number {
  for (let k = from; k < toks.length; k++) {
    if (k > from && newStmt(k)) return -1;
    const t = toks[k];
    if (t.kind === 'keyword' && (t.text === 'struct' || t.text === 'interface') && toks[k + 1]?.text === '{') {
      const close = match[k + 1];
      if (close === undefined) return -1;
      k = close;
      continue;
    }
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[') {
      const close = match[k];
      if (close === undefined) return -1;
      k = close;
      continue;
    }
    if (t.text === '{') return k;
    if (t.text === ')' || t.text === ']' || t.text === '}' || t.text === ',' || t.text === ';' || t.text === '=' || t.text === ':=') return -1;
  }
  return -1;
}

/** A top-level `func`: its runtime name and the index of its body's `{` (-1 without one). */
function readFuncDecl(toks: GoToken[], match: (number | undefined)[], j: number, pkg: string): { name: string; body: number } {
  let k = j + 1;
  let recv = '';
  if (toks[k]?.text === '(' && match[k] !== undefined) {
    recv = receiverType(toks.slice(k + 1, match[k]));
    k = match[k]! + 1;
  }
  const nameTok = toks[k];
  const fn = nameTok?.kind === 'ident' ? nameTok.text : '?';
  const name = recv ? `${pkg}.${recv}.${fn}` : `${pkg}.${fn}`;
  const newStmt = (i: number): boolean => i > 0 && toks[i].line > toks[i - 1].endLine && endsStatementAtNewline(toks[i - 1]);
  return { name, body: signatureBody(toks, match, k + 1, newStmt) };
}

/** `s *server` → `(*server)`, `server` → `server`, `l *List[T]` → `(*List[...])` (the runtime's spelling). */
function receiverType(inner: GoToken[]): string {
  let generic = false;
  const parts: GoToken[] = [];
  let bracket = 0;
  for (const t of inner) {
    if (t.text === '[') { bracket++; generic = true; continue; }
    if (t.text === ']') { bracket--; continue; }
    if (bracket === 0) parts.push(t);
  }
  const pointer = parts.some((t) => t.text === '*');
  const idents = parts.filter((t) => t.kind === 'ident');
  const type = idents[idents.length - 1]?.text ?? '?';
  const spelled = generic ? `${type}[...]` : type;
  return pointer ? `(*${spelled})` : spelled;
}

/** The callee of `go <call>`: as written, its last name and, where the syntax tells, its runtime name. */
function readCall(
  toks: GoToken[], match: (number | undefined)[], from: number, newStmt: (j: number) => boolean,
  stmt: GoStatement, pkg: string, imports: Map<string, string>,
): void {
  let k = from;
  const first = toks[k];
  if (first.kind === 'ident') k++;
  else if (first.text === '(' && match[k] !== undefined) k = match[k]! + 1;
  else return;
  let lastCall = -1;
  let end = k - 1;
  while (k < toks.length && !newStmt(k)) {
    const t = toks[k];
    if (t.text === '.' && toks[k + 1]?.kind === 'ident') { k += 2; end = k - 1; continue; }
    if (t.text === '.' && toks[k + 1]?.text === '(' && match[k + 1] !== undefined) { k = match[k + 1]! + 1; end = k - 1; continue; }
    if ((t.text === '(' || t.text === '[') && match[k] !== undefined) {
      if (t.text === '(') lastCall = k;
      k = match[k]! + 1;
      end = k - 1;
      continue;
    }
    break;
  }
  stmt.endLine = toks[end].endLine;
  if (lastCall < 0) return;
  stmt.kind = 'call';
  const calleeToks = toks.slice(from, lastCall);
  stmt.callee = calleeToks.map((t) => t.text).join('');
  // The name before the call, skipping a generic instantiation f[int].
  let n = lastCall - 1;
  if (toks[n].text === ']' && match[n] !== undefined && match[n]! >= from) n = match[n]! - 1;
  if (n >= from && toks[n].kind === 'ident') stmt.calleeName = toks[n].text;
  // Names the syntax can resolve: f(…), f[T](…), pkg.F(…) with pkg imported.
  const plain = toks.slice(from, n + 1);
  if (plain.length === 1 && plain[0].kind === 'ident') {
    if (pkg) stmt.calleeFunction = `${pkg}.${plain[0].text}`;
  } else if (plain.length === 3 && plain[0].kind === 'ident' && plain[1].text === '.' && plain[2].kind === 'ident') {
    const path = imports.get(plain[0].text);
    if (path) stmt.calleeFunction = `${escapePackagePath(path)}.${plain[2].text}`;
    else stmt.calleeIsMethod = true;
  } else if (plain.length > 1 && plain[plain.length - 2].text === '.') {
    stmt.calleeIsMethod = true;
  }
}

function readImports(toks: GoToken[], match: (number | undefined)[]): Map<string, string> {
  const imports = new Map<string, string>();
  const add = (nameTok: GoToken | undefined, pathTok: GoToken): void => {
    const path = unquote(pathTok);
    if (path === undefined) return;
    const name = nameTok ? nameTok.text : defaultImportName(path);
    if (name && name !== '_' && name !== '.') imports.set(name, path);
  };
  for (let j = 0; j < toks.length; j++) {
    const t = toks[j];
    if (t.kind !== 'keyword' || t.text !== 'import') continue;
    let k = j + 1;
    const specs: [number, number][] = [];
    if (toks[k]?.text === '(' && match[k] !== undefined) { specs.push([k + 1, match[k]!]); }
    else specs.push([k, Math.min(k + 2, toks.length)]);
    for (const [a, b] of specs) {
      for (k = a; k < b; k++) {
        const s = toks[k];
        if (s.kind === 'string' || s.kind === 'rawstring') { add(undefined, s); continue; }
        if ((s.kind === 'ident' || s.text === '.') && (toks[k + 1]?.kind === 'string' || toks[k + 1]?.kind === 'rawstring')) {
          add(s, toks[k + 1]);
          k++;
        }
      }
    }
  }
  return imports;
}

function unquote(t: GoToken): string | undefined {
  if (t.kind === 'rawstring') return t.text.slice(1, -1);
  try { return JSON.parse(t.text) as string; } catch { return undefined; }
}

/** The package name an import path usually declares: its last element, without a major-version element or gopkg.in's .vN. */
export function defaultImportName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1] ?? '';
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  last = last.replace(/\.v\d+$/, '');
  return /^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(last) ? last : '';
}

/** The linker's spelling of a package path in symbol names: dots in the last element become %2e (gopkg.in/yaml%2ev3). */
export function escapePackagePath(path: string): string {
  const slash = path.lastIndexOf('/');
  return path.slice(0, slash + 1) + path.slice(slash + 1).replace(/\./g, '%2e');
}
