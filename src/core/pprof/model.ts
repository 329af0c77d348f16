// The decoded profile, close to profile.proto but with ids resolved to indices and
// samples stored as columns (a flat location list plus offsets, a flat value array).

export interface ValueType {
  type: string;
  unit: string;
}

export interface Mapping {
  id: number | bigint;
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface ProfileFunction {
  id: number | bigint;
  name: string;
  systemName: string;
  filename: string;
  /** Line of the `func` keyword; for a `go func() {` literal, the `go` statement's line. */
  startLine: number;
}

export interface Line {
  /** Index into Profile.functions, or -1 when the line names no function. */
  fn: number;
  line: number;
  column: number;
}

export interface Location {
  id: number | bigint;
  /** Index into Profile.mappings, or -1. */
  mapping: number;
  address: bigint;
  /** Innermost inlined function first, the real frame last (as in the proto). */
  lines: Line[];
  isFolded: boolean;
}

export interface Label {
  key: string;
  /** Set for string labels. */
  str?: string;
  /** Set for numeric labels. */
  num?: number;
  numUnit?: string;
}

export interface Samples {
  count: number;
  /** Sample i's locations are locs[offsets[i] .. offsets[i+1]), leaf first, as indices into Profile.locations. */
  offsets: Uint32Array;
  /** 16-bit when the profile has fewer than 65,536 locations (most do): half the memory. */
  locs: Uint32Array | Uint16Array;
  /** count × sampleTypes.length values, row-major. */
  values: Float64Array;
  /** Index into Profile.labelSets per sample (0 = no labels). */
  labelSet: Uint32Array;
  /**
   * Set by the streaming decoder: the samples as compact bytes. offsets, locs, values and
   * labelSet are then built from them only when something reads them; top and the stack
   * filters read the bytes.
   */
  packed?: PackedSamples;
}

/**
 * Sample after sample, each an unsigned varint (values are never negative here): its location
 * count, its location ids leaf first (index + 1, the file's own bytes), its sampleTypes.length values, its label set.
 */
export interface PackedSamples {
  bytes: Uint8Array;
  /** Where sample i × BLOCK starts: samples are found from there (see packed.ts). */
  blocks: Uint32Array;
  /** Values per sample. */
  k: number;
  /** The most locations in one sample. */
  maxDepth: number;
}

export interface Profile {
  sampleTypes: ValueType[];
  /** Empty when the file names none. */
  defaultSampleType: string;
  samples: Samples;
  /** labelSets[0] is always the empty set. */
  labelSets: Label[][];
  mappings: Mapping[];
  locations: Location[];
  functions: ProfileFunction[];
  dropFrames: string;
  keepFrames: string;
  timeNanos: number;
  durationNanos: number;
  periodType: ValueType | undefined;
  period: number;
  comments: string[];
  docUrl: string;
}

/** Index of the sample type pprof shows by default: default_sample_type if set, else the last. */
export function defaultSampleIndex(p: Profile): number {
  if (p.defaultSampleType) {
    const i = p.sampleTypes.findIndex((t) => t.type === p.defaultSampleType);
    if (i >= 0) return i;
  }
  return p.sampleTypes.length - 1;
}

/** Resolves a sample type given by name (`alloc_space`) or index (`2`); undefined means the default. */
export function sampleIndex(p: Profile, which: string | undefined): number {
  if (which === undefined || which === '') return defaultSampleIndex(p);
  const byName = p.sampleTypes.findIndex((t) => t.type === which);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(which) && Number(which) < p.sampleTypes.length) return Number(which);
  throw new RangeError(`sample type "${which}" is not in this profile (it has ${p.sampleTypes.map((t) => t.type).join(', ')})`);
}

/** A short name for the kind of profile, from its sample types. */
export function profileKind(p: Profile): string {
  const types = p.sampleTypes.map((t) => t.type);
  const has = (t: string) => types.includes(t);
  if (has('cpu') || has('samples') && p.periodType?.type === 'cpu') return 'cpu';
  if (has('alloc_space') || has('inuse_space')) return p.defaultSampleType === 'alloc_space' ? 'allocs' : 'heap';
  // Mutex and block profiles share their sample types; the file does not say which it is.
  if (has('contentions') || has('delay')) return 'contention';
  if (has('goroutine')) return 'goroutine';
  if (has('threadcreate')) return 'threadcreate';
  return types[0] ?? 'unknown';
}
