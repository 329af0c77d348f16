// Java agent profiles: text heapz/contentionz ("--- heapz 1 ---", "format = java") and the
// symbol table after a binary Java CPU profile. Samples are "V2 V1 @ 0xID…" (the values
// swapped relative to C++); the IDs are not addresses but keys of "0xID function (file:line)"
// lines at the end, so addresses are not adjusted and are dropped once resolved.
import { assignMappings } from './maps';
import { keepReachedLocations } from './build';
import { hexAddresses, LineReader, parseGoInt } from './lines';
import { emptyRaw, LocationTable, type RawProfile } from './raw';
import { unsample } from './heap';

const ATTRIBUTE = /([\w ]+)=([\w ]+)/;
const SAMPLE = / *(\d+) +(\d+) +@ +([ x0-9a-f]*)/;
const LOCATION = /^\s*0x([0-9A-Fa-f]+)\s+(.*?)\s*$/;
const FILE_LINE = /^(.*)\s+\((.+):(-?[0-9]+)\)$/;
const PATH = /^(.*)\s+\((.*)\)$/;
// The Java agent samples the heap every 512 KiB.
const JAVA_HEAP_RATE = 524288;

export function javaHeader(firstLine: string): 'heap' | 'contention' | undefined {
  const h = firstLine.trim();
  return h === '--- heapz 1 ---' ? 'heap' : h === '--- contentionz 1 ---' ? 'contention' : undefined;
}

export function parseJava(text: string): RawProfile {
  const r = new LineReader(text, 'Java profile');
  r.scan();
  const kind = javaHeader(r.text);
  if (!kind) throw r.error('expected "--- heapz 1 ---" or "--- contentionz 1 ---"');
  const p = emptyRaw([], { type: '', unit: '' }, 0);
  // Attributes, up to the first line that is not one.
  let line = '';
  let more = r.scan();
  for (; more; more = r.scan()) {
    line = r.text.trim();
    if (line === '') continue;
    const a = ATTRIBUTE.exec(line);
    if (!a) break;
    const key = a[1].trim(), value = a[2].trim();
    const num = () => {
      const v = parseGoInt(value, 0);
      if (v === undefined) throw r.error(`attribute ${JSON.stringify(line.slice(0, 60))} is not a number`);
      return v;
    };
    switch (`${kind}/${key}`) {
      case 'heap/format': case 'contention/format':
        if (value !== 'java') throw r.error(`format = ${value.slice(0, 40)}, expected java`);
        break;
      case 'heap/resolution': p.sampleTypes = [{ type: 'inuse_objects', unit: 'count' }, { type: 'inuse_space', unit: value }]; break;
      case 'contention/resolution': p.sampleTypes = [{ type: 'contentions', unit: 'count' }, { type: 'delay', unit: value }]; break;
      case 'contention/sampling period': p.periodType = { type: 'contentions', unit: 'count' }; p.period = num(); break;
      case 'contention/ms since reset': p.durationNanos = num() * 1e6; break;
      default: throw r.error(`unknown attribute "${key.slice(0, 40)}"`);
    }
  }
  if (p.sampleTypes.length === 0) throw r.error('no "resolution" attribute, so the sample types are unknown');
  const locs = new LocationTable(p);
  for (; more; more = r.scan()) {
    line = r.text.trim();
    if (line === '') continue;
    const s = SAMPLE.exec(line);
    if (!s) break;
    const ids = hexAddresses(s[3]);
    if (!ids) throw r.error('an id does not fit in 64 bits');
    const v0 = parseGoInt(s[2], 0), v1 = parseGoInt(s[1], 0);
    if (v0 === undefined || v1 === undefined) throw r.error(`malformed sample ${JSON.stringify(line.slice(0, 80))}`);
    const sample = { locs: ids.map((id) => locs.get(id)), values: [v0, v1], bytes: undefined as number | undefined };
    if (kind === 'heap') {
      if (v0 === 0) throw r.error(`sample ${JSON.stringify(line.slice(0, 80))} has a zero count`);
      sample.bytes = Math.trunc(v1 / v0);
      sample.values = unsample(v0, v1, JAVA_HEAP_RATE);
    } else if (p.period !== 0) {
      sample.values = [v0 * p.period, v1 * p.period];
    }
    p.samples.push(sample);
  }
  javaSymbols(more ? [line, r.rest()].join('\n') : '', locs, p);
  return p;
}

/** The "0xID function (file:line)" table: each known id's location gets its function. */
export function javaSymbols(text: string, locs: LocationTable, p: RawProfile): void {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = LOCATION.exec(line);
    if (!m) continue;
    const loc = locs.has(BigInt('0x' + m[1]));
    if (!loc) continue;
    let fn: string, file = '', lineNo = 0;
    const fl = FILE_LINE.exec(m[2]);
    const path = fl ? undefined : PATH.exec(m[2]);
    if (fl) {
      fn = fl[1]; file = fl[2];
      const n = parseGoInt(fl[3]);
      if (n !== undefined && n > 0) lineNo = n;
    } else if (path) {
      // A shared library: only its base name is of interest.
      fn = path[1]; file = path[2].split('/').filter((x) => x !== '').pop() ?? (path[2].startsWith('/') ? '/' : '.');
    } else if (m[2].includes('generated stub/JIT')) {
      fn = 'STUB';
    } else {
      // The agent's own states ("GC", "VM") are whole-line names.
      fn = m[2];
    }
    loc.lines = [{ fn, file, line: lineNo }];
    loc.address = 0n;
  }
  keepReachedLocations(p);
  assignMappings(p);
}

