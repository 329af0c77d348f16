// The old-format reader: go 1.11, 1.19 and 1.21 headers (Go 1.11–1.21). The format has
// no generations and keeps its frequency and stacks at the end, so the first next()
// reads the whole file and orders it; the converted events are then handed out in slices
// of SLICE events (one generation, `more` set on all but the last slice), so that a long
// trace never holds all of them at once.
import { FormatError } from '../../errors';
import { StackTable, StringTable, type ByteSource, type EventBuilder, type EventColumns, type TraceReader } from '../events';
import { OldConverter } from './convert';
import { orderEvents, ticksToNanoseconds } from './order';
import { parseOldTrace } from './parser';
import { corrupt } from './raw';
import { SUPPORTED_MINORS } from './spec';
import { validateAndPlace } from './validate';

const HEADER_LEN = 16;
/** Events per slice handed out: 2^19 events are 40 MiB of columns. */
const SLICE = 1 << 19;

export interface OldTraceOptions {
  /** Events handed out per next() (default 2^19); the slices of one trace are one generation. */
  sliceEvents?: number;
}

/** Opens an old-format trace whose header says go 1.<minor>; the source holds the whole file, header included. */
export function openOldTrace(source: ByteSource, minor: number, options: OldTraceOptions = {}): TraceReader {
  if (!SUPPORTED_MINORS.includes(minor)) {
    const hint = minor < 11
      ? 'traces from Go 1.10 and older are not supported (as by Go\'s own reader); record it again with a newer Go'
      : 'old-format traces have headers go 1.11, go 1.19 or go 1.21';
    throw new FormatError(`unsupported trace version go 1.${minor}`, 0, hint);
  }
  const head = source.read(0, HEADER_LEN);
  const want = `go 1.${minor} trace`;
  let ok = head.length === HEADER_LEN;
  for (let i = 0; ok && i < HEADER_LEN; i++) ok = head[i] === (i < want.length ? want.charCodeAt(i) : 0);
  if (!ok) throw new FormatError(`not a go 1.${minor} trace header`, 0, 'an old-format trace starts with "go 1.N trace" and three zero bytes');
  return new OldTraceReader(source, minor, Math.max(1, options.sliceEvents ?? SLICE));
}

class OldTraceReader implements TraceReader {
  readonly format = 'old' as const;
  readonly version: string;
  readonly strings = new StringTable();
  readonly stacks = new StackTable();
  private converter: OldConverter | undefined;
  private done = false;

  constructor(private readonly source: ByteSource, private readonly minor: number, private readonly slice: number) {
    this.version = `go 1.${minor}`;
  }

  next(): EventColumns | undefined {
    if (this.done) return undefined;
    try {
      this.converter ??= this.decode();
      const b = this.converter.next();
      if (!b) { this.done = true; return undefined; }
      const more = this.converter.more;
      if (!more) { this.done = true; this.converter = undefined; }
      return columns(b, more);
    } catch (e) {
      this.done = true;
      this.converter = undefined;
      throw e;
    }
  }

  /** Reads and orders the file; the raw rows die with the converter. */
  private decode(): OldConverter {
    // The bytes are not kept past the parse: its rows hold all the rest needs.
    const size = this.source.size;
    const raw = parseOldTrace(this.source.read(0, size), this.minor);
    const order = orderEvents(raw);
    if (raw.ticksPerSec === 0) throw corrupt('the trace has no tick frequency event', size);
    ticksToNanoseconds(raw, order);
    validateAndPlace(raw, order);
    return new OldConverter(raw, order, this.strings, this.stacks, this.slice);
  }
}

/** The builder's columns as views (no copy; valid until the converter's next slice). */
function columns(b: EventBuilder, more: boolean): EventColumns {
  const n = b.count;
  return {
    count: n, kind: b.kind.subarray(0, n), time: b.time.subarray(0, n), g: b.g.subarray(0, n), p: b.p.subarray(0, n),
    m: b.m.subarray(0, n), stack: b.stack.subarray(0, n), r: b.r.subarray(0, n), a: b.a.subarray(0, n),
    b: b.b.subarray(0, n), c: b.c.subarray(0, n), s1: b.s1.subarray(0, n), s2: b.s2.subarray(0, n), stack2: b.stack2.subarray(0, n),
    ...(more ? { more } : {}),
  };
}
