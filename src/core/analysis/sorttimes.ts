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
  // The longest in-order run through the array (each value at least the run's last), and the others.
  const extra = new Float64Array(n);
  let k = 0, m = i, max = a[i - 1];
  for (let j = i; j < n; j++) {
    const v = a[j];
    if (v >= max) { a[m++] = v; max = v; } else extra[k++] = v;
  }
  // NaN is neither ≥ nor < anything: it lands in `extra`, which the native sort puts last.
  if (k > n / 4) {
    a.set(extra.subarray(0, k), m);
    return a.sort();
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

/** The sorted union of sorted arrays (merged two by two). */
export function mergeSorted(arrays: Float64Array[]): Float64Array {
  let xs = arrays;
  if (!xs.length) return new Float64Array(0);
  while (xs.length > 1) {
    const next: Float64Array[] = [];
    for (let k = 0; k + 1 < xs.length; k += 2) next.push(merge2(xs[k], xs[k + 1]));
    if (xs.length % 2) next.push(xs[xs.length - 1]);
    xs = next;
  }
  return xs[0];
}

function merge2(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0, j = 0, o = 0;
  if (plain(a) && plain(b)) {
    while (i < a.length && j < b.length) out[o++] = b[j] < a[i] ? b[j++] : a[i++];
  }
  // Ties (and -0 before 0, NaN last) as the native sort orders them: b's value first only when it sorts strictly before.
  while (i < a.length && j < b.length) out[o++] = before(b[j], a[i]) ? b[j++] : a[i++];
  while (i < a.length) out[o++] = a[i++];
  while (j < b.length) out[o++] = b[j++];
  return out;
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
