// The samples of one sample type as root→leaf frame lists, after pprof's filters:
// focus / ignore / hide / show on frame names (profile/filter.go) and tag focus / ignore
// on labels (driver's tagfocus). Every report — top, call tree, diff — starts here.
import type { Label, Profile } from './model';
import { packedLabelSet, packedStack, packedValue } from './packed';
import { compileGoRegexp } from './regexp';
import { withLabelFrames } from './labelframes';
import { tagMatcher, type TagMatch } from './tags';

/** One frame: a location's line, with its inlining already expanded. */
export interface Frame {
  /** Function name; empty for a location without symbols (see address) or a nameless function. */
  name: string;
  /** For a location without lines (no symbols): its address in hex, which pprof aggregates away. */
  address?: string;
  file: string;
  line: number;
  startLine: number;
  /** Index into Profile.functions, or -1. */
  fn: number;
  /** Mapping file, used when there is no function name. */
  object: string;
  /** True when this frame was inlined into its caller (not the location's last line). */
  inlined: boolean;
}

export interface Filters {
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  /** pprof -tagfocus: `key=regexp[,regexp]`, `regexp` (matches "key:value"), or a numeric range like `bytes=1kb:`. */
  tagFocus?: string[];
  tagIgnore?: string[];
  /** pprof -tagroot / -tagleaf: label keys whose values become frames at the root / leaf (see labelframes.ts). */
  tagRoot?: string[];
  tagLeaf?: string[];
}

/**
 * The kept samples of one sample type. Stacks are not copied: each kept sample points at
 * its profile sample, whose locations map to frame lists (after hide/show) in locFrames.
 */
export interface StackSet {
  profile: Profile;
  sampleIndex: number;
  frames: Frame[];
  /** Per location: its frame ids root→leaf after hide/show (possibly empty). */
  locFrames: Uint32Array[];
  /** Kept sample x is profile sample samples[x]; undefined when every sample is kept (x itself). */
  samples: Uint32Array | undefined;
  values: Float64Array;
  /** Sum of |value| over every sample before filtering: pprof's "of N total". */
  total: number;
  count: number;
  /** The deepest kept stack, in frames: the size stackInto needs. */
  maxDepth: number;
}

/**
 * Writes kept sample x's frame ids, root first, into out; returns how many. With `inlined`,
 * marks each frame that is inlined as pprof sees it after hide/show: any but the first kept
 * frame of its location (hiding a location's real frame makes its outermost kept line real).
 */
export function stackInto(set: StackSet, x: number, out: Uint32Array, inlined?: Uint8Array): number {
  const s = set.profile.samples;
  const i = sampleOf(set, x);
  let n = 0;
  if (s.packed) {
    if (path.length < s.packed.maxDepth) path = new Uint32Array(s.packed.maxDepth);
    const m = packedStack(s.packed, i, path);
    for (let j = 0; j < m; j++) {
      const lf = set.locFrames[path[j]];
      for (let q = 0; q < lf.length; q++) {
        if (inlined) inlined[n] = q > 0 ? 1 : 0;
        out[n++] = lf[q];
      }
    }
    return n;
  }
  for (let j = s.offsets[i + 1] - 1; j >= s.offsets[i]; j--) {
    const lf = set.locFrames[s.locs[j]];
    for (let q = 0; q < lf.length; q++) {
      if (inlined) inlined[n] = q > 0 ? 1 : 0;
      out[n++] = lf[q];
    }
  }
  return n;
}

/** The profile sample that kept sample x is. */
export function sampleOf(set: StackSet, x: number): number {
  return set.samples ? set.samples[x] : x;
}

/** Location indices of one packed stack, root first. */
let path = new Uint32Array(64);

interface FrameTable {
  frames: Frame[];
  /** Per location: its frame ids root→leaf (last line first). */
  byLocation: Uint32Array[];
}

const frameTables = new WeakMap<Profile, FrameTable>();

