// Memory for a generation's batch data, recycled: fresh memory costs a page fault per 4 KiB
// on first touch (most of the time a read took), so once a generation has been ordered its
// blocks are handed back and the next generation's batches are copied into them.

/** Bytes per block at most; a larger batch gets a block of its own size. */
const BLOCK = 1 << 20;
/** Bytes per block at least (a source smaller than this gets blocks of this size). */
const MIN_BLOCK = 4 << 10;

class Arena {
  readonly blocks: Uint8Array[] = [];
  /** How much of the last block is used (-0: a double from the start, as the sums it holds). */
  used = -0;
  constructor(public gen: number) {}
}

/**
 * Batch data by generation. Memory is reused only after release(gen): until then a
 * generation's bytes stay as they were, however far the reader has read.
 */
export class BatchArenas {
  private readonly live: Arena[] = [];
  /** Blocks of released generations, for the next batches of any generation. */
  private readonly spare: Uint8Array[] = [];
  /** Bytes per block: 1 MiB, or the source's size when it is smaller (a small trace reserves no more than it holds). */
  private readonly block: number;

  /** sourceBytes: the most batch data there can be (the file's size), when known. */
  constructor(sourceBytes = Infinity) {
    this.block = Math.max(MIN_BLOCK, Math.min(BLOCK, sourceBytes));
  }

  /** size bytes for a batch of generation gen. */
  alloc(gen: number, size: number): Uint8Array {
    if (size === 0) return new Uint8Array(0);
    let a: Arena | undefined;
    for (let i = this.live.length - 1; i >= 0; i--) if (this.live[i].gen === gen) { a = this.live[i]; break; }
    if (!a) {
      a = new Arena(gen);
      this.live.push(a);
    }
    let b = a.blocks[a.blocks.length - 1];
    if (b === undefined || a.used + size > b.length) {
      b = (size <= this.block ? this.spare.pop() : undefined) ?? new Uint8Array(Math.max(this.block, size));
      a.blocks.push(b);
      a.used = 0;
    }
    const out = b.subarray(a.used, a.used + size);
    a.used += size;
    return out;
  }

  /** Generation gen's batch data is no longer used: its memory may hold later generations'. */
  release(gen: number): void {
    for (let i = this.live.length - 1; i >= 0; i--) {
      if (this.live[i].gen !== gen) continue;
      for (const b of this.live[i].blocks) if (b.length === this.block) this.spare.push(b);
      this.live.splice(i, 1);
    }
  }
}
