// Escape hints: the compiler's heap escapes joined with what an allocation profile measured
// on the same lines, ranked by bytes, each with why it escapes and what usually fixes it.
import { WrongKindError } from '../errors';
import { formatBytes, formatShare } from '../format';
import type { Profile } from '../pprof/model';
import { frameTable } from '../pprof/stacks';
import type { EscapeRecord, FlowStep } from '../text/escapes';

/** Why a value ends up on the heap, read from the compiler's message and flow. */
export type EscapeKind =
  | 'returned' | 'interface' | 'closure' | 'non-constant-size' | 'too-large'
  | 'leaking-param' | 'call-parameter' | 'stored' | 'other';

export const ESCAPE_KINDS: Record<EscapeKind, { why: string; fix: string }> = {
  'returned': { why: 'returned as a pointer', fix: 'return the value instead of a pointer, or let the caller pass in the storage' },
  'interface': { why: 'converted to an interface', fix: 'keep the concrete type on hot paths (no any, fmt or interface parameters for it)' },
  'closure': { why: 'captured by a closure that outlives the call', fix: 'pass the value to the func literal as an argument, or do not keep the closure' },
  'non-constant-size': { why: 'make with a size not known at compile time', fix: 'use a constant size (or capacity) when there is a small upper bound, or reuse the buffer' },
  'too-large': { why: 'too large for the stack', fix: 'reuse the buffer across calls (a field, a parameter or sync.Pool) instead of allocating it each time' },
  'leaking-param': { why: 'the parameter is kept after the call returns', fix: 'copy what you need instead of keeping the pointer; every caller\'s argument escapes' },
  'call-parameter': { why: 'passed to a function that keeps it', fix: 'make the callee not retain the pointer, or pass a value' },
  'stored': { why: 'stored in a global or a heap object', fix: 'store a value or an index instead of a pointer, or keep the object local' },
  'other': { why: 'escapes to the heap', fix: 'see the flow for where it leaves the function' },
};

