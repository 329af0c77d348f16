// One generation's structural data: its event batches grouped by thread, its string and
// stack tables, its clock (frequency, and from go 1.25 a clock snapshot) and its CPU
// samples. Nothing here outlives the generation.
import { FormatError } from '../../errors';
import type { Batch, BatchReader } from './batches';
import { Ev, MAX_FRAMES_PER_STACK, MAX_STRING_SIZE } from './spec';
import { WireReader } from './wire';

export interface PcFrame {
  fn: number; // string id in this generation
  file: number;
  line: number;
}

export interface CpuSample {
  /** Ticks until the frequency is known, then nanoseconds since the trace origin. */
  time: number;
  m: number;
  p: number;
  g: number;
  stack: number;
}

/** Clock snapshot of a go 1.25+ sync batch. */
export interface ClockSnapshot {
  ticks: number;
  mono: number;
  sec: number;
  nsec: number;
}

export class Generation {
  /** Generation number from the batch headers. */
  gen = 0;
  // The numbers below start as -0 (=== 0): a double, what they hold once set (ticks past 2^31, a
  // fraction), so that setting them does not change the objects' map (see Cursor.time).
  /** Earliest batch timestamp, in ticks (0: none yet). */
  minTs = -0;
  /** Nanoseconds per tick (0 until the frequency event). */
  freq = -0;
  snapshot: ClockSnapshot | undefined;
  /** Threads in order of their first event batch; batches per thread in file order. */
  readonly batchMs: number[] = [];
  readonly batches = new Map<number, Batch[]>();
  readonly strings = new Map<number, string>();
  readonly stacks = new Map<number, number[]>();
  /** The first frame seen for each pc wins, as in the reference. */
  readonly pcs = new Map<number, PcFrame>();
  cpuSamples: CpuSample[] = [];
  experimentalBatches = 0;
  /** Bytes of batch data held, for memory accounting. */
  bytes = -0;
}

/** A generation and what reading it left over: the next generation's first batch, or an error after it. */
export interface GenerationRead {
  gen: Generation | undefined;
  spill: Batch | undefined;
  spillErr: FormatError | undefined;
}

/**
 * Reads a generation of a go 1.22–1.25 trace. Those have no end marker: a generation ends
 * where a batch of the next one (generation number + 1) starts, and that batch is carried
 * over. An error reading the carried-over batch is held back until this generation is used.
 */
export function readGenerationWithSpill(r: BatchReader, spill: Batch | undefined, minor: number): GenerationRead {
  const g = new Generation();
  if (spill) {
    g.gen = spill.gen;
    g.minTs = spill.time;
    addBatch(g, spill, minor);
  }
  let next: Batch | undefined;
  let spillErr: FormatError | undefined;
  for (;;) {
    let b: Batch | undefined;
    try {
      b = r.next();
    } catch (e) {
      if (g.gen !== 0 && e instanceof FormatError) {
        spillErr = e;
        break;
      }
      throw e;
    }
    if (!b) break;
    if (b.gen === 0) throw new FormatError('invalid generation number 0', b.offset, 'the trace is corrupt');
    if (g.gen === 0) g.gen = b.gen;
    if (b.gen === g.gen + 1) {
      next = b;
      break;
    }
    if (b.gen !== g.gen) {
      throw new FormatError(`generations out of order: batch of generation ${b.gen} inside generation ${g.gen}`, b.offset, 'the trace is corrupt');
    }
    if (g.minTs === 0 || b.time < g.minTs) g.minTs = b.time;
    addBatch(g, b, minor);
  }
  if (g.freq === 0) throw new FormatError(`generation ${g.gen}: no frequency event found`, r.offset, 'the trace is corrupt or truncated');
  if (minor >= 25 && !g.snapshot) throw new FormatError(`generation ${g.gen}: no clock snapshot found`, r.offset, 'the trace is corrupt');
  finish(g);
  return { gen: g, spill: next, spillErr };
}

/**
 * Reads a generation of a go 1.26+ trace, which ends at an end-of-generation byte.
 * Returns undefined at the end of the input.
 */
export function readGenerationMarked(r: BatchReader, minor: number): Generation | undefined {
  const g = new Generation();
  for (;;) {
    const b = r.next();
    if (!b) {
      // Like the reference, a tail without event batches counts as a clean end.
      if (g.batches.size > 0) throw new FormatError(`generation ${g.gen} has no end marker`, r.offset, 'the trace is likely truncated');
      return undefined;
    }
    if (g.gen === 0) g.gen = b.gen;
    if (b.endOfGeneration) break;
    if (b.gen === 0) throw new FormatError('invalid generation number 0', b.offset, 'the trace is corrupt');
    if (b.gen !== g.gen) {
      throw new FormatError(`batch of generation ${b.gen} inside generation ${g.gen}: missing end-of-generation marker`, b.offset, 'the trace is corrupt');
    }
    if (g.minTs === 0 || b.time < g.minTs) g.minTs = b.time;
    addBatch(g, b, minor);
  }
  if (g.freq === 0) throw new FormatError(`generation ${g.gen}: no frequency event found`, r.offset, 'the trace is corrupt');
  if (!g.snapshot) throw new FormatError(`generation ${g.gen}: no clock snapshot found`, r.offset, 'the trace is corrupt');
  finish(g);
  return g;
}

