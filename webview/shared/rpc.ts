// The page side of the host messages (envelopes of src/protocol/rpc, as hexeditor's
// MessageHandler): a request returns a promise settled by the reply with its id — its
// result, or a RequestError with the host's error; a notification has no id and no reply;
// what the host pushes goes to the handler of its method.
import type { ProfileError } from '../../src/protocol/profile';
import type { Api, CommonNotes, CommonRequests, Envelope } from '../../src/protocol/rpc';

export class RequestError extends Error {
  constructor(readonly error: ProfileError) { super(error.message); }
}

interface VsCodeApi { postMessage(m: Envelope): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

export type PushHandlers<A extends Api> = { [M in keyof A['pushes']]: (params: A['pushes'][M]) => void };
type Req<A extends Api> = A['requests'];

export class HostRpc<A extends Api, S> {
  private readonly api = acquireVsCodeApi();
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: RequestError) => void }>();
  /** Per method, the id of its newest latest() call. */
  private readonly newest = new Map<string, number>();
  private nextId = 1;

  constructor(private readonly pushes: PushHandlers<A>) {
    window.addEventListener('message', (e: MessageEvent<Envelope>) => this.receive(e.data));
  }

  request<M extends keyof Req<A> & string>(method: M, params: Req<A>[M]['params']): Promise<Req<A>[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.api.postMessage({ kind: 'request', id, method, params });
    });
  }

  /** A request whose reply matters only while no newer one of its method was sent: older replies never settle. */
  latest<M extends keyof Req<A> & string>(method: M, params: Req<A>[M]['params']): Promise<Req<A>[M]['result']> {
    const id = this.nextId;
    this.newest.set(method, id);
    const reply = this.request(method, params);
    return new Promise((resolve, reject) => {
      reply.then((r) => { if (this.newest.get(method) === id) resolve(r); }, (e) => { if (this.newest.get(method) === id) reject(e); });
    });
  }

  notify<M extends keyof A['notes'] & string>(method: M, params: A['notes'][M]): void {
    this.api.postMessage({ kind: 'notification', method, params });
  }

  getState(): S | undefined { return this.api.getState() as S | undefined; }
  setState(s: S): void { this.api.setState(s); }

  private receive(m: Envelope): void {
    if (m.kind === 'reply') {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) p?.reject(new RequestError(m.error));
      else p?.resolve(m.result);
    } else if (m.kind === 'notification') {
      (this.pushes as Record<string, (p: unknown) => void>)[m.method]?.(m.params);
    }
  }
}

/** A page's API that has what every page asks and tells (openSource, ready, mark). */
type CommonApi = Api & { requests: CommonRequests; notes: CommonNotes };

/**
 * What every page's link to the extension does, whatever it shows: say it is ready, open a
 * source, report a timing, and keep its state across hide and show. Pages add their own asks.
 */
export class PageHost<A extends CommonApi, S> {
  protected readonly rpc: HostRpc<A, S>;

  constructor(pushes: PushHandlers<A>) {
    this.rpc = new HostRpc<A, S>(pushes);
  }

  ready(): void { this.rpc.notify('ready', undefined as A['notes']['ready']); }
  openSource(file: string, line: number, fn: string): Promise<{ found: boolean; message: string }> {
    return this.rpc.request('openSource', { file, line, function: fn } as A['requests']['openSource']['params']) as Promise<{ found: boolean; message: string }>;
  }
  mark(name: string, ms: number): void { this.rpc.notify('mark', { name, ms } as A['notes']['mark']); }
  getState(): S | undefined { return this.rpc.getState(); }
  setState(s: S): void { this.rpc.setState(s); }
}
