// Extension host ⇄ webview messages, as hexeditor's MessageHandler: every message is an
// envelope; a request has an id and gets exactly one reply with that id (a result or an
// error), a notification has no id and no reply. Each page declares its methods as an Api.
import type { ProfileError } from './errors';

export type Envelope =
  | { kind: 'request'; id: number; method: string; params: unknown }
  | { kind: 'reply'; id: number; result?: unknown; error?: ProfileError }
  | { kind: 'notification'; method: string; params: unknown };

/**
 * One page's methods. requests and notes: what the page asks and tells the host;
 * pushes: what the host tells the page (notifications only; the host never waits on a page).
 */
export interface Api {
  requests: Record<string, { params: unknown; result: unknown }>;
  notes: Record<string, unknown>;
  pushes: Record<string, unknown>;
}

/** What every page asks and tells the host, whatever it shows. */
export type CommonRequests = {
  /** Opens a frame's source beside the page; found is false (with why) when it is not in the workspace. */
  openSource: { params: { file: string; line: number; function: string }; result: { found: boolean; message: string } };
};
export type CommonNotes = {
  /** The page is loaded (again, after being hidden): the host answers with init or loadError. */
  ready: undefined;
  /** A timing (first paint, render), for the output channel and the tests. */
  mark: { name: string; ms: number };
};
