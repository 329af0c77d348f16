// Locates the goroutine-leak fixtures (test/fixtures/leaks, written by
// generate-leaks.sh) and reads what their programs say they planted.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLeaks, type LeakInput } from '../../../src/core/analysis/leaks';
import { fileSource } from '../../../src/core/io/file';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { replay } from '../../../src/core/runtime/pass';
import { parseGoroutineDump } from '../../../src/core/text/goroutines';
import { openTrace } from '../../../src/core/trace/open';
import { ROOT, readPprofTop } from './fixtures';

export const LEAKS_DIR = join(ROOT, 'test', 'fixtures', 'leaks');
export const TRACE_DIR = join(ROOT, 'test', 'fixtures', 'trace');

/** go1.NN directories of test/fixtures/leaks, oldest first. */
export function leakDirs(): string[] {
  return readdirSync(LEAKS_DIR).filter((d) => /^go1\.\d+$/.test(d)).sort((a, b) => minor(a) - minor(b));
}

/** go1.NN directories of test/fixtures/trace that hold trace-leak. */
export function traceDirs(): string[] {
  return readdirSync(TRACE_DIR).filter((d) => /^go1\.\d+$/.test(d) && existsSync(join(TRACE_DIR, d, 'trace-leak.trace')))
    .sort((a, b) => minor(a) - minor(b));
}

export function minor(dir: string): number {
  return Number(dir.slice('go1.'.length));
}

export interface PlantedLeak {
  marker: string;
  goLine: number;
  blockLine: number;
  blockFunction: string;
  createdBy: string;
  /** Goroutines after each round (leakprof-1.*, leakprof-2.*). */
  counts: number[];
  reason: string;
  pattern?: string;
  literal: boolean;
}

export interface LeakFacts {
  program: 'leakprof';
  goVersion: string;
  file: string;
  leaks: PlantedLeak[];
  goroutineleak: boolean;
  files: string[];
}

export interface HealthyFacts {
  program: 'healthy';
  goVersion: string;
  file: string;
  pool: { goLine: number; blockLine: number; workers: number; jobs: number };
  requests: number;
  goroutineleak: boolean;
  files: string[];
}

export function leakFacts(dir: string): LeakFacts {
  return JSON.parse(readFileSync(join(LEAKS_DIR, dir, 'leakprof.facts.json'), 'utf8')) as LeakFacts;
}

export function healthyFacts(dir: string): HealthyFacts {
  return JSON.parse(readFileSync(join(LEAKS_DIR, dir, 'healthy.facts.json'), 'utf8')) as HealthyFacts;
}

export function leakPath(dir: string, name: string): string {
  return join(LEAKS_DIR, dir, name);
}

/** The fixture programs' folder. */
export const PROGRAMS = join(ROOT, 'test', 'fixtures', 'programs');

/** Every .go file under dir, sorted. */
export function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...goFiles(p));
    else if (name.endsWith('.go')) out.push(p);
  }
  return out.sort();
}

/** A fixture file decoded as leak input, by its extension: a trace, a profile or a dump. */
export function leakInput(path: string): LeakInput {
  if (path.endsWith('.trace')) {
    const src = fileSource(path);
    try { return { kind: 'trace', source: path, model: replay(openTrace(src)) }; } finally { src.close(); }
  }
  if (path.endsWith('.pprof')) return { kind: 'profile', source: path, profile: decodeProfile(readFileSync(path)) };
  return { kind: 'dump', source: path, dump: parseGoroutineDump(readFileSync(path, 'utf8')) };
}

/** Leak rows of fixture files analysed together. */
export const rowsOf = (...paths: string[]) => analyzeLeaks(paths.map(leakInput));

/**
 * A series of goroutine profiles taken 100 ms apart (test/fixtures/leakrise, idleconn: NNN-stamp-goroutine.pprof,
 * each with its `go tool pprof -top` in .top.txt, the first few also as debug=2 dumps in .txt).
 */
export function snapshotSeries(dir: string, v: string) {
  const names = readdirSync(join(dir, v)).filter((f) => f.endsWith('-goroutine.pprof')).sort();
  return {
    names,
    profiles: names.map((f): LeakInput => leakInput(join(dir, v, f))),
    dumpNames: readdirSync(join(dir, v)).filter((f) => /^\d{3}-.*-goroutine\.txt$/.test(f)).sort(),
    /** pprof's cum for a function in snapshot i's -top; 0 when absent. */
    cum(i: number, fn: string): number {
      const top = readPprofTop(v, names[i].replace(/\.pprof$/, '.top.txt'), dir);
      return top.rows.find((r) => r.name === fn)?.cum ?? 0;
    },
  };
}
