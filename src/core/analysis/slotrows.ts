// One row per goroutine for the scans kept up while a trace is read, in one Float64Array, row
// after row, by a dense slot given in the order the goroutines are first met: a server's trace
// has hundreds of thousands of goroutines, and a record object each (its doubles boxed) was
// millions of small objects for the GC to walk again and again while the trace was read. A row
// is contiguous (a span touches one goroutine's fields: one or two cache lines, not one per field).

import { ById } from './byid';

export class SlotRows {
  /** Rows made (slots 0..n-1). */
  n = 0;
  /** Row s is d[s * width .. (s + 1) * width) (read it again after add: it grows). */
  d: Float64Array;
  readonly width: number;
  private readonly slotOf = new ById<number>();

  /** fresh[c]: what field c holds in a new row; field 0 holds the goroutine's id. */
  constructor(private readonly fresh: readonly number[], cap = 256) {
    this.width = fresh.length;
    this.d = new Float64Array(cap * this.width);
  }

  /** Goroutine id's slot (undefined: no row). */
  slot(id: number): number | undefined {
    return this.slotOf.get(id);
  }

  /** A new row for goroutine id (it has none), its fields as fresh says: its slot. */
  add(id: number): number {
    const s = this.n, w = this.width;
    if ((s + 1) * w > this.d.length) {
      const d = new Float64Array((Math.ceil(s * 1.5) + 16) * w);
      d.set(this.d);
      this.d = d;
    }
    this.n++;
    const d = this.d, o = s * w, fresh = this.fresh;
    for (let c = 1; c < w; c++) d[o + c] = fresh[c];
    d[o] = id;
    this.slotOf.set(id, s);
    return s;
  }
}
