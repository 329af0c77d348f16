// The values a Map gained since the last look, in its order, without walking the ones seen
// before: a Map's iterator that has not yet said done goes on to entries added after it was
// made, so one is kept short of the end and resumed. A server's trace has hundreds of thousands
// of goroutines, and walking the model's map from its start to skip those seen, at every
// snapshot or catch-up of a trace being read, was most of what those cost.

export class NewEntries<K, V> {
  private of: Map<K, V> | undefined;
  private at: Iterator<V> | undefined;
  /** Values of the map taken so far (its first ones). */
  private taken = 0;

  /**
   * Gives f each value `map` gained since the last call (every value at the first, or when
   * the map is another). A map that lost entries is taken again from its start, past as many
   * entries as were taken (as a walk that skips them does).
   */
  take(map: Map<K, V>, f: (v: V) => void): void {
    if (this.of !== map) { this.of = map; this.at = undefined; this.taken = 0; }
    if (this.at && this.next(this.at, map, f)) return;
    // From the start, past the ones taken (the first call, or the map lost entries).
    const it = map.values();
    for (let k = 0; k < this.taken; k++) if (it.next().done) { this.taken = k; this.at = undefined; return; }
    this.at = this.next(it, map, f) ? it : undefined;
  }

  /** Takes what the map has past the ones taken, never running `it` to its end: false if it ended first (the map lost entries). */
  private next(it: Iterator<V>, map: Map<K, V>, f: (v: V) => void): boolean {
    for (let left = map.size - this.taken; left > 0; left--) {
      const r = it.next();
      if (r.done) { this.at = undefined; return false; }
      this.taken++;
      f(r.value);
    }
    return true;
  }
}
