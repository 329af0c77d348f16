// Contention code lenses: the traces and mutex/block profiles among the workspace's artifacts
// give, for every contended lock, the Lock line where goroutines waited (total wait, number
// of waits, most waiting at once) and the Unlock lines whose release woke them.
import { basename } from 'node:path';
import type { ContentionReport, WaitKind, WaitSite } from '../core/analysis/contention';
import { formatNs } from '../core/format';
import type { Site } from '../core/analysis/finding';
import { printable } from '../core/format';
import type { LensData } from './artifacts';

/** Waits for a lock, not for work (wait groups, conds) or data (channels). */
const LOCK_KINDS: ReadonlySet<WaitKind> = new Set(['mutex', 'rwmutex', 'sync']);

export interface ContentionAtLine {
  /** 1-based line in the workspace file. */
  line: number;
  /** `lock`: goroutines waited here; `unlock`: the release here woke waiters of `other`. */
  role: 'lock' | 'unlock';
  kind: WaitKind;
  /** Total waiting (ns) and number of waits, as `golens contention --json` reports them. */
  waitNs: number;
  count: number;
  /** The profile recorded only the time waited (count is 0), or only the count (waitNs is 0). */
  uncounted?: boolean;
  untimed?: boolean;
  /** Lock lines from traces: the longest wait and the most goroutines waiting at once. */
  maxNs?: number;
  waiters?: number;
  /** The line at the other end: the Unlock that woke a Lock, or the Lock whose waiters an Unlock woke. */
  other: Site | null;
  /** Where the numbers come from: `trace` or a profile pairing, and the input files. */
  source: WaitSite['source'];
  inputs: string[];
}

export class ContentionLenses {
  private byFile = new Map<string, ContentionAtLine[]>();

  /**
   * Places each lock site of the artifacts' contention report (the traces and mutex/block
   * profiles among them, decoded on the worker: see artifacts.ts) on its lines. `map` turns
   * a build path into a workspace file. Returns how many lenses landed.
   */
  update(contention: LensData['contention'], map: (buildPath: string) => string | undefined): number {
    this.byFile = placeContention(contention.report, contention.traces, map);
    let n = 0;
    for (const list of this.byFile.values()) n += list.length;
    return n;
  }

  at(file: string): ContentionAtLine[] {
    return this.byFile.get(file) ?? [];
  }
}

/**
 * The lines of a contention report's lock sites. A waiter gets the site's numbers; each
 * releaser gets what it woke (traces: the waits it ended; profile pairs: what the mutex
 * profile charged to it; a mutex profile alone: the site's numbers).
 */
export function placeContention(report: ContentionReport, traceFiles: string[], map: (buildPath: string) => string | undefined): Map<string, ContentionAtLine[]> {
  const out = new Map<string, ContentionAtLine[]>();
  const put = (site: Site | null, entry: Omit<ContentionAtLine, 'line'>) => {
    if (!site || site.line <= 0) return;
    const file = map(site.file);
    if (!file) return;
    const list = out.get(file) ?? [];
    list.push({ line: site.line, ...entry });
    out.set(file, list);
  };
  for (const s of report.sites) {
    if (!LOCK_KINDS.has(s.kind)) continue;
    const inputs = s.inputs ?? (s.source === 'trace' ? traceFiles : []);
    const common = { kind: s.kind, source: s.source, inputs, ...(s.uncounted ? { uncounted: true } : {}), ...(s.untimed ? { untimed: true } : {}) };
    if (s.waiter) {
      put(s.waiter, {
        ...common, role: 'lock', waitNs: s.waitNs, count: s.count, other: s.releaser,
        ...(s.maxNs !== undefined ? { maxNs: s.maxNs } : {}),
        ...(s.convoy ? { waiters: s.convoy.max } : {}),
      });
    }
    const releasers = s.releasers ?? (s.releaser ? [{ site: s.releaser, waitNs: s.waitNs, count: s.count }] : []);
    for (const r of releasers) put(r.site, { ...common, role: 'unlock', waitNs: r.waitNs, count: r.count, other: s.waiter });
  }
  for (const list of out.values()) list.sort((a, b) => a.line - b.line || b.waitNs - a.waitNs);
  return out;
}

/** The lens title; `$(lock)` / `$(unlock)` are the editor's own icons (codicons). */
export function contentionLensTitle(c: ContentionAtLine, mapOther: (file: string) => string): string {
  const what = c.kind === 'rwmutex' ? 'RWMutex' : c.kind === 'mutex' ? 'Mutex' : 'Lock';
  // File names are plain text in a lens; control characters are shown escaped.
  const from = printable(c.inputs.length ? [...new Set(c.inputs.map((p) => basename(p)))].join(', ') : c.source);
  const other = c.other ? printable(`${basename(mapOther(c.other.file))}:${c.other.line}`) : '';
  const waits = c.uncounted ? 'waits' : `${c.count} wait${c.count === 1 ? '' : 's'}`;
  if (c.role === 'lock') {
    const extra = [
      c.maxNs !== undefined ? `max ${formatNs(c.maxNs)}` : '',
      c.waiters !== undefined ? `up to ${c.waiters} waiting at once` : '',
    ].filter(Boolean).join(', ');
    const how = c.untimed ? waits : `${formatNs(c.waitNs)} in ${waits}`;
    return `$(lock) ${what} contended: ${how}${extra ? ` (${extra})` : ''}${other ? ` — released at ${other}` : ''} · ${from}`;
  }
  if (c.untimed) return `$(unlock) Unlock woke ${waits}${other ? ` at ${other}` : ''} · ${from}`;
  return `$(unlock) Unlock woke ${waits} (${formatNs(c.waitNs)} waited${other ? ` at ${other}` : ''}) · ${from}`;
}
