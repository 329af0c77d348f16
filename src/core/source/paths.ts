// Maps a build path from a profile (/home/ci/src/app/pkg/x.go, or module/pkg/x.go with
// -trimpath) to a file in the workspace: the candidate sharing the longest run of trailing
// path segments wins; a bare file-name match is accepted only when it is unique.

export interface SourceMatch {
  path: string;
  /** How many trailing segments matched. */
  segments: number;
}

export function splitPath(p: string): string[] {
  return p.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
}

export function commonSuffix(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

export function bestSourceMatch(buildPath: string, candidates: Iterable<string>): SourceMatch | undefined {
  const want = splitPath(buildPath);
  if (want.length === 0) return undefined;
  let best: SourceMatch | undefined;
  let ties = 0;
  for (const c of candidates) {
    const n = commonSuffix(want, splitPath(c));
    if (n === 0) continue;
    if (!best || n > best.segments) { best = { path: c, segments: n }; ties = 1; }
    else if (n === best.segments) ties++;
  }
  if (!best) return undefined;
  if (best.segments === 1 && ties > 1) return undefined;
  return best;
}
