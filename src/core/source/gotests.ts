// The tests and benchmarks `go test` would run from a _test.go file, found on Go tokens
// (gotoken.ts) so that comments and strings never count. Go's rules (cmd/go's test loader):
// a top-level func, no receiver, no type parameters, no results, exactly one parameter of type
// *T / *B (or *pkg.T / *pkg.B, however testing was imported), named Test…/Benchmark… where what
// follows the prefix is empty or does not start with a lower-case letter.
import { tokenize, type GoToken } from './gotoken';

export type GoTestKind = 'test' | 'benchmark';

export interface GoTestFunc {
  kind: GoTestKind;
  name: string;
  /** The `func` keyword: 1-based line and byte column (where a lens goes). */
  line: number;
  column: number;
  /** The name's line (differs only when the declaration is split over lines). */
  nameLine: number;
}

const PREFIX: Record<GoTestKind, { prefix: string; param: string }> = {
  test: { prefix: 'Test', param: 'T' },
  benchmark: { prefix: 'Benchmark', param: 'B' },
};

/** Whether `go test` takes a function of that name for that prefix (Go's isTest). */
export function isTestName(name: string, prefix: string): boolean {
  if (!name.startsWith(prefix)) return false;
  if (name.length === prefix.length) return true;
  const next = String.fromCodePoint(name.codePointAt(prefix.length)!);
  // Go's unicode.IsLower: a letter with a distinct upper case and in the Ll category.
  return !/\p{Ll}/u.test(next);
}

/** True for a path go test reads tests from. */
export function isGoTestFile(path: string): boolean {
  return /_test\.go$/.test(path);
}

/** Every test and benchmark function of a _test.go file's source, in source order. Never throws. */
export function findGoTests(source: string): GoTestFunc[] {
  const toks = tokenize(source).filter((t) => t.kind !== 'comment');
  const out: GoTestFunc[] = [];
  let depth = 0;
  for (let j = 0; j < toks.length; j++) {
    const t = toks[j];
    if (t.kind === 'op') {
      if (t.text === '{' || t.text === '(' || t.text === '[') depth++;
      else if ((t.text === '}' || t.text === ')' || t.text === ']') && depth > 0) depth--;
      continue;
    }
    if (depth !== 0 || t.kind !== 'keyword' || t.text !== 'func') continue;
    const name = toks[j + 1];
    // `func (r T) Name`: a method, never a test; `func(…)` at top level is not a declaration either.
    if (name?.kind !== 'ident') continue;
    const kind = (Object.keys(PREFIX) as GoTestKind[]).find((k) => isTestName(name.text, PREFIX[k].prefix));
    if (!kind) continue;
    if (takesOnly(toks, j + 2, PREFIX[kind].param)) out.push({ kind, name: name.text, line: t.line, column: t.column, nameLine: name.line });
  }
  return out;
}

const isOp = (t: GoToken | undefined, text: string): boolean => t?.kind === 'op' && t.text === text;

/**
 * From the token after the name: `( [ident] * [ident .] P )` followed by the body, a newline's
 * end of declaration or the end of the file — no type parameters and no results.
 */
function takesOnly(toks: GoToken[], at: number, param: string): boolean {
  let k = at;
  if (!isOp(toks[k++], '(')) return false;
  if (toks[k]?.kind === 'ident' && !isOp(toks[k + 1], '.') && !isOp(toks[k + 1], ')')) k++;
  if (!isOp(toks[k++], '*')) return false;
  if (toks[k]?.kind === 'ident' && isOp(toks[k + 1], '.')) k += 2;
  if (toks[k]?.kind !== 'ident' || toks[k].text !== param) return false;
  const close = toks[k + 1];
  if (!isOp(close, ')')) return false;
  const after = toks[k + 2];
  // Results would follow on the same line; a body, `;`, or the next declaration means none.
  return !after || isOp(after, '{') || isOp(after, ';') || after.line > close.endLine;
}
