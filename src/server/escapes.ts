// Escape-analysis diagnostics: when a .go file is opened or saved (debounced), the user's go
// compiles every package of the file's module with -m=2 (trusted workspaces only, with a
// timeout, cancelled by the next run), the heap escapes are joined with the allocation
// profiles the workspace names, and each file of the module gets Information diagnostics
// with code `golens.escape`, the flow as related information.
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import type { EscapeHint } from '../core/analysis/escapes';
import { formatBytes } from '../core/format';
import { moduleEnv, resolveGoBinary, runEscapeBuild, workspaceModule, type GoBuildResult } from '../core/io/gobuild';
import { parseEscapeText } from '../core/text/escapes';
import { escapesFrom } from '../core/artifacts/escapes';
import { WrongKindError } from '../core/errors';
import { ESCAPE_CODE, type EscapeStats } from '../protocol/escapes';
import { isAbsolute, join } from 'node:path';

export interface ModuleAnalysis {
  hints: EscapeHint[];
  hidden: number;
  build: GoBuildResult;
  /** Profiles that could not be used, with why. */
  profileErrors: string[];
}

/**
 * Runs go on a module and turns its escapes into hints: the code path of the editor's
 * diagnostics (the unit tests run it with a real toolchain).
 */
export async function analyzeModule(opts: {
  go: string; moduleDir: string; profiles: string[]; timeoutMs: number; all?: boolean; signal?: AbortSignal;
  env?: Record<string, string | undefined>; onOutput?: (s: string) => void;
  /** The server's build path → workspace mapper (without: one for this module alone). */
  map?: (buildPath: string) => string | undefined;
}): Promise<ModuleAnalysis> {
  const build = await runEscapeBuild({ go: opts.go, cwd: opts.moduleDir, timeoutMs: opts.timeoutMs, signal: opts.signal, env: opts.env, onOutput: opts.onOutput });
  const map = opts.map;
  // The compiler prints paths relative to its working directory, the module.
  const resolve = map ? (f: string) => map(isAbsolute(f) ? f : join(opts.moduleDir, f)) ?? (isAbsolute(f) ? undefined : map(f)) : undefined;
  const profileErrors: string[] = [];
  const records = build.stopped ? [] : parseEscapeText(build.text);
  const { result: res } = escapesFrom({
    records, moduleDir: opts.moduleDir, baseDir: opts.moduleDir, profiles: opts.profiles, all: opts.all, resolve,
    // Other profiles among the artifacts (CPU, goroutine) are not for this feature.
    skipProfile: (p, e) => { if (!(e instanceof WrongKindError)) profileErrors.push(`${p}: ${e.message}`); },
  });
  return { hints: res.hints, hidden: res.hidden, build, profileErrors };
}

/** The editor's diagnostics for hints, by file URI. */
export function escapeDiagnostics(hints: EscapeHint[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const h of hints) {
    const uri = pathToFileURL(h.file).toString();
    const pos = { line: h.line - 1, character: Math.max(0, h.column - 1) };
    const related: DiagnosticRelatedInformation[] = h.flow.map((s) => ({
      location: { uri: pathToFileURL(s.file).toString(), range: { start: { line: s.line - 1, character: Math.max(0, s.column - 1) }, end: { line: s.line - 1, character: Math.max(0, s.column - 1) } } },
      message: s.text,
    }));
    related.push({ location: { uri, range: { start: pos, end: pos } }, message: `usually fixed by: ${h.fix}` });
    const list = out.get(uri) ?? [];
    list.push({
      range: { start: pos, end: { line: pos.line, character: pos.character + subjectLength(h) } },
      severity: DiagnosticSeverity.Information,
      code: ESCAPE_CODE,
      source: 'golens',
      message: h.message,
      relatedInformation: related,
      data: { kind: h.kind, allocBytes: h.allocBytes, allocObjects: h.allocObjects },
    });
    out.set(uri, list);
  }
  return out;
}

