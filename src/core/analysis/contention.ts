// Lock contention: who waited (the Lock call) and who made them wait (the Unlock that woke
// them), from an execution trace — each sync block paired with the unblock that ended it —
// or from mutex profiles (the releaser side) and block profiles (the waiter side).
import { WrongKindError } from '../errors';
import { formatNs, siteLabel } from '../format';
import type { Profile } from '../pprof/model';
import { objectName } from '../pprof/top';
import { nanosPerUnit } from '../pprof/units';
import { EventKind, GoState, NONE, ResourceKind, type EventColumns, type StackTable, type StringTable } from '../trace/events';
import { ById } from './byid';
import { merge2, sortTimes } from './sorttimes';
import type { Finding, Site } from './finding';
import { F64Column } from '../runtime/columns';
import { isUserFrame, type FrameLike } from './frames';

/** What a goroutine waited on, from the block reason and the API frame the user called. */
export type WaitKind = 'mutex' | 'rwmutex' | 'cond' | 'waitgroup' | 'sync' | 'chan send' | 'chan receive' | 'select';

export const CHANNEL_KINDS: ReadonlySet<WaitKind> = new Set(['chan send', 'chan receive', 'select']);

export type ContentionSource = 'trace' | 'block profile' | 'mutex profile' | 'block+mutex profiles';

export interface Releaser {
  site: Site | null;
  waitNs: number;
  count: number;
}

export interface WaitSite {
  kind: WaitKind;
  /** The user frame that waited — the Lock call, not sync.(*Mutex).Lock (null: mutex profile alone). */
  waiter: Site | null;
  /** The user frame whose release ended most of the waiting — the Unlock (null: unknown). */
  releaser: Site | null;
  /** Total waiting, ns (a block-profile pair: the waiters' delay). */
  waitNs: number;
  /** Number of waits (0 when `uncounted`). */
  count: number;
  /** The inputs recorded only how long was waited, not how often (a delay-only profile). */
  uncounted?: boolean;
  /** The inputs recorded only how often, not how long (a contentions-only profile): waitNs is 0. */
  untimed?: boolean;
  /** The longest single wait (traces). */
  maxNs?: number;
  /** Every releaser seen, most wait first (traces; profile pairs: the mutex profile's sites). */
  releasers?: Releaser[];
  /** Convoy (traces): most goroutines waiting here at once; the mean while any was; that time. */
  convoy?: { max: number; mean: number; spanNs: number };
  /** Waits still going on when the trace ended (counted up to the end). */
  unreleased?: number;
  /** A block+mutex pair: what the mutex profile charged to the releasers. */
  releaserNs?: number;
  releaserCount?: number;
  source: ContentionSource;
  /** Names of the inputs the numbers come from, when the caller named them (profiles). */
  inputs?: string[];
}

export interface ContentionReport {
  /** Sync waits: mutexes, RW mutexes, conds, wait groups, other semaphores; most wait first. */
  sites: WaitSite[];
  /** Channel waits (send, receive, select), with the goroutine whose operation ended them. */
  channels: WaitSite[];
  /**
   * Waiting that is not the program's: the runtime's own goroutines and locks (no user frame
   * on the stack), and its internal semaphores reached from user code (a GC start or mark
   * termination in an allocation — the gc report covers those).
   */
  runtime: { waitNs: number; count: number };
  /**
   * Waiting in profiles whose stacks have no Go frame (no runtime or sync function anywhere: a
   * Java, .NET or C++ lock profile, or a binary without symbols): totalled, not placed — the Go
   * lock APIs name the sites.
   */
  foreign?: { waitNs: number; count: number };
  /** Summed trace durations (ns), when traces were read. */
  traceNs: number;
}

// The API frame (the one the user's code called) names the kind more exactly than the reason.
const API_KINDS: [RegExp, WaitKind][] = [
  [/^sync\.\(\*RWMutex\)\.R?(Un)?[Ll]ock$/, 'rwmutex'],
  [/^(internal\/)?sync\.\(\*Mutex\)\.(Un)?[Ll]ock$/, 'mutex'],
  [/^sync\.\(\*Cond\)\.Wait$/, 'cond'],
  [/^sync\.\(\*WaitGroup\)\.(Wait|Done|Add)$/, 'waitgroup'],
  [/^runtime\.chansend1?$/, 'chan send'],
  [/^runtime\.chanrecv[12]?$/, 'chan receive'],
  [/^runtime\.selectgo$/, 'select'],
];

const REASON_KINDS: Record<string, WaitKind> = {
  sync: 'sync', 'sync.(*Cond).Wait': 'cond', 'chan send': 'chan send', 'chan receive': 'chan receive', select: 'select',
};

interface Resolved {
  /** The innermost user frame (undefined: none — runtime code). */
  user: Site | undefined;
  /**
   * The primitive the user's code waited in: the known API frame nearest the user frame
   * (sync.(*RWMutex).Lock, not the sync.(*Mutex).Lock inside it); undefined if none.
   */
  api: WaitKind | undefined;
  /** Whether a sync (or internal/sync) frame lies between the user frame and the top. */
  viaSync: boolean;
}

const SYNC_FRAME = /^(internal\/)?sync\./;

