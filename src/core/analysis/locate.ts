// Where in a trace a finding shows: the time window and the goroutines to look at, so a
// timeline can jump from the finding to the moment it is about.
import type { RuntimeModel } from '../runtime/model';
import { SpanScan } from './jointscan';
import type { SpanIndex } from '../runtime/queries';
import { GoState, NONE } from '../trace/events';
import type { Finding, Site } from './finding';
import { ById } from './byid';
import { SlotRows } from './slotrows';
import { userFrame } from './frames';

export interface Place {
  /** The window to show, ns from the trace's start. */
  t0: number;
  t1: number;
  /** The moment itself (a wait, a pause), inside the window. */
  at: number;
  atEnd: number;
  /** Goroutines to show lanes for (at most MAX_GOROUTINES). */
  goroutines: number[];
}

const MAX_GOROUTINES = 8;

const sameSite = (a: Site, fn: string, file: string, line: number) => a.function === fn && a.line === line && (a.file === file || a.file.endsWith(file) || file.endsWith(a.file));

/** A window around [a, b): the moment in the middle third, clamped to the trace. */
function around(m: RuntimeModel, a: number, b: number, goroutines: number[]): Place {
  const d = Math.max(b - a, m.end / 1e6, 1000);
  return { t0: Math.max(0, a - d), t1: Math.min(m.end, b + d), at: a, atEnd: b, goroutines: goroutines.slice(0, MAX_GOROUTINES) };
}

/** Whether the user frame of stack `st` is `site`, each stack looked at once. */
function siteMatcher(m: RuntimeModel, site: Site): (st: number) => boolean {
  const match = new Map<number, boolean>();
  return (st) => {
    let ok = match.get(st);
    if (ok === undefined) {
      const f = st === NONE ? undefined : userFrame(m.stacks.get(st));
      ok = !!f && sameSite(site, f.fn, f.file, f.line);
      match.set(st, ok);
    }
    return ok;
  };
}

/**
 * The longest Waiting span at each stack and the longest Runnable span of each goroutine (the
 * first in the table of those as long), from a walk over the goroutine spans that resumes where
 * it stopped: a trace being read is walked once, and its findings are placed without a walk.
 */
export class LongestSpans extends SpanScan {
  /** By stack (Waiting): the span and its length. */
  readonly waiting = new Map<number, { i: number; len: number }>();
  private readonly waitingById = new ById<{ i: number; len: number }>();
  /**
   * By goroutine (Runnable): a row (goroutine id, span, length) by slot, in the order
   * of each goroutine's first Runnable span (no object each: a server's trace has hundreds of thousands).
   */
  private readonly runnable = new SlotRows([0, -1, -1]);

  /** Walks span i of the table (id, state, start and end read by the caller: a joint walk reads them once for every scan). */
  visit(i: number, id: number, st: number, a: number, b: number): void {
    if (st !== GoState.Waiting && st !== GoState.Runnable) return;
    const len = b - a;
    if (st === GoState.Runnable) {
      const rows = this.runnable;
      let s = rows.slot(id);
      if (s === undefined) {
        if (!(len > -1)) return;
        s = rows.add(id);
        const d = rows.page(s), o = rows.off(s);
        d[o + 1] = i; d[o + 2] = len;
      } else {
        const d = rows.page(s), o = rows.off(s);
        if (len > d[o + 2]) { d[o + 1] = i; d[o + 2] = len; }
      }
      return;
    }
    const key = this.model.gSpans.stack(i);
    const best = this.waitingById.get(key);
    if (!best) {
      if (len > -1) {
        const rec = { i, len };
        this.waiting.set(key, rec);
        this.waitingById.set(key, rec);
      }
    } else if (len > best.len) { best.i = i; best.len = len; }
  }

  /** longestAt's answer from what was walked (the spans up to the last scan). */
  longest(state: GoState.Waiting | GoState.Runnable, keep: (key: number) => boolean): number {
    let best = -1, bestLen = -1;
    if (state === GoState.Runnable) {
      const rows = this.runnable;
      for (let s = 0; s < rows.n; s++) {
        const d = rows.page(s), o = rows.off(s), len = d[o + 2], i = d[o + 1];
        if ((len > bestLen || (len === bestLen && i < best)) && keep(d[o])) { best = i; bestLen = len; }
      }
      return best;
    }
    for (const [key, b] of this.waiting) {
      if ((b.len > bestLen || (b.len === bestLen && b.i < best)) && keep(key)) { best = b.i; bestLen = b.len; }
    }
    return best;
  }
}

