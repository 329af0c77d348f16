// `--max-bytes SIZE`, accepted by every command: the most a gzip'd profile may inflate to
// (default 2 GiB). Taken out of the arguments before a command parses its own flags.
import type { LoadOptions } from '../core/artifacts/load';
import { UsageError } from './args';

/** The load options every file read by the CLI uses (its limit set by --max-bytes). */
export const decodeOptions: LoadOptions = { raiseWith: '--max-bytes' };

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/** "512M", "2GiB", "1048576" → bytes (binary units). */
export function parseByteSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s.trim());
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`--max-bytes needs a size such as 512M or 4G, not ${JSON.stringify(s)}`);
  return Math.floor(Number(m[1]) * unit);
}

/** Removes --max-bytes from argv and applies it to decodeOptions; returns the other arguments. */
export function takeMaxBytes(argv: string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    if (a === '--max-bytes' || a.startsWith('--max-bytes=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new UsageError('--max-bytes needs a value');
      decodeOptions.maxBytes = parseByteSize(v);
      continue;
    }
    rest.push(a);
  }
  return rest;
}