function resolve(frames: FrameLike[]): Resolved {
  const u = frames.findIndex((f) => isUserFrame(f.fn));
  const inner = u < 0 ? frames : frames.slice(0, u);
  let api: WaitKind | undefined;
  for (let j = inner.length - 1; j >= 0 && api === undefined; j--) api = apiKind(inner[j].fn);
  const viaSync = inner.some((f) => SYNC_FRAME.test(f.fn));
  if (u < 0) return { user: undefined, api, viaSync };
  const f = frames[u];
  return { user: { function: f.fn, file: f.file, line: f.line }, api, viaSync };
}

function apiKind(fn: string): WaitKind | undefined {
  for (const [re, k] of API_KINDS) if (re.test(fn)) return k;
  return undefined;
}

/**
 * The kind of a wait, or undefined for the runtime's own semaphores (a GC start or mark
 * termination, a stop-the-world): reason "sync" with no sync primitive on the stack.
 */
function kindOf(r: Resolved, reason: WaitKind): WaitKind | undefined {
  if (reason !== 'sync' && reason !== 'cond') return reason;
  if (r.api) return r.api;
  return r.viaSync || reason === 'cond' ? reason : undefined;
}

function siteKey(s: Site | null | undefined): string {
  return s ? `${s.function}\u0000${s.file}\u0000${s.line}` : '';
}

function bySiteWait<T extends { waitNs: number; count: number }>(a: T, b: T): number {
  return b.waitNs - a.waitNs || b.count - a.count;
}

/** Per-site accumulation of trace waits. */
interface Acc {
  kind: WaitKind;
  waiter: Site | null;
  waitNs: number;
  count: number;
  maxNs: number;
  unreleased: number;
  releasers: Map<string, Releaser>;
  /** Wait intervals' starts and ends (for the convoy), grown in blocks: a pipeline's channels wait millions of times. */
  starts: F64Column;
  ends: F64Column;
}

/**
 * Pairs every sync and channel block of a trace with the unblock that ended it. Feed it
 * every generation (add), then finish with the trace's end time. Streams: holds only the
 * open waits and the per-site intervals.
 */
export class TraceContention {
  /** Waits by goroutine id, one record per goroutine reused for each wait (acc undefined: none open). */
  private readonly open = new Map<number, { start: number; acc: Acc | undefined }>();
  private readonly sites = new Map<string, Acc>();
  private readonly stackCache = new Map<number, Resolved>();
  /** Per waiting stack and kind, its site's accumulator; per waking stack, the releaser and its key. */
  private readonly accByStack = new ById<Acc>();
  private readonly releaserByStack = new ById<{ site: Site | null; key: string }>();
  private readonly reasonKinds = new ById<WaitKind>();
  /** open's records found by goroutine id (an array for small ids: looked up at every block and wake-up). */
  private readonly openById = new ById<{ start: number; acc: Acc | undefined }>();
  private runtimeNs = 0;
  private runtimeCount = 0;
  /** Goroutines in a runtime wait, and since when (in the order they began: summed in that order). */
  private readonly runtimeOpen = new Map<number, number>();
  /** The same starts found by goroutine id (an array for small ids: looked up at every wake-up). */
  private readonly runtimeById = new ById<number | undefined>();
  /** Each site's convoy swept as far as the reports so far could (each sweeps only the waits closed since the last). */
  private readonly kept = new Map<Acc, ConvoyKept>();
  /** The greatest time of the last event of a batch added: a wait begun later begins at it or after (else its site's keeping breaks). */
  private lastT = -Infinity;

  constructor(strings: StringTable, private readonly stacks: StackTable) {
    for (const [reason, kind] of Object.entries(REASON_KINDS)) this.reasonKinds.set(strings.intern(reason), kind);
  }

  add(ev: EventColumns): void {
    // The columns read at every event, once.
    const kinds = ev.kind, rs = ev.r, froms = ev.b, tos = ev.c, ids = ev.a, times = ev.time;
    for (let i = 0, n = ev.count; i < n; i++) {
      if (kinds[i] !== EventKind.StateTransition || rs[i] !== ResourceKind.Goroutine) continue;
      const from = froms[i], to = tos[i];
      if (from === to) continue; // a generation boundary restating the state
      const id = ids[i], t = times[i];
      if (from === GoState.Running && to === GoState.Waiting) {
        const reasonKind = this.reasonKinds.get(ev.s1[i]);
        if (reasonKind === undefined) continue;
        const stack = ev.stack2[i] !== NONE ? ev.stack2[i] : ev.stack[i];
        const cacheKey = stack * 16 + KIND_INDEX[reasonKind];
        let acc = this.accByStack.get(cacheKey);
        if (acc === undefined) {
          const r = this.resolved(stack);
          const kind = kindOf(r, reasonKind);
          if (!r.user || !kind) { this.runtimeOpen.set(id, t); this.runtimeById.set(id, t); continue; }
          acc = this.site(kind, r.user);
          this.accByStack.set(cacheKey, acc);
        }
        const w = this.openById.get(id);
        if (w) { w.start = t; w.acc = acc; } else { const r = { start: t, acc }; this.open.set(id, r); this.openById.set(id, r); }
      } else if (from === GoState.Waiting) {
        const rt = this.runtimeById.get(id);
        if (rt !== undefined) { this.runtimeOpen.delete(id); this.runtimeById.set(id, undefined); this.runtimeNs += t - rt; this.runtimeCount++; continue; }
        const w = this.openById.get(id);
        if (!w?.acc) continue;
        const acc = w.acc;
        w.acc = undefined;
        const woke = to === GoState.Runnable || to === GoState.Running;
        this.close(acc, w.start, t, woke ? this.releaser(ev.stack[i]) : NO_RELEASER, !woke);
      }
    }
    if (ev.count > 0 && times[ev.count - 1] > this.lastT) this.lastT = times[ev.count - 1];
  }

