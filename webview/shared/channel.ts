// The webview side of a host connection, typed by any message union of src/protocol
// (vscode.ts is the profile editor's, typed by its own union).
export interface Channel<S, Out> {
  postMessage(message: Out): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): Channel<S, never>;

export function channel<S, In, Out>(onMessage: (m: In) => void): Channel<S, Out> {
  const api = acquireVsCodeApi<S>() as unknown as Channel<S, Out>;
  window.addEventListener('message', (e: MessageEvent<In>) => onMessage(e.data));
  return api;
}
