// Goroutine leaks: goroutines parked on something that will never happen (a channel
// operation, a select, a lock, a Cond), read from what the runtime wrote — an execution
// trace (still blocked at its end), goroutine profiles and text dumps (one snapshot, or
// several over time for growth), and the goroutineleak profile (the GC's proof).
//
// Confidence: proven — the goroutineleak profile (or a dump's "(leaked)") lists them;
// likely — the site grew across moments with new goroutines (growthRows), kept creating
// goroutines that stayed blocked through a trace, or has waited LONG_WAIT_NS; possible — one
// snapshot that could also be an idle worker pool.
import { CONFIDENCE_RANK, formatShare } from '../format';
import type { Profile } from '../pprof/model';
import type { RuntimeModel } from '../runtime/model';
import { SpanScan } from './jointscan';
import { GoState, NONE, type Frame } from '../trace/events';
import type { DumpGoroutine, GoroutineDump } from '../text/goroutines';
import type { Confidence, Finding, Site } from './finding';
import { SlotRows } from './slotrows';
import { isUserFrame, userFrame, type FrameLike } from './frames';
import { groupMoments, stampTime } from './moments';

/** Why a goroutine is parked, in the execution tracer's words (the dump's are mapped onto them). */
export type LeakReason = 'chan send' | 'chan receive' | 'select' | 'sync' | 'sync.(*Cond).Wait' | 'forever';

/** Known leak shapes, each with its usual fix (PATTERN_ADVICE). */
export type LeakPattern = 'send-after-timeout' | 'range-never-closed' | 'cond-never-signalled' | 'missing-cancel' | 'body-not-closed';

/** A wait this long is strong evidence on its own (dumps print minutes; traces rarely last this long). */
export const LONG_WAIT_NS = 10 * 60e9;

/**
 * In a trace, a site "keeps leaking" when this many goroutines still blocked there at the
 * end, none of which had been woken there before, ...
 */
export const TRACE_GROWTH_MIN = 3;
/** ... were created over at least this fraction of the trace. */
export const TRACE_GROWTH_SPREAD = 0.25;

/** One leak site: goroutines blocked at the same place, for the same reason, started by the same `go` statement when known. */
export interface LeakRow {
  count: number;
  reason: LeakReason;
  /** The blocking user frame: nearest the top that is not runtime., sync., internal/… */
  blockedAt: Site;
  /** The `go` statement's function and line (traces: the creating stack; dumps: "created by"; profiles: null). */
  createdAt: Site | null;
  confidence: Confidence;
  pattern?: LeakPattern;
  /** How long the longest-waiting one has been blocked (traces: at the end; dumps: the header's minutes). */
  blockedNs?: number;
  /** blockedNs as a share of the trace (traces only). */
  traceShare?: number;
  /** The `go` statement, for code lenses: createdAt's line, or in a profile the start line of the function literal the goroutines run. */
  goFile?: string;
  goLine?: number;
  /** Counts at each moment, oldest first (two or more moments of profiles or dumps; a profile and a dump of one moment are one). */
  growth?: number[];
  /** Why this confidence, in a few words. */
  why: string;
  /** The wait reason as the input spelled it ("sync.Cond.Wait", "semacquire", "chan receive (nil chan)"…). */
  waitReason: string;
  /** Input files the row comes from. */
  sources: string[];
  /** The goroutines of the row (traces only): for views that show them. */
  goroutines?: number[];
}

/** What `golens leaks` reads, decoded. */
export type LeakInput =
  /** scan: a LeakScan of this model kept up while it was read (the leaks then walk only the spans closed since). */
  | { kind: 'trace'; source: string; model: RuntimeModel; scan?: LeakScan }
  | { kind: 'profile'; source: string; profile: Profile }
  | { kind: 'dump'; source: string; dump: GoroutineDump };

export const PATTERN_ADVICE: Record<LeakPattern, string> = {
  'send-after-timeout':
    'A send nobody receives: the receiver gave up (timeout, cancellation, early return) and left. ' +
    'Give the channel a buffer of 1 so the send always completes, or send inside a select with <-ctx.Done().',
  'range-never-closed':
    'A range (or v, ok := <-ch) over a channel that is never closed. Close it when the producer is done ' +
    '(defer close(ch) in the sender), or stop the consumer with a context.',
  'cond-never-signalled':
    'sync.Cond.Wait with no Signal or Broadcast to come. Broadcast wherever the condition can change ' +
    '(shutdown included), or use a channel that is closed instead of the Cond.',
  'missing-cancel':
    'A receive or select that nothing will ever make ready. Add a case <-ctx.Done() (or a done channel) ' +
    'and make sure it fires: call the cancel function (defer cancel()) when the work is abandoned.',
  'body-not-closed':
    'An HTTP response whose body is never closed (or is still being read, as a stream is): its connection\'s reader ' +
    '(net/http.(*persistConn).readLoop) waits for the body to be read or closed, and its writer waits with it. Close every ' +
    'response body once err is nil (defer resp.Body.Close()), even one you do not read; read it to the end to reuse the connection.',
};

const REASON_ADVICE: Record<LeakReason, string> = {
  'chan send': PATTERN_ADVICE['send-after-timeout'],
  'chan receive': 'A receive that never gets a value: close the channel when the sender is done, or select on ctx.Done() as well.',
  select: PATTERN_ADVICE['missing-cancel'],
  sync: 'Waiting for a lock or a WaitGroup that will never be released: look for an Unlock or Done missing on an early return or a panic path (use defer).',
  'sync.(*Cond).Wait': PATTERN_ADVICE['cond-never-signalled'],
  forever: 'Blocked forever by construction: an operation on a nil channel or an empty select {}. Make sure the channel is created before use.',
};

/** All leak rows for the inputs, most goroutines first. Goroutine profiles and dumps given together are snapshots over time (oldest first, or by profile time). */
export function analyzeLeaks(inputs: LeakInput[]): LeakRow[] {
  return leakPass(inputs);
}

/** The rows and the census of the inputs, in one pass over them. */
export function leakReport(inputs: LeakInput[]): { rows: LeakRow[]; census: LeakCensus } {
  const census: LeakCensus = { goroutines: 0, parked: 0, runtimeParked: 0, notParked: {} };
  return { rows: leakPass(inputs, census), census };
}

function leakPass(inputs: LeakInput[], census?: LeakCensus): LeakRow[] {
  const rows: LeakRow[] = [];
  const snapshots: Snapshot[] = [];
  // Several goroutine profiles or dumps are one program over time: the census is the last one's.
  const series = inputs.filter((i) => i.kind === 'dump' || (i.kind === 'profile' && goroutineProfileKind(i.profile) === 'goroutine'));
  const counted = (input: LeakInput) => (census && (!series.includes(input) || input === series[series.length - 1]) ? censusCounter(census, input.source) : undefined);
  for (const input of inputs) {
    const count = counted(input);
    if (input.kind === 'trace') rows.push(...traceRows(input.model, input.source, count, input.scan?.model === input.model ? input.scan : undefined));
    else {
      const s = snapshotOf(input, count);
      if (s?.kind === 'goroutineleak') rows.push(...snapshotRows(s));
      else if (s) snapshots.push(s);
    }
  }
  rows.push(...seriesRows(snapshots));
  if (census) poolSince(census, snapshots);
  return sortRows(mergeRows(rows));
}