  /** Closes the waits still open at `end` (the trace's last event) and returns the sites. */
  finish(end: number): ContentionReport {
    for (const w of this.open.values()) if (w.acc) this.close(w.acc, w.start, end, NO_RELEASER, true);
    this.open.clear();
    this.openById.clear();
    for (const start of this.runtimeOpen.values()) { this.runtimeNs += end - start; this.runtimeCount++; }
    this.runtimeOpen.clear();
    this.runtimeById.clear();
    // A site kept by the reports so far sweeps on from there (the same figures as sweeping it whole).
    const all = [...this.sites.values()].map((a) => {
      const convoy = this.kept.has(a) ? this.convoyKept(a, [], end, a.waitNs) : undefined;
      return convoy ? toWaitSite(a, convoy) : toWaitSite(a);
    });
    this.kept.clear();
    return {
      sites: all.filter((s) => !CHANNEL_KINDS.has(s.kind)).sort(bySiteWait),
      channels: all.filter((s) => CHANNEL_KINDS.has(s.kind)).sort(bySiteWait),
      runtime: { waitNs: this.runtimeNs, count: this.runtimeCount },
      traceNs: end,
    };
  }

  /**
   * The report as finish(end) would make it, leaving the collector as it is: the waits still
   * open are closed at `end` on copies of their sites (the report "so far" of a trace still being read).
   */
  snapshot(end: number): ContentionReport {
    // The copies share their site's columns (not copied: a pipeline's site holds millions of
    // waits): the open waits' starts are kept apart and only the convoy reads them with the columns.
    const copies = new Map<Acc, { c: Acc; starts: number[] }>();
    for (const w of this.open.values()) {
      if (!w.acc) continue;
      let x = copies.get(w.acc);
      if (!x) {
        x = { c: { ...w.acc, releasers: new Map([...w.acc.releasers].map(([k, r]) => [k, { ...r }])) }, starts: [] };
        copies.set(w.acc, x);
      }
      tally(x.c, w.start, end, true);
      x.starts.push(w.start);
    }
    let runtimeNs = this.runtimeNs, runtimeCount = this.runtimeCount;
    for (const start of this.runtimeOpen.values()) { runtimeNs += end - start; runtimeCount++; }
    const all = [...this.sites.values()].map((a) => {
      const x = copies.get(a);
      const convoy = this.convoyKept(a, x?.starts ?? [], end, x ? x.c.waitNs : a.waitNs);
      if (convoy) return toWaitSite(x ? x.c : a, convoy);
      return x ? toWaitSite(x.c, convoyClosedAt(a, x.starts, end, x.c.waitNs)) : toWaitSite(a);
    });
    return {
      sites: all.filter((s) => !CHANNEL_KINDS.has(s.kind)).sort(bySiteWait),
      channels: all.filter((s) => CHANNEL_KINDS.has(s.kind)).sort(bySiteWait),
      runtime: { waitNs: runtimeNs, count: runtimeCount },
      traceNs: end,
    };
  }

  /**
   * A site's convoy with its open waits (`open`: their starts) closed at `end`, from its keeping:
   * the waits closed since the last report are taken in, everything before the earliest wait
   * still open (and the last event read, and end) swept for good, the rest swept on a copy.
   * Undefined when the keeping broke (a time out of order, or not a finite number): the caller
   * sweeps every wait instead. The same events in the same order as that whole sweep, so the same figures.
   */
  private convoyKept(a: Acc, open: number[], end: number, total: number): { max: number; mean: number; spanNs: number } | undefined {
    let k = this.kept.get(a);
    if (!k) { k = { cur: 0, max: 0, spanNs: 0, since: 0, taken: 0, limit: -Infinity, starts: NO_TIMES, ends: NO_TIMES, broken: false }; this.kept.set(a, k); }
    if (k.broken) return undefined;
    const n = a.starts.count;
    if (n > k.taken) {
      const s = a.starts.slice(k.taken, n), e = a.ends.slice(k.taken, n);
      if (!allKeepable(s, k.limit) || !allKeepable(e, k.limit)) { breakKept(k); return undefined; }
      k.starts = k.starts.length ? merge2(k.starts, sortTimes(s), true) : sortTimes(s);
      k.ends = k.ends.length ? merge2(k.ends, sortTimes(e), true) : sortTimes(e);
      k.taken = n;
    }
    let h = Math.min(end, this.lastT);
    for (const v of open) {
      if (!keepable(v, k.limit)) { breakKept(k); return undefined; }
      if (v < h) h = v;
    }
    if (h > k.limit) {
      const [i, j] = convoyRun(k, [k.starts], [k.ends], h);
      k.starts = k.starts.subarray(i);
      k.ends = k.ends.subarray(j);
      k.limit = h;
    }
    // The open waits end at `end`, after the closed ones when those end by it.
    const starts = open.length ? merge2(k.starts, sortTimes(Float64Array.from(open)), true) : k.starts;
    let ends = k.ends;
    if (open.length) {
      ends = concat(k.ends, new Float64Array(open.length).fill(end));
      if (!(k.ends.length === 0 || k.ends[k.ends.length - 1] <= end) || !keepable(end, k.limit)) ends = sortTimes(ends);
    }
    const c = { cur: k.cur, max: k.max, spanNs: k.spanNs, since: k.since };
    convoyRun(c, [starts], [ends]);
    return { max: c.max, mean: c.spanNs > 0 ? total / c.spanNs : n + open.length > 0 ? 1 : 0, spanNs: c.spanNs };
  }

