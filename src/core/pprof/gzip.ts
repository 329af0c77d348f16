// What every reader of a file asks before it inflates anything: is it gzip, and how much may
// it inflate to. Nothing here loads an inflater (pako, in inflate.ts), so a trace's path that
// only asks the question does not pay for loading one.

/** Default limit on the bytes a gzip stream may inflate to: generous for real profiles. */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/** A gzip stream's magic (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
