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

/** Below this many values, sortCounts leaves them to the native sort. */
const RADIX_MIN = 2048;

/**
 * Sorts `a` in place, ascending, as Float64Array.prototype.sort does; returns it. Integers in
 * [0, 2^32) (nanosecond waits, counts) are sorted by counting passes over three digits of 11 bits
 * (the three histograms made in the pass that reads them; a digit every value shares is not
 * passed over: waits are mostly short), several times faster than the native sort of doubles;
 * anything else by the native sort.
 */
export function sortCounts(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < RADIX_MIN) return a.sort();
  let keys = new Uint32Array(n);
  const count = new Uint32Array(3 * DIGIT);
  for (let i = 0; i < n; i++) {
    const v = a[i];
    // Not an integer in range, or -0 (which the native sort puts before 0): the native sort.
    if (!(v >= 0 && v <= 0xffffffff && Math.floor(v) === v) || (v === 0 && 1 / v < 0)) return a.sort();
    const k = v >>> 0;
    keys[i] = k;
    count[k & MASK]++;
    count[DIGIT + ((k >>> 11) & MASK)]++;
    count[2 * DIGIT + (k >>> 22)]++;
  }
  let tmp = new Uint32Array(n);
  for (let d = 0; d < 3; d++) {
    const base = d * DIGIT, shift = d * 11;
    let shared = false;
    for (let b = base, sum = 0; b < base + DIGIT; b++) { const c = count[b]; if (c === n) shared = true; count[b] = sum; sum += c; }
    if (shared) continue;
    for (let i = 0; i < n; i++) { const k = keys[i]; tmp[count[base + ((k >>> shift) & MASK)]++] = k; }
    const t = keys; keys = tmp; tmp = t;
  }
  for (let i = 0; i < n; i++) a[i] = keys[i];
  return a;
}

/** A digit of sortCounts: 11 bits. */
const DIGIT = 1 << 11, MASK = DIGIT - 1;

/** The sorted union of two sorted arrays (ordered by `<` when both are plain, else as the native sort orders). */
export function merge2(a: Float64Array, b: Float64Array, plainBoth: boolean): Float64Array {
  const na = a.length, nb = b.length, out = new Float64Array(na + nb);
  let i = 0, j = 0, o = 0;
  if (plainBoth) {
    while (i < na && j < nb) {
      const x = a[i], y = b[j];
      if (y < x) { out[o++] = y; j++; } else { out[o++] = x; i++; }
    }
  } else {
    while (i < na && j < nb) {
      const x = a[i], y = b[j];
      if (before(y, x)) { out[o++] = y; j++; } else { out[o++] = x; i++; }
    }
  }
  if (i < na) out.set(a.subarray(i), o);
  else if (j < nb) out.set(b.subarray(j), o);
  return out;
}

/**
 * Calls f with each value of sorted arrays in the order of their sorted union (as
 * Float64Array.prototype.sort orders it: -0 before 0, NaN last), without making the union:
 * a heap of the arrays by their next value (kept beside it, so a step reads no array but the one it takes from).
 */
export function eachMerged(arrays: Float64Array[], f: (v: number) => void): void {
  const xs = arrays.filter((a) => a.length > 0);
  if (xs.length === 1) { const a = xs[0]; for (let i = 0; i < a.length; i++) f(a[i]); return; }
  const lt = xs.every(plain);
  const k = xs.length;
  const pos = new Uint32Array(k);
  // heap[0] is the array whose next value comes first; next[h] is heap[h]'s next value.
  const heap = new Int32Array(k), next = new Float64Array(k);
  for (let h = 0; h < k; h++) { heap[h] = h; next[h] = xs[h][0]; }
  let size = k;
  const less = (x: number, y: number) => (lt ? x < y : before(x, y));
  const down = (from: number) => {
    let i = from;
    const hk = heap[i], hv = next[i];
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = -1, mv = hv;
      if (l < size && less(next[l], mv)) { m = l; mv = next[l]; }
      if (r < size && less(next[r], mv)) { m = r; mv = next[r]; }
      if (m < 0) break;
      heap[i] = heap[m]; next[i] = mv;
      i = m;
    }
    heap[i] = hk; next[i] = hv;
  };
  for (let i = (size >> 1) - 1; i >= 0; i--) down(i);
  while (size > 0) {
    const a = heap[0], arr = xs[a];
    f(next[0]);
    const p = ++pos[a];
    if (p === arr.length) {
      size--;
      heap[0] = heap[size]; next[0] = next[size];
    } else next[0] = arr[p];
    if (size > 1) down(0);
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
