// The Go compiler's escape-analysis diagnostics as text (`go build -gcflags=-m` or `-m=2`):
// `file:line:col: message`, and with -m=2 the reason chain before the summary line
// (`X escapes to heap in f:` / `  flow: a ← &x:` / `    from … (reason) at file:line:col`).
// Go 1.19–1.24 write the flow arrow as `=`, 1.25 on as `←`; both are read, `←` is kept.

/** One step of the compiler's explanation: `flow: ~r0 ← &p` or `from return &p (return)`. */
export interface FlowStep {
  file: string;
  /** One-based. */
  line: number;
  /** One-based, in bytes (as the compiler counts). */
  column: number;
  text: string;
}

/**
 * One heap escape the compiler reported, in `-m`'s words: `moved` (a variable moved to heap),
 * `escapes` (a value or allocation escapes to heap) or `leak` (a parameter leaks to heap).
 */
export interface EscapeRecord {
  file: string;
  line: number;
  column: number;
  record: 'moved' | 'escapes' | 'leak';
  /** The variable, expression or parameter: `p`, `make([]byte, n)`. */
  subject: string;
  /** As -m prints it: `moved to heap: p`, `v escapes to heap`, `leaking param: p`. */
  message: string;
  flow: FlowStep[];
}

const POS = /^(.+?):(\d+):(\d+): (.*)$/;

/** Normalises a flow line: no `escflow:` prefix, no trailing colon, `←` as the arrow. */
export function flowText(s: string): string {
  let t = s.replace(/^escflow:/, '').trim();
  if (t.endsWith(':')) t = t.slice(0, -1);
  const m = /^flow: (.*?) (?:=|←) (.*)$/.exec(t);
  return m ? `flow: ${m[1]} ← ${m[2]}` : t;
}

/** True for text that looks like compiler diagnostics (at least one `file:line:col: ` line). */
export function looksLikeCompilerText(text: string): boolean {
  return text.split('\n', 200).some((l) => POS.test(l) && /\.go:\d+:\d+: /.test(l));
}

/**
 * The heap escapes in -m / -m=2 output. Lines that are not diagnostics (`# pkg` headers,
 * inlining notes, `does not escape`) are skipped; parameters that leak only to a result
 * (`leaking param: p to result ~r0 level=0`) allocate nothing and are left out.
 */
export function parseEscapeText(text: string): EscapeRecord[] {
  const out: EscapeRecord[] = [];
  // The explanation lines printed before a summary, by position.
  const pending = new Map<string, FlowStep[]>();
  const seen = new Set<string>();
  for (const raw of text.split('\n')) {
    const m = POS.exec(raw.replace(/\r$/, ''));
    if (!m) continue;
    const [, file, l, c, rest] = m;
    const line = Number(l);
    const column = Number(c);
    const key = `${file}:${line}:${column}`;
    const body = rest.trim();
    if (/^\s/.test(rest)) {
      // A flow step: `flow: …:` or `from … (reason) at file:line:col`.
      const steps = pending.get(key) ?? [];
      const at = / at (.+?):(\d+):(\d+)$/.exec(body);
      const stepText = flowText(at ? body.slice(0, at.index) : body);
      steps.push(at ? { file: at[1], line: Number(at[2]), column: Number(at[3]), text: stepText } : { file, line, column, text: stepText });
      pending.set(key, steps);
      continue;
    }
    if (body.endsWith(':') && (/ escapes to heap(?: in .*)?:$/.test(body) || /^parameter .* leaks to /.test(body))) {
      pending.set(key, []);
      continue;
    }
    let record: EscapeRecord['record'] | undefined;
    let subject = '';
    let mm: RegExpExecArray | null;
    if ((mm = /^moved to heap: (.+)$/.exec(body))) { record = 'moved'; subject = mm[1]; }
    else if ((mm = /^(.+) escapes to heap$/.exec(body))) { record = 'escapes'; subject = mm[1]; }
    else if ((mm = /^leaking param(?: content)?: (\S+)$/.exec(body))) { record = 'leak'; subject = mm[1]; }
    if (!record) continue;
    const id = `${key}\0${body}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ file, line, column, record, subject, message: body, flow: fixFlowPositions(pending.get(key) ?? []) });
    pending.delete(key);
  }
  return out;
}

/** A `flow:` step takes the position of the `from` step after it (as the -json output has it). */
function fixFlowPositions(steps: FlowStep[]): FlowStep[] {
  return steps.map((s, i) => {
    if (!s.text.startsWith('flow:')) return s;
    const next = steps.slice(i + 1).find((t) => !t.text.startsWith('flow:'));
    return next ? { ...s, file: next.file, line: next.line, column: next.column } : s;
  });
}
