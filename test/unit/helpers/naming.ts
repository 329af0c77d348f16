// The naming fixtures (test/fixtures/naming): each profile and pprof's -top for it per sample
// type and granularity, as generate-naming.sh wrote them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Granularity } from '../../../src/core/pprof/top';
import { ROOT, readPprofTop, type PprofTop } from './fixtures';

export const NAMING_DIR = join(ROOT, 'test', 'fixtures', 'naming');

export interface NamingCase { file: string; sampleType: string; granularity: Granularity; path: string }

/** Every expectation file, parsed from its name `<file>.<sample type>.<granularity>.top`. */
export function namingCases(): NamingCase[] {
  const files = readdirSync(NAMING_DIR).filter((f) => f !== 'README.md' && f !== 'expected');
  const out: NamingCase[] = [];
  for (const e of readdirSync(join(NAMING_DIR, 'expected')).sort()) {
    const file = files.find((f) => e.startsWith(f + '.'));
    if (!file) throw new Error(`expected/${e} names no profile in naming/`);
    const m = /^(.+)\.(functions|lines)\.top$/.exec(e.slice(file.length + 1));
    if (!m) throw new Error(`expected/${e}: not <file>.<sample type>.<granularity>.top`);
    out.push({ file, sampleType: m[1], granularity: m[2] as Granularity, path: join(NAMING_DIR, file) });
  }
  return out;
}

export function namingBytes(file: string): Uint8Array {
  return readFileSync(join(NAMING_DIR, file));
}

/** pprof's -top for one case (readPprofTop reads under the pprof fixtures; this is its sibling). */
export function namingTop(c: NamingCase): PprofTop {
  return readPprofTop(join('..', 'naming', 'expected'), `${c.file}.${c.sampleType}.${c.granularity}.top`);
}
