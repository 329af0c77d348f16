// What every webview page starts with: the state VS Code keeps for it across reloads, and
// the status line that screen readers announce.
import { el } from './vscode';

/** The page's saved state, changed in place; `save` merges a patch and hands VS Code a copy. */
export function savedState<S extends object>(store: { getState(): S | undefined; setState(s: S): void }): [S, (patch: Partial<S>) => void] {
  const state = (store.getState() ?? {}) as S;
  return [state, (patch) => { Object.assign(state, patch); store.setState({ ...state }); }];
}

/** The `#status` line and its setter. */
export function statusLine(): [HTMLElement, (text: string) => void] {
  const status = el('div', { id: 'status', role: 'status', 'aria-live': 'polite' });
  return [status, (text) => { status.textContent = text; }];
}
