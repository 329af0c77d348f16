// The one error shape that crosses a boundary (server → extension → webview): a core
// FormatError's what, byte offset and hint, or any other failure's message.
export interface ProfileError {
  what: string;
  offset?: number;
  hint?: string;
  message: string;
}
