// Writes small new-format traces by hand for tests: batches, varints (optionally padded to
// 10 bytes, as the runtime pads batch lengths), strings, sync batches, events.

export const NO_THREAD = 2n ** 64n - 1n;

export class Bytes {
  private buf = new Uint8Array(1024);
  length = 0;

  push(...bytes: number[]): this {
    for (const b of bytes) {
      if (this.length === this.buf.length) {
        const next = new Uint8Array(this.buf.length * 2);
        next.set(this.buf);
        this.buf = next;
      }
      this.buf[this.length++] = b;
    }
    return this;
  }

  append(b: Uint8Array): this {
    for (const x of b) this.push(x);
    return this;
  }

  /** Unsigned LEB128; pad makes it exactly 10 bytes (a non-minimal encoding). */
  uvarint(v: number | bigint, pad = false): this {
    let x = BigInt(v);
    const out: number[] = [];
    do {
      const low = Number(x & 0x7fn);
      x >>= 7n;
      out.push(x > 0n ? low | 0x80 : low);
    } while (x > 0n);
    if (pad) {
      while (out.length < 10) {
        out[out.length - 1] |= 0x80;
        out.push(0);
      }
    }
    return this.push(...out);
  }

  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.uvarint(b.length).append(b);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** An event: type byte, time delta, arguments. */
export function ev(typ: number, dt: number, ...args: (number | bigint)[]): Uint8Array {
  const b = new Bytes().push(typ).uvarint(dt);
  for (const a of args) b.uvarint(a);
  return b.bytes();
}

export class TraceWriter {
  readonly out = new Bytes();

  constructor(readonly minor: number, header = `go 1.${minor} trace`) {
    for (let i = 0; i < 16; i++) this.out.push(i < header.length ? header.charCodeAt(i) : 0);
  }

  batch(gen: number, m: number | bigint, time: number, data: Uint8Array, opts: { pad?: boolean; exp?: number } = {}): this {
    const o = this.out;
    if (opts.exp !== undefined) o.push(0x31, opts.exp);
    else o.push(0x01);
    o.uvarint(gen, opts.pad).uvarint(m, opts.pad).uvarint(time, opts.pad).uvarint(data.length, opts.pad ?? true);
    o.append(data);
    return this;
  }

  /** Frequency (and from go 1.25 a clock snapshot) for one generation. */
  sync(gen: number, time: number, ticksPerSecond = 1e9): this {
    const d = new Bytes();
    if (this.minor >= 25) d.push(0x32);
    d.push(0x08).uvarint(ticksPerSecond);
    if (this.minor >= 25) d.push(0x33).uvarint(1).uvarint(time + 1).uvarint(1_800_000_000).uvarint(123_456_789);
    return this.batch(gen, 0, time, d.bytes());
  }

  strings(gen: number, time: number, strings: Record<number, string>): this {
    const d = new Bytes().push(0x04);
    for (const [id, s] of Object.entries(strings)) d.push(0x05).uvarint(Number(id)).str(s);
    return this.batch(gen, 0, time, d.bytes());
  }

  /** Stacks as id → frames of [pc, function string, file string, line]. */
  stacks(gen: number, time: number, stacks: Record<number, [number, number, number, number][]>): this {
    const d = new Bytes().push(0x02);
    for (const [id, frames] of Object.entries(stacks)) {
      d.push(0x03).uvarint(Number(id)).uvarint(frames.length);
      for (const f of frames) for (const x of f) d.uvarint(x);
    }
    return this.batch(gen, 0, time, d.bytes());
  }

  events(gen: number, m: number | bigint, time: number, events: Uint8Array[], opts: { pad?: boolean } = {}): this {
    const d = new Bytes();
    for (const e of events) d.append(e);
    return this.batch(gen, m, time, d.bytes(), opts);
  }

  endOfGeneration(): this {
    this.out.push(0x34);
    return this;
  }

  bytes(): Uint8Array {
    return this.out.bytes();
  }
}

/** Event type numbers used by the tests. */
export const E = {
  ProcStatus: 13, GoCreate: 14, GoStart: 16, GoDestroy: 17, GoStop: 19, GoBlock: 20, GoUnblock: 21,
  GoStatus: 25, STWBegin: 26, STWEnd: 27, GCBegin: 29, GCEnd: 30, HeapAlloc: 37, GoLabel: 39,
  UserTaskBegin: 40, UserLog: 44, GoSwitch: 45,
} as const;
