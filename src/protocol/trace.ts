// Typed messages of the trace timeline: extension host ⇄ language server (custom LSP
// requests; columns as base64) and extension host ⇄ webview (columns as ArrayBuffers).
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Confidence, FindingKind, Site } from '../core/analysis/finding';
import type { ColumnKey, GoroutineColumns } from '../core/analysis/goroutines';
import type { Place } from '../core/analysis/locate';
import type { ColorBy, LaneRef, SpanSource } from '../core/runtime/timeline';
import type { ProfileError, ViewData } from './profile';
import type { Api, CommonNotes, CommonRequests } from './rpc';
import type { Gogc, WhatIfReport, WhatIfSettings } from './whatif';

export type { ColorBy, ColumnKey, GoroutineColumns, LaneRef, Place, SpanSource, ViewData };

export interface TraceFinding {
  kind: FindingKind;
  title: string;
  confidence: Confidence;
  site: Site | null;
  advice?: string;
  evidence: Record<string, number | string>;
  /** Where the timeline shows it (absent: no single moment). */
  place?: Place;
}

export interface TraceViewSummary {
  id: string;
  fileName: string;
  /** The header's format ("go 1.26"). */
  format: string;
  /** The Go releases that write that format ("Go 1.26–1.27"). */
  writtenBy?: string;
  durationNs: number;
  events: number;
  gomaxprocs: number;
  procs: number[];
  threads: number[];
  goroutines: number;
  gcCycles: number;
  stw: number;
  tasks: number;
  regions: number;
  cpuSamples: number;
  decodeMs: number;
  /** Present while the rest of the file is still being read (a progressive open): the share read so far. */
  loading?: { fraction: number };
}

/** One lane's data; B is base64 on the LSP pipe and ArrayBuffer in the webview. */
export interface TileWire<B> {
  lane: LaneRef;
  mode: 'spans' | 'summary';
  source?: SpanSource;
  names?: string[];
  /** spans: Float64 start, end, key, ref; Uint8 state; Int32 name. summary: Float32 busy, Float64 key, Uint8 state. */
  start?: B; end?: B; key?: B; state?: B; ref?: B; name?: B; busy?: B;
}

export interface CountersWire<B> {
  heap: B; goal: B; runnable: B; running: B; waiting: B; syscall: B; cpu: B;
}

export interface TilesQuery {
  t0: number;
  t1: number;
  pixels: number;
  lanes: LaneRef[];
  colorBy: ColorBy;
  counters: boolean;
}

export interface FrameInfo { fn: string; file: string; line: number }

export interface SpanDetails {
  source: SpanSource;
  ref: number;
  title: string;
  start: number;
  end: number;
  /** Goroutine spans: the goroutine, its state and why. */
  goroutine?: number;
  startFunction?: string;
  state?: string;
  reason?: string;
  stack: FrameInfo[];
  /** A wait: who ended it, and from where. */
  unblockedBy?: { goroutine: number; stack: FrameInfo[] };
  /** The goroutine's creation. */
  createdBy?: { goroutine: number; stack: FrameInfo[] };
  labels?: string[];
}

export interface GoroutineRow {
  id: number;
  startFunction: string;
  labels: string[];
  createdAt: number;
  endedAt: number;
  state: string;
}

// ---- extension host ⇄ language server ----

export const OpenTraceRequest = new RequestType<OpenTraceParams, OpenTraceResult, void>('golens/trace/open');
/** progressive: answer after the first generation(s) of a new-format trace and read the rest behind (TraceGrownNotification). */
export interface OpenTraceParams { uri: string; base64?: string; progressive?: boolean }
export type OpenTraceResult = { ok: true; summary: TraceViewSummary } | { ok: false; error: ProfileError };

/** Decoding progress of an open request, keyed by the file's URI. */
export const TraceProgressNotification = new NotificationType<TraceProgressParams>('golens/trace/progress');
export interface TraceProgressParams { uri: string; fraction: number; phase: string }

/**
 * A progressively opened trace grew (more generations read) or is fully read (done): its summary
 * now, whose durationNs is the timeline's extent. Tiles asked before cover what had been read then.
 */
export const TraceGrownNotification = new NotificationType<TraceGrownParams>('golens/trace/grown');
export interface TraceGrownParams { id: string; summary: TraceViewSummary; done: boolean; error?: ProfileError }

/** The findings of an open trace: asked for after the first paint (they take a while). */
export const TraceFindingsRequest = new RequestType<TraceFindingsParams, TraceFindingsResult, void>('golens/trace/findings');
export interface TraceFindingsParams { id: string }
export type TraceFindingsResult = { ok: true; findings: TraceFinding[] } | { ok: false; error: ProfileError };

/**
 * Findings as they are ready, while a progressively opened trace is read: what can be judged
 * from the run so far (contention, GC pressure, scheduler latency) over [0, throughNs), updated
 * as more is read; final: the whole trace's findings (leaks too), the same as TraceFindingsRequest's.
 */