function addBatch(g: Generation, b: Batch, minor: number): void {
  const first = b.first;
  if (b.exp === 0 && first === Ev.Strings) addStrings(g, b);
  else if (b.exp === 0 && first === Ev.Stacks) addStacks(g, b);
  else if (b.exp === 0 && first === Ev.CPUSamples) addCpuSamples(g, b);
  else if (b.exp === 0 && ((minor < 25 && first === Ev.Frequency) || (minor >= 25 && first === Ev.Sync))) addSync(g, b, minor);
  else if (b.exp !== 0) g.experimentalBatches++; // raw data for experiments: nothing to order
  else if (b.endOfGeneration) throw new FormatError('unexpected end-of-generation marker', b.offset, 'the trace is corrupt');
  else {
    let list = g.batches.get(b.m);
    if (!list) {
      list = [];
      g.batches.set(b.m, list);
      g.batchMs.push(b.m);
    }
    list.push(b);
    g.bytes += b.size;
  }
}

function reader(b: Batch): WireReader {
  return new WireReader(b.data, 1, b.data.length, b.offset);
}

function addStrings(g: Generation, b: Batch): void {
  const r = reader(b);
  while (r.remaining > 0) {
    const at = r.fileOffset();
    const ev = r.byte('string');
    if (ev !== Ev.String) throw new FormatError(`expected a string entry, found event type ${ev}`, at, 'the trace is corrupt');
    const id = r.uvarint('string id');
    const len = r.uvarint('string length');
    if (len < 0 || len > MAX_STRING_SIZE) throw new FormatError(`invalid string length ${len}, the maximum is ${MAX_STRING_SIZE}`, at, 'the trace is corrupt');
    const s = decodeString(r.bytes(len, 'string'));
    if (id === 0 || g.strings.has(id)) throw new FormatError(`two strings with id ${id}`, at, 'the trace is corrupt');
    g.strings.set(id, s);
  }
}

function addStacks(g: Generation, b: Batch): void {
  const r = reader(b);
  while (r.remaining > 0) {
    const at = r.fileOffset();
    const ev = r.byte('stack');
    if (ev !== Ev.Stack) throw new FormatError(`expected a stack entry, found event type ${ev}`, at, 'the trace is corrupt');
    const id = r.uvarint('stack id');
    const n = r.uvarint('stack depth');
    if (n < 0 || n > MAX_FRAMES_PER_STACK) throw new FormatError(`invalid stack depth ${n}, the maximum is ${MAX_FRAMES_PER_STACK}`, at, 'the trace is corrupt');
    const pcs: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const pc = r.uvarint('frame pc');
      const fn = r.uvarint('frame function');
      const file = r.uvarint('frame file');
      const line = r.uvarint('frame line');
      pcs[i] = pc;
      if (!g.pcs.has(pc)) g.pcs.set(pc, { fn, file, line });
    }
    if (id === 0 || g.stacks.has(id)) throw new FormatError(`two stacks with id ${id}`, at, 'the trace is corrupt');
    g.stacks.set(id, pcs);
  }
}

function addCpuSamples(g: Generation, b: Batch): void {
  const r = reader(b);
  while (r.remaining > 0) {
    const at = r.fileOffset();
    const ev = r.byte('CPU sample');
    if (ev !== Ev.CPUSample) throw new FormatError(`expected a CPU sample, found event type ${ev}`, at, 'the trace is corrupt');
    const time = r.uvarint('sample time');
    const m = r.uvarint('sample thread');
    const p = r.uvarint('sample proc');
    const gid = r.uvarint('sample goroutine');
    const stack = r.uvarint('sample stack');
    g.cpuSamples.push({ time, m, p, g: gid === 0 ? -1 : gid, stack });
  }
}

function addSync(g: Generation, b: Batch, minor: number): void {
  const r = new WireReader(b.data, minor >= 25 ? 1 : 0, b.data.length, b.offset);
  let last = b.time;
  while (r.remaining > 0) {
    const at = r.fileOffset();
    const ev = r.byte('sync event');
    if (ev === Ev.Frequency) {
      if (g.freq !== 0) throw new FormatError('two frequency events in one generation', at, 'the trace is corrupt');
      const f = r.uvarint('frequency');
      // Go's reader divides by zero here and carries on with infinite times; refuse instead.
      if (f <= 0) throw new FormatError(`invalid timestamp frequency ${f}`, at, 'the trace is corrupt');
      g.freq = 1 / (f / 1e9);
    } else if (ev === Ev.ClockSnapshot && minor >= 25) {
      if (g.snapshot) throw new FormatError('two clock snapshots in one generation', at, 'the trace is corrupt');
      last += r.uvarint('snapshot time');
      const mono = r.uvarint('snapshot monotonic clock');
      const sec = r.uvarint('snapshot seconds');
      const nsec = r.uvarint('snapshot nanoseconds');
      g.snapshot = { ticks: last, mono, sec, nsec };
    } else {
      throw new FormatError(`expected a frequency or clock snapshot event, found event type ${ev}`, at, 'the trace is corrupt');
    }
  }
}

/** Checks stack frames name known strings. */
function finish(g: Generation): void {
  for (const [id, pcs] of g.stacks) {
    for (const pc of pcs) {
      const f = g.pcs.get(pc);
      if (!f) throw new FormatError(`stack ${id}: unknown pc 0x${pc.toString(16)}`, undefined, 'the trace is corrupt');
      if (f.fn !== 0 && !g.strings.has(f.fn)) throw new FormatError(`generation ${g.gen}: stack ${id} names missing function string ${f.fn}`, undefined, 'the trace is corrupt');
      if (f.file !== 0 && !g.strings.has(f.file)) throw new FormatError(`generation ${g.gen}: stack ${id} names missing file string ${f.file}`, undefined, 'the trace is corrupt');
    }
  }
}

const utf8 = new TextDecoder();

function decodeString(bytes: Uint8Array): string {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) return utf8.decode(bytes);
  }
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}
