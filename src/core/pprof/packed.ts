// Samples kept as compact varint bytes (see PackedSamples): a million stacks of depth 20 with a
// few hundred locations take ~30 MB instead of ~90 MB of offset, location, value and label
// columns. The columns are built from the bytes only when a report that walks them asks.
import type { PackedSamples, Samples } from './model';

/** One start offset is kept per BLOCK samples; a sample is found by skipping from its block's start. */
export const PACKED_BLOCK = 16;

/** Where the last varint read by `varintAt` or `readVarint` ended (a live binding: read it right after the call). */
export let varintEnd = 0;

/**
 * The unsigned varint at bytes[p] (below 2^53: the packer writes no larger ones); where it ended
 * is left in `varintEnd`, so a hot loop allocates nothing. Shared by every walk of packed samples.
 */
export function varintAt(bytes: Uint8Array, p: number): number {
  let b = bytes[p++];
  if (b < 0x80) { varintEnd = p; return b; }
  let v = b & 0x7f;
  for (let mul = 128; ; mul *= 128) {
    b = bytes[p++];
    v += (b & 0x7f) * mul;
    if (b < 0x80) break;
  }
  varintEnd = p;
  return v;
}

/**
 * The unsigned varint at buf[p] that ends before `end`, below 2^53 (undefined past that, or past
 * `end`: negative int64 values, ten bytes, give up); where it ended is left in `varintEnd`.
 */
export function readVarint(buf: Uint8Array, p: number, end: number): number | undefined {
  if (p < end && buf[p] < 0x80) { varintEnd = p + 1; return buf[p]; }
  let v = 0;
  for (let mul = 1; ; mul *= 128) {
    if (p >= end) return undefined;
    const b = buf[p++];
    if (mul === 2 ** 49 && b > 0x0f) return undefined;
    v += (b & 0x7f) * mul;
    if (b < 0x80) break;
    if (mul === 2 ** 49) return undefined;
  }
  varintEnd = p;
  return v;
}

// The last sample found, so walking samples in order costs one skip each.
let lastPacked: PackedSamples | undefined;
let lastIndex = 0;
let lastPos = 0;

/** Where sample i starts. */
function sampleAt(packed: PackedSamples, i: number): number {
  let j: number, p: number;
  if (lastPacked === packed && lastIndex <= i && i - lastIndex < PACKED_BLOCK) { j = lastIndex; p = lastPos; }
  else { j = i - (i % PACKED_BLOCK); p = packed.blocks[j / PACKED_BLOCK]; }
  const bytes = packed.bytes;
  for (; j < i; j++) {
    // Skip the count, that many locations, the values and the label set.
    let n = varintAt(bytes, p) + packed.k + 1;
    p = varintEnd;
    for (; n > 0; n--) while (bytes[p++] >= 0x80);
  }
  lastPacked = packed; lastIndex = i; lastPos = p;
  return p;
}

/** Writes sample i's location indices into out root first (out holds packed.maxDepth); returns how many. */
export function packedStack(packed: PackedSamples, i: number, out: Uint32Array): number {
  const bytes = packed.bytes;
  const n = varintAt(bytes, sampleAt(packed, i));
  let p = varintEnd;
  for (let j = n - 1; j >= 0; j--) {
    const b = bytes[p];
    if (b < 0x80) { out[j] = b - 1; p++; } else { out[j] = varintAt(bytes, p) - 1; p = varintEnd; }
  }
  return n;
}

/** Sample i's value of sample type si. */
export function packedValue(packed: PackedSamples, i: number, si: number): number {
  const bytes = packed.bytes;
  let n = varintAt(bytes, sampleAt(packed, i));
  let p = varintEnd;
  for (n += si; n > 0; n--) while (bytes[p++] >= 0x80);
  return varintAt(bytes, p);
}

/** Samples over packed bytes; offsets, locs, values and labelSet are built the first time one is read. */
export function packedSamples(count: number, packed: PackedSamples, locationCount: number): Samples {
  const k = packed.k;
  let columns: { offsets: Uint32Array; locs: Uint32Array | Uint16Array; values: Float64Array; labelSet: Uint32Array } | undefined;
  const build = () => {
    if (columns) return columns;
    const bytes = packed.bytes;
    const offsets = new Uint32Array(count + 1);
    let refs = 0;
    for (let i = 0; i < count; i++) { offsets[i] = refs; refs += varintAt(bytes, sampleAt(packed, i)); }
    offsets[count] = refs;
    const locs = locationCount <= 0xffff ? new Uint16Array(refs) : new Uint32Array(refs);
    const values = new Float64Array(count * k);
    const labelSet = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const n = varintAt(bytes, sampleAt(packed, i));
      let p = varintEnd;
      for (let j = 0; j < n; j++) { locs[offsets[i] + j] = varintAt(bytes, p) - 1; p = varintEnd; }
      for (let j = 0; j < k; j++) { values[i * k + j] = varintAt(bytes, p); p = varintEnd; }
      labelSet[i] = varintAt(bytes, p);
    }
    columns = { offsets, locs, values, labelSet };
    return columns;
  };
  return {
    count, packed,
    get offsets() { return build().offsets; },
    get locs() { return build().locs; },
    get values() { return build().values; },
    get labelSet() { return build().labelSet; },
  };
}

/** Sample i's label set (an index into Profile.labelSets). */
export function packedLabelSet(packed: PackedSamples, i: number): number {
  const bytes = packed.bytes;
  let n = varintAt(bytes, sampleAt(packed, i)) + packed.k;
  let p = varintEnd;
  for (; n > 0; n--) while (bytes[p++] >= 0x80);
  return varintAt(bytes, p);
}
