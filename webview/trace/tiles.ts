// The tiles on hand: spans (zoomed in) or per-pixel summaries (zoomed out) for each lane,
// and the counters, three screens wide around the view. Asks the host for new ones only
// when these no longer cover the view at its resolution.
import type { ColorBy, CountersWire, LaneRef, TileWire } from '../../src/protocol/trace';
import type { TraceHost } from './host';
import { laneKey } from './lanes';
import type { TimeRange } from './viewport';

export interface Tile {
  lane: LaneRef;
  mode: 'spans' | 'summary';
  names: string[];
  start: Float64Array; end: Float64Array; key: Float64Array; state: Uint8Array; name: Int32Array; busy: Float32Array;
}
export interface Counters { heap: Float64Array; goal: Float64Array; runnable: Float64Array; running: Float64Array; waiting: Float64Array; syscall: Float64Array; cpu: Float64Array }
/** `pixels` columns over [t0, t1). */
export interface TileSet { t0: number; t1: number; pixels: number; colorBy: ColorBy; tiles: Map<string, Tile>; counters?: Counters }

interface Asked { t0: number; t1: number; pixels: number; colorBy: ColorBy; lanes: string }

export class TileCache {
  private set: TileSet | undefined;
  private inflight: { q: Asked } | undefined;
  /** Bumped when the trace grows: tiles asked before then cover less than there is now. */
  private epoch = 0;
  private setEpoch = 0;

  constructor(private readonly host: TraceHost, private durationNs: number, private readonly arrived: () => void) {}

  get current(): TileSet | undefined { return this.set; }

  /** Lanes or colours changed: nothing on hand is drawn again. */
  clear(): void { this.set = undefined; }

  /** The trace grew: what is on hand is drawn until the new tiles arrive, which are asked for at once. */
  extend(durationNs: number): void {
    this.durationNs = durationNs;
    this.inflight = undefined;
    this.epoch++;
  }

  /** Asks for tiles when the cached ones don't cover the view at its resolution. */
  ensure(view: TimeRange, plotWidth: number, colorBy: ColorBy, laneList: LaneRef[]): void {
    const nsPerPx = (view.t1 - view.t0) / plotWidth;
    const laneSig = laneList.map(laneKey).join(',');
    const good = (c: { t0: number; t1: number; pixels: number; colorBy: ColorBy }, sig: string) =>
      c.t0 <= view.t0 && c.t1 >= view.t1 && c.colorBy === colorBy && sig === laneSig &&
      (c.t1 - c.t0) / c.pixels <= nsPerPx * 1.3 && (c.t1 - c.t0) / c.pixels >= nsPerPx / 4;
    if (this.set && this.setEpoch === this.epoch && good(this.set, [...this.set.tiles.keys()].join(','))) return;
    if (this.inflight && good(this.inflight.q, this.inflight.q.lanes)) return;
    // Three screens wide at the view's resolution: panning a screen either way needs nothing new.
    const span = view.t1 - view.t0;
    const t0 = Math.max(0, view.t0 - span), t1 = Math.min(this.durationNs, view.t1 + span);
    const pixels = Math.min(16384, Math.max(1, Math.round((t1 - t0) / nsPerPx)));
    const q: Asked = { t0, t1, pixels, colorBy, lanes: laneSig };
    const asked = { q };
    const epoch = this.epoch;
    const done = () => { if (this.inflight === asked) this.inflight = undefined; };
    this.host.tiles({ t0, t1, pixels, lanes: laneList, colorBy, counters: true }).then((m) => {
      done();
      const tiles = new Map<string, Tile>();
      for (const t of m.tiles) tiles.set(laneKey(t.lane), decodeTile(t));
      this.set = { t0, t1, pixels, colorBy, tiles, counters: m.counters ? decodeCounters(m.counters) : undefined };
      this.setEpoch = epoch;
      this.arrived();
    }, done);
    this.inflight = asked;
  }
}

function decodeTile(t: TileWire<ArrayBuffer>): Tile {
  const f64 = (b?: ArrayBuffer) => (b ? new Float64Array(b) : new Float64Array(0));
  return {
    lane: t.lane, mode: t.mode, names: t.names ?? [],
    start: f64(t.start), end: f64(t.end), key: f64(t.key), state: t.state ? new Uint8Array(t.state) : new Uint8Array(0),
    name: t.name ? new Int32Array(t.name) : new Int32Array(0), busy: t.busy ? new Float32Array(t.busy) : new Float32Array(0),
  };
}

function decodeCounters(c: CountersWire<ArrayBuffer>): Counters {
  return {
    heap: new Float64Array(c.heap), goal: new Float64Array(c.goal), runnable: new Float64Array(c.runnable), running: new Float64Array(c.running),
    waiting: new Float64Array(c.waiting), syscall: new Float64Array(c.syscall), cpu: new Float64Array(c.cpu),
  };
}
