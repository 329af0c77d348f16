// Arguments of the code lens commands the language server puts on Go lines.

/** `golens.revealLine`: the line to show, and the numbers behind the lens. */
export interface RevealLineArgs {
  uri?: string;
  /** 1-based. */
  line: number;
  /** Contention lenses: total wait (ns) and number of waits, as `golens contention --json` reports them. */
  waitNs?: number;
  count?: number;
  role?: 'lock' | 'unlock' | 'blocked';
}
