// A map from goroutine, proc and thread ids to their state, faster than Map for the ids
// the runtime hands out (small, dense, increasing counters).
//
// Ids under 2^20 sit in pages of 4096 slots, one made for every page up to the largest id set
// (8 MB at most), so a lookup is one range check and two loads. The pages are never copied as
// they grow (one array grown to a server's 585,617 goroutine ids left its earlier copies as
// garbage in the large-object space: +10 MB peak), and every page is a packed array of the same
// kind, so the loads stay monomorphic whichever map (goroutines, procs, threads) is asked.
// Larger ids up to 2^31 (a server traced after days of goroutines; thread ids are the OS's) sit
// in pages made only where an id lands; other ids (negative, huge) in a Map.

const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;
const MAX_NEAR = 1 << 20;
const MAX_PAGED = 2 ** 31;

export class IdMap<T> {
  /** Pages of ids [0, nearEnd): every one present, packed. */
  private readonly near: (T | undefined)[][] = [];
  /** Ids below this are in near: near.length * PAGE. */
  private nearEnd = 0;
  /** Pages of ids [MAX_NEAR, MAX_PAGED), made where an id lands. */
  private readonly far: ((T | undefined)[] | undefined)[] = [];
  private readonly other = new Map<number, T>();

  get(id: number): T | undefined {
    if (id >= 0 && id < this.nearEnd) return this.near[id >>> PAGE_BITS][id & (PAGE - 1)];
    return this.getFar(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, v: T): void {
    if (id >= 0 && id < this.nearEnd) this.near[id >>> PAGE_BITS][id & (PAGE - 1)] = v;
    else this.setFar(id, v);
  }

  delete(id: number): void {
    if (id >= 0 && id < this.nearEnd) this.near[id >>> PAGE_BITS][id & (PAGE - 1)] = undefined;
    else if (id >= MAX_NEAR && id < MAX_PAGED) {
      const page = this.far[(id - MAX_NEAR) >>> PAGE_BITS];
      if (page !== undefined) page[id & (PAGE - 1)] = undefined;
    } else this.other.delete(id);
  }

  /** An id past the near pages: not set yet, in a far page, or in the Map. */
  private getFar(id: number): T | undefined {
    if (id >= 0 && id < MAX_NEAR) return undefined;
    if (id >= MAX_NEAR && id < MAX_PAGED) {
      const page = this.far[(id - MAX_NEAR) >>> PAGE_BITS];
      return page === undefined ? undefined : page[id & (PAGE - 1)];
    }
    return this.other.get(id);
  }

  private setFar(id: number, v: T): void {
    if (id >= 0 && id < MAX_NEAR) {
      // Pages up to the id's, each made once: the ones before are kept, not copied.
      while (this.nearEnd <= id) {
        this.near.push(newPage<T>());
        this.nearEnd += PAGE;
      }
      this.near[id >>> PAGE_BITS][id & (PAGE - 1)] = v;
    } else if (id >= MAX_NEAR && id < MAX_PAGED) {
      const pi = (id - MAX_NEAR) >>> PAGE_BITS;
      let page = this.far[pi];
      if (page === undefined) {
        page = newPage<T>();
        this.far[pi] = page;
      }
      page[id & (PAGE - 1)] = v;
    } else {
      this.other.set(id, v);
    }
  }
}

/** A page of PAGE empty slots, packed (filled by push; `new Array(n)` would be holey). */
function emptyPage(): undefined[] {
  const p: undefined[] = [];
  for (let i = 0; i < PAGE; i++) p.push(undefined);
  return p;
}

const EMPTY_PAGE = emptyPage();

/** A new empty page: a copy of EMPTY_PAGE (packed as it is, one copy of its slots). */
function newPage<T>(): (T | undefined)[] {
  return EMPTY_PAGE.slice() as (T | undefined)[];
}
