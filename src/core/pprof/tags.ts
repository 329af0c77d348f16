// pprof's -tagfocus / -tagignore: `key=re1,re2` matches a sample whose label `key` has a
// value matched by any of the regexps; a bare `re` must match "key:value" of some label
// (every listed regexp must match one); numeric ranges (`32kb`, `:64kb`, `4mb:`, `1kb:8mb`)
// compare numeric labels after unit conversion.
import type { Label } from './model';
import { compileGoRegexp } from './regexp';
import { scale } from './units';

export type TagMatch = (labels: Label[]) => boolean;

const RANGE = /([+-]?\d+)([a-zA-Z]+)?/g;

export function tagMatcher(spec: string, what: string): TagMatch {
  let key = '';
  let value = spec;
  const eq = spec.indexOf('=');
  if (eq >= 0) { key = spec.slice(0, eq); value = spec.slice(eq + 1); }

  const range = parseRange(value);
  if (range) {
    return (labels) => labels.some((l) => l.num !== undefined && (key === '' || l.key === key) && range(l.num, l.numUnit ?? unitFor(l.key)));
  }
  const res = value.split(',').map((v) => compileGoRegexp(v, what));
  if (key === '') {
    return (labels) => res.every((re) => labels.some((l) => l.str !== undefined && re.test(`${l.key}:${l.str}`)));
  }
  return (labels) => labels.some((l) => l.key === key && l.str !== undefined && res.some((re) => re.test(l.str!)));
}

// pprof infers units of well-known numeric label keys when the file gives none.
function unitFor(key: string): string {
  if (key === 'bytes' || key === 'request') return 'bytes';
  return key;
}

function parseRange(filter: string): ((v: number, unit: string) => boolean) | undefined {
  const m = [...filter.matchAll(RANGE)].slice(0, 2);
  if (m.length === 0) return undefined;
  const [v1, u1] = scale(Number(m[0][1]), m[0][2] ?? '', m[0][2] ?? '');
  const inUnit = (v: number, u: string): number | undefined => {
    const [sv, su] = scale(v, u, u1);
    return su === u1 ? sv : undefined;
  };
  if (m.length === 1) {
    const tok = m[0][0];
    if (filter === tok) return (v, u) => inUnit(v, u) === v1;
    if (filter === tok + ':') return (v, u) => { const x = inUnit(v, u); return x !== undefined && x >= v1; };
    if (filter === ':' + tok) return (v, u) => { const x = inUnit(v, u); return x !== undefined && x <= v1; };
    return undefined;
  }
  if (filter !== `${m[0][0]}:${m[1][0]}`) return undefined;
  const [v2, u2] = scale(Number(m[1][1]), m[1][2] ?? '', u1);
  if (u2 !== u1) return undefined;
  return (v, u) => { const x = inUnit(v, u); return x !== undefined && x >= v1 && x <= v2; };
}