  private resolved(stack: number): Resolved {
    let r = this.stackCache.get(stack);
    if (!r) { r = resolve(this.stacks.get(stack)); this.stackCache.set(stack, r); }
    return r;
  }

  private innermost(stack: number): Site | null {
    const f = this.stacks.get(stack)[0];
    return f ? { function: f.fn, file: f.file, line: f.line } : null;
  }

  private site(kind: WaitKind, waiter: Site): Acc {
    const key = `${kind}\u0000${siteKey(waiter)}`;
    let a = this.sites.get(key);
    if (!a) {
      a = { kind, waiter, waitNs: 0, count: 0, maxNs: 0, unreleased: 0, releasers: new Map(), starts: new F64Column(16), ends: new F64Column(16) };
      this.sites.set(key, a);
    }
    return a;
  }

  /** The user frame (else the innermost) of a waking stack, with its key; cached per stack. */
  private releaser(stack: number): { site: Site | null; key: string } {
    if (stack === NONE) return NO_RELEASER;
    let r = this.releaserByStack.get(stack);
    if (!r) {
      const site = this.resolved(stack).user ?? this.innermost(stack);
      r = { site, key: siteKey(site) };
      this.releaserByStack.set(stack, r);
    }
    return r;
  }

  private close(a: Acc, start: number, end: number, rel: { site: Site | null; key: string }, unreleased: boolean): void {
    const d = tally(a, start, end, unreleased);
    a.starts.push(start);
    a.ends.push(end);
    if (unreleased) return;
    let r = a.releasers.get(rel.key);
    if (!r) { r = { site: rel.site, waitNs: 0, count: 0 }; a.releasers.set(rel.key, r); }
    r.waitNs += d;
    r.count++;
  }
}

const NO_RELEASER: { site: Site | null; key: string } = { site: null, key: '' };
const KIND_INDEX: Record<WaitKind, number> = Object.fromEntries(
  (['mutex', 'rwmutex', 'cond', 'waitgroup', 'sync', 'chan send', 'chan receive', 'select'] as WaitKind[]).map((k, i) => [k, i])) as Record<WaitKind, number>;

/** A wait [start, end) counted in its site's figures (not in its columns); returns its length. */
function tally(a: Acc, start: number, end: number, unreleased: boolean): number {
  const d = end - start;
  a.waitNs += d;
  a.count++;
  if (d > a.maxNs) a.maxNs = d;
  if (unreleased) a.unreleased++;
  return d;
}

/** The convoy of a site's waits and of more waits, from `starts` to `end` (a report so far closing the open waits): one copy of the starts, the ends read in place. */
function convoyClosedAt(a: Acc, starts: number[], end: number, total: number): { max: number; mean: number; spanNs: number } {
  const n = a.starts.count, k = starts.length;
  const s = new Float64Array(n + k);
  let at = 0;
  for (const ch of a.starts.chunks()) { s.set(ch, at); at += ch.length; }
  for (let j = 0; j < k; j++) s[n + j] = starts[j];
  const tail = new Float64Array(k).fill(end);
  // The open waits end last (at the last event read): the site's ends stay in order when they were.
  const inOrder = a.ends.inOrder() && (n === 0 || a.ends.get(n - 1) <= end) && end === end && !(end === 0 && 1 / end < 0);
  const e = inOrder ? [...a.ends.chunks(), tail] : [sortTimes(concat(a.ends.values(), tail))];
  return convoySweep([sortTimes(s)], e, total);
}

/** Where a site's convoy sweep kept between reports is (ConvoyState), with what it has taken in and not swept yet. */
interface ConvoyState { cur: number; max: number; spanNs: number; since: number }
interface ConvoyKept extends ConvoyState {
  /** The site's waits taken in: the first this many of its columns. */
  taken: number;
  /** Every time before it is swept: a wait taken in later that starts or ends before it breaks the keeping. */
  limit: number;
  /** The starts and ends taken in, not swept yet, each ascending. */
  starts: Float64Array;
  ends: Float64Array;
  broken: boolean;
}

const NO_TIMES = new Float64Array(0);

/** A time the keeping can take in after sweeping to `limit`: at or past it, finite, not -0 (sorted apart from 0 natively). */
function keepable(v: number, limit: number): boolean {
  return v >= limit && v < Infinity && !(v === 0 && 1 / v < 0);
}

function allKeepable(a: Float64Array, limit: number): boolean {
  for (let j = 0; j < a.length; j++) if (!keepable(a[j], limit)) return false;
  return true;
}

function breakKept(k: ConvoyKept): void {
  k.broken = true;
  k.starts = k.ends = NO_TIMES;
}

/**
 * The convoy's sweep: from state `st` (updated in place) over ascending starts and ends, each
 * side in arrays one after the other (any counts), read through a cursor per side, each time
 * before `limit` (all when none is given); returns the starts and ends taken. A tight loop: a
 * report so far sweeps every wait of the run, and the inner loop checks nothing but where
 * each cursor is in its array (the next array is looked for only at an array's end).
 */
