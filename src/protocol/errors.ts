// The one error shape that crosses a boundary (server → extension → webview): a core
// FormatError's what, byte offset and hint, or any other failure's message.
export interface ProfileError {
  what: string;
  offset?: number;
  hint?: string;
  message: string;
  /** Set when the file is readable but of another kind than asked for: what it is (an artifact kind: "trace", "profile", "goroutines"…). */
  found?: string;
}
