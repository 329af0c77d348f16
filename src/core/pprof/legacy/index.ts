// The profile formats pprof read before profile.proto, told apart by their first line (or,
// for the binary CPU profile, its header words) and decoded into the same Profile model.
import { FormatError } from '../../errors';
import type { Profile } from '../model';
import { toProfile } from './build';
import { hasJavaFormat, isContentionHeader, parseContention } from './contention';
import { countHeader, parseCount } from './count';
import { cpuHeader, parseCpu } from './cpu';
import { isHeapHeader, parseHeap } from './heap';
import { javaHeader, javaSymbols, parseJava } from './java';
import { isThreadHeader, parseThread } from './thread';

export type LegacyFormat = 'cpu' | 'heap' | 'count' | 'thread' | 'contention' | 'java';

/** The first line of a text, without its line end. */
function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
}

/** Which legacy text format a text's head is, in pprof's order of trying them. */
export function legacyTextFormat(head: string): LegacyFormat | undefined {
  const first = firstLine(head);
  if (isHeapHeader(first)) return 'heap';
  if (countHeader(head) !== undefined) return 'count';
  const firstReal = head.split('\n', 64).map((l) => l.replace(/\r$/, '')).find((l) => l.trim() !== '' && l.trim()[0] !== '#') ?? '';
  if (isThreadHeader(firstReal)) return 'thread';
  if (isContentionHeader(first) && !hasJavaFormat(head)) return 'contention';
  if (javaHeader(first)) return 'java';
  return undefined;
}

/** Whether the bytes start with a legacy binary CPU profile's header. */
export function isLegacyCpu(head: Uint8Array): boolean {
  return cpuHeader(head) !== undefined;
}

const NAMES: Record<LegacyFormat, string> = {
  cpu: 'legacy CPU profile', heap: 'legacy heap profile', count: 'debug=1 count profile',
  thread: 'threadz profile', contention: 'legacy contention profile', java: 'Java profile',
};

/** Decodes a legacy profile (already inflated). Throws FormatError naming the format and line. */
export function decodeLegacy(bytes: Uint8Array): Profile {
  if (isLegacyCpu(bytes)) return checked(toProfile(parseCpu(bytes, javaSymbols)), 'cpu');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const format = legacyTextFormat(text.slice(0, 4096));
  switch (format) {
    case 'heap': return checked(toProfile(parseHeap(text)), format);
    case 'count': return checked(toProfile(parseCount(text)), format);
    case 'thread': return checked(toProfile(parseThread(text)), format);
    case 'contention': return checked(toProfile(parseContention(text)), format);
    case 'java': return checked(toProfile(parseJava(text)), format);
    default: throw new FormatError('not a legacy profile: no heap, count, threadz, contention or Java header on the first line', 0);
  }
}

/** pprof's validity check for what matters here: every sample has one value per sample type. */
function checked(p: Profile, format: LegacyFormat): Profile {
  if (p.sampleTypes.length === 0) throw new FormatError(`${NAMES[format]}: no sample types`);
  for (const v of p.samples.values) {
    if (!Number.isFinite(v)) throw new FormatError(`${NAMES[format]}: a value is not a finite number`);
  }
  return p;
}
