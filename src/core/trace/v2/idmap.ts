// A map from goroutine, proc and thread ids to their state, faster than Map for the ids
// the runtime hands out (small, dense, increasing): pages of 4096 slots, found by the id's
// high bits. Other ids (negative, huge) fall back to a Map.

const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;
const MAX_PAGED = 2 ** 31;

export class IdMap<T> {
  private readonly pages: (Array<T | undefined> | undefined)[] = [];
  private readonly other = new Map<number, T>();

  get(id: number): T | undefined {
    if (id >= 0 && id < MAX_PAGED) {
      const page = this.pages[id >>> PAGE_BITS];
      return page === undefined ? undefined : page[id & (PAGE - 1)];
    }
    return this.other.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, v: T): void {
    if (id >= 0 && id < MAX_PAGED) {
      const pi = id >>> PAGE_BITS;
      let page = this.pages[pi];
      if (page === undefined) {
        page = new Array<T | undefined>(PAGE).fill(undefined);
        this.pages[pi] = page;
      }
      page[id & (PAGE - 1)] = v;
      return;
    }
    this.other.set(id, v);
  }

  delete(id: number): void {
    if (id >= 0 && id < MAX_PAGED) {
      const page = this.pages[id >>> PAGE_BITS];
      if (page !== undefined) page[id & (PAGE - 1)] = undefined;
      return;
    }
    this.other.delete(id);
  }
}