/** How many characters of the line the diagnostic underlines: the variable or the expression's head. */
function subjectLength(h: EscapeHint): number {
  const m = /^(?:moved to heap|leaking param(?: content)?): (.+)$/.exec(h.compiler) ?? /^(.+) escapes to heap$/.exec(h.compiler);
  const s = m?.[1] ?? '';
  if (s === 'func literal') return 4;
  if (/^\w+\(/.test(s)) return 1; // the compiler places a call at its '('
  const head = /^[&*]?[\w.]+/.exec(s)?.[0] ?? s;
  return Math.max(1, head.length);
}

/** The lines of go build's output that are not -m / -m=2 diagnostics nor `# package` headers. */
export function goMessages(text: string): string[] {
  const m = /:\d+(?::\d+)?: (?:\s|can inline|cannot inline|inlining call|.* escapes to heap|.* does not escape|moved to heap|leaking param|parameter .* leaks|.* leaks to|.*: no escape$|.* ignoring self-assignment|.* capturing by |func literal)/;
  return text.split('\n').filter((l) => l.trim() && !l.startsWith('# ') && !m.test(l));
}

export interface EscapeSettings {
  enabled: boolean;
  goPath?: string;
  timeoutMs: number;
  /** Heap or allocs profiles (absolute paths) to rank by. */
  profiles: string[];
  /** Also show escapes on lines where the profiles measured no allocation. */
  showUnmeasured?: boolean;
}

/** The server side: trust, debouncing, one run at a time per module, publishing. */
export class EscapeDiagnostics {
  trusted = false;
  private goRuns = 0;
  private analyses = 0;
  private lastError: string | undefined;
  private timers = new Map<string, NodeJS.Timeout>();
  private running = new Map<string, AbortController>();
  /** URIs with diagnostics, per module: cleared when a later run finds none there. */
  private published = new Map<string, Set<string>>();
  /** Why go was not run, each said once. */
  private refusals = new Set<string>();

  constructor(private readonly deps: {
    settings: () => Promise<EscapeSettings>;
    workspaceFolders: () => string[];
    publish: (uri: string, diagnostics: Diagnostic[]) => void;
    log: (s: string) => void;
    warn: (s: string) => void;
    debounceMs?: number;
    env?: Record<string, string | undefined>;
    map?: (buildPath: string) => string | undefined;
  }) {}

  stats(): EscapeStats {
    return { trusted: this.trusted, goRuns: this.goRuns, analyses: this.analyses, lastError: this.lastError };
  }

  /** A .go file was opened or saved: analyse its module soon (never when untrusted, never outside the workspace). */
  touched(file: string): void {
    if (!this.trusted) return;
    const mod = workspaceModule(file, this.deps.workspaceFolders());
    if ('reason' in mod) {
      if (!this.refusals.has(mod.reason)) {
        this.refusals.add(mod.reason);
        this.deps.log(`escape analysis: go is not run for ${file}: ${mod.reason}; GoLens runs go only in modules inside the workspace`);
      }
      return;
    }
    const moduleDir = mod.dir;
    clearTimeout(this.timers.get(moduleDir));
    this.timers.set(moduleDir, setTimeout(() => { this.timers.delete(moduleDir); void this.run(moduleDir); }, this.deps.debounceMs ?? 400));
  }

  /** Settings changed: turning the feature off clears its diagnostics at once. */
  async settingsChanged(): Promise<void> {
    if (!(await this.deps.settings()).enabled) this.clear();
  }

  /** Clears every escape diagnostic (feature turned off). */
  clear(): void {
    for (const uris of this.published.values()) for (const u of uris) this.deps.publish(u, []);
    this.published.clear();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const c of this.running.values()) c.abort();
  }

  private async run(moduleDir: string): Promise<void> {
    if (!this.trusted) return;
    const cfg = await this.deps.settings();
    if (!cfg.enabled) { this.clear(); return; }
    const go = resolveGoBinary({ setting: cfg.goPath, env: this.deps.env ?? process.env, workspaceFolders: this.deps.workspaceFolders() });
    if ('error' in go) {
      if (this.lastError !== go.error) this.deps.warn(`escape analysis: ${go.error}`);
      this.lastError = go.error;
      return;
    }
    this.running.get(moduleDir)?.abort();
    const ctl = new AbortController();
    this.running.set(moduleDir, ctl);
    this.goRuns++;
    const env = moduleEnv(moduleDir, this.deps.workspaceFolders(), this.deps.env ?? process.env);
    const workOff = env.GOWORK === 'off' && (this.deps.env ?? process.env).GOWORK !== 'off';
    this.deps.log(`escape analysis: ${go.path} build -gcflags=-m=2 ./... in ${moduleDir}${workOff ? ' (GOWORK=off: the go.work above it is outside the workspace)' : ''}`);
    let res: ModuleAnalysis;
    try {
      res = await analyzeModule({ go: go.path, moduleDir, profiles: cfg.profiles, timeoutMs: cfg.timeoutMs, all: cfg.showUnmeasured, signal: ctl.signal, env, map: this.deps.map });
    } finally {
      if (this.running.get(moduleDir) === ctl) this.running.delete(moduleDir);
    }
    if (res.build.stopped === 'cancelled') return;
    for (const e of res.profileErrors) this.deps.warn(`escape analysis: profile skipped: ${e}`);
    if (res.build.stopped === 'timeout') {
      this.lastError = `go build did not finish in ${Math.round(cfg.timeoutMs / 1000)} s (golens.escapes.timeoutSeconds)`;
      this.deps.warn(`escape analysis: ${this.lastError}`);
      return;
    }
    // go's own stderr (compile errors, go: lines), without the thousands of -m=2 lines.
    const other = goMessages(res.build.text);
    if (res.build.exitCode !== 0) {
      this.lastError = `go build exited with status ${res.build.exitCode}`;
      this.deps.warn(`escape analysis: ${this.lastError}\n${other.slice(0, 60).join('\n')}`);
    } else {
      this.lastError = undefined;
      if (other.length) this.deps.log(`escape analysis: go said:\n${other.slice(0, 60).join('\n')}`);
    }
    const byUri = escapeDiagnostics(res.hints);
    const before = this.published.get(moduleDir) ?? new Set<string>();
    for (const u of before) if (!byUri.has(u)) this.deps.publish(u, []);
    for (const [u, d] of byUri) this.deps.publish(u, d);
    this.published.set(moduleDir, new Set(byUri.keys()));
    this.analyses++;
    const bytes = res.hints.reduce((a, h) => a + h.allocBytes, 0);
    this.deps.log(`escape analysis: ${res.hints.length} hint(s) in ${byUri.size} file(s)${cfg.profiles.length ? `, ${formatBytes(bytes)} allocated at them, ${res.hidden} without allocations hidden` : ''} (go ${res.build.ms} ms)`);
  }
}
