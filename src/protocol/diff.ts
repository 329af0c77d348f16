// Typed messages of the profile comparison (golens diff in a panel), shared by the extension
// host, the language server and the diff webview. Tree columns cross the LSP pipe as base64
// and reach the webview as ArrayBuffers, as the profile view's do.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { DiffFlameData, DiffQuery, DiffRowData, DiffViewData, FlameData } from '../core/pprof/diffview';
import type { ProfileError, ProfileSummary } from './profile';
import type { Api, CommonNotes, CommonRequests } from './rpc';

// The comparison's view types are core's (core/pprof/diffview.ts).
export type { DiffFlameData, DiffQuery, DiffRowData, DiffViewData, FlameData };

export interface DiffSummary {
  id: string;
  base: ProfileSummary;
  next: ProfileSummary;
}

// ---- extension host ⇄ language server ----

export interface DiffSource {
  uri: string;
  /** The file's bytes for URIs the server cannot read from disk. */
  base64?: string;
}

export const OpenDiffRequest = new RequestType<OpenDiffParams, OpenDiffResult, void>('golens/diff/open');
export interface OpenDiffParams {
  base: DiffSource;
  next: DiffSource;
}
export type OpenDiffResult = { ok: true; summary: DiffSummary } | { ok: false; error: ProfileError; fileName: string };

export const DiffViewRequest = new RequestType<DiffViewParams, DiffViewResult, void>('golens/diff/view');
export interface DiffViewParams {
  id: string;
  query: DiffQuery;
}
export type DiffViewResult = { ok: true; view: DiffViewData<string> } | { ok: false; error: ProfileError };

export const CloseDiffNotification = new NotificationType<CloseDiffParams>('golens/diff/close');
export interface CloseDiffParams {
  id: string;
}

// ---- extension host ⇄ diff webview (envelopes of ./rpc) ----

export interface DiffPageApi extends Api {
  requests: CommonRequests & {
    view: { params: DiffQuery; result: DiffViewData<ArrayBuffer> };
  };
  notes: CommonNotes;
  pushes: {
    /** labels: the two files' names, with their folders when the names alone are the same. */
    init: { title: string; labels: { base: string; next: string }; summary: DiffSummary; settings: { topRows: number } };
    loadError: { title: string; fileName: string; error: ProfileError };
  };
}