function convoyRun(st: ConvoyState, starts: Float64Array[], ends: Float64Array[], limit?: number): [number, number] {
  let { cur, max, spanNs, since } = st;
  const bounded = limit !== undefined, lim = limit ?? 0;
  // Each side's cursor: the array read (s is starts[sk], e is ends[ek]), the index in it, and how many were taken before it.
  let sk = 0, ek = 0, si = 0, ei = 0, sBefore = 0, eBefore = 0, done = false;
  let s = starts[0] ?? NO_TIMES, e = ends[0] ?? NO_TIMES;
  while (!done) {
    // A cursor at its array's end moves on to the next non-empty array, if there is one.
    while (si === s.length && sk + 1 < starts.length) { sBefore += si; s = starts[++sk]; si = 0; }
    while (ei === e.length && ek + 1 < ends.length) { eBefore += ei; e = ends[++ek]; ei = 0; }
    const sn = s.length, en = e.length, sLast = sk + 1 >= starts.length, eLast = ek + 1 >= ends.length;
    if (si === sn && ei === en) break;
    // Within these two arrays: stops at the end of one that is not its side's last.
    for (;;) {
      let isEnd: boolean;
      if (si < sn) {
        // Ends before starts at the same instant: a handoff is not an overlap.
        if (ei < en) isEnd = e[ei] <= s[si];
        else if (eLast) isEnd = false;
        else break;
      } else if (sLast && ei < en) isEnd = true;
      else break;
      const t = isEnd ? e[ei] : s[si];
      if (bounded && !(t < lim)) { done = true; break; }
      if (isEnd) ei++; else si++;
      if (cur > 0) spanNs += t - since;
      cur += isEnd ? -1 : 1;
      since = t;
      if (cur > max) max = cur;
    }
  }
  st.cur = cur; st.max = max; st.spanNs = spanNs; st.since = since;
  return [sBefore + si, eBefore + ei];
}

/** Most intervals open at once and the time any is, from their starts and ends (each side ascending, in arrays one after the other), swept whole. */
function convoySweep(starts: Float64Array[], ends: Float64Array[], total: number): { max: number; mean: number; spanNs: number } {
  const c = { cur: 0, max: 0, spanNs: 0, since: 0 };
  const [n] = convoyRun(c, starts, ends);
  return { max: c.max, mean: c.spanNs > 0 ? total / c.spanNs : n > 0 ? 1 : 0, spanNs: c.spanNs };
}

function concat(x: Float64Array, y: Float64Array): Float64Array {
  const out = new Float64Array(x.length + y.length);
  out.set(x); out.set(y, x.length);
  return out;
}

function toWaitSite(a: Acc, convoy = convoyOfColumns(a.starts, a.ends, a.waitNs)): WaitSite {
  const releasers = [...a.releasers.values()].sort(bySiteWait);
  return {
    kind: a.kind, waiter: a.waiter, releaser: releasers[0]?.site ?? null, waitNs: a.waitNs, count: a.count, maxNs: a.maxNs,
    releasers, convoy, unreleased: a.unreleased, source: 'trace',
  };
}

/** Most intervals overlapping at once, and the mean number over the time any is open. */
export function convoy(spans: number[], total: number): { max: number; mean: number; spanNs: number } {
  const n = spans.length / 2;
  const starts = new Float64Array(n), ends = new Float64Array(n);
  for (let i = 0; i < n; i++) { starts[i] = spans[2 * i]; ends[i] = spans[2 * i + 1]; }
  return convoyOf(starts, ends, total);
}

/** The convoy of intervals given as their starts and their ends (both sorted here, in place). */
function convoyOf(starts: Float64Array, ends: Float64Array, total: number): { max: number; mean: number; spanNs: number } {
  // Starts and ends sorted apart (typed arrays sort numerically, without a pair per point), then merged.
  return convoySweep([sortTimes(starts)], [sortTimes(ends)], total);
}

/**
 * The convoy of a site's waits. Waits close in time order, so the ends are read in place
 * (copied and sorted only if they are not); the starts are copied and sorted unless in order too.
 */
function convoyOfColumns(starts: F64Column, ends: F64Column, total: number): { max: number; mean: number; spanNs: number } {
  return convoySweep(sortedChunks(starts), sortedChunks(ends), total);
}

function sortedChunks(c: F64Column): Float64Array[] {
  return c.inOrder() ? c.chunks() : [sortTimes(c.values())];
}

// ---- Profiles ----

/** Which side of the lock a mutex or block profile sees. */
export type ProfileSide = 'mutex' | 'block';

const RELEASE_API = /(^|\.)R?[Uu]nlock$|^runtime\._LostContendedRuntimeLock$|^runtime\.unlock/;

/** The frames of sample i, innermost first (inlined frames expanded). */
function sampleFrames(p: Profile, i: number): FrameLike[] {
  const s = p.samples;
  const out: FrameLike[] = [];
  for (let j = s.offsets[i]; j < s.offsets[i + 1]; j++) {
    const loc = p.locations[s.locs[j]];
    // No symbols: pprof's name for it, the binary ([server]) or <unknown>, not the address.
    if (loc.lines.length === 0) out.push({ fn: objectName(loc.mapping >= 0 ? p.mappings[loc.mapping].file : ''), file: '', line: 0 });
    for (const ln of loc.lines) {
      const fn = ln.fn >= 0 ? p.functions[ln.fn] : undefined;
      out.push({ fn: fn?.name ?? '', file: fn?.filename ?? '', line: ln.line });
    }
  }
  return out;
}

