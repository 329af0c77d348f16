// The legacy parsers' intermediate form: pointers rather than ids, as pprof builds it
// before it numbers locations and mappings (build.ts turns it into the columnar Profile).
import type { ValueType } from '../model';

export interface RawMapping {
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: string;
  buildId: string;
}

export interface RawLine {
  fn: string;
  file: string;
  line: number;
}

export interface RawLocation {
  address: bigint;
  mapping?: RawMapping;
  lines: RawLine[];
}

export interface RawSample {
  locs: RawLocation[];
  values: number[];
  /** The numeric label `bytes` (heap profiles: the block size). */
  bytes?: number;
}

export interface RawProfile {
  sampleTypes: ValueType[];
  periodType: ValueType | undefined;
  period: number;
  durationNanos: number;
  samples: RawSample[];
  /** In creation order; build.ts keeps those the samples reach, in the order they reach them. */
  locations: RawLocation[];
  mappings: RawMapping[];
  dropFrames: string;
  keepFrames: string;
}

export function emptyRaw(sampleTypes: ValueType[], periodType: ValueType | undefined, period: number): RawProfile {
  return { sampleTypes, periodType, period, durationNanos: 0, samples: [], locations: [], mappings: [], dropFrames: '', keepFrames: '' };
}

/** One location per address (the parsers share locations between samples by address). */
export class LocationTable {
  private readonly byAddress = new Map<bigint, RawLocation>();
  constructor(private readonly raw: RawProfile) {}
  get(address: bigint): RawLocation {
    let loc = this.byAddress.get(address);
    if (!loc) {
      loc = { address, lines: [] };
      this.byAddress.set(address, loc);
      this.raw.locations.push(loc);
    }
    return loc;
  }
  has(address: bigint): RawLocation | undefined {
    return this.byAddress.get(address);
  }
}

const U64 = (1n << 64n) - 1n;

/** A return address moved back onto its call instruction (wrapping as a uint64 does). */
export function callSite(address: bigint): bigint {
  return (address - 1n) & U64;
}
