// The wild corpus (test/fixtures/wild/): its manifest and pprof's -top outputs, read for the
// tests that compare GoLens with the Go tools on real files from public repositories.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './fixtures';
import { decodeBytes } from '../../../src/core/pprof/utf8';

export const WILD = join(ROOT, 'test', 'fixtures', 'wild');

export interface TopFile { file: string; sampleIndex: number; args: string[] }
export interface WildFile {
  file: string; kind: 'profile' | 'trace'; producer: string; repo: string; path: string; commit: string; license: string; bytes: number; sha256: string;
  pprof?: { ok: boolean; error?: string; sampleTypes?: { type: string; unit: string }[]; tops?: TopFile[] };
  goTrace?: { ok: boolean; error?: string; events?: number; goroutinesCreated?: number; gcCycles?: number; durationNs?: number };
}

export const manifest = JSON.parse(readFileSync(join(WILD, 'manifest.json'), 'utf8')) as { files: WildFile[] };

export interface PprofRow { flat: number; cum: number; flatPct: string; cumPct: string; name: string }
export interface PprofTopText { total: number; rows: PprofRow[] }

/**
 * Parses pprof's -top text. With -unit set the numbers are exact and carry the unit's suffix
 * (ns, us, B…); counts have none. The name column is everything after the two spaces.
 */
export function parseTop(text: string, where: string): PprofTopText {
  const lines = text.split('\n');
  const m = lines.map((l) => / of (-?\d+)[a-zA-Z]* total/.exec(l)).find((x) => x);
  if (!m) throw new Error(`${where}: no total line`);
  const start = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%/.test(l));
  const rows: PprofRow[] = [];
  if (start < 0) return { total: Number(m[1]), rows };
  const body = lines.slice(start + 1);
  if (body[body.length - 1] === '') body.pop();
  for (const l of body) {
    const r = /^\s*(-?\d+)[a-zA-Z]*\s+(\S+%)\s+\S+%\s+(-?\d+)[a-zA-Z]*\s+(\S+%)  (.*)$/.exec(l);
    // A name may hold newlines (real files have them): a line that is not a row continues it.
    if (r) rows.push({ flat: Number(r[1]), flatPct: r[2], cum: Number(r[3]), cumPct: r[4], name: r[5] });
    else if (rows.length) rows[rows.length - 1].name += `\n${l}`;
    else throw new Error(`${where}: cannot parse row ${JSON.stringify(l)}`);
  }
  return { total: Number(m[1]), rows };
}

export function readTop(entry: WildFile, t: TopFile): PprofTopText {
  const path = join(WILD, dirname(entry.file), t.file);
  // pprof prints a name's bytes as they are; read them the way GoLens holds invalid UTF-8.
  return parseTop(decodeBytes(readFileSync(path)), t.file);
}
