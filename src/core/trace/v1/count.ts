// The number of event rows an old-format trace needs, found by skipping over its records
// (a first, cheap pass over the bytes) so that the parser's columns are sized to the data:
// a guess from the file size is 10–20% too large, and a guess too small doubles every column.
import { Ev } from './spec';

const HEADER = 16;

/** Rows the parser will add, or undefined if the bytes do not skip cleanly (the parser will say why). */
export function countOldRows(data: Uint8Array): number | undefined {
  const end = data.length;
  let pos = HEADER;
  let rows = 0;
  /** Skips one varint; false past the end. */
  const skip = (limit: number): boolean => {
    while (pos < limit) if (data[pos++] < 0x80) return true;
    return false;
  };
  const value = (): number => {
    let v = 0, mul = 1;
    while (pos < end) {
      const b = data[pos++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    return -1;
  };
  while (pos < end) {
    const b = data[pos++];
    const typ = b & 0x3f;
    const narg = (b >> 6) + 1;
    if (typ === Ev.String) {
      if (!skip(end)) return undefined;
      const len = value();
      if (len < 0 || len > end - pos) return undefined;
      pos += len;
      continue;
    }
    if (narg <= 3) {
      for (let k = 0; k < narg; k++) if (!skip(end)) return undefined;
    } else {
      const len = value();
      if (len < 0 || len > end - pos) return undefined;
      pos += len;
      if (typ === Ev.UserLog) {
        const msg = value();
        if (msg < 0 || msg > end - pos) return undefined;
        pos += msg;
      }
    }
    if (typ !== Ev.Batch && typ !== Ev.Frequency && typ !== Ev.TimerGoroutine && typ !== Ev.Stack) rows++;
  }
  return rows;
}