export function classifyEscape(r: EscapeRecord): EscapeKind {
  if (r.record === 'leak') return 'leaking-param';
  const reasons = r.flow.map((s) => /\(([^()]*)\)$/.exec(s.text)?.[1] ?? '');
  if (reasons.includes('too large for stack')) return 'too-large';
  if (reasons.includes('non-constant size')) return 'non-constant-size';
  if (r.subject === 'func literal' || reasons.includes('captured by a closure')) return 'closure';
  const first = r.flow.find((s) => s.text.startsWith('flow:'));
  // An implicit allocation for a plain value (`&{storage for v}`) is an interface conversion.
  if (r.record === 'escapes' && first && /← &\{storage for /.test(first.text) && !/^(?:&|make\(|new\(|\[\]|map\[|func literal|string\(|\[\]byte\()/.test(r.subject) && !/\{\.\.\.\}$/.test(r.subject)) return 'interface';
  if (r.record === 'escapes' && /^(?:\S+\.)?(?:Sprint|Sprintf|Sprintln|Print|Printf|Println|Fprint|Fprintf|Fprintln|Errorf)\(/.test(r.subject)) return 'interface';
  if (reasons.includes('call parameter')) return 'call-parameter';
  if (reasons.includes('return')) return 'returned';
  if (first && /^flow: \{heap\} ←/.test(first.text)) return 'stored';
  if (reasons.some((x) => x === 'assign' || x === 'store')) return 'stored';
  return 'other';
}

export interface LineAlloc {
  bytes: number;
  objects: number;
}

export interface AllocIndex {
  /** Allocations by `file\0line` of the leaf frame (inlined frames expanded): pprof's flat per line. */
  byLine: Map<string, LineAlloc>;
  totalBytes: number;
  totalObjects: number;
}

/**
 * alloc_space / alloc_objects per source line, charged to each sample's leaf frame with
 * inlining expanded, as `pprof -top -lines` shows them; `resolve` maps the profile's file
 * paths (e.g. to workspace files) so they meet the compiler's.
 */
export function allocsByLine(p: Profile, resolve: (file: string) => string = (f) => f): AllocIndex {
  const bi = p.sampleTypes.findIndex((t) => t.type === 'alloc_space');
  const oi = p.sampleTypes.findIndex((t) => t.type === 'alloc_objects');
  if (bi < 0) {
    const have = p.sampleTypes.map((t) => t.type).join(', ') || 'none';
    throw new WrongKindError(`the profile has no alloc_space sample type (it has ${have})`, 'a heap or allocs profile', 'profile');
  }
  const { frames, byLocation } = frameTable(p);
  const n = p.sampleTypes.length;
  const s = p.samples;
  const byLine = new Map<string, LineAlloc>();
  const resolved = new Map<string, string>();
  let totalBytes = 0;
  let totalObjects = 0;
  for (let i = 0; i < s.count; i++) {
    const bytes = s.values[i * n + bi];
    const objects = oi >= 0 ? s.values[i * n + oi] : 0;
    totalBytes += bytes;
    totalObjects += objects;
    if (s.offsets[i + 1] === s.offsets[i]) continue;
    const lf = byLocation[s.locs[s.offsets[i]]];
    const f = frames[lf[lf.length - 1]];
    if (!f.file) continue;
    let file = resolved.get(f.file);
    if (file === undefined) { file = resolve(f.file); resolved.set(f.file, file); }
    const key = `${file}\0${f.line}`;
    const a = byLine.get(key) ?? { bytes: 0, objects: 0 };
    a.bytes += bytes;
    a.objects += objects;
    byLine.set(key, a);
  }
  return { byLine, totalBytes, totalObjects };
}

export interface EscapeHint {
  file: string;
  line: number;
  column: number;
  kind: EscapeKind;
  /** The compiler's words (as -m prints them), the bytes and the reason: one line. */
  message: string;
  /** The compiler's own message: `moved to heap: p`. */
  compiler: string;
  why: string;
  fix: string;
  allocBytes: number;
  allocObjects: number;
  /** allocBytes over the profile's total alloc_space (0 without a profile). */
  share: number;
  flow: FlowStep[];
}

export interface HintOptions {
  /** Maps the compiler's file paths; records mapped to undefined are dropped (other packages, GOROOT). */
  resolve?: (file: string) => string | undefined;
  allocs?: AllocIndex;
  /** Keep escapes where the profile measured no allocation (always kept without a profile). */
  all?: boolean;
}

export interface HintResult {
  hints: EscapeHint[];
  /** Escapes left out because the profile measured nothing on their line. */
  hidden: number;
}

/** Heap escapes as ranked hints: allocBytes descending, then file, line, column. */
export function escapeHints(records: EscapeRecord[], opts: HintOptions = {}): HintResult {
  const resolve = opts.resolve ?? ((f: string) => f);
  const hints: EscapeHint[] = [];
  const seen = new Set<string>();
  let hidden = 0;
  for (const r of records) {
    const file = resolve(r.file);
    if (file === undefined) continue;
    const id = `${file}:${r.line}:${r.column}\0${r.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const kind = classifyEscape(r);
    const a = opts.allocs?.byLine.get(`${file}\0${r.line}`);
    const allocBytes = a?.bytes ?? 0;
    const allocObjects = a?.objects ?? 0;
    if (opts.allocs && !opts.all && allocBytes === 0) { hidden++; continue; }
    const share = opts.allocs && opts.allocs.totalBytes > 0 ? allocBytes / opts.allocs.totalBytes : 0;
    const { why, fix } = ESCAPE_KINDS[kind];
    const measured = !opts.allocs ? '' : allocBytes > 0 ? ` — ${formatBytes(allocBytes)} allocated here (${formatShare(share)})` : ' — no allocation measured here';
    hints.push({
      file, line: r.line, column: r.column, kind, message: `${r.message}${measured} — ${why}`, compiler: r.message, why, fix,
      allocBytes, allocObjects, share, flow: r.flow.map((s) => ({ ...s, file: resolve(s.file) ?? s.file })),
    });
  }
  hints.sort((x, y) => y.allocBytes - x.allocBytes || (x.file < y.file ? -1 : x.file > y.file ? 1 : 0) || x.line - y.line || x.column - y.column);
  return { hints, hidden };
}

