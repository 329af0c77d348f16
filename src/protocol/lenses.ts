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

/** `golens.profileTest`: the "profile" lens on a `func TestX` / `func BenchmarkX` of a _test.go file. */
export interface ProfileTestArgs {
  /** The _test.go file, absolute. */
  file: string;
  name: string;
  kind: 'test' | 'benchmark';
  /** "profile with trace": also go test -trace. */
  trace?: boolean;
}
