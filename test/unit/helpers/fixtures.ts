// Locates the committed fixtures and reads `go tool pprof -top` output written beside them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, whether running from test/unit (tsc) or dist/test/unit (esbuild). */
export const ROOT = (() => {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'fixtures'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error(`cannot find the repository root from ${__dirname}`);
})();

export const PPROF_DIR = join(ROOT, 'test', 'fixtures', 'pprof');

/** go1.NN directories that hold generated fixtures. */
export function toolchainDirs(): string[] {
  return readdirSync(PPROF_DIR).filter((d) => /^go1\.\d+$/.test(d)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
}

/**
 * The committed execution traces under test/fixtures/<dir>/go1.NN/*.trace for each dir, in the
 * toolchains' folders `toolchain` matches (every one by default).
 */
export function traceFixtures(dirs: string[], toolchain = /^go1\.\d+$/): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    const base = join(ROOT, 'test', 'fixtures', dir);
    for (const v of readdirSync(base).filter((d) => toolchain.test(d))) {
      for (const f of readdirSync(join(base, v)).filter((f) => f.endsWith('.trace'))) out.push(join(base, v, f));
    }
  }
  return out;
}

export function fixture(dir: string, name: string): Uint8Array {
  return readFileSync(join(PPROF_DIR, dir, name));
}

export interface Variant {
  file: string;
  profile: string;
  base?: string;
  sampleType: string;
  unit: string;
  args: string[];
}

export function variants(dir: string): Variant[] {
  return JSON.parse(readFileSync(join(PPROF_DIR, dir, 'variants.json'), 'utf8')) as Variant[];
}

export interface PprofTop {
  total: number;
  rows: { name: string; flat: number; cum: number; inline: '' | 'inline' | 'partial-inline' }[];
}

/** Parses `go tool pprof -top -unit=<raw>` output: exact numbers, printable names. */
export function readPprofTop(dir: string, file: string, base = PPROF_DIR): PprofTop {
  const text = readFileSync(join(base, dir, file), 'utf8');
  const lines = text.split('\n');
  const totalLine = lines.find((l) => l.startsWith('Showing nodes accounting for'));
  const m = totalLine && / of (-?\d+)(?:ns|us|B)? total/.exec(totalLine);
  if (!m) throw new Error(`${dir}/${file}: no total line`);
  const start = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%/.test(l));
  const rows: PprofTop['rows'] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.trim()) continue;
    const r = /^\s*(-?\d+)(?:ns|us|B)?\s+\S+%\s+\S+%\s+(-?\d+)(?:ns|us|B)?\s+\S+%  (.*?)(?: \(((?:partial-)?inline)\))?$/.exec(l);
    if (!r) throw new Error(`${dir}/${file}: cannot parse row ${JSON.stringify(l)}`);
    rows.push({ flat: Number(r[1]), cum: Number(r[2]), name: r[3], inline: (r[4] ?? '') as PprofTop['rows'][number]['inline'] });
  }
  return { total: Number(m[1]), rows };
}

/** The what-if fixtures' many-goroutines traces (manyg, gzipped), one run per toolchain: hundreds of goroutines. */
export function manyGTraces(): string[] {
  const base = join(ROOT, 'test', 'fixtures', 'whatif');
  return readdirSync(base).filter((d) => /^go1\.\d+$/.test(d)).map((d) => join(base, d, 'manyg', 'default-1.trace.gz')).filter((f) => existsSync(f));
}

/** Every .trace file under dir, at any depth. */
export function tracesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...tracesUnder(p));
    else if (e.endsWith('.trace')) out.push(p);
  }
  return out;
}
