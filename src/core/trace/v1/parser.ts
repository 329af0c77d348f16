// Reads a whole old-format trace (headers go 1.11, 1.19, 1.21) into raw event rows.
//
// Layout: after the 16-byte header, a stream of events. An event starts with one byte,
// type | n<<6, where n counts the values after the timestamp (stack id included), and
// n = 3 means "a varint byte length follows, then the values". Batch (0x41: p, ticks)
// starts a P's run of events; each timed event then carries a tick delta since the
// previous event of its batch. Strings (0x25: id, len, bytes), stacks (0xC3) and the
// tick frequency come wherever the runtime flushed them — in practice at the end — so
// nothing resolves until the whole file has been read.
import { countOldRows } from './count';
import { corrupt, RawEvents, type Frame1, type ProcBatches, type RawTrace } from './raw';
import { Ev, EV_HAS_STACK, EV_MIN_MINOR, EV_NAME, EV_WIRE_ARGS } from './spec';

const HEADER = 16;
const MAX_STRING = 1e6;
const MAX_PREFIXED = 2048;
const MAX_FRAMES = 1000;
const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;
const MAX_I32 = 0x7fffffff;
const U64_MAX = (1n << 64n) - 1n;

const utf8 = new TextDecoder('utf-8');

export function parseOldTrace(data: Uint8Array, minor: number): RawTrace {
  return new Parser(data, minor).parse();
}

class Parser {
  private pos = HEADER;
  private readonly end: number;
  private readonly ev: RawEvents;
  /** Values of the event being read, and where each starts (to re-read one exactly). */
  private readonly args = new Float64Array(MAX_PREFIXED + 4);
  private readonly argAt = new Float64Array(MAX_PREFIXED + 4);
  private nargs = 0;
  /** The inline message of the UserLog being read. */
  private logMessage = 0;

  private readonly procs = new Map<number, ProcBatches>();
  private readonly strings = new Map<number, string>();
  private readonly inline: string[] = [];
  private readonly inlineIndex = new Map<string, number>();
  private readonly stacks = new Map<number, number[]>();
  private readonly pcs = new Map<number, Frame1>();
  private readonly timerGoroutines = new Set<number>();
  private ticksPerSec = 0;

  /** Exact tick value of the first batch: every time is kept relative to it. */
  private base: bigint | undefined;
  private batch: ProcBatches | undefined;
  private lastP = 0;
  private lastG = 0;
  private lastTs = 0;
  private readonly lastGs = new Map<number, number>();

  private readonly cpu: { ts: number; p: number; g: number; stk: number; off: number }[] = [];

  constructor(private readonly data: Uint8Array, private readonly minor: number) {
    this.end = data.length;
    // Sized by a first pass over the bytes; real traces average 3–4 bytes an event otherwise.
    this.ev = new RawEvents(countOldRows(data) ?? Math.floor(data.length / 3), data.length >= 2 ** 32);
  }

  parse(): RawTrace {
    while (this.pos < this.end) this.event();
    this.closeBatch();
    this.appendCPUSamples();
    const procs = [...this.procs.values()];
    if (this.cpu.length) {
      const start = this.ev.count - this.cpu.length;
      procs.push({ pid: -2, starts: [start], ends: [this.ev.count] });
    }
    return {
      minor: this.minor, events: this.ev, procs, strings: this.strings, inline: this.inline, stacks: this.stacks,
      pcs: this.pcs, ticksPerSec: this.ticksPerSec, timerGoroutines: this.timerGoroutines,
    };
  }

  private event(): void {
    const start = this.pos;
    const b = this.data[this.pos++];
    const typ = b & 0x3f;
    const narg = (b >> 6) + 1; // the timestamp counts as a value here
    if (typ === Ev.None || typ >= Ev.Count || EV_MIN_MINOR[typ] > this.minor) {
      throw corrupt(`unknown event type ${typ}`, start);
    }
    if (typ === Ev.String) { this.string(start); return; }
    if (typ === Ev.Batch) { this.batchHeader(start, narg); return; }
    if (!this.batch) throw corrupt(`event ${EV_NAME[typ]} before the first batch`, start);
    this.readArgs(typ, narg, start);
    if (typ === Ev.CPUSample) { this.cpuSample(start); return; }
    this.decode(typ, start);
  }

  // --- varints -------------------------------------------------------------------------

  /** An unsigned LEB128 value ending before limit; overlong (>64-bit) encodings are errors. */
  private uvarint(limit: number, at: number): number {
    const d = this.data;
    let pos = this.pos;
    if (pos >= limit) throw corrupt('truncated varint', at);
    let b = d[pos++];
    if (b < 0x80) { this.pos = pos; return b; }
    let v = b & 0x7f;
    let mul = 128;
    for (let i = 1; ; i++) {
      if (pos >= limit) throw corrupt('truncated varint', at);
      b = d[pos++];
      if (i === 9 && b > 1) throw corrupt('varint overflows 64 bits', at);
      v += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 128;
    }
    this.pos = pos;
    return v;
  }

