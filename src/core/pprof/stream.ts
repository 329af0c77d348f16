// Decodes a profile from its inflated bytes as they stream in, never holding them whole:
// samples go straight into a stack tree and value columns; every other top-level field (a few
// kilobytes: locations, functions, strings…) is kept as bytes and read by parseProfile at the
// end, in whatever order the file has them. It is an optimistic fast path: anything it does not
// read plainly (a framing error, an unknown wire shape, a dangling id) makes it give up, and the
// caller decodes the file the ordinary way, which says exactly what is wrong.
import { parseProfile, resolveLabelSets } from './decode';
import { MAX_SCRATCH_LABELS, RawLabelSets } from './labelsets';
import type { Profile } from './model';
import { PACKED_BLOCK, packedSamples, readVarint, varintEnd } from './packed';
import { Reader, readString, readTag } from './wire';

/** A column of numbers grown by doubling (untouched capacity costs no resident memory). */
class Column<T extends Uint32Array> {
  length = 0;
  constructor(public data: T) {}
  grow(make: (n: number) => T): void {
    const next = make(Math.max(1024, this.data.length * 2));
    next.set(this.data as never);
    this.data = next;
  }
}

/**
 * What becomes of the samples: packed (the profile holds them), skipped (counted only: the
 * profile's tables, for a second pass), or handed one by one to a visitor.
 */
export type SampleMode = 'pack' | 'skip' | SampleVisitor;

/** Takes samples one by one, each with its values; returns false to give up. */
export interface SampleVisitor {
  /** A sample whose location ids (index + 1) are ids[0 .. n), leaf first. */
  ids(ids: Uint32Array, n: number, values: Float64Array): boolean;
  /**
   * A sample whose location ids are the packed varints buf[from .. to), leaf first, as the file
   * has them (the shape Go writes): the visitor reads them, and gives up on a malformed one.
   */
  packed(buf: Uint8Array, from: number, to: number, values: Float64Array): boolean;
}

export class ProfileStream {
  /** False once the stream has met something it does not read: use the ordinary decoder. */
  ok = true;
  private pending: Uint8Array = new Uint8Array(0);
  /** Every top-level field but samples, as bytes, for parseProfile. */
  private rest = new Uint8Array(1 << 16);
  private restLen = 0;
  private k = 0;
  private strings: string[] = [];
  /** The samples, packed (PackedSamples); never longer than the inflated data. */
  private packed: Uint8Array;
  private packedLen = 0;
  private count = 0;
  /** Where every PACKED_BLOCK-th sample starts. */
  private readonly blocks = new Column(new Uint32Array(1024));
  private maxDepth = 0;
  /** The highest location id seen: stored as they are, valid when the locations are 1..N. */
  private maxId = 0;
  private readonly labels = new RawLabelSets();
  private ids = new Uint32Array(64);
  /** One sample's values: as many as the profile has sample types. */
  private scratch = new Float64Array(64);

  /**
   * `sizeHint`: the inflated size the gzip trailer claims. The packed samples are reserved at
   * that size at once: pages never written cost no memory, and nothing is copied as they grow.
   */
  constructor(sizeHint = 0, private readonly mode: SampleMode = 'pack') {
    this.packed = new Uint8Array(mode === 'pack' ? Math.max(1 << 16, sizeHint) : 0);
  }

  /** Feeds the next inflated bytes. */
  push(chunk: Uint8Array): void {
    if (!this.ok) return;
    let from = 0;
    const held = this.pending.length;
    if (held > 0) {
      // Completes the field cut off by the last chunk from the head of this one, without
      // copying the whole chunk: a few kilobytes first, more only for a longer field.
      for (let take = Math.min(chunk.length, 4096); ; take = Math.min(chunk.length, take * 4)) {
        const joined = new Uint8Array(held + take);
        joined.set(this.pending);
        joined.set(chunk.subarray(0, take), held);
        const end = this.fields(joined);
        if (!this.ok) return;
        if (end > held) { from = end - held; break; }
        if (take === chunk.length) { this.pending = joined; return; }
      }
    }
    const end = this.fields(chunk.subarray(from));
    if (!this.ok) return;
    // The field cut off by the chunk's end waits for the next chunk.
    this.pending = from + end === chunk.length ? new Uint8Array(0) : chunk.slice(from + end);
  }

