// C++ threadz profiles: "--- threadz N ---", then one "--- Thread ID (name: N/TID) stack: ---"
// block per thread whose lines hold its PCs (leaf first; "same as previous thread" adds one
// to the previous sample), then the memory map.
import { withMemoryMap } from './build';
import { mapsAfterSentinel } from './count';
import { hexAddresses, isMemoryMapSentinel, isSpaceOrComment, LineReader } from './lines';
import { callSite, emptyRaw, LocationTable, type RawProfile } from './raw';
import { dropDuplicateLeaf } from './cpu';

const THREADZ = /--- threadz \d+ ---/;
const THREAD = /--- Thread ([0-9A-Fa-f]+) \(name: (.*)\/(\d+)\) stack: ---/;

export function isThreadHeader(line: string): boolean {
  return THREADZ.test(line) || THREAD.test(line);
}

export function parseThread(text: string): RawProfile {
  const r = new LineReader(text, 'threadz profile');
  while (r.scan() && isSpaceOrComment(r.text));
  let line = r.text;
  if (THREADZ.test(line)) {
    while (r.scan()) {
      line = r.text;
      if (isMemoryMapSentinel(line) || line.startsWith('-')) break;
    }
  } else if (!THREAD.test(line)) {
    throw r.error('expected "--- threadz N ---"');
  }
  const p = emptyRaw([{ type: 'thread', unit: 'count' }], { type: 'thread', unit: 'count' }, 1);
  const locs = new LocationTable(p);
  while (!isMemoryMapSentinel(line)) {
    if (line.startsWith('---- no stack trace for')) break;
    if (!THREAD.test(line)) throw r.error(`expected a "--- Thread … stack: ---" line, found ${JSON.stringify(line.slice(0, 60))}`);
    // The thread's lines, up to the next "---" line.
    let same = false;
    const addrs: bigint[] = [];
    line = '';
    while (r.scan()) {
      const l = r.text.trim();
      if (l === '') continue;
      if (l.startsWith('---')) { line = l; break; }
      if (l.includes('same as previous thread')) { same = true; continue; }
      const a = hexAddresses(l);
      if (!a) throw r.error('an address does not fit in 64 bits');
      addrs.push(...a);
    }
    if (same || addrs.length === 0) {
      const last = p.samples[p.samples.length - 1];
      if (last) last.values[0]++;
      continue;
    }
    // The leaf is where the thread is; the frames above it are return addresses.
    p.samples.push({ locs: addrs.map((a, i) => locs.get(i > 0 ? callSite(a) : a)), values: [1] });
  }
  withMemoryMap(p, mapsAfterSentinel(r));
  dropDuplicateLeaf(p);
  return p;
}
