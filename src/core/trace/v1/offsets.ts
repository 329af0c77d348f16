// Where an event row sits in the file, found again only when an error needs it: keeping
// the offset of every row costs 4 bytes an event for the rare corrupt trace, so the rows
// keep their batch instead, and the batch is skipped through again up to the row.
import { Ev } from './spec';

/**
 * The byte offset of the k-th row of the batch whose header starts at `batchAt`: rows are
 * the batch's timed events, in file order, without the frequency, timer goroutine, stack,
 * string and CPU sample records (the parser keeps those aside). `batchAt` if not found.
 */
export function rowOffsetInBatch(data: Uint8Array, batchAt: number, k: number): number {
  const end = data.length;
  let pos = batchAt;
  const skip = (): void => { while (pos < end && data[pos++] >= 0x80) { /* continuation byte */ } };
  /** Skips a length-prefixed run (the length read first: `pos += value()` would read pos before). */
  const skipRun = (): void => { const n = value(); pos += n; };
  const value = (): number => {
    let v = 0, mul = 1;
    while (pos < end) {
      const b = data[pos++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    return 0;
  };
  let first = true;
  while (pos < end) {
    const start = pos;
    const b = data[pos++];
    const typ = b & 0x3f;
    const narg = (b >> 6) + 1;
    if (typ === Ev.Batch && !first) return batchAt;
    first = false;
    if (typ === Ev.String) { skip(); skipRun(); continue; }
    if (narg <= 3) {
      for (let j = 0; j < narg; j++) skip();
    } else {
      skipRun();
      if (typ === Ev.UserLog) skipRun();
    }
    if (typ === Ev.Batch || typ === Ev.Frequency || typ === Ev.TimerGoroutine || typ === Ev.Stack || typ === Ev.CPUSample) continue;
    if (k-- === 0) return start;
  }
  return batchAt;
}
