// The normalized event stream both trace formats decode into. It mirrors the events Go's
// own reader (internal/trace, golang.org/x/exp/trace) yields — one of ours per one of its —
// so counts, orderings and states agree with the reference. Events arrive one generation
// at a time as columns (no object per event); strings and stacks are interned for the
// whole trace.

/** Event kinds, as the reference reader's EventKind. */
export const enum EventKind {
  Bad = 0,
  Sync = 1,
  Metric = 2,
  Label = 3,
  StackSample = 4,
  RangeBegin = 5,
  RangeActive = 6,
  RangeEnd = 7,
  TaskBegin = 8,
  TaskEnd = 9,
  RegionBegin = 10,
  RegionEnd = 11,
  Log = 12,
  StateTransition = 13,
  Experimental = 14,
}

/** What a state transition or a range is about. */
export const enum ResourceKind {
  None = 0,
  Goroutine = 1,
  Proc = 2,
  Thread = 3,
}

/** Goroutine states, as the reference's GoState. */
export const enum GoState {
  Undetermined = 0,
  NotExist = 1,
  Runnable = 2,
  Running = 3,
  Waiting = 4,
  Syscall = 5,
}

/** Proc states, as the reference's ProcState. */
export const enum ProcState {
  Undetermined = 0,
  NotExist = 1,
  Running = 2,
  Idle = 3,
}

/** Metric and range names in the stream, as the reference reader spells them. */
export const METRIC_GOMAXPROCS = '/sched/gomaxprocs:threads';
export const METRIC_HEAP_IN_USE = '/memory/classes/heap/objects:bytes';
export const METRIC_HEAP_GOAL = '/gc/heap/goal:bytes';
export const RANGE_GC_MARK = 'GC concurrent mark phase';
export const RANGE_SWEEP = 'GC incremental sweep';
export const RANGE_MARK_ASSIST = 'GC mark assist';
/** Stop-the-world ranges are named "stop-the-world (<reason>)". */
export const RANGE_STW_PREFIX = 'stop-the-world';

/** "No goroutine / proc / thread / task / stack / string" in the id columns. */
export const NONE = -1;

/**
 * One generation's events (the whole trace for the old format, which has none), in the
 * order the reference reader yields them. Column meaning per kind:
 *
 * | kind            | r        | a            | b           | c        | s1        | s2      | stack2            |
 * |-----------------|----------|--------------|-------------|----------|-----------|---------|-------------------|
 * | StateTransition | resource | resource id  | from state  | to state | reason    |         | the resource's stack (a new goroutine's start) |
 * | Metric          |          | value        |             |          | name      |         |                   |
 * | Label           | Goroutine| goroutine id |             |          | label     |         |                   |
 * | Range*          | scope    | scope id     |             |          | name      |         |                   |
 * | TaskBegin       |          | task id      | parent task |          | type      |         |                   |
 * | TaskEnd         |          | task id      | parent task |          | type      |         |                   |
 * | Region*         |          | task id      |             |          | type      |         |                   |
 * | Log             |          | task id      |             |          | category  | message |                   |
 * | Experimental    |          | arg 0        | arg 1       | arg 2    | name      |         |                   |
 * | Sync            |          | N (1, 2, …)  | clock snapshot time | wall clock at it, ms since 1970 | | |       |
 *
 * TaskEnd's parent and type are known only when its TaskBegin was in the trace (else NONE).
 * Sync's snapshot columns are NONE without a clock snapshot (before go 1.25, the final Sync).
 * A RangeEnd of "GC incremental sweep" also has b = bytes swept and c = bytes reclaimed.
 *
 * Metric names are the reference's: "/sched/gomaxprocs:threads", "/memory/classes/heap/objects:bytes"
 * (heap in use), "/gc/heap/goal:bytes". Range names likewise: "GC concurrent mark phase",
 * "GC incremental sweep", "GC mark assist", "stop-the-world (<reason>)".
 */