/**
 * Where a contention-shaped profile keeps its numbers: a time column (Go's `delay`, or any
 * `*delay*`/`*wait*`/`*lock*`/`*block*`/`contention*` type in a unit of time, as converters
 * from Java or .NET write them) and a count column (`contentions`, or a count-unit type of
 * the same families). Either may be missing (-1) — JFR converters write one profile per
 * column — but not both: then the profile is not contention and this is undefined.
 */
export interface ContentionColumns { delay: number; nsPerUnit: number; count: number }

const CONTENTION_TYPE = /delay|wait|lock|block|contention/i;

export function contentionColumns(p: Profile): ContentionColumns | undefined {
  const types = p.sampleTypes;
  const timed = (i: number) => nanosPerUnit(types[i].unit);
  let delay = types.findIndex((t, i) => t.type === 'delay' && timed(i) !== undefined);
  if (delay < 0) delay = types.findIndex((t, i) => CONTENTION_TYPE.test(t.type) && timed(i) !== undefined);
  let count = types.findIndex((t) => t.type === 'contentions');
  if (count < 0) count = types.findIndex((t, i) => i !== delay && CONTENTION_TYPE.test(t.type) && /^counts?$/i.test(t.unit));
  if (delay < 0 && count < 0) return undefined;
  return { delay, nsPerUnit: delay < 0 ? 0 : timed(delay)!, count };
}

/**
 * Whether a profile is a mutex profile (contention charged to the Unlock stacks) or a block
 * profile (charged to the waiters). The file does not say; the stacks do. Throws
 * WrongKindError for a profile that is neither.
 */
export function profileSide(p: Profile): ProfileSide {
  if (!contentionColumns(p)) {
    throw new WrongKindError(
      `not a mutex or block profile: its sample types are ${p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ') || 'none'}, and none counts or times waits`,
      'a mutex or block profile', 'profile',
      'write one with pprof.Lookup("mutex") or pprof.Lookup("block") (after runtime.SetMutexProfileFraction / SetBlockProfileRate)',
    );
  }
  let release = 0, wait = 0;
  for (let i = 0; i < p.samples.count; i++) {
    const frames = sampleFrames(p, i);
    const u = frames.findIndex((f) => isUserFrame(f.fn));
    const inner = u < 0 ? frames : frames.slice(0, u);
    if (inner.some((f) => RELEASE_API.test(f.fn))) release++; else wait++;
  }
  return release > wait ? 'mutex' : 'block';
}

interface ProfileAcc {
  kind: WaitKind;
  site: Site;
  waitNs: number;
  count: number;
  uncounted: boolean;
  untimed: boolean;
  inputs: Set<string>;
}

interface SideSites {
  sites: Map<string, ProfileAcc>;
  runtimeNs: number;
  runtimeCount: number;
  foreignNs: number;
  foreignCount: number;
}

/** Whether any stack of the profile passes through Go's runtime or sync package. */
function hasGoFrames(p: Profile): boolean {
  for (let i = 0; i < p.samples.count; i++) {
    if (sampleFrames(p, i).some((f) => /^(?:runtime|sync|internal\/sync)\./.test(f.fn))) return true;
  }
  return false;
}

function profileSites(profiles: Profile[], names: string[], side: ProfileSide): SideSites {
  const out: SideSites = { sites: new Map(), runtimeNs: 0, runtimeCount: 0, foreignNs: 0, foreignCount: 0 };
  for (const [pi, p] of profiles.entries()) {
    const cols = contentionColumns(p);
    if (!cols) continue;
    const { delay: di, count: ci, nsPerUnit } = cols, k = p.sampleTypes.length, uncounted = ci < 0, untimed = di < 0;
    const foreign = !hasGoFrames(p);
    for (let i = 0; i < p.samples.count; i++) {
      const count = uncounted ? 0 : p.samples.values[i * k + ci], delay = untimed ? 0 : p.samples.values[i * k + di] * nsPerUnit;
      if (foreign) { out.foreignNs += delay; out.foreignCount += count; continue; }
      const frames = sampleFrames(p, i);
      const r = resolve(frames);
      const kind = kindOf(r, 'sync');
      // A mutex-profile stack ending in the runtime released one of the runtime's own locks
      // (runtime.unlock, _LostContendedRuntimeLock), even when user code is further down.
      const runtimeLock = side === 'mutex' && /^runtime\./.test(frames[0]?.fn ?? '');
      if (!r.user || !kind || runtimeLock) { out.runtimeNs += delay; out.runtimeCount += count; continue; }
      const key = `${kind}\u0000${siteKey(r.user)}`;
      let a = out.sites.get(key);
      if (!a) { a = { kind, site: r.user, waitNs: 0, count: 0, uncounted: false, untimed: false, inputs: new Set() }; out.sites.set(key, a); }
      if (uncounted) a.uncounted = true;
      if (untimed) a.untimed = true;
      if (names[pi] !== undefined) a.inputs.add(names[pi]);
      a.waitNs += delay;
      a.count += count;
    }
  }
  return out;
}

/** Kinds a mutex-profile releaser can pair with: the lock's own family. */
function family(kind: WaitKind): string {
  return kind === 'mutex' || kind === 'rwmutex' ? kind : '';
}

