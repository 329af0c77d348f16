// A column of doubles that grows in blocks: the first block doubles up to BLOCK, later
// ones are added and never copied, so a column of millions costs 8 bytes a value while it
// grows (doubling one array needs the old and the new at once: three times what it holds),
// and values() hands back exactly what was pushed, in one array of the right size.

const SHIFT = 16;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;

export class F64Column {
  count = 0;
  private readonly blocks: Float64Array[];

  constructor(first = 1024) {
    this.blocks = [new Float64Array(Math.min(BLOCK, Math.max(1, first)))];
  }

  push(v: number): void {
    const i = this.count, j = i & MASK;
    let b = this.blocks[i >>> SHIFT];
    if (b === undefined) { b = new Float64Array(BLOCK); this.blocks.push(b); }
    else if (j === b.length) { const w = new Float64Array(Math.min(BLOCK, b.length * 2)); w.set(b); this.blocks[0] = b = w; }
    b[j] = v;
    this.count = i + 1;
  }

  get(i: number): number { return this.blocks[i >>> SHIFT][i & MASK]; }
  set(i: number, v: number): void { this.blocks[i >>> SHIFT][i & MASK] = v; }

  /** The values [from, to) in a new array (copied a block at a time). */
  slice(from: number, to = this.count): Float64Array {
    const out = new Float64Array(Math.max(0, to - from));
    for (let i = from; i < to;) {
      const k = i >>> SHIFT, j = i & MASK, n = Math.min(to - i, BLOCK - j);
      out.set(this.blocks[k].subarray(j, j + n), i - from);
      i += n;
    }
    return out;
  }

  /** Drops the last value. */
  pop(): void { if (this.count > 0) this.count--; }

  /** Whether the values are in ascending order as pushed (as the native sort orders them: no NaN, no -0). */
  inOrder(): boolean {
    let prev = -Infinity;
    for (let k = 0, at = 0; at < this.count; k++) {
      const b = this.blocks[k], n = Math.min(b.length, this.count - at);
      for (let j = 0; j < n; j++) {
        const v = b[j];
        if (!(prev <= v) || (v === 0 && 1 / v < 0)) return false;
        prev = v;
      }
      at += n;
    }
    return true;
  }

  /** The values pushed, in place: each block's filled part, in order (not to be changed). */
  chunks(): Float64Array[] {
    const out: Float64Array[] = [];
    for (let k = 0, at = 0; at < this.count; k++) {
      const b = this.blocks[k], n = Math.min(b.length, this.count - at);
      out.push(n === b.length ? b : b.subarray(0, n));
      at += n;
    }
    return out;
  }

  /** The values pushed, in one new array of their number. */
  values(): Float64Array {
    const out = new Float64Array(this.count);
    for (let k = 0, at = 0; at < this.count; k++) {
      const b = this.blocks[k], n = Math.min(b.length, this.count - at);
      out.set(n === b.length ? b : b.subarray(0, n), at);
      at += n;
    }
    return out;
  }
}
