// `golens slice <trace> [--view cpu|time|net|sync|syscall|sched] [--from DUR] [--to DUR]
// [--goroutine ID | --start-fn RE] [-n N] [--json]`: a time slice of a trace as `golens top`
// prints a profile — the CPU samples of a range, where goroutines spent their time by state,
// or Go's off-CPU profiles (`go tool trace -pprof=TYPE`) — and, with --json, the flame tree.
import { SLICE_VIEWS, STATE_FRAMES, type SliceQuery, type SliceView } from '../core/analysis/timeslices';
import { sliceFrom } from '../core/artifacts/slices';
import { formatNs, printable } from '../core/format';
import { compileGoRegexp } from '../core/pprof/regexp';
import { profileView } from '../core/pprof/view';
import { top } from '../core/pprof/top';
import { stacks } from '../core/pprof/stacks';
import { one, parseArgs, UsageError } from './args';
import { topTable } from './format';
import { decodeOptions } from './limits';

export const SLICE_USAGE = `golens slice <trace.out> [--view cpu|time|net|sync|syscall|sched] [--from DUR] [--to DUR]
             [--goroutine ID | --start-fn RE] [-n N] [--json]`;

const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9 };

/** `1.5ms`, `250us`, `2s`, `0` → nanoseconds since the trace's first event. */
export function parseTraceTime(text: string, what: string): number {
  if (/^0+$/.test(text)) return 0;
  let ns = 0, rest = text;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m)/.exec(rest);
    if (!m) throw new UsageError(`${what} ${JSON.stringify(text)} is not a duration: write it as Go does, e.g. 1.5ms, 250us, 2s`);
    ns += Number(m[1]) * UNITS[m[2]];
    rest = rest.slice(m[0].length);
  }
  if (!text) throw new UsageError(`${what} is empty: write a duration, e.g. 1.5ms`);
  return Math.round(ns);
}

export function cmdSlice(argv: string[], out: (s: string) => void): void {
  const a = parseArgs(argv, { values: ['view', 'from', 'to', 'goroutine', 'start-fn', 'nodecount'], booleans: ['json'], aliases: { n: 'nodecount' } });
  if (a.positional.length !== 1) throw new UsageError('slice needs exactly one trace file');
  const view = (one(a, 'view') ?? 'cpu') as SliceView;
  if (!SLICE_VIEWS.includes(view)) throw new UsageError(`--view must be one of ${SLICE_VIEWS.join(', ')}, not ${JSON.stringify(view)}`);
  const q: SliceQuery = { view };
  const from = one(a, 'from'), to = one(a, 'to'), gid = one(a, 'goroutine'), re = one(a, 'start-fn');
  if (from !== undefined) q.from = parseTraceTime(from, '--from');
  if (to !== undefined) q.to = parseTraceTime(to, '--to');
  if (q.from !== undefined && q.to !== undefined && q.to <= q.from) throw new UsageError('--to must be after --from');
  if (gid !== undefined) {
    if (!/^\d+$/.test(gid)) throw new UsageError(`--goroutine needs a goroutine id, not ${JSON.stringify(gid)}`);
    q.goroutine = Number(gid);
  }
  if (gid !== undefined && re !== undefined) throw new UsageError('give --goroutine or --start-fn, not both');
  if (re !== undefined) q.startFn = compileGoRegexp(re, 'start-fn');
  if (view !== 'cpu' && view !== 'time' && (from ?? to ?? gid ?? re) !== undefined) {
    throw new UsageError(`--view ${view} is Go's whole-trace profile (go tool trace -pprof=${view}): it takes no range or goroutine`);
  }
  const n = one(a, 'nodecount');
  if (n !== undefined && !/^\d+$/.test(n)) throw new UsageError(`-n needs a whole number, not ${JSON.stringify(n)}`);
  const limit = n === undefined ? Infinity : Number(n);

  const { profile, end } = sliceFrom(a.positional[0], q, decodeOptions);
  const si = profile.sampleTypes.findIndex((t) => t.type === 'delay');
  const sampleIndex = si >= 0 ? si : 0;
  const st = profile.sampleTypes[sampleIndex];
  const res = top(stacks(profile, sampleIndex), 'functions');
  const rows = res.rows.slice(0, limit);
  const rangeFrom = q.from ?? 0, rangeTo = Math.min(q.to ?? end, end);
  if (a.bools.has('json')) {
    const v = profileView(profile, { sampleIndex, granularity: 'functions', filters: {}, topLimit: 0, minFraction: 0 });
    const nodes: [number, number, number, number][] = [];
    for (let i = 0; i < v.treeSize; i++) nodes.push([v.tree.parent[i], v.tree.frame[i], v.tree.total[i], v.tree.self[i]]);
    out(JSON.stringify({
      view, sampleType: st.type, unit: st.unit, from: rangeFrom, to: rangeTo, total: res.total,
      ...(q.goroutine !== undefined ? { goroutine: q.goroutine } : {}), ...(re !== undefined ? { startFn: re } : {}),
      rows: rows.map((r) => ({ name: r.printable, function: r.function, file: r.file, flat: r.flat, cum: r.cum })),
      // The flame tree: names, and per node [parent, name index, total, self]; node 0 is the root.
      tree: { names: v.frameNames, nodes },
    }) + '\n');
    return;
  }
  const header = [
    `File: ${printable(a.positional[0])}`,
    `View: ${view}${view === 'time' ? ` (states: ${Object.values(STATE_FRAMES).join(' ')})` : ''}`,
    `Range: ${formatNs(rangeFrom)} to ${formatNs(rangeTo)} of ${formatNs(end)}${q.goroutine !== undefined ? `   Goroutine: ${q.goroutine}` : ''}${re !== undefined ? `   Start function: ${printable(re)}` : ''}`,
  ];
  out(topTable(rows, res.total, st.unit, header));
}
