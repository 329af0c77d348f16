// The host side of a page's messages (envelopes of src/protocol/rpc): each request from the
// page runs its handler and gets one reply with its id — the result, or the error it threw;
// notifications run their handler and get none; pushes go to the page as notifications.
import * as vscode from 'vscode';
import type { ProfileError } from '../protocol/profile';
import type { Api, Envelope } from '../protocol/rpc';

/** Thrown by a handler to reply with this error (a decode or view error from the server). */
export class ReplyError extends Error {
  constructor(readonly error: ProfileError) { super(error.message); }
}

export type RequestHandlers<A extends Api> = { [M in keyof A['requests']]: (params: A['requests'][M]['params']) => Promise<A['requests'][M]['result']> };
export type NoteHandlers<A extends Api> = { [M in keyof A['notes']]: (params: A['notes'][M]) => void | Promise<void> };

export class WebviewRpc<A extends Api> implements vscode.Disposable {
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly requests: RequestHandlers<A>,
    private readonly notes: NoteHandlers<A>,
    /** An unexpected failure (the server went away): the error the page is told. */
    private readonly failed: (e: unknown, method: string) => ProfileError,
    /** Every envelope the page sent, for the tests' hooks. */
    private readonly record?: (m: Envelope) => void,
  ) {
    this.sub = webview.onDidReceiveMessage((m: Envelope) => this.receive(m));
  }

  push<M extends keyof A['pushes'] & string>(method: M, params: A['pushes'][M]): Thenable<boolean> {
    const m: Envelope = { kind: 'notification', method, params };
    return this.webview.postMessage(m);
  }

  dispose(): void {
    this.sub.dispose();
  }

  private async receive(m: Envelope): Promise<void> {
    this.record?.(m);
    if (m.kind === 'request') {
      const handler = (this.requests as Record<string, (p: unknown) => Promise<unknown>>)[m.method];
      let reply: Envelope;
      try {
        if (!handler) throw new Error(`no such request: ${m.method}`);
        reply = { kind: 'reply', id: m.id, result: await handler(m.params) };
      } catch (e) {
        reply = { kind: 'reply', id: m.id, error: e instanceof ReplyError ? e.error : this.failed(e, m.method) };
      }
      await this.webview.postMessage(reply);
    } else if (m.kind === 'notification') {
      const handler = (this.notes as Record<string, (p: unknown) => void | Promise<void>>)[m.method];
      try {
        await handler?.(m.params);
      } catch (e) {
        this.failed(e, m.method);
      }
    }
  }
}
