/**
 * The one error every decoder throws for bad input: what is wrong, where (a byte offset
 * when known) and a hint. Callers show `message` as a single line.
 */
export class FormatError extends Error {
  override readonly name: string = 'FormatError';
  constructor(
    readonly what: string,
    readonly offset?: number,
    readonly hint?: string,
  ) {
    super(FormatError.line(what, offset, hint));
  }

  /** The same error with the file's path in front of what is wrong. */
  inFile(path: string): FormatError {
    return new FormatError(`${path}: ${this.what}`, this.offset, this.hint);
  }

  private static line(what: string, offset?: number, hint?: string): string {
    let s = what;
    if (offset !== undefined) s += ` (at byte ${offset})`;
    if (hint) s += `; ${hint}`;
    return s;
  }
}

/**
 * A readable file of another kind than the one asked for: a CPU profile given to the leak
 * analysis, a schedtrace log given to the contention analysis, a trace opened as a profile.
 * Callers that read several kinds skip these quietly and report the rest; the message is
 * the same one-line FormatError message.
 */
export class WrongKindError extends FormatError {
  override readonly name: string = 'WrongKindError';
  constructor(
    what: string,
    /** What was asked for, in words ("an execution trace, a mutex profile or a block profile"). */
    readonly expected: string,
    /** What the file is (an artifact kind: "trace", "profile", "gctrace", "text", "empty"…). */
    readonly found: string,
    hint?: string,
    offset?: number,
  ) {
    super(what, offset, hint);
  }

  override inFile(path: string): WrongKindError {
    return new WrongKindError(`${path}: ${this.what}`, this.expected, this.found, this.hint, this.offset);
  }
}

/** A file that cannot be read at all: missing, a directory, not permitted. The message names it. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly path: string, why: string) {
    super(`${path}: ${why}`);
  }
}

/** The user's go could not be found or run, or did not finish: the message says why. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
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
