// Typed messages of the trace comparison ("GoLens: Compare Traces…"), shared by the extension
// host, the language server and the tracediff webview. The ranked rows are core's
// (core/analysis/tracediff.ts), as `golens diff <a.trace> <b.trace> --json` prints them.
import { RequestType } from 'vscode-languageserver-protocol';
import type { DiffGroup, DiffRow, DiffSite, DiffUnit, SiteMatch, TraceDiffResult, TraceDiffSide } from '../core/analysis/tracediff';
import type { DiffSource } from './diff';
import type { ProfileError } from './profile';
import type { Api, CommonNotes, CommonRequests } from './rpc';

export type { DiffGroup, DiffRow, DiffSite, DiffUnit, SiteMatch, TraceDiffResult, TraceDiffSide };

// ---- extension host ⇄ language server ----

export const OpenTraceDiffRequest = new RequestType<OpenTraceDiffParams, OpenTraceDiffResult, void>('golens/tracediff/open');
export interface OpenTraceDiffParams {
  base: DiffSource;
  next: DiffSource;
}
/** The sides' paths are the files' names (their URIs stay with the host). */
export type OpenTraceDiffResult = { ok: true; diff: TraceDiffResult } | { ok: false; error: ProfileError; fileName: string };

// ---- extension host ⇄ tracediff webview (envelopes of ./rpc) ----

export interface TraceDiffPageApi extends Api {
  requests: CommonRequests;
  notes: CommonNotes;
  pushes: {
    /** labels: the two files' names, with their folders when the names alone are the same. */
    init: { title: string; labels: { base: string; next: string }; diff: TraceDiffResult };
    loadError: { title: string; fileName: string; error: ProfileError };
  };
}