/**
 * The longest goroutine span in `state` whose stack's user frame is `site` (any site when
 * null) and whose goroutine passes `filter`: the first in the table of those as long. From
 * `longest` (kept up to the model's spans) when given, else walking the table.
 */
function longestAt(m: RuntimeModel, state: GoState.Waiting | GoState.Runnable, site: Site | null, filter?: (g: number) => boolean, longest?: LongestSpans): number {
  if (longest) {
    longest.scan();
    // Waiting spans are kept by stack, Runnable ones by goroutine: the question asked of each.
    if (state === GoState.Waiting && !filter) return longest.longest(state, site ? siteMatcher(m, site) : () => true);
    if (state === GoState.Runnable && !site) return longest.longest(state, filter ?? (() => true));
  }
  const s = m.gSpans;
  const matches = site ? siteMatcher(m, site) : undefined;
  let best = -1, bestLen = -1;
  for (let i = 0; i < s.count; i++) {
    if (s.state(i) !== state) continue;
    if (filter && !filter(s.id(i))) continue;
    const len = s.end(i) - s.start(i);
    if (len <= bestLen) continue;
    if (matches && !matches(s.stack(i))) continue;
    best = i; bestLen = len;
  }
  return best;
}

/**
 * Where `f` (a finding from this trace) happens; undefined when the trace shows no moment for it.
 * `byG` gives the goroutine spans indexed by goroutine; it is called only for the findings
 * that need it (a contention's waker), so a caller placing leaks never builds the index;
 * without it (a trace still being read) the waker's span is looked for after the wait's in the table.
 */
export function locateFinding(m: RuntimeModel, byG: (() => SpanIndex) | undefined, f: Finding, goroutines?: number[], longest?: LongestSpans): Place | undefined {
  switch (f.kind) {
    case 'leak': {
      const gs = goroutines ?? [];
      if (!gs.length) return undefined;
      let since = m.end;
      for (const id of gs) since = Math.min(since, m.goroutines.get(id)?.since ?? m.end);
      // From a little before the first of them blocked to the end: they never wake.
      return { ...around(m, since, m.end, gs), t1: m.end };
    }
    case 'contention': {
      if (!f.site) return undefined;
      const i = longestAt(m, GoState.Waiting, f.site, undefined, longest);
      if (i < 0) return undefined;
      const s = m.gSpans;
      const gs = [s.id(i)];
      if (s.g(i) !== NONE) gs.push(s.g(i));
      // The goroutine that woke it: the next span's waker.
      const next = byG ? spanStartingAt(byG(), s.id(i), s.end(i)) : nextSpanOf(m, i);
      if (next >= 0 && s.g(next) !== NONE && !gs.includes(s.g(next))) gs.push(s.g(next));
      return around(m, s.start(i), s.end(i), gs);
    }
    case 'gc': {
      const t = m.stw.count ? m.stw : m.gcCycles;
      let best = -1;
      for (let i = 0; i < t.count; i++) if (best < 0 || t.end(i) - t.start(i) > t.end(best) - t.start(best)) best = i;
      return best < 0 ? undefined : around(m, t.start(best), t.end(best), []);
    }
    case 'sched': {
      const site = f.site;
      // Latency findings name the `go` statement (or function) whose goroutines waited most.
      const created = site ? (g: number) => {
        const info = m.goroutines.get(g);
        if (!info) return false;
        for (const st of [info.createStack, info.startStack]) {
          const fr = st === NONE ? undefined : m.stacks.get(st)[0];
          if (fr && (sameSite(site, fr.fn, fr.file, fr.line) || fr.fn === site.function)) return true;
        }
        return false;
      } : undefined;
      let i = longestAt(m, GoState.Runnable, null, created, longest);
      if (i < 0) i = longestAt(m, GoState.Runnable, null, undefined, longest);
      if (i < 0) return undefined;
      return around(m, m.gSpans.start(i), m.gSpans.end(i), [m.gSpans.id(i)]);
    }
  }
}

/** The span of goroutine `g` that starts at `t` (-1 if none). */
export function spanStartingAt(byG: SpanIndex, g: number, t: number): number {
  for (const i of byG.spans(g, t, t + 1)) if (byG.table.start(i) === t) return i;
  return -1;
}

/** The span of span i's goroutine that starts where i ends: it closed after i, so it is further on in the table (-1 if none). */
function nextSpanOf(m: RuntimeModel, i: number): number {
  const s = m.gSpans, g = s.id(i), t = s.end(i);
  for (let j = i + 1; j < s.count; j++) if (s.id(j) === g && s.start(j) === t) return j;
  return -1;
}