/**
 * A series' census is its last snapshot's; where the program's client connections rose from
 * the first, it keeps the first count too (pooledLine says so: a pool that keeps growing is an
 * http.Client or Transport made per request, each with its own idle connections).
 */
function poolSince(census: LeakCensus, series: Snapshot[]): void {
  if (series.length < 2) return;
  const first = series[0].pooled;
  if ((census.pooledConnections ?? 0) > first) census.pooledFirst = first;
}

/** A goroutine or goroutineleak profile, or a dump, as a snapshot (undefined: a profile of another kind). */
function snapshotOf(input: Exclude<LeakInput, { kind: 'trace' }>, count?: Counter): Snapshot | undefined {
  if (input.kind === 'dump') return dumpSnapshot(input.dump, input.source, count);
  const kind = goroutineProfileKind(input.profile);
  return kind ? profileSnapshot(input.profile, input.source, kind === 'goroutineleak', count) : undefined;
}

function seriesRows(snapshots: Snapshot[]): LeakRow[] {
  if (snapshots.length === 1) return snapshotRows(snapshots[0]);
  return snapshots.length > 1 ? growthRows(snapshots) : [];
}

/**
 * A goroutine or goroutineleak profile (or a dump) reduced to what the leak analysis keeps of
 * it — its parked goroutines' stacks and its census — so that a program watched over time
 * need not be kept as every profile it served. Opaque outside this module.
 */
export interface LeakSnapshot {
  readonly source: string;
  readonly census: LeakCensus;
  /** The groups this snapshot alone holds, each with its count (what a live chart shows). */
  readonly rows: LeakRow[];
  readonly part: unknown;
}

/** Reduces a goroutine or goroutineleak profile or a dump; undefined for any other input. */
export function leakSnapshot(input: LeakInput): LeakSnapshot | undefined {
  if (input.kind === 'trace') return undefined;
  const census: LeakCensus = { goroutines: 0, parked: 0, runtimeParked: 0, notParked: {} };
  const part = snapshotOf(input, censusCounter(census, input.source));
  if (!part) return undefined;
  // Grouped as the series groups them, so a group's count here is its growth entry there.
  return { source: input.source, census, rows: sortRows(part.kind === 'goroutineleak' ? snapshotRows(part) : seriesRows([part])), part };
}

/**
 * leakReport over reduced snapshots, in the order given: the same rows and census as
 * leakReport over the inputs they were reduced from.
 */
export function leakReportOfSnapshots(snaps: LeakSnapshot[]): { rows: LeakRow[]; census: LeakCensus } {
  const parts = snaps.map((s) => s.part as Snapshot);
  const rows = parts.filter((s) => s.kind === 'goroutineleak').flatMap(snapshotRows);
  const series = parts.filter((s) => s.kind !== 'goroutineleak');
  rows.push(...seriesRows(series));
  const census: LeakCensus = { goroutines: 0, parked: 0, runtimeParked: 0, notParked: {} };
  snaps.forEach((s, i) => {
    if (parts[i].kind !== 'goroutineleak' && parts[i] !== series[series.length - 1]) return;
    addCensus(census, s.census);
  });
  poolSince(census, series);
  return { rows: sortRows(mergeRows(rows)), census };
}

function addCensus(into: LeakCensus, c: LeakCensus): void {
  into.goroutines += c.goroutines;
  into.parked += c.parked;
  into.runtimeParked += c.runtimeParked;
  if (c.connections) into.connections = (into.connections ?? 0) + c.connections;
  if (c.openConnections) into.openConnections = (into.openConnections ?? 0) + c.openConnections;
  if (c.pooledConnections) into.pooledConnections = (into.pooledConnections ?? 0) + c.pooledConnections;
  if (c.main && !into.main) into.main = c.main;
  for (const [k, v] of Object.entries(c.notParked)) into.notParked[k] = (into.notParked[k] ?? 0) + v;
}

/**
 * What the inputs held, for saying why nothing (or little) leaked: every goroutine falls in
 * one class — a leak candidate (the program's own, parked on a channel, select, lock or
 * Cond), the main goroutine parked (the program waiting or hung, not a leak), the runtime's
 * or test framework's own goroutines parked by design, or not parked on anything that leaks.
 */
export interface LeakCensus {
  goroutines: number;
  /** The program's own goroutines parked where a leak can be: what the rows are made of. */
  parked: number;
  /** The main goroutine when it was parked: how, and on which line of the program. */
  main?: { waitReason: string; at: Site | null; source: string };
  /** Parked goroutines of the runtime (GC workers, finalizer, signal loop…) or of the testing package. */
  runtimeParked: number;
  /**
   * Goroutines serving an open HTTP connection while they wait for its client (waitsForClient:
   * HTTP/1 and HTTP/2 servers); absent when none.
   */
  connections?: number;
  /**
   * The open server connections among them, counted once each by the goroutine that serves it
   * (started in net/http.(*conn).serve: HTTP/1's loop or HTTP/2's serve loop); absent when none.
   * The rest of `connections` are their background reads, frame readers and writers, and HTTP/2
   * handlers waiting for the connection to write.
   */
  openConnections?: number;
  /**
   * Idle connections of the program's own HTTP clients, kept in their transports' pools
   * (pooledWriters): counted once each by its writer, parked for the next request (its reader
   * waits on the network, among notParked); absent when none.
   */
  pooledConnections?: number;
  /** Over several snapshots: the first one's pooledConnections, when the last's is higher. */
  pooledFirst?: number;
  /** Everything else, by state as the input names it: running, runnable, IO wait, sleep, syscall… */
  notParked: Record<string, number>;
}

/** Counts each classified goroutine (or a profile's group of n) into the census. */
function censusCounter(c: LeakCensus, source: string): Counter {
  return (cls, n, state, frames) => {
    c.goroutines += n;
    if (cls === 'not-parked') c.notParked[state] = (c.notParked[state] ?? 0) + n;
    else if (cls === 'runtime') c.runtimeParked += n;
    else if (cls === 'connection') {
      c.connections = (c.connections ?? 0) + n;
      if (outermost(frames) === 'net/http.(*conn).serve') c.openConnections = (c.openConnections ?? 0) + n;
    } else if (cls === 'pooled') c.pooledConnections = (c.pooledConnections ?? 0) + n;
    else if (cls === 'main') {
      const u = userFrame(frames);
      c.main ??= { waitReason: state, at: u ? { function: u.fn, file: u.file, line: u.line } : null, source };
    } else c.parked += n;
  };
}

/** Why nothing leaked, in sentences (plain text; callers escape for their medium): what was seen, class by class. */
export function censusLines(c: LeakCensus): string[] {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  if (c.goroutines === 0) return ['The input holds no goroutines.'];
  const out = [`Seen: ${n(c.goroutines, 'goroutine')} (those alive in the snapshot, or at the end of the trace).`];
  if (c.main) {
    const at = c.main.at ? ` at ${c.main.at.function} (${baseName(c.main.at.file)}:${c.main.at.line})` : '';
    out.push(`The main goroutine is parked on ${c.main.waitReason}${at}: that is the program waiting (or hung), not a leak — a leak is a goroutine left parked while the program goes on without it.`);
  }
  out.push(...connectionLines(c));
  if (c.runtimeParked) out.push(`${n(c.runtimeParked, 'goroutine')} of the runtime's own (GC workers, finalizer, signal handling, the testing package) ${c.runtimeParked === 1 ? 'is' : 'are'} parked, as ${c.runtimeParked === 1 ? 'it always is' : 'they always are'}.`);
  const states = Object.entries(c.notParked).sort((a, b) => b[1] - a[1]);
  const other = states.reduce((k, [, v]) => k + v, 0);
  if (other) {
    const by = states.map(([st, k]) => `${k} ${st === 'other' ? 'running, runnable or in a wait that does not leak' : st}`).join(', ');
    out.push(`${n(other, 'goroutine')} ${other === 1 ? 'is' : 'are'} not parked on a channel, select, lock or Cond (${by}).`);
  }
  return out;
}

