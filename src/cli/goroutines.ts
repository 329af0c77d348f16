// `golens goroutines <trace> [--sort FIELD] [--start-fn RE] [--json]`: goroutines grouped by
// start function with the split of their time, as go tool trace's Goroutines pages.
import { COLUMN_KEYS, columnsOf, sortGroups, type ColumnKey, type GoroutineGroup, type GoroutineReport, type GoroutineStat } from '../core/analysis/goroutines';
import { goroutinesFrom } from '../core/artifacts/goroutines';
import { formatNs, formatShare, printable } from '../core/format';
import { compileGoRegexp } from '../core/pprof/regexp';
import { one, parseArgs, UsageError } from './args';
import { decodeOptions } from './limits';

const SORTS = ['running', 'count', 'name', ...COLUMN_KEYS.filter((k) => k !== 'running')] as const;

export function goroutinesJson(r: GoroutineReport, groups: GoroutineGroup[], goroutines: GoroutineStat[]) {
  return {
    totalExecNs: r.totalExecNs,
    groups: groups.map((g) => ({
      startFunction: g.startFunction, count: g.count, ids: g.ids, columns: columnsOf(g),
      execNs: g.execNs, schedWaitNs: g.schedWaitNs, blockNs: g.blockNs, syscallNs: g.syscallNs,
      syscallBlockNs: g.syscallBlockNs, unknownNs: g.unknownNs, totalNs: g.totalNs, rangeNs: g.rangeNs,
    })),
    goroutines,
  };
}

export function cmdGoroutines(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { booleans: ['json'], values: ['sort', 'start-fn'] });
  if (a.positional.length !== 1) throw new UsageError('goroutines needs exactly one execution trace');
  const sort = one(a, 'sort') ?? 'running';
  if (!(SORTS as readonly string[]).includes(sort)) throw new UsageError(`--sort takes one of ${SORTS.join(', ')}, not ${JSON.stringify(sort)}`);
  const re = one(a, 'start-fn');
  const match = re === undefined ? undefined : compileGoRegexp(re, '--start-fn');
  const r = goroutinesFrom(a.positional[0], decodeOptions);
  const groups = sortGroups(r.groups.filter((g) => !match || match.test(g.startFunction)), sort as ColumnKey | 'count' | 'name');
  const ids = new Set(groups.flatMap((g) => g.ids));
  if (a.bools.has('json')) {
    out(JSON.stringify(goroutinesJson(r, groups, r.goroutines.filter((g) => ids.has(g.id)))) + '\n');
    return;
  }
  const head = ['count', 'total', 'running', 'runnable', 'sync', 'chan', 'net', 'sleep', 'other', 'syscall', 'assist'];
  const lines = [
    `File: ${printable(a.positional[0])}`,
    `Goroutines: ${r.goroutines.length} in ${r.groups.length} groups by start function; execution time ${formatNs(r.totalExecNs)}` +
      (match ? `; ${groups.length} groups match --start-fn` : ''),
    'Times are go tool trace\'s: running, runnable (scheduler wait), blocked by kind, syscall; assist (GC mark assist) overlaps them.',
    '',
    `${head.map((h, i) => (i === 0 ? h.padStart(6) : h.padStart(9))).join(' ')}  share  start function`,
  ];
  for (const g of groups) {
    const c = columnsOf(g);
    const cells = [String(g.count).padStart(6), ...[c.total, c.running, c.runnable, c.sync, c.chan, c.net, c.sleep, c.other, c.syscall, c.assist].map((v) => formatNs(v).padStart(9))];
    lines.push(`${cells.join(' ')} ${formatShare(g.execNs, r.totalExecNs).padStart(6)}  ${printable(g.startFunction) || '(no stack trace sampled)'}`);
  }
  out(lines.join('\n') + '\n');
}
