// The naming fixtures (test/fixtures/naming): each profile and pprof's -top for it per sample
// type and granularity, as generate-naming.sh wrote them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Granularity } from '../../../src/core/pprof/top';
import { decodeBytes } from '../../../src/core/pprof/utf8';
import { ROOT, type PprofTop } from './fixtures';

export const NAMING_DIR = join(ROOT, 'test', 'fixtures', 'naming');

export interface NamingCase { file: string; sampleType: string; granularity: Granularity; path: string }

/** Every expectation file, parsed from its name `<file>.<sample type>.<granularity>.top`. */
export function namingCases(): NamingCase[] {
  const files = readdirSync(NAMING_DIR).filter((f) => f !== 'README.md' && statSync(join(NAMING_DIR, f)).isFile());
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

/**
 * pprof's -top for one case, parsed as readPprofTop parses it but from bytes: a name that is
 * not valid UTF-8 keeps its bytes (held as GoLens holds them), not U+FFFD.
 */
export function namingTop(c: NamingCase): PprofTop {
  return parseTop(`expected/${c.file}.${c.sampleType}.${c.granularity}.top`);
}

/** pprof's -top under a filter flag (`hide=busyLoop`) for sample.cpu, from expected-filters/. */
export function filteredTop(flag: string, granularity: Granularity): PprofTop {
  return parseTop(`expected-filters/sample.cpu.${flag}.${granularity}.top`);
}

/** pprof's -top -diff_base=generics.pprof rawbytes.pprof (alloc_space). */
export function diffTop(granularity: Granularity): PprofTop {
  return parseTop(`expected-filters/diff.generics-rawbytes.${granularity}.top`);
}

function parseTop(file: string): PprofTop {
  const lines = decodeBytes(readFileSync(join(NAMING_DIR, file))).split('\n');
  const m = / of (-?\d+)(?:ns|B)? total/.exec(lines.find((l) => l.startsWith('Showing nodes accounting for')) ?? '');
  if (!m) throw new Error(`${file}: no total line`);
  const start = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%/.test(l));
  const rows: PprofTop['rows'] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.trim()) continue;
    const r = /^\s*(-?\d+)(?:ns|B)?\s+\S+%\s+\S+%\s+(-?\d+)(?:ns|B)?\s+\S+%  (.*?)(?: \(((?:partial-)?inline)\))?$/.exec(l);
    if (!r) throw new Error(`${file}: cannot parse row ${JSON.stringify(l)}`);
    rows.push({ flat: Number(r[1]), cum: Number(r[2]), name: r[3], inline: (r[4] ?? '') as PprofTop['rows'][number]['inline'] });
  }
  return { total: Number(m[1]), rows };
}
