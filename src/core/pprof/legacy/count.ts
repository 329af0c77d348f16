// Go's debug=1 count profiles (goroutine, threadcreate, and any other pprof.Profile written
// with debug=1): "NAME profile: total N", then "COUNT @ 0xPC 0xPC…" lines, each followed by
// "#\t0xPC\tfunc+0xoff\tfile:line" comments pprof does not read; GoLens names the frames with them.
import { withMemoryMap } from './build';
import { FrameNamer, frameComment } from './frames';
import { isMemoryMapSentinel, isSpaceOrComment, LineReader, parseGoInt } from './lines';
import { parseMaps } from './maps';
import { callSite, emptyRaw, LocationTable, type RawProfile } from './raw';

const START = /^(\S+) profile: total \d+$/;
const SAMPLE = /^(\d+) @((?: 0x[0-9a-f]+)+)$/;

/** The profile's name when the first non-comment line is a count profile's header. */
export function countHeader(text: string): string | undefined {
  for (const line of text.split('\n', 64)) {
    const l = line.replace(/\r$/, '');
    if (isSpaceOrComment(l)) continue;
    return START.exec(l)?.[1];
  }
  return undefined;
}

export function parseCount(text: string): RawProfile {
  const r = new LineReader(text, 'debug=1 count profile');
  while (r.scan() && isSpaceOrComment(r.text));
  const m = START.exec(r.text);
  if (!m) throw r.error('expected "NAME profile: total N"');
  const type = { type: m[1], unit: 'count' };
  const p = emptyRaw([type], { ...type }, 1);
  const locs = new LocationTable(p);
  let namer: FrameNamer | undefined;
  while (r.scan()) {
    const line = r.text;
    if (isSpaceOrComment(line)) {
      const f = namer && frameComment(line.trim());
      if (f) namer?.add(f);
      continue;
    }
    namer?.finish();
    namer = undefined;
    if (line.startsWith('---')) break;
    const s = SAMPLE.exec(line);
    const n = s ? parseGoInt(s[1]) : undefined;
    if (!s || n === undefined) throw r.error(`malformed sample ${JSON.stringify(line.slice(0, 80))}`, 'expected "COUNT @ 0xPC 0xPC…"');
    const addrs = s[2].trim().split(' ').map((a) => {
      const v = BigInt(a);
      if (v >> 64n) throw r.error(`address ${a} does not fit in 64 bits`);
      return v;
    });
    // Every frame is a return address: step back onto the call.
    const stack = addrs.map((v) => locs.get(callSite(v)));
    const sample = { locs: stack, values: [n] };
    p.samples.push(sample);
    namer = new FrameNamer(sample, addrs);
  }
  namer?.finish();
  withMemoryMap(p, mapsAfterSentinel(r));
  return p;
}

/** pprof's "additional sections": skip to a memory map sentinel, then read the map. */
export function mapsAfterSentinel(r: LineReader): ReturnType<typeof parseMaps> {
  while (!isMemoryMapSentinel(r.text) && r.scan());
  return parseMaps(r);
}