/**
 * What the census says of the goroutines serving open connections (also beside leak rows: they
 * are none of them): k goroutines, `open` of them the connections' own serve goroutines (one
 * per connection; the others read or write for them).
 */
export function connectionsLine(k: number, open: number): string {
  const why = '(the next request or frame, or the last response\'s end)';
  const gs = (n: number) => `${n} goroutine${n === 1 ? '' : 's'}`;
  if (open === 0) return `Open connections: ${gs(k)} ${k === 1 ? 'serves an HTTP connection and waits for its client' : 'serve HTTP connections and wait for their clients'} ${why}: not leaked while the connection is open.`;
  return `Open connections: ${open} HTTP connection${open === 1 ? ' waits for its client' : 's wait for their clients'} ${why}, ${gs(k)} in all: not leaked while ${open === 1 ? 'it is' : 'they are'} open.`;
}

/** The census' lines on open connections, servers' then clients' ([] when none): said beside leak rows too. */
export function connectionLines(c: Pick<LeakCensus, 'connections' | 'openConnections' | 'pooledConnections' | 'pooledFirst'>): string[] {
  const out: string[] = [];
  if (c.connections) out.push(connectionsLine(c.connections, c.openConnections ?? 0));
  if (c.pooledConnections) out.push(pooledLine(c.pooledConnections, c.pooledFirst));
  return out;
}

/** What the census says of the program's idle pooled client connections (beside leak rows too). */
export function pooledLine(k: number, first?: number): string {
  const grew = first !== undefined && k > first
    ? ` It rose from ${first} in the first snapshot: if it keeps rising, look for an http.Client or http.Transport made per request (each keeps its own idle connections; share one, or call CloseIdleConnections).`
    : '';
  return `Client connections: ${k} open ${k === 1 ? 'connection' : 'connections'} of the program's HTTP clients, idle in a pool or waiting for a response (${k === 1 ? 'its writer' : 'each one\'s writer'} parked, the reader on the network): not leaked while ${k === 1 ? 'it is' : 'they are'} open.${grew}`;
}

/** 'goroutine' or 'goroutineleak' for the profiles leaks can read, undefined for any other kind. */
export function goroutineProfileKind(p: Profile): 'goroutine' | 'goroutineleak' | undefined {
  const t = p.sampleTypes[0]?.type;
  return t === 'goroutine' || t === 'goroutineleak' ? t : undefined;
}

export function leakFindings(rows: LeakRow[]): Finding[] {
  return rows.map((r) => {
    const evidence: Record<string, number | string> = { count: r.count, reason: r.reason, waitReason: r.waitReason, why: r.why };
    if (r.blockedNs !== undefined) evidence.blockedNs = r.blockedNs;
    if (r.traceShare !== undefined) evidence.traceShare = r.traceShare;
    if (r.createdAt) evidence.createdAt = `${r.createdAt.function} ${r.createdAt.file}:${r.createdAt.line}`;
    if (r.goLine !== undefined) evidence.goLine = r.goLine;
    if (r.growth) evidence.growth = r.growth.join(' → ');
    if (r.pattern) evidence.pattern = r.pattern;
    return {
      kind: 'leak',
      title: `${r.count} goroutine${r.count === 1 ? '' : 's'} blocked on ${r.reason} in ${r.blockedAt.function} (${baseName(r.blockedAt.file)}:${r.blockedAt.line})`,
      site: r.blockedAt,
      evidence,
      confidence: r.confidence,
      score: r.count,
      advice: r.pattern ? PATTERN_ADVICE[r.pattern] : REASON_ADVICE[r.reason],
      source: r.sources.join(', '),
    };
  });
}

/** The row as `golens leaks --json` prints it: the relied-on fields, then the extras that are known. */
export function leakRowJson(r: LeakRow): Record<string, unknown> {
  const o: Record<string, unknown> = {
    count: r.count, reason: r.reason, blockedAt: r.blockedAt, createdAt: r.createdAt, confidence: r.confidence,
  };
  if (r.pattern) o.pattern = r.pattern;
  if (r.blockedNs !== undefined) o.blockedNs = r.blockedNs;
  if (r.traceShare !== undefined) o.traceShare = r.traceShare;
  if (r.goLine !== undefined) { o.goFile = r.goFile; o.goLine = r.goLine; }
  if (r.growth) o.growth = r.growth;
  o.waitReason = r.waitReason;
  o.why = r.why;
  o.sources = r.sources;
  return o;
}

// ---- one goroutine (or a profile's group of identical ones), parked ----

interface Parked {
  count: number;
  reason: LeakReason;
  waitReason: string;
  /** Innermost first. */
  frames: FrameLike[];
  createdAt: Site | null;
  go?: { file: string; line: number };
  blockedNs?: number;
  /** Blocked since before the trace began (blockedNs is then a lower bound). */
  beforeTrace?: boolean;
  /** When the `go` statement ran, in trace time (NaN: before the trace). */
  createdNs?: number;
  /** In a trace: it had been blocked at the same place before and was woken. */
  revisited?: boolean;
  /** A client connection's writer beyond its pool's idle ones (PoolPairing): it waits with a reader parked on a body. */
  bodyWait?: boolean;
  leaked: boolean;
  /** The goroutine's id (traces). */
  g?: number;
}

/** Where a goroutine stands for leaks: a candidate, or why it is not one. */
type Classified = Parked | 'main' | 'runtime' | 'connection' | 'pooled' | 'not-parked';

/** Counts a goroutine (or a profile's group of n) once it is classified: for the census. */
type Counter = (cls: Classified, n: number, state: string, frames: FrameLike[]) => void;

interface Snapshot {
  source: string;
  kind: 'goroutine' | 'goroutineleak' | 'dump';
  /** Profile time (ns since 1970), or the UTC stamp in a dump's file name, when there is one. */
  time?: number;
  /** time is a file name's stamp (to the second). */
  coarse?: boolean;
  parked: Parked[];
  /** Every goroutine (parked or not) by its start function: how many goroutines a site's could come from. */
  starts: Map<string, number>;
  /** The client connections PoolPairing counted as open (not rows). */
  pooled: number;
}

/** A trace goroutine's state by GoState, as a census names it. */
const TRACE_STATES: Record<number, string> = { [GoState.Runnable]: 'runnable', [GoState.Running]: 'running', [GoState.Syscall]: 'syscall' };

const LEAK_REASONS = new Set<string>(['chan send', 'chan receive', 'select', 'sync', 'sync.(*Cond).Wait', 'forever']);

