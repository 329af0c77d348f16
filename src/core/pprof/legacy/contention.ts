// Contention profiles in text: Go's debug=1 mutex ("--- mutex:") and block ("--- contention:")
// profiles and C++ contentionz. "key = value" attributes come first; each sample is
// "CYCLES COUNT @ 0xPC…". With a sampling period, counts are multiplied by it and cycles
// turned into nanoseconds with cycles/second.
import { withMemoryMap } from './build';
import { mapsAfterSentinel } from './count';
import { FrameNamer, frameComment } from './frames';
import { hexAddresses, isSpaceOrComment, LineReader, parseGoInt } from './lines';
import { callSite, emptyRaw, LocationTable, type RawProfile } from './raw';

const SAMPLE = /(\d+) *(\d+) @([ x0-9a-f]*)/;

export function isContentionHeader(line: string): boolean {
  return line.startsWith('--- contentionz ') || line.startsWith('--- mutex:') || line.startsWith('--- contention:');
}

/** Whether the attributes say this is a Java contention profile (which has format=). */
export function hasJavaFormat(text: string): boolean {
  return /^\s*format\s*=\s*java\s*$/m.test(text.slice(0, 4096));
}

export function parseContention(text: string): RawProfile {
  const r = new LineReader(text, 'contention profile');
  r.scan();
  if (!isContentionHeader(r.text)) throw r.error('expected "--- mutex:", "--- contention:" or "--- contentionz"');
  // Go's mutex and block profiles name their frames in "#" comments; C++ contentionz does not.
  const goFrames = !r.text.startsWith('--- contentionz');
  const p = emptyRaw([{ type: 'contentions', unit: 'count' }, { type: 'delay', unit: 'nanoseconds' }], { type: 'contentions', unit: 'count' }, 1);
  let cpuHz = 0;
  while (r.scan()) {
    const line = r.text.trim();
    if (isSpaceOrComment(line)) continue;
    if (line.startsWith('---')) break;
    const eq = line.indexOf('=');
    if (eq < 0) break;
    const key = line.slice(0, eq).trim(), val = line.slice(eq + 1).trim();
    const num = () => {
      const v = parseGoInt(val, 0);
      if (v === undefined) throw r.error(`${key} = ${JSON.stringify(val.slice(0, 40))} is not an integer`);
      return v;
    };
    switch (key) {
      case 'cycles/second': cpuHz = num(); break;
      case 'sampling period': p.period = num(); break;
      case 'ms since reset': p.durationNanos = num() * 1e6; break;
      case 'discarded samples': break;
      default: throw r.error(`unknown attribute "${key.slice(0, 40)}"`, 'expected cycles/second, sampling period or ms since reset');
    }
  }
  const locs = new LocationTable(p);
  let namer: FrameNamer | undefined;
  for (;;) {
    const line = r.text.trim();
    if (line.startsWith('---')) break;
    if (isSpaceOrComment(line)) {
      const f = namer && frameComment(line);
      if (f) namer?.add(f);
    } else {
      namer?.finish();
      namer = undefined;
      const s = SAMPLE.exec(line);
      let cycles = s ? parseGoInt(s[1]) : undefined;
      let count = s ? parseGoInt(s[2]) : undefined;
      if (!s || cycles === undefined || count === undefined) throw r.error(`malformed sample ${JSON.stringify(line.slice(0, 80))}`, 'expected "CYCLES COUNT @ 0xPC…"');
      if (p.period > 0) {
        if (cpuHz > 0) cycles = Math.trunc(cycles * p.period / (cpuHz / 1e9));
        count = count * p.period;
      }
      const addrs = hexAddresses(s[3]);
      if (!addrs) throw r.error('an address does not fit in 64 bits');
      const stack = addrs.map((a) => locs.get(callSite(a)));
      const sample = { locs: stack, values: [count, cycles] };
      p.samples.push(sample);
      if (goFrames) namer = new FrameNamer(sample, addrs);
    }
    if (!r.scan()) break;
  }
  namer?.finish();
  withMemoryMap(p, mapsAfterSentinel(r));
  return p;
}
