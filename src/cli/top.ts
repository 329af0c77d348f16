// `golens top`: pprof's -top table of one profile (several merged), with pprof's filters,
// granularities and sample types (diff.ts, `golens diff`, shares them).
import { profileFromFile, profileFromFileStreamed } from '../core/artifacts/profiles';
import { printable } from '../core/format';
import { merge } from '../core/pprof/merge';
import { sampleIndex, type Profile } from '../core/pprof/model';
import type { Filters } from '../core/pprof/stacks';
import type { Granularity, TopResult } from '../core/pprof/top';
import { topOf, unfiltered } from '../core/pprof/toppacked';
import { topFromFile } from '../core/artifacts/topfile';
import { scaledLabel } from '../core/pprof/units';
import { one, parseArgs, UsageError, type Parsed } from './args';
import { topTable } from './format';
import { decodeOptions } from './limits';

export function filtersOf(p: Parsed): Filters {
  return {
    focus: one(p, 'focus'), ignore: one(p, 'ignore'), hide: one(p, 'hide'), show: one(p, 'show'),
    tagFocus: p.flags.get('tag'), tagIgnore: p.flags.get('tagignore'),
    ...keyList(p, 'tagroot', 'tagRoot'), ...keyList(p, 'tagleaf', 'tagLeaf'),
  };
}

// --tagroot worker,stage or --tagroot worker --tagroot stage, as pprof's comma list.
function keyList(p: Parsed, flag: string, field: 'tagRoot' | 'tagLeaf'): Filters {
  const keys = (p.flags.get(flag) ?? []).flatMap((v) => v.split(',')).filter((k) => k !== '');
  return keys.length ? { [field]: keys } : {};
}

export function granularityOf(p: Parsed): Granularity {
  const g = one(p, 'granularity') ?? 'functions';
  if (g !== 'functions' && g !== 'lines') throw new UsageError(`--granularity must be functions or lines, not ${JSON.stringify(g)}`);
  return g;
}

export function limitOf(p: Parsed): number {
  const n = one(p, 'nodecount');
  if (n === undefined) return Infinity;
  if (!/^\d+$/.test(n)) throw new UsageError(`-n needs a whole number, not ${JSON.stringify(n)}`);
  return Number(n);
}

export function pickSample(prof: Profile, which: string | undefined): number {
  try {
    return sampleIndex(prof, which);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export const COMMON = { values: ['sample', 'granularity', 'nodecount', 'focus', 'ignore', 'hide', 'show'], repeatable: ['tag', 'tagignore', 'tagroot', 'tagleaf'], booleans: ['json'], aliases: { n: 'nodecount', s: 'sample' } };

export function header(p: Profile, files: string[], si: number): string[] {
  const h = [`File: ${printable(files.join(', '))}`, `Type: ${printable(p.sampleTypes[si].type)}`];
  if (p.timeNanos) h.push(`Time: ${new Date(p.timeNanos / 1e6).toISOString()}`);
  if (p.durationNanos) h.push(`Duration: ${scaledLabel(p.durationNanos, 'nanoseconds', 'auto')}`);
  return h;
}

export function cmdTop(argv: string[], out: (s: string) => void): void {
  const a = topArgs(argv);
  printTop(a, merge(a.positional.map((p) => profileFromFile(p, decodeOptions))), out);
}

/** `golens top` as the CLI runs it: each file decoded as it inflates, in a fraction of the memory. */
export async function cmdTopStreamed(argv: string[], out: (s: string) => void): Promise<void> {
  const a = topArgs(argv);
  if (a.positional.length === 1 && unfiltered(filtersOf(a))) {
    // One file, no filter: two passes over it, no samples held (topfile.ts).
    const g = granularityOf(a);
    const t = await topFromFile(a.positional[0], decodeOptions, (p) => pickSample(p, one(a, 'sample')), g);
    if (t) { printRows(a, t.profile, t.sampleIndex, g, t.top, out); return; }
  }
  const profs: Profile[] = [];
  for (const p of a.positional) profs.push(await profileFromFileStreamed(p, decodeOptions));
  printTop(a, merge(profs), out);
}

function topArgs(argv: string[]): Parsed {
  const a = parseArgs(argv, COMMON);
  if (a.positional.length === 0) throw new UsageError('top needs a profile file');
  return a;
}

function printTop(a: Parsed, prof: Profile, out: (s: string) => void): void {
  const si = pickSample(prof, one(a, 'sample'));
  const g = granularityOf(a);
  printRows(a, prof, si, g, topOf(prof, si, filtersOf(a), g), out);
}

function printRows(a: Parsed, prof: Profile, si: number, g: Granularity, res: TopResult, out: (s: string) => void): void {
  const rows = res.rows.slice(0, limitOf(a));
  const st = prof.sampleTypes[si];
  if (a.bools.has('json')) {
    out(JSON.stringify({
      sampleType: st.type, unit: st.unit, total: res.total,
      rows: rows.map((r) => ({
        name: r.printable, function: r.function, file: r.file, ...(g === 'lines' ? { line: r.line } : {}), flat: r.flat, cum: r.cum,
        ...(r.inline ? { inline: r.inline } : {}),
      })),
    }) + '\n');
  } else {
    out(topTable(rows, res.total, st.unit, header(prof, a.positional, si)));
  }
}
