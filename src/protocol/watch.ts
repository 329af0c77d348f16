// Typed messages of "GoLens: Watch Goroutines…": the extension host watches the program
// (core/capture/watch.ts), pushes each snapshot to the page's live chart, and tells the
// language server which saved snapshots to analyse together for the leak lenses.
import { NotificationType } from 'vscode-languageserver-protocol';
import type { WatchSite, WatchSnapshot } from '../core/capture/snapshot';
import type { ProfileError } from './errors';
import type { Api, CommonNotes, CommonRequests } from './rpc';

export type { WatchSite, WatchSnapshot };

// ---- extension host → language server ----

export interface WatchSnapshotsParams {
  /** The watch's saved snapshots (and goroutineleak profile), workspace-relative, oldest first; [] when the watch is closed. */
  files: string[];
}

/** The lenses analyse these files together with golens.artifacts: a group that grows gets a lens on its `go` statement. */
export const WatchSnapshotsNotification = new NotificationType<WatchSnapshotsParams>('golens/watch/snapshots');

// ---- extension host ⇄ watch webview (envelopes of ./rpc) ----

/** A leak group as the page lists it: the analysis' verdict (so far while the watch runs, final when it ends). */
export interface WatchVerdict {
  key: string;
  count: number;
  confidence: 'proven' | 'likely' | 'possible';
  why: string;
}

export interface WatchPageApi extends Api {
  requests: CommonRequests;
  notes: CommonNotes & {
    /** The Stop button: end the watch now (what was taken is still analysed). */
    stop: undefined;
  };
  pushes: {
    init: { title: string; url: string; everyMs: number; forMs: number; snapshots: number; folder: string; taken: WatchSnapshot[] };
    snapshot: WatchSnapshot;
    /** While the watch runs, from its second snapshot: the verdicts over the snapshots so far (not final). */
    soFar: { snapshots: number; verdicts: WatchVerdict[] };
    /** The watch ended (its duration, Stop, or an error); verdicts as `golens watch --json` gives them. */
    done: { stopped: boolean; leakProfile: boolean; verdicts: WatchVerdict[]; error?: string };
    loadError: { title: string; fileName: string; error: ProfileError };
  };
}
