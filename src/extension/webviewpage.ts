// What the profile, trace and diff editors share: the page (strict CSP with a nonce, scripts
// from dist/webview only), its messages (one WebviewRpc), the requests every page makes
// (open a frame's source, timing marks) and the load error when opening the file failed.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { toBase64 } from '../protocol/columns';
import type { ProfileError } from '../protocol/profile';
import type { Api, CommonNotes, CommonRequests, Envelope } from '../protocol/rpc';
import { webviewHtml } from './html';
import { ReplyError, WebviewRpc, type RequestHandlers } from './rpc';
import { sourceReply } from './sources';

/** What the editors hand every page. */
export interface PageHost {
  extensionUri: vscode.Uri;
  client: () => Promise<LanguageClient>;
  log: vscode.LogOutputChannel;
}

/** A page's own methods: the requests besides openSource, what ready does, how a load error is told. */
export interface PageSpec<A extends PageApi> {
  /** Script in dist/webview, the page's title, its stylesheets (first, then golens.css, then styles). */
  entry: string;
  title: string;
  stylesheet?: string;
  styles?: string[];
  requests: Omit<RequestHandlers<A>, keyof CommonRequests>;
  /** The page loaded: open the file (once) and push init. A throw becomes a load error. */
  ready: () => Promise<void>;
  loadError: (error: ProfileError) => Thenable<boolean>;
  /** What an unexpected failure says ('GoLens could not process this file'). */
  failure?: string;
  /** Timings the page posts, besides the output channel (tests read them). */
  mark?: (m: CommonNotes['mark']) => void;
  /** Every envelope the page sent (tests read them). */
  record?: (m: Envelope) => void;
}

export type PageApi = Api & { requests: CommonRequests; notes: CommonNotes };

export class WebviewPage<A extends PageApi> implements vscode.Disposable {
  readonly rpc: WebviewRpc<A>;

  constructor(private readonly host: PageHost, webview: vscode.Webview, spec: PageSpec<A>) {
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(host.extensionUri, 'dist', 'webview')] };
    webview.html = webviewHtml(webview, host.extensionUri, spec.entry, spec.title, spec.stylesheet, spec.styles);
    const common = {
      openSource: async (p: CommonRequests['openSource']['params']) => {
        const { found, message } = await sourceReply(host.client, p.file, p.line, host.log);
        return { found, message };
      },
    };
    const notes = {
      ready: async () => {
        try {
          await spec.ready();
        } catch (e) {
          // The file's own error (a wrong kind, a broken profile) is a warning; anything else, failed() logs.
          if (e instanceof ReplyError) host.log.warn(`${spec.title}: ${e.error.message}`);
          await spec.loadError(this.failed(spec, e));
        }
      },
      mark: (m: CommonNotes['mark']) => {
        spec.mark?.(m);
        host.log.info(`${spec.title}: ${m.name} ${m.ms.toFixed(m.ms < 10 ? 1 : 0)} ms`);
      },
    };
    this.rpc = new WebviewRpc<A>(webview, { ...spec.requests, ...common } as RequestHandlers<A>, notes as never, (e) => this.failed(spec, e), spec.record);
  }

  dispose(): void {
    this.rpc.dispose();
  }

  /** The server went away or a request failed unexpectedly: logged, and said in the page, never a spinner forever. */
  private failed(spec: { title: string; failure?: string }, e: unknown): ProfileError {
    if (e instanceof ReplyError) return e.error;
    const message = (e as Error)?.message ?? String(e);
    this.host.log.error(`${spec.title}: ${message}`);
    return { what: `${spec.failure ?? 'GoLens could not process this file'}: ${message}`, message, hint: 'see the GoLens output channel (GoLens: Show Output)' };
  }
}

/** Unwraps a server result: its value, or a ReplyError carrying its error. */
export function ok<T extends { ok: true }>(res: T | { ok: false; error: ProfileError }): T {
  if (!res.ok) throw new ReplyError(res.error);
  return res;
}

/** A document's file for the server: its URI, with its bytes when the server cannot read it from disk. */
export async function fileParams(uri: vscode.Uri): Promise<{ uri: string; base64?: string }> {
  return uri.scheme === 'file' ? { uri: uri.toString() } : { uri: uri.toString(), base64: toBase64(await vscode.workspace.fs.readFile(uri)) };
}