/**
 * Contention from mutex and block profiles. Block profiles give the waiters, mutex profiles
 * the releasers; a waiter and a releaser of the same lock kind in the same function (the
 * usual `mu.Lock(); …; mu.Unlock()` or `defer mu.Unlock()`) are reported as one site. The
 * profiles cannot tell which mutex a stack held, so nothing else is paired.
 */
export function contentionFromProfiles(
  block: Profile[], mutex: Profile[], names: { block?: string[]; mutex?: string[] } = {},
): ContentionReport {
  const b = profileSites(block, names.block ?? [], 'block'), m = profileSites(mutex, names.mutex ?? [], 'mutex');
  const inputs = (...accs: ProfileAcc[]) => {
    const all = new Set(accs.flatMap((a) => [...a.inputs]));
    return {
      ...(all.size ? { inputs: [...all] } : {}),
      ...(accs.some((a) => a.uncounted) ? { uncounted: true } : {}),
      ...(accs.some((a) => a.untimed) ? { untimed: true } : {}),
    };
  };
  const sites: WaitSite[] = [];
  // Releasers by lock family and function.
  const relByFn = new Map<string, ProfileAcc[]>();
  for (const r of m.sites.values()) {
    const key = `${family(r.kind)}\u0000${r.site.function}`;
    const list = relByFn.get(key) ?? [];
    list.push(r);
    relByFn.set(key, list);
  }
  const paired = new Set<ProfileAcc>();
  for (const w of b.sites.values()) {
    const rel = family(w.kind) ? relByFn.get(`${family(w.kind)}\u0000${w.site.function}`) : undefined;
    if (!rel) {
      sites.push({ kind: w.kind, waiter: w.site, releaser: null, waitNs: w.waitNs, count: w.count, source: 'block profile', ...inputs(w) });
      continue;
    }
    rel.sort(bySiteWait);
    for (const r of rel) paired.add(r);
    sites.push({
      kind: w.kind, waiter: w.site, releaser: rel[0].site, waitNs: w.waitNs, count: w.count,
      releasers: rel.map((r) => ({ site: r.site, waitNs: r.waitNs, count: r.count })),
      releaserNs: rel.reduce((s, r) => s + r.waitNs, 0), releaserCount: rel.reduce((s, r) => s + r.count, 0),
      source: 'block+mutex profiles', ...inputs(w, ...rel),
    });
  }
  for (const r of m.sites.values()) {
    if (paired.has(r)) continue;
    sites.push({ kind: r.kind, waiter: null, releaser: r.site, waitNs: r.waitNs, count: r.count, source: 'mutex profile', ...inputs(r) });
  }
  return {
    sites: sites.filter((s) => !CHANNEL_KINDS.has(s.kind)).sort(bySiteWait),
    channels: sites.filter((s) => CHANNEL_KINDS.has(s.kind)).sort(bySiteWait),
    runtime: { waitNs: b.runtimeNs + m.runtimeNs, count: b.runtimeCount + m.runtimeCount },
    ...(b.foreignNs || b.foreignCount || m.foreignNs || m.foreignCount ? { foreign: { waitNs: b.foreignNs + m.foreignNs, count: b.foreignCount + m.foreignCount } } : {}),
    traceNs: 0,
  };
}

/**
 * Several reports as one: sites of the same source, kind, waiter and releaser add up
 * (several traces of one program); sites from different sources stay apart.
 */
export function mergeContention(reports: ContentionReport[]): ContentionReport {
  if (reports.length === 1) return reports[0];
  const merge = (lists: WaitSite[][]): WaitSite[] => {
    const byKey = new Map<string, WaitSite>();
    for (const s of lists.flat()) {
      const key = [s.source, s.kind, siteKey(s.waiter), s.waiter ? '' : siteKey(s.releaser)].join('\u0001');
      const prev = byKey.get(key);
      byKey.set(key, prev ? mergeSite(prev, s) : s);
    }
    return [...byKey.values()].sort(bySiteWait);
  };
  return {
    sites: merge(reports.map((r) => r.sites)),
    channels: merge(reports.map((r) => r.channels)),
    runtime: {
      waitNs: reports.reduce((s, r) => s + r.runtime.waitNs, 0),
      count: reports.reduce((s, r) => s + r.runtime.count, 0),
    },
    ...(reports.some((r) => r.foreign) ? {
      foreign: {
        waitNs: reports.reduce((s, r) => s + (r.foreign?.waitNs ?? 0), 0),
        count: reports.reduce((s, r) => s + (r.foreign?.count ?? 0), 0),
      },
    } : {}),
    traceNs: reports.reduce((s, r) => s + r.traceNs, 0),
  };
}

