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

/**
 * What a file looks like, for error messages: its kind in words ("HTML", "a JSON object",
 * "text starting with a word", "binary data") and its size. Never its bytes: a workspace
 * can name any file, and messages reach the output channel, the CLI and the webviews.
 * `head`: the first bytes; `size`: the whole file's, when known (else not said).
 */
export function describeBytes(head: Uint8Array, size?: number): string {
  const sized = (what: string) => (size === undefined ? what : `${what} (${size} byte${size === 1 ? '' : 's'})`);
  if (size === 0 || head.length === 0) return 'an empty file';
  if (head[0] === 0x1f && head[1] === 0x8b) return sized('gzip data');
  if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return sized('an ELF executable');
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) return sized('a zip archive');
  let text: string;
  try {
    // stream: a multi-byte character cut at the end of the head is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return sized('binary data');
  }
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return sized('binary data');
  const t = text.replace(/^\ufeff/, '').trimStart();
  if (t === '') return sized('blank text');
  if (/^<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(t)) return sized('HTML');
  if (/^<\?xml/i.test(t)) return sized('XML');
  if (t.startsWith('<')) return sized('markup (XML or HTML)');
  if (/^\{\s*("|\}|$)/.test(t)) return sized('a JSON object');
  if (/^\[\s*([[{"\-\d\]]|true|false|null|$)/.test(t)) return sized('a JSON array');
  const first = /^\p{L}/u.test(t) ? 'a word' : /^\d/.test(t) ? 'a number' : t.startsWith('#') ? 'a # comment' : 'punctuation';
  return sized(`text starting with ${first}`);
}
