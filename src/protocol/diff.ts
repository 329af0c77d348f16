// Typed messages of the profile comparison (golens diff in a panel), shared by the extension
// host, the language server and the diff webview. Tree columns cross the LSP pipe as base64
// and reach the webview as ArrayBuffers, as the profile view's do.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { CallTreeColumns, ProfileError, ProfileSummary } from './profile';

export interface DiffQuery {
  sampleIndex: number;
  /** pprof -normalize: scale the new profile so that its total equals the base's. */
  normalize: boolean;
  /** Rows per table (regressions, improvements). */
  topLimit: number;
  /** Drop flame graph boxes narrower than this fraction of the whole. */
  minFraction: number;
}

/** One call tree for a flame graph, with its compact frame table. */
export interface FlameData<T> {
  tree: CallTreeColumns<T>;
  treeSize: number;
  frameNames: string[];
  frameFiles: string[];
  /** Sum of |value| of the profile for this sample type (scaled when normalized). */
  total: number;
}

/** The differential tree: the new profile's tree (scaled when normalized) and, per node, the base's value at the same call path. */
export interface DiffFlameData<T> extends FlameData<T> {
  baseValue: T; // Float64Array
}

/** A row of `golens diff --json`, with the file for opening the source. */
export interface DiffRowData {
  function: string;
  file: string;
  line: number;
  flat: { base: number; new: number; delta: number };
  cum: { base: number; new: number; delta: number };
}

export interface DiffViewData<T> {
  query: DiffQuery;
  sampleType: string;
  unit: string;
  /** golens diff's totals: the base total is the 100% of every percentage. */
  baseTotal: number;
  newTotal: number;
  /** The new profile's scale factor (1 unless normalized). */
  ratio: number;
  base: FlameData<T>;
  next: FlameData<T>;
  diff: DiffFlameData<T>;
  /** Rows that grew (flat Δ > 0, or flat Δ = 0 and cum Δ > 0), in golens diff's order. */
  regressions: DiffRowData[];
  /** Rows that shrank, in golens diff's order. */
  improvements: DiffRowData[];
  regressionCount: number;
  improvementCount: number;
}

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

// ---- extension host ⇄ diff webview ----

export type ToDiffWebview =
  /** labels: the two files' names, with their folders when the names alone are the same. */
  | { type: 'init'; title: string; labels: { base: string; next: string }; summary: DiffSummary; settings: { topRows: number } }
  | { type: 'view'; requestId: number; view: DiffViewData<ArrayBuffer> }
  | { type: 'viewError'; requestId: number; error: ProfileError }
  | { type: 'loadError'; title: string; fileName: string; error: ProfileError }
  | { type: 'sourceResult'; found: boolean; message: string };

export type FromDiffWebview =
  | { type: 'ready' }
  | { type: 'view'; requestId: number; query: DiffQuery }
  | { type: 'zoom'; path: string[] }
  | { type: 'openSource'; file: string; line: number; function: string }
  | { type: 'mark'; name: string; ms: number };
