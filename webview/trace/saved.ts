// What survives hiding the tab, per file: each part of the page saves its own fields here.
import type { ColorBy, LaneRef, SliceParams } from '../../src/protocol/trace';
import type { WhatIfReport } from '../../src/protocol/whatif';
import type { SettingsText } from './whatifsettings';

/** A flame graph the slice panel asked for: its query and its heading. */
export interface SliceAsked { query: SliceParams; title: string }

/** The "What if" panel: open, its fields as typed, and the last prediction. */
export interface SavedWhatIf { open?: boolean; text?: SettingsText; report?: WhatIfReport }

export interface SavedTrace {
  fileName?: string;
  t0?: number;
  t1?: number;
  colorBy?: ColorBy;
  pinned?: number[];
  scrollTop?: number;
  selected?: { lane: LaneRef; t: number };
  mark?: { at: number; atEnd: number };
  /** The Goroutines panel: shown, and its sort. */
  goroutinesOpen?: boolean;
  goroutinesSort?: { key: string; desc: boolean };
  /** The time-slice panel: the chosen range and the last flame graph asked for. */
  slice?: { range?: { from: number; to: number }; last?: SliceAsked };
  whatif?: SavedWhatIf;
}

export class Saved {
  private s: SavedTrace;

  constructor(private readonly store: { getState(): SavedTrace | undefined; setState(s: SavedTrace): void }) {
    this.s = store.getState() ?? {};
  }

  get value(): Readonly<SavedTrace> { return this.s; }

  /** Another file starts afresh. */
  forFile(fileName: string): void {
    if (this.s.fileName !== fileName) this.s = { fileName };
    this.save({ fileName });
  }

  save(patch: Partial<SavedTrace>): void {
    this.s = { ...this.s, ...patch };
    this.store.setState(this.s);
  }
}
