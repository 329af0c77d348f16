// The Go compiler's JSON diagnostics (`-gcflags=-json=0,file://DIR`, what gopls reads): one
// `<file>.json` per source file, a header line then one LSP-shaped diagnostic per line with
// one-based line and character (bytes). Escapes have code `escape` / `escapes`, parameters
// that leak code `leak`; the reason chain is in relatedInformation (`escflow: …`). The JSON
// says `p escapes to heap` where -m says `moved to heap: p`; the flow tells them apart
// (its first step takes `&p`, the variable's own address).
import { FormatError } from '../errors';
import { flowText, type EscapeRecord, type FlowStep } from './escapes';

export interface GcJsonHeader {
  version: number;
  package: string;
  goos?: string;
  goarch?: string;
  gc_version: string;
  /** The source file the diagnostics are about, as the compiler names it. */
  file: string;
}

interface Position { line: number; character: number }
interface Related { location: { uri: string; range: { start: Position } }; message: string }
interface Diagnostic { range: { start: Position }; code?: string; message?: string; relatedInformation?: Related[] }

export interface GcJsonFile {
  header: GcJsonHeader;
  records: EscapeRecord[];
}

/** A `file://` URI of the compiler (absolute or a -trimpath import path) as a plain path. */
export function uriPath(uri: string): string {
  const p = uri.startsWith('file://') ? uri.slice('file://'.length) : uri;
  try { return decodeURIComponent(p); } catch { return p; }
}

/** Parses one -json file; `name` is used in errors. Throws FormatError on a line that is not the format. */
export function parseGcJson(text: string, name: string): GcJsonFile {
  const lines = text.split('\n');
  let offset = 0;
  let header: GcJsonHeader | undefined;
  const records: EscapeRecord[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const at = offset;
    offset += raw.length + 1;
    if (raw.trim() === '') continue;
    let v: unknown;
    try { v = JSON.parse(raw); } catch {
      throw new FormatError(`${name}: line ${i + 1} is not JSON`, at, 'expected the compiler\'s -json diagnostics (go build -gcflags=-json=0,file://DIR)');
    }
    if (!header) {
      const h = v as Partial<GcJsonHeader>;
      if (!h || typeof h !== 'object' || typeof h.version !== 'number' || typeof h.file !== 'string') {
        throw new FormatError(`${name}: no compiler -json header on line 1`, 0, 'expected {"version":0,"package":…,"file":…} as written by go build -gcflags=-json=0,file://DIR');
      }
      if (h.version !== 0) throw new FormatError(`${name}: compiler -json version ${h.version} is not supported`, 0, 'GoLens reads version 0');
      header = h as GcJsonHeader;
      continue;
    }
    const d = v as Diagnostic;
    if (!d || typeof d !== 'object' || !d.range?.start || typeof d.range.start.line !== 'number') {
      throw new FormatError(`${name}: line ${i + 1} is not a diagnostic`, at, 'each line after the header holds one {"range",…,"code","message"} object');
    }
    const rec = toRecord(header.file, d);
    if (!rec) continue;
    const id = `${rec.line}:${rec.column}\0${rec.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    records.push(rec);
  }
  if (!header) throw new FormatError(`${name}: empty file`, 0, 'expected the compiler\'s -json diagnostics');
  return { header, records };
}

function toRecord(file: string, d: Diagnostic): EscapeRecord | undefined {
  const msg = d.message ?? '';
  const line = d.range.start.line;
  const column = d.range.start.character;
  const flow: FlowStep[] = (d.relatedInformation ?? [])
    .filter((r) => typeof r.message === 'string' && r.message.startsWith('escflow:'))
    .map((r) => ({ file: uriPath(r.location.uri), line: r.location.range.start.line, column: r.location.range.start.character, text: flowText(r.message) }));
  if (d.code === 'leak') {
    // `parameter p leaks to {heap} with derefs=0`; leaks to a result (`to ~r0`) are not heap escapes.
    const m = /^parameter (\S+) leaks to \{heap\} with derefs=(\d+)/.exec(msg);
    if (!m) return undefined;
    const content = Number(m[2]) > 0;
    return { file, line, column, record: 'leak', subject: m[1], message: `leaking param${content ? ' content' : ''}: ${m[1]}`, flow };
  }
  if (d.code !== 'escape' && d.code !== 'escapes') return undefined;
  const m = /^(.+) escapes to heap$/.exec(msg);
  if (!m) return undefined;
  const subject = m[1];
  const first = flow.find((s) => s.text.startsWith('flow:'));
  if (first && first.text.endsWith(` ← &${subject}`)) {
    return { file, line, column, record: 'moved', subject, message: `moved to heap: ${subject}`, flow };
  }
  return { file, line, column, record: 'escapes', subject, message: msg, flow };
}
