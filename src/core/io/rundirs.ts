// The file system side of `.golens/runs/`: the run directories under a name and the small
// JSON record each run keeps, so that "the last run" survives restarts and the command line.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

/** The names of the directories directly in dir ([] when it does not exist). */
export function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Creates dir (and its parents); false when it already existed. */
export function makeNewDir(dir: string): boolean {
  try {
    statSync(dir);
    return false;
  } catch {
    mkdirSync(dir, { recursive: true });
    return true;
  }
}

export function isDirectory(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

export function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}

/** A run's JSON record, or undefined when missing or unreadable (at most 64 KiB). */
export function readJsonRecord(path: string): unknown {
  try {
    if (statSync(path).size > 65536) return undefined;
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeJsonRecord(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

export function readText(path: string, maxBytes = 64 << 20): string {
  try {
    if (statSync(path).size > maxBytes) return '';
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Removes a directory GoLens made (a run that produced nothing). */
export function removeDir(dir: string): void {
  try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
}
