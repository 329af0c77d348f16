// An in-place pattern-defeating quicksort that makes the same moves as Go's slices.SortFunc.
// The reference reader sorts its frontier and its CPU samples with it; the sort is not
// stable, so which of two equal timestamps goes first depends on those exact moves.

type Cmp<T> = (a: T, b: T) => number;

export function sortLikeGo<T>(data: T[], cmp: Cmp<T>): void {
  const n = data.length;
  pdq(data, 0, n, bitLength(n), cmp);
}

function bitLength(n: number): number {
  return n === 0 ? 0 : 32 - Math.clz32(n);
}

function swap<T>(d: T[], i: number, j: number): void {
  const t = d[i];
  d[i] = d[j];
  d[j] = t;
}

function insertion<T>(d: T[], a: number, b: number, cmp: Cmp<T>): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && cmp(d[j], d[j - 1]) < 0; j--) swap(d, j, j - 1);
  }
}

function siftDown<T>(d: T[], lo: number, hi: number, first: number, cmp: Cmp<T>): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && cmp(d[first + child], d[first + child + 1]) < 0) child++;
    if (!(cmp(d[first + root], d[first + child]) < 0)) return;
    swap(d, first + root, first + child);
    root = child;
  }
}

function heapSort<T>(d: T[], a: number, b: number, cmp: Cmp<T>): void {
  const hi = b - a;
  for (let i = ((hi - 1) / 2) | 0; i >= 0; i--) siftDown(d, i, hi, a, cmp);
  for (let i = hi - 1; i >= 0; i--) {
    swap(d, a, a + i);
    siftDown(d, 0, i, a, cmp);
  }
}

const enum Hint { Unknown, Increasing, Decreasing }

function pdq<T>(d: T[], a: number, b: number, limit: number, cmp: Cmp<T>): void {
  let balanced = true;
  let partitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= 12) {
      insertion(d, a, b, cmp);
      return;
    }
    if (limit === 0) {
      heapSort(d, a, b, cmp);
      return;
    }
    if (!balanced) {
      breakPatterns(d, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(d, a, b, cmp);
    if (hint === Hint.Decreasing) {
      reverse(d, a, b);
      pivot = b - 1 - (pivot - a);
      hint = Hint.Increasing;
    }
    if (balanced && partitioned && hint === Hint.Increasing && partialInsertion(d, a, b, cmp)) return;
    if (a > 0 && !(cmp(d[a - 1], d[pivot]) < 0)) {
      a = partitionEqual(d, a, b, pivot, cmp);
      continue;
    }
    const [mid, already] = partition(d, a, b, pivot, cmp);
    partitioned = already;
    const left = mid - a;
    const right = b - mid;
    const threshold = (length / 8) | 0;
    if (left < right) {
      balanced = left >= threshold;
      pdq(d, a, mid, limit, cmp);
      a = mid + 1;
    } else {
      balanced = right >= threshold;
      pdq(d, mid + 1, b, limit, cmp);
      b = mid;
    }
  }
}

function partition<T>(d: T[], a: number, b: number, pivot: number, cmp: Cmp<T>): [number, boolean] {
  swap(d, a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && cmp(d[i], d[a]) < 0) i++;
  while (i <= j && !(cmp(d[j], d[a]) < 0)) j--;
  if (i > j) {
    swap(d, j, a);
    return [j, true];
  }
  swap(d, i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && cmp(d[i], d[a]) < 0) i++;
    while (i <= j && !(cmp(d[j], d[a]) < 0)) j--;
    if (i > j) break;
    swap(d, i, j);
    i++;
    j--;
  }
  swap(d, j, a);
  return [j, false];
}

function partitionEqual<T>(d: T[], a: number, b: number, pivot: number, cmp: Cmp<T>): number {
  swap(d, a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !(cmp(d[a], d[i]) < 0)) i++;
    while (i <= j && cmp(d[a], d[j]) < 0) j--;
    if (i > j) break;
    swap(d, i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertion<T>(d: T[], a: number, b: number, cmp: Cmp<T>): boolean {
  let i = a + 1;
  for (let step = 0; step < 5; step++) {
    while (i < b && !(cmp(d[i], d[i - 1]) < 0)) i++;
    if (i === b) return true;
    if (b - a < 50) return false;
    swap(d, i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!(cmp(d[j], d[j - 1]) < 0)) break;
        swap(d, j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!(cmp(d[j], d[j - 1]) < 0)) break;
        swap(d, j, j - 1);
      }
    }
  }
  return false;
}

const MASK64 = (1n << 64n) - 1n;

function breakPatterns<T>(d: T[], a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  // xorshift64 seeded with the length; rare enough that BigInt costs nothing.
  let r = BigInt(length);
  const modulus = 2 ** bitLength(length);
  const base = a + ((length / 4) | 0) * 2;
  for (let idx = base - 1; idx <= base + 1; idx++) {
    r ^= (r << 13n) & MASK64;
    r ^= r >> 7n;
    r ^= (r << 17n) & MASK64;
    let other = Number(r & BigInt(modulus - 1));
    if (other >= length) other -= length;
    swap(d, idx, a + other);
  }
}

function choosePivot<T>(d: T[], a: number, b: number, cmp: Cmp<T>): [number, Hint] {
  const l = b - a;
  const swaps = { n: 0 };
  let i = a + ((l / 4) | 0);
  let j = a + ((l / 4) | 0) * 2;
  let k = a + ((l / 4) | 0) * 3;
  if (l >= 8) {
    if (l >= 50) {
      i = median(d, i - 1, i, i + 1, swaps, cmp);
      j = median(d, j - 1, j, j + 1, swaps, cmp);
      k = median(d, k - 1, k, k + 1, swaps, cmp);
    }
    j = median(d, i, j, k, swaps, cmp);
  }
  if (swaps.n === 0) return [j, Hint.Increasing];
  if (swaps.n === 12) return [j, Hint.Decreasing];
  return [j, Hint.Unknown];
}

function median<T>(d: T[], a: number, b: number, c: number, swaps: { n: number }, cmp: Cmp<T>): number {
  // Order (a, b), then (b, c), then (a, b) again; b ends as the median.
  if (cmp(d[b], d[a]) < 0) { swaps.n++; [a, b] = [b, a]; }
  if (cmp(d[c], d[b]) < 0) { swaps.n++; [b, c] = [c, b]; }
  if (cmp(d[b], d[a]) < 0) { swaps.n++; [a, b] = [b, a]; }
  return b;
}

function reverse<T>(d: T[], a: number, b: number): void {
  for (let i = a, j = b - 1; i < j; i++, j--) swap(d, i, j);
}
