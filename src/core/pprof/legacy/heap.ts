// Heap profiles in text: Go's debug=1 heap/allocs ("heap profile: … @ heap/2·rate"),
// C++ heapz ("@ heapz_v2/rate", "@ heapprofile"), growthz and fragmentationz. Sampled
// values are un-sampled: each count and size divided by the chance 1−e^(−avg/rate) that an
// allocation of that average size was sampled at all.
import { withMemoryMap } from './build';
import { mapsAfterSentinel } from './count';
import { FrameNamer, frameComment } from './frames';
import { hexAddresses, isMemoryMapSentinel, isSpaceOrComment, LineReader, parseGoInt } from './lines';
import { callSite, emptyRaw, LocationTable, type RawProfile } from './raw';

const HEAP = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)\/?(\d*)/;
const GROWTH = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz?/;
const FRAGMENTATION = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ fragmentationz?/;
const SAMPLE = /(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)/;

export function isHeapHeader(line: string): boolean {
  return HEAP.test(line) || GROWTH.test(line) || FRAGMENTATION.test(line);
}

/** goFrames: Go's own heap profile, whose "#" comments name each sample's frames. */
interface Header { sampling: boolean; period: number; hasAlloc: boolean; goFrames?: boolean }

function header(r: LineReader): Header {
  const line = r.text;
  const h = HEAP.exec(line);
  if (!h) {
    if (GROWTH.test(line) || FRAGMENTATION.test(line)) return { sampling: false, period: 1, hasAlloc: false };
    throw r.error('not a heap profile header', 'expected "heap profile: N: B [N: B] @ heap/RATE"');
  }
  let period = 0;
  if (h[6]) {
    const v = parseGoInt(h[6]);
    if (v === undefined) throw r.error(`sampling rate ${h[6]} is out of range`);
    period = v;
  }
  // In-use and allocated columns that differ mean the file has both (Go's always may).
  const hasAlloc = (h[3] !== h[1] && h[3] !== '0') || (h[4] !== h[2] && h[4] !== '0');
  switch (h[5]) {
    case 'heapz_v2': case 'heap_v2': return { sampling: true, period, hasAlloc };
    case 'heapprofile': return { sampling: false, period: 1, hasAlloc };
    // Go writes 2 × MemProfileRate after "heap/".
    case 'heap': return { sampling: true, period: Math.trunc(period / 2), hasAlloc, goFrames: true };
    default: throw r.error(`unknown heap profile kind "${h[5]}"`, 'expected heap, heap_v2, heapz_v2 or heapprofile');
  }
}

/** The un-sampled [count, size] of a sample of `count` objects totalling `size` bytes. */
export function unsample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const scale = 1 / (1 - Math.exp(-(size / count) / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

export function parseHeap(text: string): RawProfile {
  const r = new LineReader(text, 'heap profile');
  r.scan();
  const h = header(r);
  const p = emptyRaw(
    h.hasAlloc
      ? [{ type: 'alloc_objects', unit: 'count' }, { type: 'alloc_space', unit: 'bytes' }, { type: 'inuse_objects', unit: 'count' }, { type: 'inuse_space', unit: 'bytes' }]
      : [{ type: 'objects', unit: 'count' }, { type: 'space', unit: 'bytes' }],
    { type: 'space', unit: 'bytes' }, h.period,
  );
  const locs = new LocationTable(p);
  let namer: FrameNamer | undefined;
  while (r.scan()) {
    const line = r.text.trim();
    if (isSpaceOrComment(line)) {
      const f = namer && frameComment(line);
      if (f) namer?.add(f);
      continue;
    }
    namer?.finish();
    namer = undefined;
    if (isMemoryMapSentinel(line)) break;
    const s = SAMPLE.exec(line);
    if (!s) throw r.error(`malformed sample ${JSON.stringify(line.slice(0, 80))}`, 'expected "N: B [N: B] @ 0xPC…"');
    const values: number[] = [];
    let blocksize = 0;
    const add = (countText: string, sizeText: string, label: string) => {
      let count = parseGoInt(countText), size = parseGoInt(sizeText);
      if (count === undefined || size === undefined) throw r.error(`${label} value out of range in ${JSON.stringify(line.slice(0, 80))}`);
      if (count === 0 && size !== 0) throw r.error(`${label} count was 0 but ${label} bytes was ${size}`);
      if (count !== 0) {
        blocksize = Math.trunc(size / count);
        if (h.sampling) [count, size] = unsample(count, size, h.period);
      }
      values.push(count, size);
    };
    if (h.hasAlloc) add(s[3], s[4], 'allocation');
    add(s[1], s[2], 'inuse');
    const addrs = hexAddresses(s[5]);
    if (!addrs) throw r.error('an address does not fit in 64 bits');
    const stack = addrs.map((a) => locs.get(callSite(a)));
    const sample = { locs: stack, values, bytes: blocksize };
    p.samples.push(sample);
    if (h.goFrames) namer = new FrameNamer(sample, addrs);
  }
  namer?.finish();
  withMemoryMap(p, mapsAfterSentinel(r));
  return p;
}