export interface EventColumns {
  count: number;
  kind: Uint8Array;
  /** Nanoseconds since the trace's first event (exact: well below 2^53). */
  time: Float64Array;
  /** The event's context: goroutine, proc and thread ids (NONE when absent). */
  g: Float64Array;
  p: Float64Array;
  m: Float64Array;
  /** Where the event happened: a stack id (NONE if none). */
  stack: Int32Array;
  r: Uint8Array;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  /** String ids into the trace's StringTable (NONE if none). */
  s1: Int32Array;
  s2: Int32Array;
  stack2: Int32Array;
  /**
   * Set when the same generation continues in the next call: a large generation (and a long
   * old-format trace, which is one generation) is handed out in slices of bounded size.
   * Collectors that count generations skip these.
   */
  more?: boolean;
}

export interface Frame {
  pc: number;
  fn: string;
  file: string;
  line: number;
}

/** Strings interned across generations (generations have tables of their own; ids here are global). */
export class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) { i = this.values.length; this.values.push(s); this.index.set(s, i); }
    return i;
  }
  get(id: number): string {
    return id === NONE ? '' : this.values[id];
  }
}

/** Stacks interned across generations by content; frames innermost first, as the trace writes them. */
export class StackTable {
  readonly frames: Frame[] = [];
  /**
   * Frames by pc: the last frame made with that pc, and before it, through samePc, the others
   * (-1 ends the chain). A frame is found by its pc and compared field by field: a key string
   * made of its four fields and hashed for every frame of every stack of every generation was
   * ~3% of `golens trace` on a server's trace (2,550 stacks of 9 frames each met there).
   */
  private readonly framesByPc = new Map<number, number>();
  private readonly samePc: number[] = [];
  /** Stack i is frameIds[offsets[i] .. offsets[i+1]). */
  private offsets: number[] = [0];
  private frameIds: number[] = [];
  private readonly stackIndex = new Map<string, number>();

  intern(frames: Frame[]): number {
    const ids = new Array<number>(frames.length);
    for (let k = 0; k < frames.length; k++) ids[k] = this.frameId(frames[k]);
    const key = ids.join(',');
    let s = this.stackIndex.get(key);
    if (s === undefined) {
      s = this.offsets.length - 1;
      this.frameIds.push(...ids);
      this.offsets.push(this.frameIds.length);
      this.stackIndex.set(key, s);
    }
    return s;
  }

  /** The id of a frame with the same pc, function, file and line as f (f itself, added, if none). */
  private frameId(f: Frame): number {
    const last = this.framesByPc.get(f.pc);
    if (last !== undefined) {
      for (let i = last; i !== -1; i = this.samePc[i]) {
        const g = this.frames[i];
        if (g.fn === f.fn && g.file === f.file && g.line === f.line) return i;
      }
    }
    const i = this.frames.length;
    this.frames.push(f);
    this.samePc.push(last ?? -1);
    this.framesByPc.set(f.pc, i);
    return i;
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** The frames of stack id, innermost first ([] for NONE). */
  get(id: number): Frame[] {
    if (id === NONE) return [];
    const out: Frame[] = [];
    for (let j = this.offsets[id]; j < this.offsets[id + 1]; j++) out.push(this.frames[this.frameIds[j]]);
    return out;
  }
}

/** A copy of a generation's columns that outlives the reader's next call. */
export function copyColumns(ev: EventColumns): EventColumns {
  return {
    count: ev.count, kind: ev.kind.slice(), time: ev.time.slice(), g: ev.g.slice(), p: ev.p.slice(), m: ev.m.slice(),
    stack: ev.stack.slice(), r: ev.r.slice(), a: ev.a.slice(), b: ev.b.slice(), c: ev.c.slice(), s1: ev.s1.slice(),
    s2: ev.s2.slice(), stack2: ev.stack2.slice(),
  };
}

/** Where a trace's bytes come from: a file read in chunks, or memory in tests. */
export interface ByteSource {
  readonly size: number;
  /** Reads up to length bytes at offset (fewer only at the end). */
  read(offset: number, length: number): Uint8Array;
  /** Reads up to into.length bytes at offset into `into` (fewer only at the end); the count read. */
  readInto?(offset: number, into: Uint8Array): number;
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}

/** A decoded trace, read one generation at a time. */
export interface TraceReader {
  /** The header's version, e.g. "go 1.23". */
  readonly version: string;
  readonly format: 'old' | 'new';
  readonly strings: StringTable;
  readonly stacks: StackTable;
  /**
   * The next generation's events in reference order (or the next slice of them, `more` set
   * while the generation continues), or undefined at the end. Throws FormatError. The columns
   * are valid until the next call, which may reuse their memory: copy what must outlive it.
   * (One generation in memory at a time, however long the trace; one slice of its events.)
   */
  next(): EventColumns | undefined;
}

/** Growable columns for building an EventColumns. */
export class EventBuilder {
  private cap: number;
  count = 0;
  kind: Uint8Array; time: Float64Array; g: Float64Array; p: Float64Array; m: Float64Array;
  stack: Int32Array; r: Uint8Array; a: Float64Array; b: Float64Array; c: Float64Array;
  s1: Int32Array; s2: Int32Array; stack2: Int32Array;

