// How many events a generation's batches hold, found by skipping over them (a byte scan,
// no decoding), so that its columns are sized to the data instead of guessed: too large a
// guess is memory held for the whole pass, too small a one a copy of every column.
import { ARGC, Ev } from './spec';
import type { Generation } from './generation';

/**
 * An upper bound of the events ordering a generation writes (a coroutine switch is three),
 * counted up to `limit` (a larger generation is handed out in slices of that size anyway).
 * A lazy batch (still in the file) is not read for it: it counts as many events as its bytes,
 * more than it can hold (an event is at least two bytes, a switch's three at least four).
 */
export function countEvents(g: Generation, limit = Infinity): number {
  let n = g.cpuSamples.length;
  for (const batches of g.batches.values()) {
    for (const b of batches) {
      if (n >= limit) return n;
      if (b.lazy) { n += b.size; continue; }
      const buf = b.data;
      const end = buf.length;
      let pos = 0;
      while (pos < end) {
        const typ = buf[pos++];
        const argc = ARGC[typ];
        // Not an ordinary event: the cursor will say what is wrong; count the rest as bytes.
        if (argc < 0) { n += end - pos; break; }
        n += typ === Ev.GoSwitch || typ === Ev.GoSwitchDestroy ? 3 : 1;
        // The time delta and argc arguments, each a varint ending at a byte below 0x80.
        for (let v = argc + 1; v > 0 && pos < end; pos++) if (buf[pos] < 0x80) v--;
      }
    }
  }
  return n;
}
