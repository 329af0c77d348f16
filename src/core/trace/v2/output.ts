// Where ordered events land: the generation's columns, with the reference reader's last
// touches applied as each event is written — strictly increasing times (an event no
// later than the one before moves to 1 ns after it) and string/stack ids checked against
// the generation's tables, then mapped to the trace-wide interned ids.
import { FormatError } from '../../errors';
import { EventBuilder, EventKind, NONE, type EventColumns, type Frame, type StackTable, type StringTable } from '../events';
import type { Generation } from './generation';
import { evName } from './spec';

/** A generation id with no entry in its table. */
const MISSING = -2;
/** Not looked up yet (stack cache). */
const UNSEEN = -3;

export class Output {
  /** The generation being written. Replaced, not reused, so columns handed out stay valid. */
  b = new EventBuilder(64);
  /** Time of the event being ordered, for row(). A double from the start (-0), as Cursor.time. */
  at = -0;
  /**
   * Time of the last event written, ns since the origin. Initialized here, as a number: a
   * field declared bare starts out undefined, and V8 then boxes every time stored in it. -0 (a
   * double, as the times it holds) rather than 0, so that the first large time does not change
   * the object's map (see Cursor.time).
   */
  lastTs = -0;
  private gen: Generation | undefined;
  /** Generation string id → global id; dense when the ids are. */
  private strDense: Int32Array | undefined;
  private strSparse = new Map<number, number>();
  /** Generation stack id → global id, filled as stacks are first used. */
  private stackDense: Int32Array | undefined;
  private stackSparse = new Map<number, number>();

  constructor(readonly strings: StringTable, readonly stacks: StackTable, lastTs: number) {
    this.lastTs = lastTs;
  }

  /** Switches to a new generation's tables. */
  useGeneration(g: Generation): void {
    this.gen = g;
    this.stackSparse = new Map();
    this.stackDense = undefined;
    let maxStack = 0;
    for (const id of g.stacks.keys()) if (id > maxStack) maxStack = id;
    if (maxStack < 4 * g.stacks.size + 1024) this.stackDense = new Int32Array(maxStack + 1).fill(UNSEEN);
    this.strSparse = new Map();
    this.strDense = undefined;
    let max = 0;
    for (const id of g.strings.keys()) if (id > max) max = id;
    const dense = max < 4 * g.strings.size + 1024;
    if (dense) this.strDense = new Int32Array(max + 1).fill(MISSING);
    for (const [id, s] of g.strings) {
      const global = s === '' ? NONE : this.strings.intern(s);
      if (this.strDense) this.strDense[id] = global;
      else this.strSparse.set(id, global);
    }
  }

  /** Appends an event at time t (moved forward if needed); returns its row. */
  add(kind: EventKind, t: number, g: number, p: number, m: number, stack: number): number {
    const last = this.lastTs;
    const after = last + 1;
    if (!(t > last)) t = after;
    this.lastTs = t;
    return this.b.add(kind, t, g, p, m, stack);
  }

  /**
   * Appends a complete row at time `at`, each column written once (the hot path). The time
   * is a field, not an argument: a time past 2^31 ns passed to a call is boxed, per event.
   */
  row(kind: EventKind, g: number, p: number, m: number, stack: number, r: number, a: number, b: number, c: number, s1: number, s2: number, stack2: number): number {
    // lastTs read, and 1 ns after it computed, for every event: done only for a time no later
    // than the last, they had no type feedback until such a time first came, which then threw
    // away every optimized function row was inlined into (six at once on a server's trace).
    let t = this.at;
    const last = this.lastTs;
    const after = last + 1;
    if (!(t > last)) t = after;
    this.lastTs = t;
    const x = this.b;
    let i = x.count;
    if (i === x.kind.length) i = x.add(kind, t, g, p, m, stack); // grows the columns
    else {
      x.count = i + 1;
      x.kind[i] = kind; x.time[i] = t; x.g[i] = g; x.p[i] = p; x.m[i] = m; x.stack[i] = stack;
    }
    x.r[i] = r; x.a[i] = a; x.b[i] = b; x.c[i] = c; x.s1[i] = s1; x.s2[i] = s2; x.stack2[i] = stack2;
    return i;
  }

  /** The global id of a generation string id; id 0 and "" are NONE. Throws if unknown. */
  str(id: number, typ: number): number {
    if (id === 0) return NONE;
    let v = MISSING;
    const d = this.strDense;
    if (d) {
      if (id > 0 && id < d.length) v = d[id];
    } else {
      v = this.strSparse.get(id) ?? MISSING;
    }
    if (v === MISSING) throw new FormatError(`generation ${this.gen?.gen}: ${evName(typ)} names unknown string ${id}`, undefined, 'the trace is corrupt');
    return v;
  }

  /** The global id of a generation stack id; 0 is NONE. Throws if unknown unless lenient. */
  stack(id: number, typ: number, lenient = false): number {
    if (id === 0) return NONE;
    const dense = this.stackDense;
    const cached = dense ? (id > 0 && id < dense.length ? dense[id] : MISSING) : this.stackSparse.get(id) ?? UNSEEN;
    if (cached >= NONE) return cached;
    const g = this.gen;
    const pcs = g?.stacks.get(id);
    if (!g || !pcs) {
      if (lenient) return NONE;
      throw new FormatError(`generation ${g?.gen}: ${evName(typ)} names unknown stack ${id}`, undefined, 'the trace is corrupt');
    }
    const frames: Frame[] = new Array<Frame>(pcs.length);
    for (let i = 0; i < pcs.length; i++) {
      const pc = pcs[i];
      const f = g.pcs.get(pc);
      frames[i] = { pc, fn: f ? (g.strings.get(f.fn) ?? '') : '', file: f ? (g.strings.get(f.file) ?? '') : '', line: f ? f.line : 0 };
    }
    const global = this.stacks.intern(frames);
    if (dense) dense[id] = global;
    else this.stackSparse.set(id, global);
    return global;
  }

  /**
   * Starts columns for a generation expected to hold about `expected` events. One builder
   * serves every generation: its arrays are reused, so a long trace keeps one generation's
   * columns in memory, not two.
   */
  startGeneration(expected: number): void {
    this.b.reset();
    this.b.reserve(Math.ceil(expected));
  }

  /** Hands out this generation's columns as views; valid until the next startGeneration. */
  take(): EventColumns {
    return this.b.view();
  }
}
