// What the ordering knows of one thread (an M): the goroutine and the proc it holds. A cursor
// caches its thread's state; the ordering updates it. Both sit above this file.
export interface MState {
  g: number;
  p: number;
}
