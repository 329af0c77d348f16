// Typed messages about profiles, shared by the extension host, the language server and
// the webview. Bulk columns cross the LSP pipe as base64 and reach the webview as ArrayBuffers.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { FunctionLines } from '../core/pprof/list';
import type { CallGraph, GraphOptions } from '../core/pprof/graph';
import type { Api, CommonNotes, CommonRequests } from './rpc';
import type { LeakRow } from '../core/analysis/leaks';
import type { CallTreeColumns, Granularity, LabelKeyTable, ProfileSummary as PprofSummary, TopRowData, ValueTypeInfo, ViewData, ViewFilters, ViewQuery } from '../core/pprof/view';
import type { ProfileError } from './errors';
import type { SandwichData, SandwichTree } from '../core/pprof/sandwich';

export type { SandwichData, SandwichTree };

// The view's types are core's (core/pprof/view.ts); they cross the boundary as they are.
export type { CallTreeColumns, Granularity, LabelKeyTable, TopRowData, ValueTypeInfo, ViewData, ViewFilters, ViewQuery };
export type { CallGraph, GraphEdge, GraphNode, GraphOptions } from '../core/pprof/graph';

/** A profile as the editor first sees it: core's summary, and for goroutine profiles the leak report (`golens leaks --json`'s rows). */
export interface ProfileSummary extends PprofSummary {
  leaks?: LeakRow[];
}

export type { ProfileError } from './errors';

// ---- extension host ⇄ language server (custom LSP requests) ----

export const OpenProfileRequest = new RequestType<OpenProfileParams, OpenProfileResult, void>('golens/profile/open');
export interface OpenProfileParams {
  uri: string;
  /** The file's bytes for URIs the server cannot read from disk. */
  base64?: string;
}
export type OpenProfileResult = { ok: true; summary: ProfileSummary } | { ok: false; error: ProfileError };

export const ProfileViewRequest = new RequestType<ProfileViewParams, ProfileViewResult, void>('golens/profile/view');
export interface ProfileViewParams {
  id: string;
  query: ViewQuery;
}
export type ProfileViewResult = { ok: true; view: ViewData<string> } | { ok: false; error: ProfileError };

export const ProfileListRequest = new RequestType<ProfileListParams, ProfileListResult, void>('golens/profile/list');
export interface ProfileListParams {
  id: string;
  query: ViewQuery;
  function: string;
  file: string;
}
export type ProfileListResult = { ok: true; lines: FunctionLines } | { ok: false; error: ProfileError };

export const ProfileSandwichRequest = new RequestType<ProfileSandwichParams, ProfileSandwichResult, void>('golens/profile/sandwich');
export interface ProfileSandwichParams {
  id: string;
  query: ViewQuery;
  /** The function's name as the top table prints it (function granularity). */
  function: string;
  /** Subtrees narrower than this share of the function's cum are left out. */
  minFraction: number;
}
export type ProfileSandwichResult = { ok: true; sandwich: SandwichData<string> } | { ok: false; error: ProfileError };

/** A function's source with per-line flat and cum (pprof -list), for the webview's source peek. */
export interface SourcePeek {
  function: string;
  /** The build path from the profile, and the workspace file it maps to ('' when not found). */
  file: string;
  resolved: string;
  /** Shown lines, consecutive from the first; text is the file's content, never HTML. */
  lines: { line: number; text: string; flat: number; cum: number }[];
  flat: number;
  cum: number;
  /** Why there is no text ('' when there is). */
  message: string;
}

/** pprof's call graph (-dot's nodes and edges) under the view's sample type and filters. */
export const ProfileGraphRequest = new RequestType<ProfileGraphParams, ProfileGraphResult, void>('golens/profile/graph');
export interface ProfileGraphParams {
  id: string;
  query: ViewQuery;
  options: GraphOptions;
}
export type ProfileGraphResult = { ok: true; graph: CallGraph } | { ok: false; error: ProfileError };

export const CloseProfileNotification = new NotificationType<CloseProfileParams>('golens/profile/close');
export interface CloseProfileParams {
  id: string;
}

// ---- extension host ⇄ webview (envelopes of ./rpc) ----

export interface ProfilePageApi extends Api {
  requests: CommonRequests & {
    view: { params: ViewQuery; result: ViewData<ArrayBuffer> };
    /** The source peek of a function (pprof -list) under the view's sample type and filters. */
    peek: { params: { query: ViewQuery; function: string; file: string }; result: SourcePeek };
    /** Callers and callees of a function (pprof -peek) with their call trees, for the sandwich view. */
    sandwich: { params: { query: ViewQuery; function: string; minFraction: number }; result: SandwichData<ArrayBuffer> };
    /** The call graph (golens graph) under the view's sample type and filters. */
    graph: { params: { query: ViewQuery; options: GraphOptions }; result: CallGraph };
  };
  notes: CommonNotes;
  pushes: {
    init: { fileName: string; summary: ProfileSummary; settings: { granularity: Granularity; topRows: number } };
    loadError: { fileName: string; error: ProfileError };
  };
}