function mergeSite(a: WaitSite, b: WaitSite): WaitSite {
  const rel = new Map<string, Releaser>();
  for (const r of [...(a.releasers ?? []), ...(b.releasers ?? [])]) {
    const k = siteKey(r.site);
    const p = rel.get(k);
    rel.set(k, p ? { site: p.site, waitNs: p.waitNs + r.waitNs, count: p.count + r.count } : { ...r });
  }
  const releasers = [...rel.values()].sort(bySiteWait);
  const out: WaitSite = {
    ...a, waitNs: a.waitNs + b.waitNs, count: a.count + b.count,
    releaser: releasers[0]?.site ?? a.releaser ?? b.releaser,
  };
  if (releasers.length) out.releasers = releasers;
  if (a.uncounted || b.uncounted) out.uncounted = true;
  if (a.untimed || b.untimed) out.untimed = true;
  if (a.maxNs !== undefined || b.maxNs !== undefined) out.maxNs = Math.max(a.maxNs ?? 0, b.maxNs ?? 0);
  if (a.unreleased !== undefined || b.unreleased !== undefined) out.unreleased = (a.unreleased ?? 0) + (b.unreleased ?? 0);
  if (a.releaserNs !== undefined || b.releaserNs !== undefined) {
    out.releaserNs = (a.releaserNs ?? 0) + (b.releaserNs ?? 0);
    out.releaserCount = (a.releaserCount ?? 0) + (b.releaserCount ?? 0);
  }
  if (a.inputs || b.inputs) out.inputs = [...new Set([...(a.inputs ?? []), ...(b.inputs ?? [])])];
  if (a.convoy || b.convoy) {
    const spanNs = (a.convoy?.spanNs ?? 0) + (b.convoy?.spanNs ?? 0);
    const waited = (a.convoy ? a.waitNs : 0) + (b.convoy ? b.waitNs : 0);
    out.convoy = { max: Math.max(a.convoy?.max ?? 0, b.convoy?.max ?? 0), mean: spanNs > 0 ? waited / spanNs : 0, spanNs };
  }
  return out;
}

// ---- Findings ----

/** Lock kinds that are contention; cond and wait-group waits are waiting for work, not for a lock. */
const LOCK_KINDS: ReadonlySet<WaitKind> = new Set(['mutex', 'rwmutex', 'sync']);

const ADVICE: Partial<Record<WaitKind, string>> = {
  mutex: 'Hold the lock for less time (move work such as I/O, allocation and formatting out of the critical section), split the data so unrelated goroutines take different locks (sharding), or use sync/atomic for simple counters.',
  rwmutex: 'Writers block every reader and readers delay writers: shorten the write sections, publish read-mostly data with atomic.Pointer (copy on write), or shard the data.',
  sync: 'A semaphore-based primitive (sync.Once, a Mutex inside the standard library, …) kept goroutines waiting; look at what the releasing code does while others wait.',
};

export interface ContentionThresholds {
  /** Total wait at a site below which nothing is reported (ns). */
  minWaitNs: number;
  /** Trace: share of the trace (wait ÷ duration) from which a site is `likely` a problem. */
  likelyShare: number;
  /** Profiles (no duration): total wait from which a site is `likely` a problem (ns). */
  likelyWaitNs: number;
  /** A single wait this long makes a site `likely` (ns). */
  likelyMaxNs: number;
}

export const DEFAULT_CONTENTION_THRESHOLDS: ContentionThresholds = {
  minWaitNs: 1e6, likelyShare: 0.05, likelyWaitNs: 100e6, likelyMaxNs: 10e6,
};

/**
 * Findings for the lock sites of a report (not channels, conds or wait groups): one per
 * site that waited at least minWaitNs in total. Score: milliseconds waited. A finding's
 * source is the site's inputs when it names them, else `source`.
 */
export function contentionFindings(report: ContentionReport, source: string, th: ContentionThresholds = DEFAULT_CONTENTION_THRESHOLDS): Finding[] {
  const out: Finding[] = [];
  for (const s of report.sites) {
    if (!LOCK_KINDS.has(s.kind) || s.waitNs < th.minWaitNs) continue;
    const share = s.source === 'trace' && report.traceNs > 0 ? s.waitNs / report.traceNs : undefined;
    const likely = share !== undefined ? share >= th.likelyShare || (s.maxNs ?? 0) >= th.likelyMaxNs : s.waitNs >= th.likelyWaitNs;
    const what = s.kind === 'rwmutex' ? 'an RWMutex' : s.kind === 'mutex' ? 'a Mutex' : 'a lock';
    const waits = s.uncounted ? `Waits of ${formatNs(s.waitNs)} in all` : `${s.count} waits (${formatNs(s.waitNs)})`;
    const title = s.waiter
      ? `${waits} for ${what} at ${siteLabel(s.waiter)}${s.releaser ? `, released at ${siteLabel(s.releaser)}` : ''}`
      : `Others waited ${formatNs(s.waitNs)}${s.uncounted ? '' : ` (${s.count} times)`} for ${what} released at ${siteLabel(s.releaser)}`;
    const evidence: Record<string, number | string> = { waitNs: s.waitNs, kind: s.kind, from: s.source };
    if (!s.uncounted) evidence.count = s.count;
    if (s.maxNs !== undefined) evidence.maxNs = s.maxNs;
    if (share !== undefined) evidence.shareOfTrace = Number(share.toFixed(4));
    if (s.convoy) { evidence.convoyMax = s.convoy.max; evidence.convoyMean = Number(s.convoy.mean.toFixed(2)); }
    if (s.waiter && s.releaser) evidence.releaser = `${s.releaser.function} ${s.releaser.file}:${s.releaser.line}`;
    if (s.releaserNs !== undefined) evidence.releaserNs = s.releaserNs;
    if (s.unreleased) evidence.unreleased = s.unreleased;
    out.push({
      kind: 'contention', title, site: s.waiter ?? s.releaser, evidence,
      confidence: likely ? 'likely' : 'possible', score: s.waitNs / 1e6, advice: ADVICE[s.kind], source: s.inputs?.join(', ') || source,
    });
  }
  return out;
}
