// What a watch gives per snapshot, for the faces' live views: plain data, no imports (the
// webview's type checking reads it without Node's types).

/** One group of goroutines in one snapshot: parked at the same place, from the same `go` statement when known. */
export interface WatchSite {
  /** Stable across snapshots: reason and blocking site. */
  key: string;
  /** `main.leakOne (main.go:99) ← go main.go:106`: blocking site and, when known, the `go` statement. */
  label: string;
  count: number;
}

/** What each snapshot gives the live chart. */
export interface WatchSnapshot {
  index: number;
  /** Milliseconds since 1970, when the snapshot was taken. */
  time: number;
  /** Every goroutine the profile held. */
  total: number;
  /** Counts per group of parked goroutines of the program (the groups the leak analysis tracks). */
  sites: WatchSite[];
  /**
   * What the snapshot's census says of open connections (core/analysis/leaks.ts connectionLines:
   * the servers' and the client pools'), plain text; absent when it held none.
   */
  connections?: string[];
  /** Where the snapshot was saved, when the caller saves them; else its URL and time. */
  source: string;
}
