// Sorting the times of a trace's spans: they are appended as the spans close, so they are
// almost in order already. Keeping the in-order run and sorting only the rest is linear in
// practice, where a full sort of millions of times takes seconds.

/** Sorts `a` in place, ascending (as Float64Array.prototype.sort does, NaN last); returns it. */
export function sortTimes(a: Float64Array): Float64Array {
  const n = a.length;
  // -0 sorts before 0 natively, though neither is less: leave such arrays to the native sort.
  for (let j = 0; j < n; j++) if (a[j] === 0 && 1 / a[j] < 0) return a.sort();
  let i = 1;
  while (i < n && a[i - 1] <= a[i]) i++;
  if (i >= n) return a;
  if (Number.isNaN(a[i - 1])) return a.sort();
  // The longest in-order run through the array (each value at least the run's last), and the
  // others, up to a quarter of it (past that, the native sort of the whole is the faster).
  const extra = new Float64Array(Math.floor(n / 4) + 1);
  let k = 0, m = i, max = a[i - 1];
  for (let j = i; j < n; j++) {
    const v = a[j];
    if (v >= max) { a[m++] = v; max = v; continue; }
    // NaN is neither ≥ nor < anything: it lands in `extra`, which the native sort puts last.
    extra[k++] = v;
    if (k > n / 4) {
      // a[0, m) is the run, a[j + 1, n) not looked at yet: the others go back between them.
      a.set(extra.subarray(0, k), m);
      return a.sort();
    }
  }
  const rest = extra.subarray(0, k).sort();
  // Merge from the back, in place: the run occupies a[0, m), the result a[0, n).
  let x = m - 1, y = k - 1, o = n - 1;
  while (y >= 0) {
    if (x >= 0 && a[x] > rest[y]) a[o--] = a[x--];
    else a[o--] = rest[y--];
  }
  return a;
}

/** The sorted union of sorted arrays. */
export function mergeSorted(arrays: Float64Array[]): Float64Array {
  let n = 0;
  for (const a of arrays) n += a.length;
  const out = new Float64Array(n);
  let o = 0;
  eachMerged(arrays, (v) => { out[o++] = v; });
  return out;
}

/**
 * Calls f with each value of sorted arrays in the order of their sorted union (as
 * Float64Array.prototype.sort orders it: -0 before 0, NaN last), without making the union:
 * a heap of the arrays by their next value.
 */
export function eachMerged(arrays: Float64Array[], f: (v: number) => void): void {
  const xs = arrays.filter((a) => a.length > 0);
  if (xs.length === 1) { const a = xs[0]; for (let i = 0; i < a.length; i++) f(a[i]); return; }
  const lt = xs.every(plain) ? (x: number, y: number) => x < y : before;
  const pos = new Uint32Array(xs.length);
  // heap[0] is the array whose next value comes first.
  const heap = xs.map((_, k) => k);
  const head = (k: number) => xs[k][pos[k]];
  const down = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && lt(head(heap[l]), head(heap[m]))) m = l;
      if (r < heap.length && lt(head(heap[r]), head(heap[m]))) m = r;
      if (m === i) return;
      const x = heap[i]; heap[i] = heap[m]; heap[m] = x;
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const k = heap[0], a = xs[k];
    f(a[pos[k]++]);
    if (pos[k] === a.length) { heap[0] = heap[heap.length - 1]; heap.pop(); }
    if (heap.length > 1) down(0);
  }
}

/** No NaN and no -0: `<` alone orders it as the native sort does. */
function plain(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) { const v = a[i]; if (v !== v || (v === 0 && 1 / v < 0)) return false; }
  return true;
}

function before(x: number, y: number): boolean {
  if (x < y) return true;
  if (Number.isNaN(x)) return false;
  if (Number.isNaN(y)) return true;
  return x === 0 && y === 0 && 1 / x < 0 && 1 / y > 0;
}