/** The dump header's wait reason → ours (null: not a wait that leaks — running, IO wait, sleep, GC…). */
export function dumpReason(state: string): LeakReason | null {
  switch (state.replace(/ \(durable\)$/, '')) {
    case 'chan send': return 'chan send';
    case 'chan receive': return 'chan receive';
    case 'select': return 'select';
    case 'chan send (nil chan)': case 'chan receive (nil chan)': case 'select (no cases)': return 'forever';
    case 'sync.Cond.Wait': return 'sync.(*Cond).Wait';
    case 'semacquire': case 'sync.Mutex.Lock': case 'sync.RWMutex.RLock': case 'sync.RWMutex.Lock': case 'sync.WaitGroup.Wait':
      return 'sync';
    default: return null;
  }
}

/** The wait reason a blocking stack shows (innermost first), for inputs that do not say: goroutine profiles, a trace's goroutines blocked before it began. */
export function stackReason(frames: { fn: string }[]): LeakReason | null {
  for (const f of frames) {
    switch (f.fn) {
      case 'runtime.chansend': case 'runtime.chansend1': return 'chan send';
      case 'runtime.chanrecv': case 'runtime.chanrecv1': case 'runtime.chanrecv2': return 'chan receive';
      case 'runtime.selectgo': return 'select';
      case 'runtime.block': return 'forever';
      case 'sync.runtime_notifyListWait': case 'sync.(*Cond).Wait': return 'sync.(*Cond).Wait';
      // Not runtime.semacquire1 alone: the runtime waits on its own semaphores too (runtime.GC).
      case 'sync.(*WaitGroup).Wait': case 'sync.(*Mutex).Lock': case 'sync.(*RWMutex).Lock': case 'sync.(*RWMutex).RLock':
        return 'sync';
    }
    if (/^(?:internal\/)?sync\.runtime_Semacquire/.test(f.fn)) return 'sync';
    // Past the runtime's and sync's own frames without a match: not a wait we know.
    if (isUserFrame(f.fn)) return null;
  }
  return null;
}

/** The known shape of a group's leak, from its reason and (for receives) the runtime frames any member shows. */
function patternOf(reason: LeakReason, members: Parked[]): LeakPattern | undefined {
  // A client connection's reader parked (not on the network) waits for its response's body;
  // its writer, parked beyond the readers on the network (PoolPairing), waits with it.
  if (members.some((p) => p.bodyWait || userFrame(p.frames)?.fn === 'net/http.(*persistConn).readLoop')) return 'body-not-closed';
  switch (reason) {
    case 'chan send': return 'send-after-timeout';
    case 'sync.(*Cond).Wait': return 'cond-never-signalled';
    case 'select': return 'missing-cancel';
    case 'chan receive':
      // `for range ch` and `v, ok := <-ch` compile to chanrecv2, `<-ch` to chanrecv1. Dumps
      // other than SIGQUIT's hide runtime frames, so neither may be there.
      for (const p of members) {
        for (const f of p.frames) {
          if (f.fn === 'runtime.chanrecv2') return 'range-never-closed';
          if (f.fn === 'runtime.chanrecv1') return 'missing-cancel';
        }
      }
      return undefined;
    default: return undefined;
  }
}

const RUNTIME_OWN = /^(?:runtime|internal|os\/signal)[./]/;

/**
 * The runtime's own goroutines (GC workers, sweeper, scavenger, finalizer and cleanup
 * goroutines, the trace reader and advancer, the CPU profile reader, the signal loop, timer
 * goroutines): started or created by runtime code, or blocked with no user frame at all.
 * Also the test framework's own waits (testing.(*T).Run waiting for a subtest, tRunner for
 * parallel ones), which fill the dump of every timed-out `go test`.
 */
function isRuntimeOwn(frames: FrameLike[], startFn: string, creatorFn: string): boolean {
  const u = frames.find((f) => isUserFrame(f.fn));
  if (!u || u.fn.startsWith('testing.')) return true;
  return RUNTIME_OWN.test(startFn) || RUNTIME_OWN.test(creatorFn);
}

/** The goroutine's start function: its outermost frame, below runtime.goexit. */
function outermost(frames: FrameLike[]): string {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i].fn !== 'runtime.goexit') return frames[i].fn;
  return '';
}

/** A function literal (`go func() {`) or the wrapper Go 1.22+ makes for `go f(x)`: its start line is the `go` statement's. */
const LITERAL = /\.(?:func|gowrap)\d+(?:\.\d+)*$/;

// ---- traces ----