  /** Re-reads an already validated varint at offset exactly. */
  private exact(at: number): bigint {
    const d = this.data;
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = d[at++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
  }

  /** An absolute tick count as ticks since the first batch (int64 like the runtime's). */
  private relTicks(v: bigint): number {
    const s = BigInt.asIntN(64, v);
    if (this.base === undefined) this.base = s;
    return Number(s - this.base);
  }

  /** Value k of the current event truncated to 32 bits, as the reference stores stack ids. */
  private u32(k: number): number {
    const v = this.args[k];
    return v >>> 0 === v ? v : Number(BigInt.asUintN(32, this.exact(this.argAt[k])));
  }

  // --- records -------------------------------------------------------------------------

  private string(start: number): void {
    const id = this.uvarint(this.end, start);
    if (!this.batch) {
      // The reference only reads strings inside batches; ones before the first are skipped unread.
      const len = this.uvarint(this.end, start);
      if (len > this.end - this.pos) throw corrupt('string runs past the end of the file', start);
      this.pos += len;
      return;
    }
    if (id === 0) throw corrupt('string has invalid id 0', start);
    if (this.strings.has(id)) throw corrupt(`string id ${id} defined twice`, start);
    const len = this.uvarint(this.end, start);
    if (len === 0) throw corrupt('string has length 0', start);
    if (len > MAX_STRING) throw corrupt(`string too long (${len} bytes)`, start);
    if (len > this.end - this.pos) throw corrupt('string runs past the end of the file', start);
    this.strings.set(id, utf8.decode(this.data.subarray(this.pos, this.pos + len)));
    this.pos += len;
  }

  private batchHeader(start: number, narg: number): void {
    if (narg !== 2) throw corrupt(`batch header has ${narg} values, want 2`, start);
    const pidAt = this.pos;
    this.uvarint(this.end, start);
    const ticksAt = this.pos;
    this.uvarint(this.end, start);
    const pid64 = this.exact(pidAt);
    if (pid64 !== U64_MAX && pid64 > BigInt(MAX_I32)) throw corrupt(`processor id ${pid64} is too large`, start);
    const pid = pid64 === U64_MAX ? -1 : Number(pid64);

    this.closeBatch();
    let pb = this.procs.get(pid);
    if (!pb) { pb = { pid, starts: [], ends: [] }; this.procs.set(pid, pb); }
    pb.starts.push(this.ev.count);
    this.batch = pb;

    this.lastGs.set(this.lastP, this.lastG);
    this.lastP = pid;
    this.lastG = this.lastGs.get(pid) ?? 0;
    this.lastTs = this.relTicks(this.exact(ticksAt));
  }

  private closeBatch(): void {
    const pb = this.batch;
    if (pb && pb.ends.length < pb.starts.length) pb.ends.push(this.ev.count);
  }

  /** Reads the event's values into this.args: inline, or length-prefixed at narg = 4. */
  private readArgs(typ: number, narg: number, start: number): void {
    const args = this.args;
    const argAt = this.argAt;
    let n = 0;
    if (narg <= 3) {
      for (; n < narg; n++) {
        argAt[n] = this.pos;
        args[n] = this.uvarint(this.end, start);
      }
      this.nargs = n;
      return;
    }
    const len = this.uvarint(this.end, start);
    if (len > MAX_PREFIXED) throw corrupt(`${EV_NAME[typ]} is ${len} bytes long, more than ${MAX_PREFIXED}`, start);
    if (len > this.end - this.pos) throw corrupt(`${EV_NAME[typ]} runs past the end of the file`, start);
    const stop = this.pos + len;
    while (this.pos < stop) {
      argAt[n] = this.pos;
      args[n++] = this.uvarint(stop, start);
    }
    this.nargs = n;
    if (typ === Ev.UserLog) {
      const msgLen = this.uvarint(this.end, start);
      if (msgLen > MAX_STRING) throw corrupt(`log message too long (${msgLen} bytes)`, start);
      if (msgLen > this.end - this.pos) throw corrupt('log message runs past the end of the file', start);
      const s = msgLen === 0 ? '' : utf8.decode(this.data.subarray(this.pos, this.pos + msgLen));
      this.pos += msgLen;
      let id = this.inlineIndex.get(s);
      if (id === undefined) { id = this.inline.length; this.inline.push(s); this.inlineIndex.set(s, id); }
      this.logMessage = id;
    }
  }

  private wantArgs(typ: number, got: number, start: number): void {
    const want = EV_WIRE_ARGS[typ];
    if (got !== want) throw corrupt(`${EV_NAME[typ]} has ${got} values, want ${want}`, start);
  }

  private cpuSample(start: number): void {
    // [delta, real timestamp, p, g, stack]: the delta is ignored and the sample kept aside.
    const args = this.args;
    if (this.nargs !== EV_WIRE_ARGS[Ev.CPUSample]) {
      throw corrupt(`CPUSample has ${this.nargs} values, want ${EV_WIRE_ARGS[Ev.CPUSample]}`, start);
    }
    const ts = this.relTicks(this.exact(this.argAt[1]));
    const p = Number(BigInt.asIntN(32, this.exact(this.argAt[2])));
    this.cpu.push({ ts, p, g: args[3], stk: this.u32(4), off: start });
  }

  private decode(typ: number, start: number): void {
    const args = this.args;
    const n = this.nargs;
    switch (typ) {
      case Ev.Frequency: {
        this.wantArgs(typ, n, start);
        const f = args[0];
        if (f === 0 || f >= TWO63) throw corrupt('tick frequency is not positive', start);
        this.ticksPerSec = f;
        return;
      }
      case Ev.TimerGoroutine:
        this.wantArgs(typ, n, start);
        this.timerGoroutines.add(args[0]);
        return;
      case Ev.Stack:
        this.stack(start);
        return;
    }
    this.wantArgs(typ, n, start);

    const ev = this.ev;
    const i = ev.add(typ, start);
    let delta = args[0];
    if (delta >= TWO63) delta -= TWO64; // int64 arithmetic, as the runtime's readers do
    const ts = this.lastTs + delta;
    this.lastTs = ts;
    ev.ts[i] = ts;
    ev.p[i] = this.lastP;
    ev.g[i] = this.lastG;
    const hasStack = EV_HAS_STACK[typ] === 1;
    for (let k = 1; k < n; k++) {
      const v = args[k];
      if (k === n - 1 && hasStack) ev.stk[i] = this.u32(k);
      else if (k === 1) ev.a0[i] = v;
      else if (k === 2) ev.a1[i] = v;
      else ev.a2.set(i, v);
    }

    switch (typ) {
      case Ev.GoStart: case Ev.GoStartLocal: case Ev.GoStartLabel:
        this.lastG = ev.a0[i];
        ev.g[i] = this.lastG;
        break;
      case Ev.GoEnd: case Ev.GoStop: case Ev.GoSched: case Ev.GoPreempt: case Ev.GoSleep: case Ev.GoBlock:
      case Ev.GoBlockSend: case Ev.GoBlockRecv: case Ev.GoBlockSelect: case Ev.GoBlockSync: case Ev.GoBlockCond:
      case Ev.GoBlockNet: case Ev.GoSysBlock: case Ev.GoBlockGC:
        this.lastG = 0;
        break;
      case Ev.GoSysExit: {
        ev.g[i] = ev.a0[i];
        // The real exit time is absolute ticks; 0 means the runtime had none.
        const real = this.exact(this.argAt[3]);
        ev.a2.set(i, real === 0n ? NaN : this.relTicks(real));
        break;
      }
      case Ev.GoSysExitLocal:
        ev.a2.set(i, NaN); // the reference looks for the real time in a slot this variant leaves empty
        break;
      case Ev.GoWaiting: case Ev.GoInSyscall:
        ev.g[i] = ev.a0[i];
        break;
      case Ev.UserLog:
        ev.a2.set(i, this.logMessage);
        break;
    }
  }

  private stack(start: number): void {
    const args = this.args;
    const n = this.nargs;
    if (n < 2) throw corrupt(`Stack has ${n} values, want at least 2`, start);
    const size = args[1];
    if (size > MAX_FRAMES) throw corrupt(`stack has ${size} frames`, start);
    if (n !== 2 + 4 * size) throw corrupt(`Stack has ${n} values, want ${2 + 4 * size}`, start);
    const id = this.u32(0);
    if (id === 0 || size === 0) return;
    const pcs: number[] = new Array(size);
    for (let k = 0; k < size; k++) {
      const pc = args[2 + k * 4];
      pcs[k] = pc;
      if (!this.pcs.has(pc)) this.pcs.set(pc, { fn: args[3 + k * 4], file: args[4 + k * 4], line: args[5 + k * 4] });
    }
    this.stacks.set(id, pcs);
  }

  /** CPU samples join the rows last, sorted by the time the signal handler took them. */
  private appendCPUSamples(): void {
    const cpu = this.cpu;
    if (!cpu.length) return;
    cpu.sort((x, y) => x.ts - y.ts);
    const ev = this.ev;
    for (const s of cpu) {
      const i = ev.add(Ev.CPUSample, s.off);
      ev.ts[i] = s.ts; ev.p[i] = s.p; ev.g[i] = s.g; ev.stk[i] = s.stk;
    }
  }
}
