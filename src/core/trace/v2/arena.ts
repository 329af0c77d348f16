// Memory for a generation's batch data, recycled: fresh memory costs a page fault per 4 KiB
// on first touch (most of the time a read took), so once a generation has been ordered its
// blocks are handed back and the next generation's batches are copied into them.

/** Bytes per block; a larger batch gets a block of its own size. */
const BLOCK = 1 << 20;

class Arena {
  readonly blocks: Uint8Array[] = [];
  /** The block being filled and how much of it is used. */
  block = 0;
  used = 0;
  constructor(public gen: number) {}

  alloc(size: number): Uint8Array {
    for (;;) {
      const b = this.blocks[this.block];
      if (b === undefined) {
        this.blocks.push(new Uint8Array(Math.max(BLOCK, size)));
        continue;
      }
      if (this.used + size <= b.length) {
        const out = b.subarray(this.used, this.used + size);
        this.used += size;
        return out;
      }
      this.block++;
      this.used = 0;
    }
  }
}

/**
 * Batch data by generation. Memory is reused only after release(gen): until then a
 * generation's bytes stay as they were, however far the reader has read.
 */
export class BatchArenas {
  private readonly live: Arena[] = [];
  private readonly free: Arena[] = [];

  /** size bytes for a batch of generation gen. */
  alloc(gen: number, size: number): Uint8Array {
    if (size === 0) return new Uint8Array(0);
    let a: Arena | undefined;
    for (let i = this.live.length - 1; i >= 0; i--) if (this.live[i].gen === gen) { a = this.live[i]; break; }
    if (!a) {
      a = this.free.pop();
      if (a) { a.gen = gen; a.block = 0; a.used = 0; } else a = new Arena(gen);
      this.live.push(a);
    }
    return a.alloc(size);
  }

  /** Generation gen's batch data is no longer used: its memory may hold later generations'. */
  release(gen: number): void {
    for (let i = this.live.length - 1; i >= 0; i--) {
      if (this.live[i].gen === gen) this.free.push(...this.live.splice(i, 1));
    }
    // Keep at most two arenas' worth spare (a generation and the next one's first batches).
    this.free.length = Math.min(this.free.length, 2);
  }
}
