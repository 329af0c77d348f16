// One row per goroutine for the scans kept up while a trace is read, in Float64Array pages, row
// after row, by a dense slot given in the order the goroutines are first met: a server's trace
// has hundreds of thousands of goroutines, and a record object each (its doubles boxed) was
// millions of small objects for the GC to walk again and again while the trace was read. A row
// is contiguous (a span touches one goroutine's fields: one or two cache lines, not one per field).
//
// Pages, not one array grown by copying: on a server's trace (585K goroutines, rows of 8 and 13
// fields) the copies were 200 MB of fresh memory written, ~0.5 s of the editor's read and
// much of its garbage collection. Only the first page grows (from small, doubling: most traces
// have few goroutines); the others are made full and never move. The slot of an id is found the
// same way, in pages of 2^16 ids (a long-running server's ids are large but close together), at
// most MAX_ID_PAGES of them (16 MB): ids a file spreads further apart, negative or fractional
// ones, go to a Map.

/** Rows per page (past the first page's growth). */
const SHIFT = 12;
const PAGE = 1 << SHIFT;
const MASK = PAGE - 1;
/** Ids per page of the slot index, the ids it can index, and the pages it makes at most. */
const ID_SHIFT = 16;
const ID_MASK = (1 << ID_SHIFT) - 1;
const ID_LIMIT = 2 ** 31;
const MAX_ID_PAGES = 64;

const EMPTY = new Float64Array(0);

/** What SlotRows.keep kept: field c (< width) of slot s. */
export class KeptRows {
  constructor(private readonly pages: Float64Array[], private readonly width: number) {}
  get(s: number, c: number): number {
    return this.pages[s >>> SHIFT][(s & MASK) * this.width + c];
  }
}

export class SlotRows {
  /** Rows made (slots 0..n-1). */
  n = 0;
  readonly width: number;
  /** Field c of slot s is page(s)[off(s) + c]. */
  private readonly pages: Float64Array[];
  /**
   * Slot + 1 by id (0: none), in pages of 2^16 ids; an id whose page is not made (past
   * ID_LIMIT, not an integer, or once MAX_ID_PAGES are made) is in `far`.
   */
  private readonly idPages: (Int32Array | undefined)[] = [];
  private idPageCount = 0;
  private readonly far = new Map<number, number>();
  /** Set by keep(): the rows are gone. */
  private kept = false;

  /** fresh[c]: what field c holds in a new row; field 0 holds the goroutine's id. */
  constructor(private readonly fresh: readonly number[], cap = 256) {
    this.width = fresh.length;
    this.pages = [new Float64Array(Math.min(cap, PAGE) * this.width)];
  }

  /** Goroutine id's slot (undefined: no row). */
  slot(id: number): number | undefined {
    if (id >>> 0 === id && id < ID_LIMIT) {
      const p = this.idPages[id >>> ID_SHIFT];
      if (p !== undefined) {
        const s = p[id & ID_MASK];
        return s === 0 ? undefined : s - 1;
      }
    }
    return this.far.get(id);
  }

  /** The page holding slot s's row (read it again after add: the first page grows). */
  page(s: number): Float64Array {
    return this.pages[s >>> SHIFT];
  }

  /** Where slot s's row starts in its page. */
  off(s: number): number {
    return (s & MASK) * this.width;
  }

  /**
   * Each row's first `fields` fields, page by page (each page let go once copied), then every
   * row and the slot index let go (n stays): what a finished scan keeps, without a second copy
   * of all the rows alive at once.
   */
  keep(fields: number): KeptRows {
    this.kept = true;
    const kept: Float64Array[] = [];
    const w = this.width;
    for (let k = 0; k < this.pages.length; k++) {
      const rows = Math.min(PAGE, this.n - k * PAGE), src = this.pages[k], dst = new Float64Array(rows * fields);
      for (let j = 0; j < rows; j++) for (let c = 0; c < fields; c++) dst[j * fields + c] = src[j * w + c];
      kept.push(dst);
      this.pages[k] = EMPTY;
    }
    this.pages.length = 0;
    this.idPages.length = 0;
    this.far.clear();
    return new KeptRows(kept, fields);
  }

  /** A new row for goroutine id (it has none), its fields as fresh says: its slot. */
  add(id: number): number {
    if (this.kept) throw new Error('SlotRows: a row added after keep()');
    const s = this.n, w = this.width, k = s >>> SHIFT, j = s & MASK;
    let d = this.pages[k];
    if (d === undefined) {
      d = new Float64Array(PAGE * w);
      this.pages.push(d);
    } else if ((j + 1) * w > d.length) {
      // Only the first page grows.
      const grown = new Float64Array(Math.min(PAGE, 2 * (d.length / w)) * w);
      grown.set(d);
      this.pages[k] = d = grown;
    }
    this.n++;
    const o = j * w, fresh = this.fresh;
    for (let c = 1; c < w; c++) d[o + c] = fresh[c];
    d[o] = id;
    const p = this.idPageOf(id);
    if (p !== undefined) p[id & ID_MASK] = s + 1;
    else this.far.set(id, s);
    return s;
  }

  /** The slot index's page for id, made if there is room for it (undefined: id goes to `far`). */
  private idPageOf(id: number): Int32Array | undefined {
    if (!(id >>> 0 === id && id < ID_LIMIT)) return undefined;
    const pk = id >>> ID_SHIFT;
    let p = this.idPages[pk];
    if (p === undefined && this.idPageCount < MAX_ID_PAGES) {
      while (this.idPages.length < pk) this.idPages.push(undefined);
      this.idPages[pk] = p = new Int32Array(1 << ID_SHIFT);
      this.idPageCount++;
    }
    return p;
  }
}
