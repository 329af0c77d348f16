// The new-format reader (go 1.22 … 1.26): reads one generation at a time, merges its
// threads' events by time under the ordering rules, and hands back the generation's
// events as columns — exactly the events Go's own reader yields, Syncs included (one as
// each generation starts, one after the last). A generation of more than sliceEvents events
// comes in slices (`more` set on all but its last), so its columns stay small.
import { FormatError } from '../../errors';
import { EventKind, NONE, StackTable, StringTable, type ByteSource, type EventColumns, type TraceReader } from '../events';
import { BatchReader, DEFAULT_CHUNK_SIZE, type Batch } from './batches';
import { countEvents } from './count';
import { Cursor, compareCursors, heapInsert, heapRemove, heapUpdate, siftDown } from './cursor';
import { readGenerationMarked, readGenerationWithSpill, type Generation } from './generation';
import { Ordering } from './order';
import { Output } from './output';
import { sortLikeGo } from './sort';
import { ARGC, evName } from './spec';

export const HEADER_SIZE = 16;

export interface NewTraceOptions {
  /** Bytes asked of the source at once (default 1 MiB; at least 42 for a batch header). */
  chunkSize?: number;
  /** Events handed out per next() at most (default 2^15): a larger generation comes in slices. */
  sliceEvents?: number;
  /** The trace's first slice at most this many events (default sliceEvents): a view that paints it sooner. */
  firstSliceEvents?: number;
}

/**
 * Events per slice: 2^15 events are 2.4 MiB of columns, small enough to stay in the CPU's
 * cache while every collector reads them back (2^19, 40 MiB, made the pass ~10% slower).
 */
const SLICE = 1 << 15;

/** The generation being ordered, between slices. */
interface Active {
  g: Generation;
  /** The trace's last generation (its final Sync follows). */
  last: boolean;
  frontier: Cursor[];
  /** The next CPU sample. */
  si: number;
  /** No slice of it handed out yet (its columns were started by begin()). */
  fresh: boolean;
}

import {
  METRIC_GOMAXPROCS, METRIC_HEAP_GOAL, METRIC_HEAP_IN_USE as METRIC_HEAP_OBJECTS, RANGE_GC_MARK, RANGE_MARK_ASSIST, RANGE_SWEEP,
} from '../events';

export class NewTraceReader implements TraceReader {
  readonly format = 'new';
  readonly version: string;
  readonly strings = new StringTable();
  readonly stacks = new StackTable();
  /** Largest generation so far, in bytes of event batch data (memory is bounded by it). */
  maxGenerationBytes = 0;

  private readonly batches: BatchReader;
  private readonly out: Output;
  private readonly order: Ordering;
  /** Nanoseconds of the trace's first event: every time is relative to it. */
  private origin: number | undefined;
  private syncs = 0;
  private spill: Batch | undefined;
  private pending: FormatError | undefined;
  private done = false;
  private started = false;
  private active: Active | undefined;
  private readonly slice: number;
  /** Events in the next slice at most: firstSliceEvents until the first slice is out, then slice. */
  private limit: number;
  /**
   * Buffers a lazy batch is read into, one per thread of the generation being ordered (the
   * i-th cursor's), reused by the next generation: memory of the threads' largest batches,
   * not of the generation's bytes.
   */
  private readonly buffers: Uint8Array[] = [];

