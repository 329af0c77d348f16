// What a trace's 16-byte header says: its format's minor version, and which Go releases write
// it. Apart from open.ts so that telling a trace from other files (core/artifacts/sniff.ts, a
// profile's path) does not load the trace readers.

/**
 * The Go releases that write each header (FORMATS.md): a header names the trace's format, not the
 * release that wrote it (Go 1.27 writes `go 1.26`), so a view says both.
 */
const WRITERS = new Map([[11, 'Go 1.11–1.18'], [19, 'Go 1.19–1.20'], [21, 'Go 1.21'], [22, 'Go 1.22'], [23, 'Go 1.23–1.24'], [25, 'Go 1.25'], [26, 'Go 1.26–1.27']]);

/** Which Go releases write a trace of this format ("go 1.26" → "Go 1.26–1.27"), or undefined for one GoLens does not read. */
export function traceWriters(format: string): string | undefined {
  const m = /^go 1\.(\d+)$/.exec(format);
  return m ? WRITERS.get(Number(m[1])) : undefined;
}

/** The minor version in a trace header, or undefined if the bytes are not one. */
export function traceVersion(head: Uint8Array): number | undefined {
  const m = /^go 1\.(\d{1,3}) trace\0/.exec(String.fromCharCode(...head.subarray(0, 16)));
  return m ? Number(m[1]) : undefined;
}
