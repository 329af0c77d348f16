// Typed messages about profiles, shared by the extension host, the language server and
// the webview. Bulk columns cross the LSP pipe as base64 and reach the webview as ArrayBuffers.
import type { LeakRow } from '../core/analysis/leaks';
import type { FunctionLines } from '../core/pprof/list';
import type { Filters } from '../core/pprof/stacks';

export interface ValueTypeInfo {
  type: string;
  unit: string;
}

export interface ProfileError {
  what: string;
  offset?: number;
  hint?: string;
  message: string;
  /** Set when the file is readable but of another kind than asked for: what it is (an artifact kind: "trace", "profile", "goroutines"…). */
  found?: string;
}

export interface ProfileSummary {
  id: string;
  fileName: string;
  kind: string;
  sampleTypes: ValueTypeInfo[];
  defaultSampleIndex: number;
  samples: number;
  timeNanos: number;
  durationNanos: number;
  comments: string[];
  labelKeys: string[];
  /** Goroutine and goroutineleak profiles: the leak report (`golens leaks --json`'s rows). */
  leaks?: LeakRow[];
}

export type Granularity = 'functions' | 'lines';

/** The filters of `golens top`, as core defines them (pprof's focus/ignore/hide/show/tagfocus). */
export type ViewFilters = Filters;

export interface ViewQuery {
  sampleIndex: number;
  granularity: Granularity;
  filters: ViewFilters;
  topLimit: number;
  /** Drop flame graph boxes narrower than this fraction of the whole. */
  minFraction: number;
  /** The zoomed frame (function names from the root): under it, minFraction is of its value. */
  zoom?: string[];
}

export interface TopRowData {
  function: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
  inline: '' | 'inline' | 'partial-inline';
}

/** Column names of the call tree; each is a typed array (see CallTreeColumns). */
export interface CallTreeColumns<T> {
  parent: T; // Int32Array
  frame: T; // Int32Array: index into frameNames/frameFiles
  line: T; // Int32Array
  total: T; // Float64Array
  self: T; // Float64Array
}

export interface ViewData<T> {
  query: ViewQuery;
  unit: string;
  sampleType: string;
  /** Sum of |value| before filters (pprof's "of N total"). */
  total: number;
  /** Sum of the values the filters kept. */
  shown: number;
  frameNames: string[];
  frameFiles: string[];
  tree: CallTreeColumns<T>;
  treeSize: number;
  /** Call tree nodes left out as too narrow to draw (zooming in asks for them again). */
  pruned?: number;
  top: TopRowData[];
  topCount: number;
}

// ---- extension host ⇄ language server (custom LSP requests) ----

export const OpenProfileRequest = 'golens/profile/open';
export interface OpenProfileParams {
  uri: string;
  /** The file's bytes for URIs the server cannot read from disk. */
  base64?: string;
}
export type OpenProfileResult = { ok: true; summary: ProfileSummary } | { ok: false; error: ProfileError };

export const ProfileViewRequest = 'golens/profile/view';
export interface ProfileViewParams {
  id: string;
  query: ViewQuery;
}
export type ProfileViewResult = { ok: true; view: ViewData<string> } | { ok: false; error: ProfileError };

export const ProfileListRequest = 'golens/profile/list';
export interface ProfileListParams {
  id: string;
  query: ViewQuery;
  function: string;
  file: string;
}
export type ProfileListResult = { ok: true; lines: FunctionLines } | { ok: false; error: ProfileError };

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

export const CloseProfileNotification = 'golens/profile/close';
export interface CloseProfileParams {
  id: string;
}

// ---- extension host ⇄ webview ----

export type ToWebview =
  | { type: 'init'; fileName: string; summary: ProfileSummary; settings: { granularity: Granularity; topRows: number } }
  | { type: 'view'; requestId: number; view: ViewData<ArrayBuffer> }
  | { type: 'viewError'; requestId: number; error: ProfileError }
  | { type: 'loadError'; fileName: string; error: ProfileError }
  | { type: 'sourceResult'; found: boolean; message: string }
  | { type: 'peek'; requestId: number; peek: SourcePeek }
  | { type: 'peekError'; requestId: number; error: ProfileError };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'view'; requestId: number; query: ViewQuery }
  | { type: 'openSource'; file: string; line: number; function: string }
  | { type: 'mark'; name: string; ms: number }
  | { type: 'peek'; requestId: number; query: ViewQuery; function: string; file: string };
