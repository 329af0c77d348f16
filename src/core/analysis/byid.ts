// A goroutine's record found by its id in a walk over millions of spans: small ids (most of them)
// index an array, the others a Map. A Map lookup a span per walk was a good part of the findings'
// walks while a trace is read.

/** Ids below this are kept in the array (past it, in the Map). */
const DENSE = 1 << 20;

export class ById<T> {
  private readonly dense: (T | undefined)[] = [];
  private readonly sparse = new Map<number, T>();

  get(id: number): T | undefined {
    return id >>> 0 === id && id < DENSE ? this.dense[id] : this.sparse.get(id);
  }

  set(id: number, v: T): void {
    if (id >>> 0 === id && id < DENSE) {
      while (this.dense.length < id) this.dense.push(undefined);
      this.dense[id] = v;
    } else this.sparse.set(id, v);
  }

  /** Forgets id's record. */
  delete(id: number): void {
    if (id >>> 0 === id && id < DENSE) { if (id < this.dense.length) this.dense[id] = undefined; } else this.sparse.delete(id);
  }

  clear(): void {
    this.dense.length = 0;
    this.sparse.clear();
  }
}