  constructor(source: ByteSource, private readonly minor: number, options: NewTraceOptions = {}) {
    this.version = `go 1.${minor}`;
    this.slice = Math.max(1, options.sliceEvents ?? SLICE);
    this.limit = Math.max(1, Math.min(this.slice, options.firstSliceEvents ?? this.slice));
    this.batches = new BatchReader(source, HEADER_SIZE, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    // Before the first generation sets the origin, a lone Sync (an empty go 1.26 trace) lands at 0.
    this.out = new Output(this.strings, this.stacks, -1);
    const s = this.strings;
    this.order = new Ordering(this.out, {
      gcMark: s.intern(RANGE_GC_MARK),
      sweep: s.intern(RANGE_SWEEP),
      markAssist: s.intern(RANGE_MARK_ASSIST),
      gomaxprocs: s.intern(METRIC_GOMAXPROCS),
      heapObjects: s.intern(METRIC_HEAP_OBJECTS),
      heapGoal: s.intern(METRIC_HEAP_GOAL),
    });
  }

  next(): EventColumns | undefined {
    if (this.done) return undefined;
    if (this.pending && !this.active) {
      this.done = true;
      throw this.pending;
    }
    try {
      return this.readNext();
    } catch (e) {
      this.done = true;
      throw e;
    }
  }

  private readNext(): EventColumns | undefined {
    if (this.active) return this.continueSlice();
    let g: Generation | undefined;
    let last: boolean;
    if (this.minor < 26) {
      const r = readGenerationWithSpill(this.batches, this.spill, this.minor);
      g = r.gen;
      this.spill = r.spill;
      this.pending = r.spillErr;
      last = !r.spill && !r.spillErr;
    } else {
      g = readGenerationMarked(this.batches, this.minor);
      last = this.batches.atEnd;
    }
    if (!g) {
      // Nothing more (go 1.26+): a trace without generations still yields its one Sync.
      this.done = true;
      if (this.started) return undefined;
      this.started = true;
      this.out.startGeneration(1);
      this.sync(this.out.lastTs);
      return this.out.take();
    }
    this.started = true;
    this.active = this.begin(g, last);
    return this.continueSlice();
  }

  /** Orders the active generation's next slice of events into the output. */
  private continueSlice(): EventColumns {
    const a = this.active!;
    const finished = this.run(a);
    if (finished) {
      this.active = undefined;
      // Ordered: nothing reads its batches again (the columns hold copies of what they need).
      this.batches.release(a.g.gen);
      if (a.last) {
        this.sync(this.out.lastTs);
        this.done = true;
      }
    }
    const ev = this.out.take();
    if (!finished) ev.more = true;
    this.limit = this.slice;
    return ev;
  }

  /** Starts ordering a generation: its leading Sync, its CPU samples and its threads' cursors. */
  private begin(g: Generation, last: boolean): Active {
    const freq = g.freq;
    const start = Math.trunc(g.minTs * freq);
    if (this.origin === undefined) {
      // The first event is this Sync; it can be no earlier than 1 ns (the reference's clock
      // starts at 0 and every event must be later than the one before).
      this.origin = Math.max(start, 1);
      this.out.lastTs = -this.origin;
    }
    const origin = this.origin;
    this.maxGenerationBytes = Math.max(this.maxGenerationBytes, g.bytes);
    this.out.useGeneration(g);
    // Size the columns to the events the batches hold (and the Syncs), at most a slice.
    this.out.startGeneration(Math.min(countEvents(g, this.slice), this.slice) + 16);
    const i = this.sync(start - origin);
    const snap = g.snapshot;
    if (snap) {
      this.out.b.b[i] = Math.trunc(snap.ticks * freq) - origin;
      this.out.b.c[i] = snap.sec * 1e3 + snap.nsec / 1e6;
    }

    const samples = g.cpuSamples;
    for (const s of samples) s.time = Math.trunc(s.time * freq) - origin;
    sortLikeGo(samples, (a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));

    const frontier: Cursor[] = [];
    g.batchMs.forEach((m, k) => {
      const list = g.batches.get(m)!;
      let size = 0;
      for (const b of list) if (b.lazy && b.size > size) size = b.size;
      const into = size > 0 ? this.buffer(k, size) : new Uint8Array(0);
      const c = new Cursor(m, list, (b) => this.batches.dataOf(b, into));
      if (c.next(freq, origin)) heapInsert(frontier, c);
    });
    return { g, last, frontier, si: 0, fresh: true };
  }

  /** Orders events until the generation ends (true) or a slice is full (false). */
  private run(a: Active): boolean {
    const out = this.out;
    if (!a.fresh) out.startGeneration(0);
    a.fresh = false;
    const { g, frontier } = a;
    const freq = g.freq;
    const origin = this.origin!;
    const samples = g.cpuSamples;
    const order = this.order;
    const gen = g.gen;
    const limit = this.limit;
    const nsamples = samples.length;
    let si = a.si;
    /** The next CPU sample's time; Infinity when none is left. */
    let sampleAt = si < nsamples ? samples[si].time : Infinity;
    // The root cursor and its children's times (Infinity for none), read again whenever the
    // heap changes: while the root's next event is no later than both, it stays the root.
    let c: Cursor | undefined = frontier[0];
    let t1 = frontier.length > 1 ? frontier[1].time : Infinity;
    let t2 = frontier.length > 2 ? frontier[2].time : Infinity;
    // a.si is kept up to date where si moves, so that the exits write nothing: the loop is
    // optimized (on-stack) before it first exits, and a store that never ran before has no type
    // feedback and would throw that code away at the exit.
    for (;;) {
      // Where the next slice resumes: a.si (nothing resumes after a throw: the reader is done).
      if (out.b.count >= limit) return false;
      if (c === undefined || sampleAt < c.time) {
        if (si === nsamples) return true;
        const s = samples[si++];
        a.si = si;
        sampleAt = si < nsamples ? samples[si].time : Infinity;
        out.add(EventKind.StackSample, s.time, s.g, s.p, s.m, out.stack(s.stack, 7, true));
        continue;
      }
      if (order.advance(c, gen)) {
        // The common case: the root's thread goes on, and its next event is still no later
        // than its children's (the siftDown from the root would not move it).
        if (c.next(freq, origin)) {
          const t = c.time;
          if (!(t1 < t || t2 < t)) continue;
          // A thread switch: the root moves down, the heap's siftDown from the root with its
          // first level from t1 and t2 (a child's time when it exists, else Infinity) — the same
          // moves, so equal times still go in the reference's order.
          const m = t2 < t1 ? 2 : 1;
          const top = frontier[m];
          frontier[m] = c;
          frontier[0] = top;
          siftDown(frontier, m);
          c = top;
          t1 = frontier[1].time;
          t2 = frontier.length > 2 ? frontier[2].time : Infinity;
          continue;
        } else {
          heapRemove(frontier, 0);
        }
      } else {
        // The earliest event must wait; take the first other thread that can go, in time order.
        sortLikeGo(frontier, compareCursors);
        let advanced = false;
        for (let i = 1; i < frontier.length; i++) {
          const o = frontier[i];
          if (order.advance(o, gen)) {
            if (o.next(freq, origin)) heapUpdate(frontier, i);
            else heapRemove(frontier, i);
            advanced = true;
            break;
          }
        }
        if (!advanced) throw stuck(gen, frontier);
      }
      // (Not frontier[0] when empty: a read past an array's end deoptimizes the loop.)
      c = frontier.length > 0 ? frontier[0] : undefined;
      t1 = frontier.length > 1 ? frontier[1].time : Infinity;
      t2 = frontier.length > 2 ? frontier[2].time : Infinity;
    }
  }

  /** Buffer k, at least size bytes long (grown when a thread's batches are larger). */
  private buffer(k: number, size: number): Uint8Array {
    let b = this.buffers[k];
    if (b === undefined || b.length < size) {
      b = new Uint8Array(size);
      this.buffers[k] = b;
    }
    return b;
  }

  private sync(t: number): number {
    const i = this.out.add(EventKind.Sync, t, NONE, NONE, NONE, NONE);
    this.out.b.a[i] = ++this.syncs;
    return i;
  }
}

function stuck(gen: number, frontier: Cursor[]): FormatError {
  const shown = frontier.slice(0, 8).map((c) => {
    const args = [c.a0, c.a1, c.a2, c.a3].slice(0, Math.max(0, ARGC[c.typ]));
    return `thread ${c.m}: ${evName(c.typ)}(${args.join(', ')})`;
  });
  const more = frontier.length > 8 ? `, and ${frontier.length - 8} more` : '';
  return new FormatError(
    `broken trace: generation ${gen} cannot advance; every thread's next event waits on another: ${shown.join('; ')}${more}`,
    frontier[0]?.offset,
    'the trace is corrupt or its batches are out of order',
  );
}
