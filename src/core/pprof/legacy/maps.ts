// The memory map after a legacy profile's samples (/proc/self/maps lines, or the brief
// "start-end file (@offset) buildid" form), and how pprof ties addresses to it.
import { LineReader, U64_MAX } from './lines';
import type { RawMapping, RawProfile } from './raw';

const X = '[0-9A-Fa-f]';
const HEX_RANGE = `\\s*(?:0x)?(${X}+)[\\s-]?\\s*(?:0x)?(${X}+):?`;
const PERM = '(?:\\s+([-rwxp]+))?';
// /proc/self/maps: start-end perms offset dev inode path.
const PROC_MAPS = new RegExp(`^${HEX_RANGE}${PERM}(?:\\s+(${X}+))?\\s+${X}+:${X}+\\s+[0-9]+(?:\\s+(\\S+))?`);
const BRIEF_MAPS = new RegExp(`^${HEX_RANGE}${PERM}(?:\\s+(\\S+))?(?:\\s+\\(@(${X}+)\\))?(?:\\s+(${X}+))?`);
// A glog prefix ("I0102 15:04:05.000000 123 file.cc:45] ") before the entry.
const LOG_INFO = /^[^[\]]+:[0-9]+]\s/;

function hex(s: string): bigint | undefined {
  const v = BigInt('0x' + s);
  return v > U64_MAX ? undefined : v;
}

/** One map line: a mapping, null for a non-executable one, undefined when it is not an entry. */
function mappingEntry(line: string): RawMapping | null | undefined {
  let start: string, end: string, perm: string | undefined, file = '', offset: string | undefined, buildId = '';
  const p = PROC_MAPS.exec(line);
  if (p) {
    [, start, end, perm, offset] = p;
    file = p[5] ?? '';
  } else {
    const b = BRIEF_MAPS.exec(line);
    if (!b) return undefined;
    [, start, end, perm] = b;
    file = b[4] ?? '';
    offset = b[5];
    buildId = b[6] ?? '';
  }
  if (perm && !perm.includes('x')) return null;
  const s = hex(start), l = hex(end), o = offset ? hex(offset) : 0n;
  if (s === undefined || l === undefined || o === undefined) return undefined;
  return { start: s, limit: l, offset: o, file, buildId };
}

/** The mappings in the rest of a scanner; `name=value` lines define $name for later lines. */
export function parseMaps(r: LineReader): RawMapping[] {
  const out: RawMapping[] = [];
  const vars: [string, string][] = [];
  while (r.scan()) {
    let line = r.text;
    const log = LOG_INFO.exec(line);
    if (log) line = line.slice(log[0].length);
    line = substitute(line, vars);
    const m = mappingEntry(line);
    if (m === undefined) {
      const eq = line.indexOf('=');
      if (eq >= 0) vars.push(['$' + line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
      continue;
    }
    if (m) out.push(m);
  }
  return out;
}

/** Go's strings.NewReplacer(old1, new1, …): at each position the first listed match wins. */
function substitute(line: string, vars: [string, string][]): string {
  if (vars.length === 0) return line;
  let out = '';
  let i = 0;
  outer: while (i < line.length) {
    for (const [k, v] of vars) {
      if (k.length > 0 && line.startsWith(k, i)) { out += v; i += k.length; continue outer; }
    }
    out += line[i++];
  }
  return out;
}

function adjacent(a: RawMapping, b: RawMapping): boolean {
  if (a.file && b.file && a.file !== b.file) return false;
  if (a.buildId && b.buildId && a.buildId !== b.buildId) return false;
  if (a.limit !== b.start) return false;
  if (a.offset !== 0n && b.offset !== 0n && a.offset + (a.limit - a.start) !== b.offset) return false;
  return true;
}

const LIB = /([.]so$|[.]so[._][0-9]+)/;

/** Adds the parsed mappings and applies pprof's heuristics: merge split regions, main binary first. */
export function addMappings(p: RawProfile, found: RawMapping[]): void {
  const all = p.mappings.concat(found);
  let ms = all;
  if (all.length > 1) {
    ms = [all[0]];
    for (const m of all.slice(1)) {
      const last = ms[ms.length - 1];
      if (adjacent(last, m)) {
        last.limit = m.limit;
        if (m.file) last.file = m.file;
        if (m.buildId) last.buildId = m.buildId;
        for (const l of p.locations) if (l.mapping === m) l.mapping = last;
        continue;
      }
      ms.push(m);
    }
  }
  for (let i = 0; i < ms.length; i++) {
    const file = ms[i].file.replaceAll('(deleted)', '').trim();
    if (!file || LIB.test(file) || file[0] === '[') continue;
    [ms[0], ms[i]] = [ms[i], ms[0]];
    break;
  }
  p.mappings = ms;
}

/**
 * Ties every location with an address to the mapping that holds it, as pprof does for
 * legacy files: a leading /anon_hugepage region is dropped, a main binary at 0x400000 loses
 * its offset, and addresses no mapping holds share one nameless mapping over everything.
 */
export function assignMappings(p: RawProfile): void {
  if (p.mappings.length > 1 && p.mappings[0].file.startsWith('/anon_hugepage') && p.mappings[0].limit === p.mappings[1].start) {
    p.mappings = p.mappings.slice(1);
  }
  const main = p.mappings[0];
  if (main && ((main.start - main.offset) & U64_MAX) === 0x400000n) {
    main.start = 0x400000n;
    main.offset = 0n;
  }
  let fake: RawMapping | undefined;
  next: for (const l of p.locations) {
    const a = l.address;
    if (l.mapping || a === 0n) continue;
    for (const m of p.mappings) {
      if (m.start <= a && a < m.limit) { l.mapping = m; continue next; }
    }
    for (const m of p.mappings) {
      const base = (m.start - m.offset) & U64_MAX;
      if (m.offset !== 0n && base <= a && a < m.start) {
        m.start = base;
        m.offset = 0n;
        l.mapping = m;
        continue next;
      }
    }
    if (!fake) {
      fake = { start: 0n, limit: U64_MAX, offset: 0n, file: '', buildId: '' };
      p.mappings.push(fake);
    }
    l.mapping = fake;
  }
}
