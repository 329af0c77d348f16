// The webview side of the host connection, typed by src/protocol.
import type { FromWebview, ToWebview } from '../../src/protocol/profile';

interface VsCodeApi<S> {
  postMessage(message: FromWebview): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export function connect<S>(onMessage: (m: ToWebview) => void): VsCodeApi<S> {
  const api = acquireVsCodeApi<S>();
  window.addEventListener('message', (e: MessageEvent<ToWebview>) => onMessage(e.data));
  return api;
}

/** Creates an element with text content only: file content never becomes HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}
