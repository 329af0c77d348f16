// Per-line cost of an open profile: extension host ⇄ language server.
import { RequestType } from 'vscode-languageserver-protocol';
import type { ProfileError, ViewFilters } from './profile';

export const LineCostsRequest = new RequestType<LineCostsParams, LineCostsResult, void>('golens/profile/lineCosts');

export interface LineCostsParams {
  /** The server's id of an open profile (ProfileSummary.id). */
  id: string;
  sampleIndex: number;
  filters: ViewFilters;
}

export interface LineCostData {
  /** 1-based. */
  line: number;
  flat: number;
  cum: number;
  functions: string[];
}

export interface FileLineCostData {
  /** The file as the profile names it (build path). */
  file: string;
  /** The workspace file it maps to (absolute path); files outside the workspace are left out. */
  path: string;
  lines: LineCostData[];
}

export type LineCostsResult =
  | { ok: true; total: number; unit: string; sampleType: string; files: FileLineCostData[] }
  | { ok: false; error: ProfileError };
