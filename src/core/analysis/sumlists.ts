// Sums by key for each of many rows (a goroutine's blocked time by reason, its time in GC
// ranges by name), kept as linked entries in typed arrays rather than a Map per row: a server's
// trace has hundreds of thousands of goroutines, nearly all of which block, and a Map each (its
// sums boxed, a new number at every update) was hundreds of thousands of objects for the GC to
// walk while the trace was read. A row has a few keys: a sum is found by walking its row's list.

export class SumLists {
  /** Row r's first and last entries (-1: none); rows are numbered densely from 0. */
  private head = new Int32Array(256).fill(-1);
  private tail = new Int32Array(256).fill(-1);
  /** Entries: the key's number, the sum, the next entry of the same row (-1: the last). */
  private key = new Int32Array(256);
  private sum = new Float64Array(256);
  private next = new Int32Array(256);
  private n = 0;
  /** Keys by number, and their numbers. */
  private readonly keys: string[] = [];
  private readonly keyOf = new Map<string, number>();

  /** Adds v to row r's sum for key k (a new key of a row goes last: a row's keys stay in the order first added). */
  add(r: number, k: string, v: number): void {
    if (r >= this.head.length) this.growRows(r);
    let kn = this.keyOf.get(k);
    if (kn === undefined) { kn = this.keys.length; this.keys.push(k); this.keyOf.set(k, kn); }
    const key = this.key, next = this.next;
    for (let e = this.head[r]; e >= 0; e = next[e]) if (key[e] === kn) { this.sum[e] += v; return; }
    if (this.n === key.length) this.growEntries();
    const e = this.n++;
    this.key[e] = kn;
    this.sum[e] = v;
    this.next[e] = -1;
    const t = this.tail[r];
    if (t < 0) this.head[r] = e; else this.next[t] = e;
    this.tail[r] = e;
  }

  /** Whether row r has a sum. */
  has(r: number): boolean {
    return r < this.head.length && this.head[r] >= 0;
  }

  /** Row r's sums as an object, its keys in the order first added. */
  record(r: number): Record<string, number> {
    const out: Record<string, number> = {};
    if (r >= this.head.length) return out;
    for (let e = this.head[r]; e >= 0; e = this.next[e]) out[this.keys[this.key[e]]] = this.sum[e];
    return out;
  }

  /** Row r's sums each given to f in the order first added. */
  forEach(r: number, f: (k: string, v: number) => void): void {
    if (r >= this.head.length) return;
    for (let e = this.head[r]; e >= 0; e = this.next[e]) f(this.keys[this.key[e]], this.sum[e]);
  }

  /** Row r starts again with no sums (its old entries are left unused). */
  clear(r: number): void {
    if (r < this.head.length) this.head[r] = this.tail[r] = -1;
  }

  private growRows(r: number): void {
    const cap = Math.max(r + 1, Math.ceil(this.head.length * 1.5) + 16);
    const h = new Int32Array(cap).fill(-1), t = new Int32Array(cap).fill(-1);
    h.set(this.head); t.set(this.tail);
    this.head = h; this.tail = t;
  }

  private growEntries(): void {
    const cap = Math.ceil(this.key.length * 1.5) + 16;
    const k = new Int32Array(cap), s = new Float64Array(cap), x = new Int32Array(cap);
    k.set(this.key); s.set(this.sum); x.set(this.next);
    this.key = k; this.sum = s; this.next = x;
  }
}