  constructor(cap = 1024) {
    this.cap = cap;
    this.kind = new Uint8Array(cap); this.time = new Float64Array(cap);
    this.g = new Float64Array(cap); this.p = new Float64Array(cap); this.m = new Float64Array(cap);
    this.stack = new Int32Array(cap); this.r = new Uint8Array(cap);
    this.a = new Float64Array(cap); this.b = new Float64Array(cap); this.c = new Float64Array(cap);
    this.s1 = new Int32Array(cap); this.s2 = new Int32Array(cap); this.stack2 = new Int32Array(cap);
  }

  /** Appends an event with every column at its "none" value; returns its index to fill in. */
  add(kind: EventKind, time: number, g: number, p: number, m: number, stack: number): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.kind[i] = kind; this.time[i] = time; this.g[i] = g; this.p[i] = p; this.m[i] = m; this.stack[i] = stack;
    this.r[i] = ResourceKind.None; this.a[i] = NONE; this.b[i] = NONE; this.c[i] = NONE;
    this.s1[i] = NONE; this.s2[i] = NONE; this.stack2[i] = NONE;
    return i;
  }

  /** Empties the builder, keeping its arrays for the next batch of events. */
  reset(): void {
    this.count = 0;
  }

  /** The events so far as views of the builder's arrays (no copy; valid until the next reset). */
  view(): EventColumns {
    const n = this.count;
    // `more` is always present, so every slice has one shape (collectors' loads stay monomorphic).
    return {
      more: false, count: n, kind: this.kind.subarray(0, n), time: this.time.subarray(0, n), g: this.g.subarray(0, n), p: this.p.subarray(0, n),
      m: this.m.subarray(0, n), stack: this.stack.subarray(0, n), r: this.r.subarray(0, n), a: this.a.subarray(0, n),
      b: this.b.subarray(0, n), c: this.c.subarray(0, n), s1: this.s1.subarray(0, n), s2: this.s2.subarray(0, n), stack2: this.stack2.subarray(0, n),
    };
  }

  /** The events so far as exact-size copies. */
  finish(): EventColumns {
    const n = this.count;
    return {
      count: n, kind: this.kind.slice(0, n), time: this.time.slice(0, n), g: this.g.slice(0, n), p: this.p.slice(0, n),
      m: this.m.slice(0, n), stack: this.stack.slice(0, n), r: this.r.slice(0, n), a: this.a.slice(0, n),
      b: this.b.slice(0, n), c: this.c.slice(0, n), s1: this.s1.slice(0, n), s2: this.s2.slice(0, n), stack2: this.stack2.slice(0, n),
    };
  }

  /** Makes room for at least n events in total (exactly n when it must grow: n is known, not guessed). */
  reserve(n: number): void {
    if (this.cap < n) this.grow(n, true);
  }

  private grow(atLeast = 0, exact = false): void {
    this.cap = exact ? atLeast : Math.max(this.cap * 2, atLeast);
    const g8 = (x: Uint8Array) => { const y = new Uint8Array(this.cap); y.set(x); return y; };
    const g64 = (x: Float64Array) => { const y = new Float64Array(this.cap); y.set(x); return y; };
    const g32 = (x: Int32Array) => { const y = new Int32Array(this.cap); y.set(x); return y; };
    this.kind = g8(this.kind); this.time = g64(this.time); this.g = g64(this.g); this.p = g64(this.p); this.m = g64(this.m);
    this.stack = g32(this.stack); this.r = g8(this.r); this.a = g64(this.a); this.b = g64(this.b); this.c = g64(this.c);
    this.s1 = g32(this.s1); this.s2 = g32(this.s2); this.stack2 = g32(this.stack2);
  }
}