  /** Reads the complete top-level fields at the start of buf; returns where the first incomplete one starts. */
  private fields(buf: Uint8Array): number {
    const n = buf.length;
    let p = 0;
    while (p < n) {
      const start = p;
      if (buf[p] === 0x12 && p + 1 < n && buf[p + 1] < 0x80) {
        // A sample under 128 bytes, the common field: its tag and length are a byte each.
        const end = p + 2 + buf[p + 1];
        if (end > n) break;
        if (this.mode === 'skip') this.count++;
        else if (!this.sample(buf, p + 2, end)) { this.ok = false; return 0; }
        p = end;
        continue;
      }
      // Tag and, for wire type 2, length: both short varints in any profile read here.
      let tag = 0;
      let shift = 0;
      for (;; shift += 7) {
        if (p >= n) { tag = -1; break; }
        if (shift > 28) { this.ok = false; return 0; }
        const b = buf[p++];
        tag += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
      }
      if (tag < 0) { p = start; break; }
      const field = Math.floor(tag / 8), wt = tag % 8;
      if (field === 0 || field > 15) { this.ok = false; return 0; }
      if (wt === 0) {
        // A scalar: kept whole for parseProfile.
        let q = p;
        while (q < n && buf[q] >= 0x80) q++;
        if (q >= n) { p = start; break; }
        p = q + 1;
        this.keep(buf, start, p);
        continue;
      }
      if (wt !== 2) { this.ok = false; return 0; }
      let len = 0;
      let done = false;
      for (shift = 0; ; shift += 7) {
        if (p >= n) break;
        if (shift > 28) { this.ok = false; return 0; }
        const b = buf[p++];
        len += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) { done = true; break; }
      }
      if (!done || p + len > n) { p = start; break; }
      const end = p + len;
      if (field === 2) {
        if (this.mode === 'skip') this.count++;
        else if (!this.sample(buf, p, end)) { this.ok = false; return 0; }
      } else {
        if (field === 1 && ++this.k > this.scratch.length) this.scratch = new Float64Array(2 * this.k);
        else if (field === 6) {
          const r = Reader.create(buf.subarray(start, end));
          readTag(r);
          this.strings.push(readString(r));
        }
        this.keep(buf, start, end);
      }
      p = end;
    }
    return p;
  }

  /** Samples read so far (kept, skipped or visited). */
  get samples(): number { return this.count; }

  /** True when everything pushed was read plainly and no field is cut off. */
  get complete(): boolean { return this.ok && this.pending.length === 0; }

  /** The profile (without samples unless they are packed), or undefined when the ordinary decoder must read the file. */
  finish(): Profile | undefined {
    if (!this.ok || this.pending.length > 0) return undefined;
    let base: Profile;
    try {
      base = parseProfile(this.rest.subarray(0, this.restLen));
    } catch {
      return undefined;
    }
    if (base.sampleTypes.length !== this.k || this.strings.length === 0) return undefined;
    // Go numbers locations 1..N: then an id is its index + 1, as stored.
    const locs = base.locations;
    if (this.maxId > locs.length || !locs.every((l, i) => l.id === i + 1)) return undefined;
    const count = this.count;
    const strings = this.strings;
    let labelSets;
    try {
      labelSets = resolveLabelSets(this.labels, (i) => {
        if (i < 0 || i >= strings.length || !Number.isInteger(i)) throw new RangeError('label string out of range');
        return strings[i];
      });
    } catch {
      return undefined;
    }
    if (this.mode !== 'pack') {
      // Samples not kept: the tables alone.
      return { ...base, samples: { count: 0, offsets: Uint32Array.of(0), locs: new Uint16Array(0), values: new Float64Array(0), labelSet: new Uint32Array(0) }, labelSets };
    }
    const packed = { bytes: this.packed.subarray(0, this.packedLen), blocks: this.blocks.data.subarray(0, this.blocks.length), k: this.k, maxDepth: this.maxDepth };
    const samples = packedSamples(count, packed, locs.length);
    return { ...base, samples, labelSets };
  }

  private keep(buf: Uint8Array, start: number, end: number): void {
    const need = this.restLen + end - start;
    if (need > this.rest.length) {
      const next = new Uint8Array(Math.max(need, this.rest.length * 2));
      next.set(this.rest.subarray(0, this.restLen));
      this.rest = next;
    }
    this.rest.set(buf.subarray(start, end), this.restLen);
    this.restLen = need;
  }

  /**
   * One sample's fields: location ids (packed or not), values (packed or not, 0 ≤ v < 2^53),
   * labels of plain varint fields. False for anything else.
   */
  private sample(buf: Uint8Array, p: number, end: number): boolean {
    const k = this.k;
    if (k === 0) return false; // sample types come first in every profile read here
    if (this.mode === 'pack') {
      const plain = this.plainSample(buf, p, end);
      if (plain !== undefined) return plain;
    } else if (typeof this.mode === 'object') {
      const plain = this.visitPlain(buf, p, end, this.mode);
      if (plain !== undefined) return plain;
    }
    let nIds = 0, nv = 0, nl = 0;
    const vals = this.scratch;
    while (p < end) {
      const tag = buf[p++];
      if (tag === 0x08 || tag === 0x10) {
        // One unpacked location id or value.
        const v = readVarint(buf, p, end);
        if (v === undefined) return false;
        p = varintEnd;
        if (tag === 0x08) { if (!this.pushId(v, nIds++)) return false; } else { if (nv >= k) return false; vals[nv++] = v; }
        continue;
      }
      if (tag !== 0x0a && tag !== 0x12 && tag !== 0x1a) return false;
      const flen = readVarint(buf, p, end);
      if (flen === undefined) return false;
      p = varintEnd;
      const e = p + flen;
      if (e > end) return false;
      if (tag === 0x0a) {
        while (p < e) {
          // Most ids are one byte.
          const b = buf[p];
          if (b > 0 && b < 0x80 && nIds < this.ids.length) {
            this.ids[nIds++] = b;
            if (b > this.maxId) this.maxId = b;
            p++;
            continue;
          }
          const id = readVarint(buf, p, e);
          if (id === undefined || !this.pushId(id, nIds++)) return false;
          p = varintEnd;
        }
      } else if (tag === 0x12) {
        while (p < e) {
          const v = readVarint(buf, p, e);
          if (v === undefined || nv >= k) return false;
          p = varintEnd;
          vals[nv++] = v;
        }
      } else {
        // A visitor has no use for labels (golens top's unfiltered pass).
        if (this.mode === 'pack' && (nl === MAX_SCRATCH_LABELS || !this.label(buf, p, e, nl++))) return false;
      }
      p = e;
    }
    if (nv !== k || p !== end) return false;
    if (typeof this.mode === 'object') { this.count++; return this.mode.ids(this.ids, nIds, vals); }
    const i = this.count++;
    if (i % PACKED_BLOCK === 0) {
      if (this.blocks.length === this.blocks.data.length) this.blocks.grow((n) => new Uint32Array(n));
      this.blocks.data[this.blocks.length++] = this.packedLen;
    }
    // At most 10 bytes per varint: the count, the ids, the values, the label set.
    const most = 10 * (2 + nIds + k);
    if (this.packedLen + most > this.packed.length) this.growPacked(most);
    let w = putVarint(this.packed, this.packedLen, nIds);
    for (let j = 0; j < nIds; j++) w = putVarint(this.packed, w, this.ids[j]);
    for (let j = 0; j < k; j++) w = putVarint(this.packed, w, vals[j]);
    this.packedLen = putVarint(this.packed, w, nl > 0 ? this.labels.intern(nl) : 0);
    if (nIds > this.maxDepth) this.maxDepth = nIds;
    return true;
  }

  /**
   * The shape Go writes, fast: packed ids, then packed values, then labels; the ids' and values'
   * varint bytes are copied as they are. Undefined (nothing committed) for anything else, which
   * the general path reads and rejects when it must.
   */
  private plainSample(buf: Uint8Array, p: number, end: number): true | undefined {
    // The ids' and the values' fields, in either order (Go writes the values first).
    const first = buf[p];
    if (p + 2 > end || (first !== 0x0a && first !== 0x12)) return undefined;
    const len1 = readVarint(buf, p + 1, end);
    if (len1 === undefined) return undefined;
    const s1 = varintEnd, e1 = s1 + len1;
    if (e1 + 2 > end || buf[e1] !== (first ^ 0x18)) return undefined; // 0x0a ^ 0x18 = 0x12
    const len2 = readVarint(buf, e1 + 1, end);
    if (len2 === undefined) return undefined;
    const s2 = varintEnd, e2 = s2 + len2;
    if (e2 > end) return undefined;
    const idsFirst = first === 0x0a;
    const flen = idsFirst ? len1 : len2, e = idsFirst ? e1 : e2, vs = idsFirst ? s2 : s1, ve = idsFirst ? e2 : e1, vlen = ve - vs;
    let q = idsFirst ? s1 : s2;
    const k = this.k;
    // The count (at most flen) takes as many bytes as flen would: padded, it needs no moving.
    const countBytes = flen < 0x80 ? 1 : flen < 0x4000 ? 2 : flen < 0x200000 ? 3 : 4;
    if (flen >= 0x10000000) return undefined;
    const most = countBytes + flen + vlen + 10;
    if (this.packedLen + most > this.packed.length) this.growPacked(most);
    const out = this.packed;
    const at = this.packedLen;
    let w = at + countBytes;
    let n = 0, max = this.maxId;
    while (q < e) {
      const b = buf[q];
      if (b > 0 && b < 0x80) { out[w++] = b; if (b > max) max = b; q++; n++; continue; }
      const id = readVarint(buf, q, e);
      if (id === undefined || id < 1 || id > 0xfffffffe) return undefined;
      if (id > max) max = id;
      while (q < varintEnd) out[w++] = buf[q++];
      n++;
    }
    // Values: exactly k, each below 2^53.
    let nv = 0;
    for (q = vs; q < ve; nv++) {
      if (readVarint(buf, q, ve) === undefined) return undefined;
      while (q < varintEnd) out[w++] = buf[q++];
    }
    if (nv !== k) return undefined;
    let nl = 0;
    for (q = e2; q < end;) {
      if (buf[q] !== 0x1a || nl === MAX_SCRATCH_LABELS) return undefined;
      const llen = readVarint(buf, q + 1, end);
      if (llen === undefined) return undefined;
      const ls = varintEnd;
      q = ls + llen;
      if (q > end || !this.label(buf, ls, q, nl++)) return undefined;
    }
    // Committed: the count, padded to countBytes.
    let c = n;
    for (let j = 0; j < countBytes - 1; j++) { out[at + j] = (c & 0x7f) | 0x80; c >>>= 7; }
    out[at + countBytes - 1] = c;
    this.packedLen = putVarint(out, w, nl > 0 ? this.labels.intern(nl) : 0);
    this.maxId = max;
    if (n > this.maxDepth) this.maxDepth = n;
    const i = this.count++;
    if (i % PACKED_BLOCK === 0) {
      if (this.blocks.length === this.blocks.data.length) this.blocks.grow((x) => new Uint32Array(x));
      this.blocks.data[this.blocks.length++] = at;
    }
    return true;
  }

  /**
   * A visitor's sample of the shape Go writes (the ids' and the values' packed fields in either
   * order, then labels, which a visitor has no use for): the values read here, the ids' bytes
   * handed over as they are, for the visitor to read and check (maxId does not see them).
   * Undefined (the visitor not called, nothing counted) for anything else: the general path
   * reads it.
   */
  private visitPlain(buf: Uint8Array, p: number, end: number, visit: SampleVisitor): boolean | undefined {
    const first = buf[p];
    if (p + 2 > end || (first !== 0x0a && first !== 0x12)) return undefined;
    let len1 = buf[p + 1], s1 = p + 2;
    if (len1 >= 0x80) {
      const v = readVarint(buf, p + 1, end);
      if (v === undefined) return undefined;
      len1 = v; s1 = varintEnd;
    }
    const e1 = s1 + len1;
    if (e1 + 2 > end || buf[e1] !== (first ^ 0x18)) return undefined; // 0x0a ^ 0x18 = 0x12
    let len2 = buf[e1 + 1], s2 = e1 + 2;
    if (len2 >= 0x80) {
      const v = readVarint(buf, e1 + 1, end);
      if (v === undefined) return undefined;
      len2 = v; s2 = varintEnd;
    }
    const e2 = s2 + len2;
    if (e2 > end) return undefined;
    // Labels: framed plainly, not read.
    for (let q = e2; q < end;) {
      if (buf[q] !== 0x1a) return undefined;
      const llen = readVarint(buf, q + 1, end);
      if (llen === undefined) return undefined;
      q = varintEnd + llen;
      if (q > end) return undefined;
    }
    const idsFirst = first === 0x0a;
    const vs = idsFirst ? s2 : s1, ve = idsFirst ? e2 : e1;
    // Values: exactly k, each below 2^53.
    const k = this.k, vals = this.scratch;
    let nv = 0;
    for (let q = vs; q < ve;) {
      if (nv === k) return undefined;
      const b = buf[q];
      if (b < 0x80) { vals[nv++] = b; q++; continue; }
      const v = readVarint(buf, q, ve);
      if (v === undefined) return undefined;
      vals[nv++] = v; q = varintEnd;
    }
    if (nv !== k) return undefined;
    this.count++;
    return idsFirst ? visit.packed(buf, s1, e1, vals) : visit.packed(buf, s2, e2, vals);
  }

  /** Label nl of the sample from its bytes [p, e) into the scratch; false for a shape not read here. */
  private label(buf: Uint8Array, p: number, e: number, nl: number): boolean {
    const q = this.labels.scratch;
    const at = 4 * nl;
    q[at] = 0; q[at + 1] = 0; q[at + 2] = 0; q[at + 3] = 0;
    while (p < e) {
      const ft = buf[p++];
      const f = ft >>> 3;
      if ((ft & 7) !== 0 || f < 1 || f > 4) return false; // Label's fields are varints 1..4
      const v = readVarint(buf, p, e);
      if (v === undefined) return false;
      p = varintEnd;
      if (f !== 3 && v > 0x7fffffff) return false;
      q[at + f - 1] = v;
    }
    return true;
  }

  private growPacked(need: number): void {
    const next = new Uint8Array(Math.max(this.packedLen + need, this.packed.length * 2));
    next.set(this.packed.subarray(0, this.packedLen));
    this.packed = next;
  }

  private pushId(id: number, at: number): boolean {
    if (id < 1 || id > 0xfffffffe) return false;
    if (id > this.maxId) this.maxId = id;
    if (at === this.ids.length) {
      const next = new Uint32Array(this.ids.length * 2);
      next.set(this.ids);
      this.ids = next;
    }
    this.ids[at] = id;
    return true;
  }
}

/** Writes v (0 ≤ v < 2^53) as a varint at p; returns the end. */
function putVarint(out: Uint8Array, p: number, v: number): number {
  if (v < 0x80) { out[p] = v; return p + 1; }
  while (v >= 0x80) {
    out[p++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[p++] = v;
  return p;
}