export const TraceFindingsGrownNotification = new NotificationType<TraceFindingsGrownParams>('golens/trace/findingsGrown');
export interface TraceFindingsGrownParams { id: string; findings: FindingsSoFar }
export interface FindingsSoFar {
  findings: TraceFinding[];
  /** The findings cover the run up to this time (ns since the trace's start). */
  throughNs: number;
  /** Share of the file read when they were made (1 when final). */
  fraction: number;
  final: boolean;
}

export const TraceTilesRequest = new RequestType<TraceTilesParams, TraceTilesResult, void>('golens/trace/tiles');
export interface TraceTilesParams { id: string; query: TilesQuery }
export type TraceTilesResult = { ok: true; tiles: TileWire<string>[]; counters?: CountersWire<string> } | { ok: false; error: ProfileError };

export const TraceSpanAtRequest = new RequestType<TraceSpanAtParams, TraceSpanResult, void>('golens/trace/spanAt');
export interface TraceSpanAtParams { id: string; lane: LaneRef; t: number; slop: number }

export const TraceSpanRequest = new RequestType<TraceSpanParams, TraceSpanResult, void>('golens/trace/span');
export interface TraceSpanParams { id: string; source: SpanSource; ref: number }
export type TraceSpanResult = { ok: true; details: SpanDetails | null } | { ok: false; error: ProfileError };

export const TraceGoroutinesRequest = new RequestType<TraceGoroutinesParams, TraceGoroutinesResult, void>('golens/trace/goroutines');
export interface TraceGoroutinesParams { id: string; query: string; limit: number }
export type TraceGoroutinesResult = { ok: true; rows: GoroutineRow[]; total: number } | { ok: false; error: ProfileError };

/** One start function's goroutines and the split of their time (go tool trace's Goroutines page). */
export interface GoroutineGroupRow {
  startFunction: string;
  count: number;
  /** Its goroutine ids, ascending. */
  ids: number[];
  columns: GoroutineColumns;
}
export interface GoroutineGroups { groups: GoroutineGroupRow[]; totalExecNs: number }

export const TraceGoroutineGroupsRequest = new RequestType<TraceGoroutineGroupsParams, TraceGoroutineGroupsResult, void>('golens/trace/goroutineGroups');
export interface TraceGoroutineGroupsParams { id: string }
export type TraceGoroutineGroupsResult = ({ ok: true } & GoroutineGroups) | { ok: false; error: ProfileError };

/** A time slice as a flame graph: the CPU samples of a range, or where goroutines spent their time (core/analysis/timeslices). */
export interface SliceParams {
  view: 'cpu' | 'time';
  from?: number;
  to?: number;
  goroutine?: number;
  /** A Go regexp on the goroutines' start functions. */
  startFn?: string;
}
export const TraceSliceRequest = new RequestType<TraceSliceParams, TraceSliceResult, void>('golens/trace/slice');
export interface TraceSliceParams { id: string; query: SliceParams }
export type TraceSliceResult = { ok: true; view: ViewData<string> } | { ok: false; error: ProfileError };

export const CloseTraceNotification = new NotificationType<CloseTraceParams>('golens/trace/close');
export interface CloseTraceParams { id: string }

// ---- extension host ⇄ webview (envelopes of ./rpc) ----

export interface TracePageApi extends Api {
  requests: CommonRequests & {
    tiles: { params: TilesQuery; result: { tiles: TileWire<ArrayBuffer>[]; counters?: CountersWire<ArrayBuffer> } };
    /** The span under the pointer on a lane (slop: how far off it may be, in ns). */
    spanAt: { params: { lane: LaneRef; t: number; slop: number }; result: SpanDetails | null };
    goroutines: { params: { query: string }; result: { rows: GoroutineRow[]; total: number } };
    findings: { params: undefined; result: TraceFinding[] };
    goroutineGroups: { params: undefined; result: GoroutineGroups };
    slice: { params: SliceParams; result: ViewData<ArrayBuffer> };
    /** The "What if" panel's prediction (protocol/whatif.ts); null: the baseline only. */
    whatif: { params: Partial<WhatIfSettings> | null; result: WhatIfReport };
  };
  notes: CommonNotes;
  pushes: {
    init: { fileName: string; summary: TraceViewSummary };
    progress: { fraction: number; phase: string };
    /** The trace grew while the page shows it (a progressive open); done: fully read. */
    grown: { summary: TraceViewSummary; done: boolean; error?: ProfileError };
    /** Findings so far of a trace still being read (a progressive open), then its final findings. */
    findings: FindingsSoFar;
    loadError: { fileName: string; error: ProfileError };
    /** Show a place (a finding, a leak lens): the window and lanes it needs. */
    reveal: { place: Place; title?: string };
    /** Open the What-if panel at this GOGC (the code action on a GOGC setting); the other fields at the trace's settings. */
    whatif: { gogc: Gogc };
  };
}