export function frameTable(p: Profile): FrameTable {
  let t = frameTables.get(p);
  if (t) return t;
  const frames: Frame[] = [];
  const ids = new Map<string, number>();
  const byLocation: Uint32Array[] = new Array(p.locations.length);
  for (let li = 0; li < p.locations.length; li++) {
    const loc = p.locations[li];
    const object = loc.mapping >= 0 ? p.mappings[loc.mapping].file : '';
    const n = loc.lines.length;
    if (n === 0) {
      const f: Frame = { name: '', address: '0x' + loc.address.toString(16), file: '', line: 0, startLine: 0, fn: -1, object, inlined: false };
      byLocation[li] = Uint32Array.of(intern(ids, frames, f));
      continue;
    }
    const out = new Uint32Array(n);
    for (let j = 0; j < n; j++) {
      const ln = loc.lines[n - 1 - j];
      const fn = ln.fn >= 0 ? p.functions[ln.fn] : undefined;
      out[j] = intern(ids, frames, {
        name: fn ? fn.name : '', file: fn ? fn.filename : '', line: ln.line, startLine: fn ? fn.startLine : 0,
        fn: ln.fn, object, inlined: j > 0,
      });
    }
    byLocation[li] = out;
  }
  t = { frames, byLocation };
  frameTables.set(p, t);
  return t;
}

function intern(ids: Map<string, number>, frames: Frame[], f: Frame): number {
  const key = `${f.fn}\u0000${f.name}\u0000${f.line}\u0000${f.inlined ? 1 : 0}\u0000${f.object}\u0000${f.address ?? ''}`;
  let id = ids.get(key);
  if (id === undefined) { id = frames.length; frames.push(f); ids.set(key, id); }
  return id;
}

