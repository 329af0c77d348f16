// Call edges between graph nodes keyed by integer ids: an open-addressing table over typed
// columns, so aggregating a million stacks allocates nothing per edge (a Map of objects did).

export class EdgeTable {
  /** Per slot: caller node + 1 (0 = empty slot), callee node, weight, last sample counted, any non-inlined call. */
  private from!: Int32Array;
  private to!: Int32Array;
  weight!: Float64Array;
  private seen!: Int32Array;
  private regular!: Uint8Array;
  private mask = 0;
  size = 0;

  constructor(capacity = 1024) {
    let c = 16;
    while (c < capacity * 2) c *= 2;
    this.allocate(c);
  }

  /** Fresh, empty columns of c slots (a power of two). */
  private allocate(c: number): void {
    this.mask = c - 1;
    this.from = new Int32Array(c);
    this.to = new Int32Array(c);
    this.weight = new Float64Array(c);
    this.seen = new Int32Array(c);
    this.regular = new Uint8Array(c);
  }

  /** Counts weight w once per sample for the edge from → to; an edge stays inline only while every call is. */
  add(from: number, to: number, w: number, sample: number, inline: boolean): void {
    let s = this.slot(from, to);
    if (this.from[s] === 0) {
      if ((this.size + 1) * 2 > this.mask + 1) { this.grow(); s = this.slot(from, to); }
      this.from[s] = from + 1;
      this.to[s] = to;
      this.seen[s] = -1;
      this.size++;
    }
    if (this.seen[s] !== sample) { this.seen[s] = sample; this.weight[s] += w; }
    if (!inline) this.regular[s] = 1;
  }

  /** Calls f for every edge: its caller, callee, weight and whether every call was inlined. */
  forEach(f: (from: number, to: number, w: number, inline: boolean) => void): void {
    for (let s = 0; s <= this.mask; s++) {
      if (this.from[s] !== 0) f(this.from[s] - 1, this.to[s], this.weight[s], this.regular[s] === 0);
    }
  }

  private slot(from: number, to: number): number {
    let s = (Math.imul(from, 0x9e3779b1) ^ Math.imul(to, 0x85ebca6b)) & this.mask;
    while (this.from[s] !== 0 && (this.from[s] !== from + 1 || this.to[s] !== to)) s = (s + 1) & this.mask;
    return s;
  }

  private grow(): void {
    const old = { from: this.from, to: this.to, weight: this.weight, seen: this.seen, regular: this.regular };
    this.allocate((this.mask + 1) * 2);
    for (let s = 0; s < old.from.length; s++) {
      if (old.from[s] === 0) continue;
      const t = this.slot(old.from[s] - 1, old.to[s]);
      this.from[t] = old.from[s];
      this.to[t] = old.to[s];
      this.weight[t] = old.weight[s];
      this.seen[t] = old.seen[s];
      this.regular[t] = old.regular[s];
    }
  }
}
