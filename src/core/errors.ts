/**
 * The one error every decoder throws for bad input: what is wrong, where (a byte offset
 * when known) and a hint. Callers show `message` as a single line.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    readonly what: string,
    readonly offset?: number,
    readonly hint?: string,
  ) {
    super(FormatError.line(what, offset, hint));
  }

  private static line(what: string, offset?: number, hint?: string): string {
    let s = what;
    if (offset !== undefined) s += ` (at byte ${offset})`;
    if (hint) s += `; ${hint}`;
    return s;
  }
}

export function isFormatError(e: unknown): e is FormatError {
  return e instanceof FormatError;
}

/** A short, printable preview of bytes for error messages: text if it looks like text, hex otherwise. */
export function preview(bytes: Uint8Array, max = 16): string {
  const head = bytes.subarray(0, max);
  let printable = true;
  for (const b of head) {
    if (b !== 9 && b !== 10 && b !== 13 && (b < 32 || b > 126)) { printable = false; break; }
  }
  if (printable) {
    // JSON.stringify escapes newlines and tabs, keeping the preview on one line.
    return JSON.stringify(String.fromCharCode(...head)) + (bytes.length > max ? '…' : '');
  }
  return Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ') + (bytes.length > max ? ' …' : '');
}