/** Frames of the samples of one sample type, filtered as pprof filters them. */
export function stacks(p: Profile, sampleIndex: number, filters: Filters = {}, scaleBy = 1): StackSet {
  // As pprof, label frames come first, so the filters below see them.
  p = withLabelFrames(p, filters.tagRoot ?? [], filters.tagLeaf ?? []);
  const { frames, byLocation } = frameTable(p);
  const k = p.sampleTypes.length;
  const s = p.samples;

  let total = 0;
  if (s.packed) for (let i = 0; i < s.count; i++) total += Math.abs(scaled(packedValue(s.packed, i, sampleIndex), scaleBy));
  else for (let i = 0; i < s.count; i++) total += Math.abs(scaled(s.values[i * k + sampleIndex], scaleBy));

  const focus = filters.focus ? compileGoRegexp(filters.focus, 'focus') : undefined;
  const ignore = filters.ignore ? compileGoRegexp(filters.ignore, 'ignore') : undefined;
  const hide = filters.hide ? compileGoRegexp(filters.hide, 'hide') : undefined;
  const show = filters.show ? compileGoRegexp(filters.show, 'show') : undefined;
  const byName = !!(focus || ignore || hide || show);

  // Per location: 1 focused, -1 ignored, 0 neither; and its frames after hide/show.
  let focusState: Int8Array | undefined;
  let locFrames = byLocation;
  if (byName) {
    focusState = new Int8Array(p.locations.length);
    locFrames = byLocation.slice();
    for (let li = 0; li < p.locations.length; li++) {
      const loc = p.locations[li];
      const object = loc.mapping >= 0 ? p.mappings[loc.mapping].file : '';
      const matches = (re: RegExp) => loc.lines.some((ln) => ln.fn >= 0 && lineMatches(p, ln.fn, re)) || (object !== '' && re.test(object));
      if (ignore && matches(ignore)) focusState[li] = -1;
      else if (!focus || matches(focus)) focusState[li] = 1;
      if (hide && matches(hide)) {
        locFrames[li] = object !== '' && hide.test(object) ? new Uint32Array(0)
          : locFrames[li].filter((fid) => { const f = frames[fid]; return f.fn < 0 || !lineMatches(p, f.fn, hide); });
      }
      if (show && !(object !== '' && show.test(object))) {
        locFrames[li] = loc.lines.length === 0 ? new Uint32Array(0) : locFrames[li].filter((fid) => { const f = frames[fid]; return f.fn < 0 || lineMatches(p, f.fn, show); });
      }
    }
  }
  const tagFocus = (filters.tagFocus ?? []).map((t) => tagMatcher(t, 'tagfocus'));
  const tagIgnore = (filters.tagIgnore ?? []).map((t) => tagMatcher(t, 'tagignore'));

  // Packed samples with no filter keep every sample: no index column (4 MB a million samples).
  const all = !!s.packed && !byName && tagFocus.length === 0 && tagIgnore.length === 0;
  const keep = new Uint32Array(all ? 0 : s.count);
  const values = new Float64Array(s.count);
  let count = 0;
  let maxDepth = 0;
  const packed = s.packed;
  if (packed && path.length < packed.maxDepth) path = new Uint32Array(packed.maxDepth);
  for (let i = 0; i < s.count; i++) {
    if (packed) {
      // Streamed samples: read from their bytes, never as columns.
      const m = packedStack(packed, i, path);
      let n = 0, focused = false, ignored = false;
      for (let j = 0; j < m; j++) {
        const li = path[j];
        n += locFrames[li].length;
        if (focusState) { const st = focusState[li]; if (st < 0) ignored = true; else if (st > 0) focused = true; }
      }
      if (focusState && (ignored || !focused)) continue;
      if (!keepLabels(p, i, tagFocus, tagIgnore)) continue;
      if (n === 0 && byName) continue;
      if (n > maxDepth) maxDepth = n;
      if (!all) keep[count] = i;
      values[count] = scaled(packedValue(packed, i, sampleIndex), scaleBy);
      count++;
      continue;
    }
    const a = s.offsets[i], b = s.offsets[i + 1];
    if (focusState) {
      let focused = false, ignored = false;
      for (let j = a; j < b; j++) {
        const st = focusState[s.locs[j]];
        if (st < 0) { ignored = true; break; }
        if (st > 0) focused = true;
      }
      if (ignored || !focused) continue;
    }
    if (!keepLabels(p, i, tagFocus, tagIgnore)) continue;
    let n = 0;
    for (let j = a; j < b; j++) n += locFrames[s.locs[j]].length;
    if (n === 0 && byName) continue;
    if (n > maxDepth) maxDepth = n;
    keep[count] = i;
    values[count] = scaled(s.values[i * k + sampleIndex], scaleBy);
    count++;
  }
  return {
    profile: p, sampleIndex, frames, locFrames, samples: all ? undefined : keep.subarray(0, count), values: values.subarray(0, count),
    total, count, maxDepth,
  };
}

function keepLabels(p: Profile, i: number, tagFocus: TagMatch[], tagIgnore: TagMatch[]): boolean {
  if (!tagFocus.length && !tagIgnore.length) return true;
  const s = p.samples;
  const labels = p.labelSets[s.packed ? packedLabelSet(s.packed, i) : s.labelSet[i]];
  return tagFocus.every((m) => m(labels)) && !tagIgnore.some((m) => m(labels));
}

function lineMatches(p: Profile, fn: number, re: RegExp): boolean {
  const f = p.functions[fn];
  return re.test(f.name) || re.test(f.filename);
}

/** Go's int64(math.Round(v * ratio)), as pprof's ScaleN applies it. */
function scaled(v: number, ratio: number): number {
  if (ratio === 1) return v;
  const x = v * ratio;
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

export function labelsOf(set: StackSet, x: number): Label[] {
  const s = set.profile.samples;
  const i = sampleOf(set, x);
  return set.profile.labelSets[s.packed ? packedLabelSet(s.packed, i) : s.labelSet[i]];
}
