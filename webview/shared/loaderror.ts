// The page shown when the host could not open the file: what, where (byte offset) and a hint, as text.
import type { ProfileError } from '../../src/protocol/profile';
import { el } from './vscode';

export function renderLoadError(app: HTMLElement, heading: string, what: string, e: ProfileError): void {
  app.removeAttribute('aria-busy');
  app.replaceChildren(el('div', { class: 'error', role: 'alert' },
    el('h2', {}, heading),
    el('p', {}, what),
    ...(e.offset !== undefined ? [el('p', {}, 'Where: byte ', el('code', {}, String(e.offset)))] : []),
    ...(e.hint ? [el('p', {}, 'Hint: ', e.hint)] : []),
  ));
}
