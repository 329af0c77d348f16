// Locates the goroutine-leak fixtures (test/fixtures/leaks, written by
// generate-leaks.sh) and reads what their programs say they planted.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures';

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