/** Goroutines still blocked at the end of a replayed trace, grouped into rows. */
function traceRows(m: RuntimeModel, source: string, count?: Counter, scan?: LeakScan): LeakRow[] {
  const parked = traceParked(m, count, scan);
  return groupRows(parked, true, (g) => {
    const row = baseRow(g, [source]);
    row.goroutines = g.members.flatMap((p) => (p.g === undefined ? [] : [p.g]));
    if (g.blockedNs !== undefined && m.end > 0) row.traceShare = Math.min(1, g.blockedNs / m.end);
    let created = 0, first = Infinity, last = -Infinity;
    for (const p of g.members) {
      const t = p.createdNs ?? NaN;
      if (!Number.isFinite(t)) continue;
      created++;
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
    const spread = created ? last - first : 0;
    if (g.blockedNs !== undefined && g.blockedNs >= LONG_WAIT_NS) return withConfidence(row, 'likely', `blocked ${minutes(g.blockedNs)} min`);
    const pileUp = !g.members.some((p) => p.revisited);
    if (pileUp && created >= TRACE_GROWTH_MIN && m.end > 0 && spread >= TRACE_GROWTH_SPREAD * m.end) {
      return withConfidence(row, 'likely', `${created} created over ${formatShare(spread, m.end)} of the trace, all still blocked at its end`);
    }
    return withConfidence(row, 'possible', g.beforeTrace ? 'blocked through the whole trace' : 'blocked at the end of the trace');
  });
}

interface BlockRun { start: number; reason: number; stack: number; end: number; first: boolean; open: boolean }

/** A goroutine's row in the leak scan (SlotRows): its last run of Waiting spans, and where it waited first (Revisits). */
const enum L {
  Id,
  /** The run: when it began, its first reason and stack, where it ends so far. */
  Start,
  Reason,
  Stack,
  End,
  /** Bits: FIRST (the run began at the goroutine's first span), OPEN (a run is under way), WAITED (S0 and E0 are set). */
  Flags,
  /** The first stack it waited at, and the earliest end of its Waiting spans there. */
  S0,
  E0,
  Count,
}
const FIRST = 1, OPEN = 2, WAITED = 4;
const FRESH_RUN: readonly number[] = [0, 0, NONE, NONE, NaN, 0, NONE, NaN];

/** Each goroutine's last run of Waiting spans, by id, in the order the goroutines were first met. */
export class BlockRuns {
  constructor(private readonly rows: SlotRows) {}

  get size(): number { return this.rows.n; }
  has(g: number): boolean { return this.rows.slot(g) !== undefined; }
  get(g: number): BlockRun | undefined {
    const s = this.rows.slot(g);
    return s === undefined ? undefined : this.at(s);
  }

  *[Symbol.iterator](): IterableIterator<[number, BlockRun]> {
    const rows = this.rows;
    for (let s = 0; s < rows.n; s++) yield [rows.page(s)[rows.off(s) + L.Id], this.at(s)];
  }

  private at(s: number): BlockRun {
    const d = this.rows.page(s), o = this.rows.off(s), f = d[o + L.Flags];
    return { start: d[o + L.Start], reason: d[o + L.Reason], stack: d[o + L.Stack], end: d[o + L.End], first: (f & FIRST) !== 0, open: (f & OPEN) !== 0 };
  }
}

/**
 * Each goroutine's last run of Waiting spans (when it began: a generation boundary or a late
 * status event re-emits the state without reason; its first reason and stack), from a walk
 * over the goroutine spans in table order that resumes where it stopped, so a trace being read
 * is walked once. With opts.revisits (a trace being read), also each goroutine's earliest end
 * of a Waiting span at each stack, so that its revisits are known without a second walk.
 */
export class LeakScan extends SpanScan {
  /** One row per goroutine (columns by slot: no object each, a server's trace has hundreds of thousands). */
  private readonly rows = new SlotRows(FRESH_RUN);
  /** Each goroutine's run (open: a run is under way), made when asked. */
  readonly runs = new BlockRuns(this.rows);
  /** Whether the earliest end of each goroutine's Waiting spans at each stack is kept (opts.revisits: earliestWaitEnd). */
  readonly revisits: boolean;
  /**
   * Per goroutine (slot) that waited at a second stack, the earliest end of its Waiting spans at
   * each stack but the first (kept in its row: most goroutines wait at one stack, and a map each
   * was most of this scan's memory in a server's trace).
   */
  private readonly waitedAt = new Map<number, Map<number, number>>();

  constructor(model: RuntimeModel, opts: { revisits?: boolean } = {}) {
    super(model);
    this.revisits = opts.revisits ?? false;
  }

  /** With opts.revisits, the earliest end of goroutine g's Waiting spans at `stack` (undefined: none there). */
  earliestWaitEnd(g: number, stack: number): number | undefined {
    const s = this.rows.slot(g);
    if (s === undefined) return undefined;
    const d = this.rows.page(s), o = this.rows.off(s);
    if (!(d[o + L.Flags] & WAITED)) return undefined;
    return stack === d[o + L.S0] ? d[o + L.E0] : this.waitedAt.get(s)?.get(stack);
  }

  /** Walks span i of the table (id, state, start and end read by the caller: a joint walk reads them once for every scan). */
  visit(i: number, id: number, st: number, a: number, b: number): void {
    const t = this.model.gSpans, rows = this.rows;
    let r = rows.slot(id), first = false;
    if (r === undefined) { r = rows.add(id); first = true; }
    const d = rows.page(r), o = rows.off(r), flags = d[o + L.Flags];
    if (st !== GoState.Waiting) { d[o + L.Flags] = flags & ~OPEN; return; }
    const sk = t.stack(i);
    if (this.revisits) {
      if (!(flags & WAITED)) { d[o + L.S0] = sk; d[o + L.E0] = b; d[o + L.Flags] = flags | WAITED; }
      // A goroutine mostly waits at the same stack again: its earliest end there is at hand.
      else if (sk === d[o + L.S0]) { if (b < d[o + L.E0]) d[o + L.E0] = b; } else {
        let at = this.waitedAt.get(r);
        if (!at) this.waitedAt.set(r, (at = new Map()));
        const e = at.get(sk);
        if (e === undefined || b < e) at.set(sk, b);
      }
    }
    const f = d[o + L.Flags];
    if (!(f & OPEN) || d[o + L.End] !== a) {
      d[o + L.Flags] = (f | OPEN) & ~FIRST | (first ? FIRST : 0);
      d[o + L.Start] = a; d[o + L.Reason] = t.reason(i); d[o + L.Stack] = sk; d[o + L.End] = b;
      return;
    }
    d[o + L.End] = b;
    if (strOf(this.model, d[o + L.Reason]) === '' && t.reason(i) !== NONE) d[o + L.Reason] = t.reason(i);
    if (d[o + L.Stack] === NONE) d[o + L.Stack] = sk;
  }
}

function traceParked(m: RuntimeModel, count?: Counter, scan: LeakScan = new LeakScan(m)): Parked[] {
  const runs = scan.scan().runs;
  const s = m.gSpans;

  const out: Parked[] = [];
  const finals = new Map<number, { stack: number; start: number; parked: Parked }>();
  const pool = new PoolPairing();
  for (const g of m.goroutines.values()) {
    if (g.state === GoState.NotExist || g.state === GoState.Undetermined) continue;
    if (g.state !== GoState.Waiting) {
      // A client connection's reader at work (woken by the network) pairs a writer, as in a profile.
      pool.reader(m.stacks.get(g.startStack)[0]?.fn ?? outermost(m.stacks.get(g.stack)), true, 1);
      count?.('not-parked', 1, TRACE_STATES[g.state] ?? 'unknown', []);
      continue;
    }
    let run = runs.get(g.id);
    if (!run?.open || run.end !== m.end) {
      // Blocked at the very last event: no span was closed for it.
      run = { start: g.since, reason: g.reason, stack: g.stack, end: m.end, first: !runs.has(g.id), open: true };
    }
    const frames: Frame[] = m.stacks.get(run.stack);
    const waitReason = strOf(m, run.reason);
    const reason = LEAK_REASONS.has(waitReason) ? (waitReason as LeakReason) : waitReason === '' ? stackReason(frames) : null;
    const state = waitReason || reason || 'waiting (no reason recorded)';
    const start = m.stacks.get(g.startStack);
    const startFn = start[0]?.fn ?? outermost(frames);
    if (waitsForClient(frames, startFn, reason !== null)) { count?.('connection', 1, state, frames); continue; }
    // Goroutine 1 is main: a hang, not a leak.
    if (g.id === 1 && reason) { count?.('main', 1, state, frames); continue; }
    // A waiting reader of a client's pooled connection: on the network (PoolPairing).
    pool.reader(startFn, reason === null, 1);
    if (!reason) { count?.('not-parked', 1, state, frames); continue; }
    const create = m.stacks.get(g.createStack);
    if (isRuntimeOwn(frames, startFn, create[0]?.fn ?? '')) { count?.('runtime', 1, state, frames); continue; }
    const beforeTrace = run.first && !Number.isFinite(g.createdAt);
    const createdAt = create.length ? { function: create[0].fn, file: create[0].file, line: create[0].line } : null;
    const p: Parked = {
      count: 1, reason, waitReason: waitReason || reason, frames, createdAt, leaked: false,
      blockedNs: beforeTrace ? m.end : m.end - run.start, beforeTrace, createdNs: g.createdAt, g: g.id,
    };
    if (createdAt) p.go = { file: createdAt.file, line: createdAt.line };
    finals.set(g.id, { stack: run.stack, start: run.start, parked: p });
    if (pool.writer(p, startFn)) continue;
    count?.(p, 1, state, frames);
    out.push(p);
  }
  pool.settle(out, count);
  // Goroutines that were blocked at the same place before and left it: a revolving door
  // (an idle worker between jobs), not a pile-up.
  if (scan.revisits) {
    for (const [g, f] of finals) {
      const e = f.stack === NONE ? undefined : scan.earliestWaitEnd(g, f.stack);
      if (e !== undefined && e < f.start) f.parked.revisited = true;
    }
    return out;
  }
  for (let i = 0; finals.size && i < s.count; i++) {
    if (s.state(i) !== GoState.Waiting) continue;
    const f = finals.get(s.id(i));
    if (f && s.state(i) === GoState.Waiting && s.stack(i) === f.stack && f.stack !== NONE && s.end(i) < f.start) f.parked.revisited = true;
  }
  return out;
}

function strOf(m: RuntimeModel, id: number): string {
  return id === NONE ? '' : m.strings.get(id);
}

// ---- profiles and dumps ----

function profileSnapshot(p: Profile, source: string, leakProfile: boolean, census?: Counter): Snapshot {
  const parked: Parked[] = [];
  const starts = new Map<string, number>();
  const pool = new PoolPairing();
  const nTypes = p.sampleTypes.length;
  const { offsets, locs, values } = p.samples;
  for (let i = 0; i < p.samples.count; i++) {
    const count = values[i * nTypes];
    if (!(count > 0)) continue;
    const frames: (FrameLike & { startLine: number })[] = [];
    for (let j = offsets[i]; j < offsets[i + 1]; j++) {
      for (const l of p.locations[locs[j]].lines) {
        const fn = l.fn >= 0 ? p.functions[l.fn] : undefined;
        frames.push({ fn: fn?.name ?? '', file: fn?.filename ?? '', line: l.line, startLine: fn?.startLine ?? 0 });
      }
    }
    const startFn = outermost(frames);
    starts.set(startFn, (starts.get(startFn) ?? 0) + count);
    const reason = stackReason(frames);
    if (waitsForClient(frames, startFn, reason !== null)) { census?.('connection', count, reason ?? 'other', frames); continue; }
    pool.reader(startFn, reason === null, count);
    if (!reason) { census?.('not-parked', count, 'other', frames); continue; }
    if (startFn === 'runtime.main') { census?.('main', count, reason, frames); continue; }
    if (isRuntimeOwn(frames, startFn, '')) { census?.('runtime', count, reason, frames); continue; }
    const pk: Parked = { count, reason, waitReason: reason, frames, createdAt: null, leaked: leakProfile };
    const start = frames.filter((f) => f.fn !== 'runtime.goexit').pop();
    if (start && LITERAL.test(start.fn) && start.startLine > 0) pk.go = { file: start.file, line: start.startLine };
    if (pool.writer(pk, startFn)) continue;
    census?.(pk, count, reason, frames);
    parked.push(pk);
  }
  pool.settle(parked, census);
  const s: Snapshot = { source, kind: leakProfile ? 'goroutineleak' : 'goroutine', parked, starts, pooled: pool.paired };
  if (p.timeNanos > 0) s.time = p.timeNanos;
  return s;
}

function dumpSnapshot(d: GoroutineDump, source: string, count?: Counter): Snapshot {
  const parked: Parked[] = [];
  const starts = new Map<string, number>();
  const pool = new PoolPairing();
  for (const g of d.goroutines) {
    const startFn = outermost(g.frames);
    starts.set(startFn, (starts.get(startFn) ?? 0) + 1);
    const p = dumpClass(g);
    pool.reader(startFn, p === 'not-parked', 1);
    if (typeof p !== 'string' && pool.writer(p, startFn)) continue;
    count?.(p, 1, g.state, g.frames);
    if (typeof p !== 'string') parked.push(p);
  }
  pool.settle(parked, count);
  const s: Snapshot = { source, kind: 'dump', parked, starts, pooled: pool.paired };
  const time = stampTime(source);
  if (time !== undefined) { s.time = time; s.coarse = true; }
  return s;
}

function dumpClass(g: DumpGoroutine): Classified {
  // Goroutine 0 is a thread's g0 (SIGQUIT).
  if (g.id === 0) return 'runtime';
  const reason = dumpReason(g.state);
  const frames: FrameLike[] = g.frames.map((f) => ({ fn: f.fn, file: f.file, line: f.line }));
  if (waitsForClient(frames, outermost(frames), reason !== null)) return 'connection';
  if (!reason) return 'not-parked';
  // Goroutine 1 is main: a hang, not a leak.
  if (g.id === 1 || outermost(frames) === 'runtime.main') return 'main';
  if (isRuntimeOwn(frames, outermost(frames), g.createdBy?.fn ?? '')) return 'runtime';
  const createdAt = g.createdBy ? { function: g.createdBy.fn, file: g.createdBy.file, line: g.createdBy.line } : null;
  const p: Parked = { count: 1, reason, waitReason: g.state, frames, createdAt, leaked: g.leaked };
  if (createdAt) p.go = { file: createdAt.file, line: createdAt.line };
  if (g.minutes > 0) p.blockedNs = g.minutes * 60e9;
  return p;
}

/**
 * A goroutine of an HTTP/1 server connection (started in net/http.(*conn).serve, or its
 * background read, net/http.(*connReader).backgroundRead) that waits for its client, not for
 * the program: inside the connection's reader (net/http.(*connReader), the innermost net/http
 * frame) reading the next request or a request's bytes (an I/O wait, never a candidate) or,
 * parked, ending the last response — after the handler returns,
 * net/http.(*connReader).abortPendingRead waits on a sync.Cond until the background read has
 * given up (and the two take the reader's lock in turn). It lives while the client keeps the
 * connection; the background read that wakes it holds the reader, so Go's goroutineleak
 * profile does not list it either. Measured on pprofserve with 36 keep-alive clients
 * connecting one by one (test/fixtures/idleconn, under load): 0–15 connections parked there
 * from one snapshot to the next, while the goroutines started in conn.serve rose 19 → 37 with
 * the clients, so the growth rule called them likely in 3 of 29 runs of 2 snapshots (2 of 28
 * of 3, 1 of 27 of 4), and a steady program's 8-snapshot watch with clients connecting failed
 * --fail-on leaks in 1 of 12 runs (load 5–9). A steady program's other start functions keep
 * their counts (1460 snapshots of pprofserve under load 3.5–14.7: only the background read
 * came and went). A stuck handler is not one of these: its blocking frame is the handler's,
 * or the call it made, not the connection reader's.
 */
function waitsForClient(frames: FrameLike[], startFn: string, parked: boolean): boolean {
  if (servesHttp2(frames, startFn, parked)) return true;
  if (startFn !== 'net/http.(*conn).serve' && startFn !== 'net/http.(*connReader).backgroundRead') return false;
  const reader = frames.find((f) => f.fn.startsWith('net/http.'));
  if (!reader?.fn.startsWith('net/http.(*connReader).')) return false;
  // Parked: on the reader's own Cond or lock, with no frame of the program's above it.
  return !parked || userFrame(frames) === reader;
}

/** Code of Go's HTTP/2 package: net/http's own (bundled up to Go 1.26, internal from 1.27) or x/net/http2, which it is made from. */
const HTTP2 = /^(?:net\/http\/internal\/http2\.|net\/http\.(?:\(\*)?http2|(?:vendor\/)?golang\.org\/x\/net\/http2\.)/;
/** What an HTTP/2 server connection's serve loop starts: its frame reader, a frame writer, a request's handler. */
const HTTP2_STARTED = /^(?:net\/http\/internal\/http2\.\(\*serverConn\)|net\/http\.\(\*http2serverConn\)|(?:vendor\/)?golang\.org\/x\/net\/http2\.\(\*serverConn\))\.(readFrames|writeFrameAsync|runHandler)$/;

/**
 * A goroutine of an HTTP/2 server connection (any Go server behind TLS) waiting for its client
 * or for the connection, not for the program: the connection's serve loop (started in
 * net/http.(*conn).serve, now in the HTTP/2 server's serverConn.serve: parked in select between
 * frames, or reading the client's preface), its frame reader (serverConn.readFrames: a network
 * read, or parked handing a frame to a busy serve loop), a frame writer (writeFrameAsync), or a
 * handler parked inside the HTTP/2 server's own code (writeHeaders, writeDataFromHandler: it
 * waits for the serve loop to write its frames, or for the client's flow-control window) —
 * what an HTTP/1 handler does in a network write, never a candidate. Parked, the innermost
 * frame that is neither the runtime's nor sync's must be HTTP/2's: a handler stuck in the
 * program's own code (or a call it made elsewhere) stays a row. Not parked, a handler is the
 * program's request at work (not-parked, as before); the rest are the connection's.
 * Measured on pprofserve over TLS with 36 HTTP/2 clients connecting one by one and 3 requests
 * hung in a handler (test/fixtures/h2conn, Go 1.26 and 1.27, load 5–10): before, a row in the
 * HTTP/2 server (serverConn.serve, readFrames, writeHeaders, writeDataFromHandler) was likely in
 * 20 and 23 of 29 runs of 2 snapshots (19, 19 of 28 of 3; 16, 16 of 27 of 4; 10, 8 of 23 of 8);
 * after, in none, the leak likely as before and the hung handlers still a row. Outside these
 * fixtures, also seen: the serve loop reading the client's preface (readPreface) and a frame
 * writer waiting on sync.Pool's lock (encodeHeaders).
 */
function servesHttp2(frames: FrameLike[], startFn: string, parked: boolean): boolean {
  const started = HTTP2_STARTED.exec(startFn);
  if (!started && !(startFn === 'net/http.(*conn).serve' && frames.some((f) => HTTP2.test(f.fn) && f.fn.endsWith('serverConn).serve')))) return false;
  if (!parked) return started?.[1] !== 'runHandler';
  // The run of HTTP/2 frames the goroutine is parked in must be the server's: a handler parked
  // in an HTTP/2 client's call (an upstream request, or reading its response body through the
  // same pipe a request body uses) waits for the program's own call, and stays a row.
  const at = frames.indexOf(userFrame(frames)!);
  let i = at;
  for (; i < frames.length && HTTP2.test(frames[i].fn); i++) if (HTTP2_CLIENT.test(frames[i].fn)) return false;
  return at >= 0 && i > at;
}

/** HTTP/2's client side (the transport, its connections and streams, a response body). */
const HTTP2_CLIENT = /(?:ClientConn|clientStream|[tT]ransport|clientConnReadLoop)/;

/**
 * An HTTP client's pooled connections (net/http.Transport): each has a reader,
 * persistConn.readLoop, and a writer, persistConn.writeLoop. Idle in the pool, the reader waits
 * on the network (never a candidate) and the writer is parked in select for the next request.
 * But a connection whose response body is never closed ("resp.Body never closed", the classic
 * leak) has its reader parked in select waiting for the body (a row, likely as it grows) and
 * its writer parked just as an idle one: a writer cannot tell on its own which it is. So, per
 * snapshot, as many parked writers as there are readers on the network are the pool's idle
 * connections (census `pooledConnections`); any writer beyond them belongs to a reader that is
 * parked and stays a row beside it. Measured on programs/bodyleak (test/fixtures/bodyleak, Go
 * 1.26 and 1.27, load 6–10): 24 pooled clients ramping up every 80 ms beside a body left open
 * every 200 ms; before, the writers' row counted the whole pool and was likely where the
 * unclosed bodies' row was not in 5 and 4 of 29 runs of 2 snapshots (1, 2 of 28 of 3; 2, 3 of
 * 27 of 4; 1, 5 of 23 of 8); after, in none, and the writers kept as a row equal the readers
 * parked on a body in 59 of the 60 snapshots (once 12 of 13: the race of a moment).
 */
class PoolPairing {
  private idle = 0;
  private readonly writers: Parked[] = [];
  /** The writers settle paired with idle readers: the open client connections. */
  paired = 0;

  /** A goroutine as classified: counts the readers waiting on the network. */
  reader(startFn: string, idle: boolean, n: number): void {
    if (idle && startFn === 'net/http.(*persistConn).readLoop') this.idle += n;
  }

  /** Holds back a writer parked in its own select, until settle; false for any other goroutine. */
  writer(p: Parked, startFn: string): boolean {
    if (startFn !== 'net/http.(*persistConn).writeLoop' || userFrame(p.frames)?.fn !== startFn) return false;
    this.writers.push(p);
    return true;
  }

  /** The writers paired with idle readers into the census, the rest as parked rows. */
  settle(parked: Parked[], census?: Counter): void {
    for (const w of this.writers) {
      const take = Math.min(w.count, this.idle);
      this.idle -= take;
      this.paired += take;
      if (take) census?.('pooled', take, w.waitReason, w.frames);
      if (take === w.count) continue;
      w.count -= take;
      w.bodyWait = true;
      census?.(w, w.count, w.waitReason, w.frames);
      parked.push(w);
    }
  }
}

function snapshotRows(s: Snapshot): LeakRow[] {
  return groupRows(s.parked, s.kind === 'dump', (g) => singleConfidence(baseRow(g, [s.source]), g, s.kind));
}

function singleConfidence(row: LeakRow, g: Group, kind: Snapshot['kind']): LeakRow {
  if (kind === 'goroutineleak') return withConfidence(row, 'proven', 'listed by the goroutineleak profile');
  if (g.leaked) return withConfidence(row, 'proven', 'marked "(leaked)" by the runtime\'s leak detector');
  if (g.blockedNs !== undefined && g.blockedNs >= LONG_WAIT_NS) return withConfidence(row, 'likely', `blocked ${minutes(g.blockedNs)} min`);
  return withConfidence(row, 'possible', 'one snapshot');
}

/**
 * Two or more goroutine profiles or dumps, judged moment by moment (groupMoments: a profile and
 * a dump of one moment are one step). A site is likely leaking when its count never falls,
 * ends higher, and the goroutines with the same start function grew at least as much: its new
 * waiters are new goroutines. Measured on pprofserve under load (load 6–8, 300 profiles 100 ms
 * apart, test/fixtures/leakrise): its busy lock's waiters read 0–3 at random, and 10 of 293
 * runs of 8 snapshots (55 of 298 runs of 3) never fell and ended higher, yet main.lockLoop's
 * goroutines stayed 4 in every snapshot — the same goroutines taking turns at the lock. The
 * leak's count rose 2 per 100 ms and equalled its start function's goroutines in every
 * snapshot. Not caught by this rule: a fixed pool whose workers get stuck one by one (the
 * goroutineleak profile proves those).
 */
function growthRows(snaps: Snapshot[]): LeakRow[] {
  const moments = groupMoments(snaps);
  const ordered = moments.flat();
  // Dumps know the creation site; profiles do not, so mixed inputs match on the blocking site only.
  const withCreated = ordered.every((s) => s.kind === 'dump');
  // One count per moment: its snapshots show the same goroutines, so the larger (one may park
  // between two captures), never the sum.
  const counts = moments.map((m) => maxOf(m.map((s) => {
    const c = new Map<string, number>();
    for (const p of s.parked) c.set(key(p, withCreated), (c.get(key(p, withCreated)) ?? 0) + p.count);
    return c;
  })));
  const starts = moments.map((m) => maxOf(m.map((s) => s.starts)));
  // Every snapshot's goroutines by site: frames and creation sites from all of them
  // (profiles lack the creation site, most dumps the runtime frames).
  const all = new Map<string, Parked[]>();
  for (const s of ordered) {
    for (const p of s.parked) {
      const k = key(p, withCreated);
      const list = all.get(k);
      if (list) list.push(p); else all.set(k, [p]);
    }
  }
  const last = moments[moments.length - 1][moments[moments.length - 1].length - 1];
  const sources = ordered.map((s) => s.source);
  const n = moments.length;
  return groupRows(last.parked, withCreated, (g) => {
    const row = baseRow(g, sources);
    const k = key(g.members[0], withCreated);
    const series = counts.map((m) => m.get(k) ?? 0);
    const others = all.get(k) ?? [];
    if (n > 1) row.growth = series;
    if (!row.pattern) {
      const pattern = patternOf(g.reason, others);
      if (pattern) row.pattern = pattern;
    }
    if (!row.createdAt) {
      const sites = new Set(others.map((p) => p.createdAt && siteKey(p.createdAt)).filter((x): x is string => !!x));
      const c = others.find((p) => p.createdAt)?.createdAt;
      if (c && sites.size === 1) { row.createdAt = c; row.goFile = c.file; row.goLine = c.line; }
    }
    const single = singleConfidence(row, g, last.kind);
    if (single.confidence !== 'possible') return single;
    if (n === 1) return withConfidence(row, 'possible', `one moment (${snaps.length} snapshots of it)`);
    const shown = `${series.join(' → ')} over ${n} moments`;
    const rise = series[n - 1] - series[0];
    if (!(rise > 0 && series.every((c, i) => i === 0 || c >= series[i - 1]))) return withConfidence(row, 'possible', `no growth: ${shown}`);
    const fns = [...new Set(others.map((p) => outermost(p.frames)))].sort();
    const started = starts.map((m) => fns.reduce((t, f) => t + (m.get(f) ?? 0), 0));
    if (started[n - 1] - started[0] >= rise) return withConfidence(row, 'likely', `grew ${shown}`);
    const stayed = started.every((c) => c === started[0]) ? `stayed ${started[0]}` : `went ${started.join(' → ')}`;
    return withConfidence(row, 'possible', `rose ${shown}, but the goroutines started in ${fns.join(', ')} ${stayed}: the same goroutines taking turns (a busy lock or pool), not new ones`);
  });
}

/** Per key, the largest value any of the maps has. */
function maxOf(maps: Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of maps) for (const [k, v] of m) out.set(k, Math.max(out.get(k) ?? 0, v));
  return out;
}

// ---- grouping, merging, ordering ----

interface Group {
  members: Parked[];
  count: number;
  reason: LeakReason;
  waitReason: string;
  blockedAt: Site;
  createdAt: Site | null;
  go?: { file: string; line: number };
  blockedNs?: number;
  beforeTrace: boolean;
  leaked: boolean;
}

function blockedAtOf(p: Parked): Site {
  const f = userFrame(p.frames)!;
  return { function: f.fn, file: f.file, line: f.line };
}

function siteKey(s: Site): string {
  return `${s.function}\u0000${s.file}\u0000${s.line}`;
}

function key(p: Parked, withCreated: boolean): string {
  let k = `${p.reason}\u0001${siteKey(blockedAtOf(p))}`;
  if (withCreated) k += `\u0001${p.createdAt ? siteKey(p.createdAt) : ''}\u0001${p.leaked ? 'leaked' : ''}`;
  return k;
}

function groupRows(parked: Parked[], withCreated: boolean, make: (g: Group) => LeakRow): LeakRow[] {
  const groups = new Map<string, Group>();
  for (const p of parked) {
    const k = key(p, withCreated);
    let g = groups.get(k);
    if (!g) {
      g = {
        members: [], count: 0, reason: p.reason, waitReason: p.waitReason, blockedAt: blockedAtOf(p), createdAt: withCreated ? p.createdAt : null,
        beforeTrace: false, leaked: true,
      };
      groups.set(k, g);
    }
    g.members.push(p);
    g.count += p.count;
    if (p.blockedNs !== undefined) g.blockedNs = Math.max(g.blockedNs ?? 0, p.blockedNs);
    if (p.beforeTrace) g.beforeTrace = true;
    if (!p.leaked) g.leaked = false;
    if (!g.go && p.go) g.go = p.go;
  }
  for (const g of groups.values()) {
    // A creation site kept only when every member agrees (traces and dumps group by it already).
    if (!withCreated) {
      const sites = new Set(g.members.map((p) => (p.createdAt ? siteKey(p.createdAt) : '')));
      if (sites.size === 1 && g.members[0].createdAt) g.createdAt = g.members[0].createdAt;
    }
    const gos = new Set(g.members.map((p) => (p.go ? `${p.go.file}:${p.go.line}` : '')));
    if (gos.size !== 1) g.go = undefined;
  }
  return [...groups.values()].map(make);
}

function baseRow(g: Group, sources: string[]): LeakRow {
  const row: LeakRow = {
    count: g.count, reason: g.reason, blockedAt: g.blockedAt, createdAt: g.createdAt, confidence: 'possible',
    why: '', waitReason: g.waitReason, sources,
  };
  const pattern = patternOf(g.reason, g.members);
  if (pattern) row.pattern = pattern;
  if (g.blockedNs !== undefined) row.blockedNs = g.blockedNs;
  if (g.go) { row.goFile = g.go.file; row.goLine = g.go.line; }
  return row;
}

function withConfidence(row: LeakRow, confidence: Confidence, why: string): LeakRow {
  row.confidence = confidence;
  row.why = why;
  return row;
}

/**
 * The same site seen in several inputs (a trace, a dump and the goroutineleak profile of
 * one run) is one row, with the strongest confidence and what each input adds.
 */
function mergeRows(rows: LeakRow[]): LeakRow[] {
  const out: LeakRow[] = [];
  for (const r of rows) {
    // Rows of one input are distinct sites already (a trace may hold one created before it and one inside it).
    const same = out.find((o) => o.reason === r.reason && siteKey(o.blockedAt) === siteKey(r.blockedAt) &&
      (!o.createdAt || !r.createdAt || siteKey(o.createdAt) === siteKey(r.createdAt)) &&
      !o.sources.some((src) => r.sources.includes(src)));
    if (!same) { out.push({ ...r }); continue; }
    const stronger = CONFIDENCE_RANK[r.confidence] > CONFIDENCE_RANK[same.confidence] ||
      (r.confidence === same.confidence && r.count > same.count);
    const [win, lose] = stronger ? [r, same] : [same, r];
    const merged: LeakRow = { ...lose, ...win, sources: [...new Set([...same.sources, ...r.sources])] };
    merged.createdAt = win.createdAt ?? lose.createdAt;
    for (const f of ['pattern', 'blockedNs', 'traceShare', 'goFile', 'goLine', 'growth'] as const) {
      if (merged[f] === undefined && lose[f] !== undefined) (merged as unknown as Record<string, unknown>)[f] = lose[f];
    }
    out[out.indexOf(same)] = merged;
  }
  return out;
}

function sortRows(rows: LeakRow[]): LeakRow[] {
  return rows.sort((a, b) => b.count - a.count || CONFIDENCE_RANK[b.confidence] - CONFIDENCE_RANK[a.confidence] ||
    (a.blockedAt.function < b.blockedAt.function ? -1 : a.blockedAt.function > b.blockedAt.function ? 1 : a.blockedAt.line - b.blockedAt.line));
}

function minutes(ns: number): number {
  return Math.floor(ns / 60e9);
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
