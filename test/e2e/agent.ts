// Client of the E2E page agent (test/e2e/driver.mjs). The suite runs inside the real VS Code
// extension host; the driver owns the browser page. Every call here is one JSON POST to the
// driver, which performs it with Playwright on the real workbench page or inside a webview.
// The agent's URL reaches the extension host in the environment variable GOLENS_E2E_AGENT.
// Dependency-free: global fetch only.

/** Where a selector is looked up: the workbench page, or the content of a webview. */
export type FrameName = 'workbench' | 'webview';

/** Which frame to act in. `webviewTitle` / `webviewIndex` pick one webview when several are visible. */
export interface Target {
  frame?: FrameName;
  /** Substring of the webview iframe's title (VS Code sets it to the panel / editor title). */
  webviewTitle?: string;
  /** Index among the visible webviews, in DOM order. Default: the first visible one. */
  webviewIndex?: number;
  /** Per-call timeout; the driver's default is 10 s (GOLENS_E2E_ACTION_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface WaitOptions extends Target {
  state?: 'visible' | 'attached' | 'hidden' | 'detached';
}

export interface ClickOptions extends Target {
  /** Which match to click; default the first. */
  nth?: number;
  button?: 'left' | 'right' | 'middle';
  clickCount?: number;
  modifiers?: Array<'Alt' | 'Control' | 'ControlOrMeta' | 'Meta' | 'Shift'>;
  /** Relative to the element's top-left corner. */
  position?: { x: number; y: number };
  force?: boolean;
}

export interface HoverOptions extends Target {
  nth?: number;
  position?: { x: number; y: number };
}

export interface PressOptions extends Target {
  /** Focus this element first; without it the key goes to whatever has focus. */
  selector?: string;
}

export interface AgentInfo {
  theme: 'light' | 'dark';
  colorTheme: string;
  workspace: string;
  screenshotsDir: string;
}

/** A target given as a bare frame name or as options. */
type TargetArg<T extends Target = Target> = FrameName | T | undefined;

function target<T extends Target>(t: TargetArg<T>): T | Target {
  return typeof t === 'string' ? { frame: t } : (t ?? {});
}

/** The agent's base URL, or undefined when the suite does not run under test/e2e/driver.mjs. */
export function agentUrl(): string | undefined {
  return process.env.GOLENS_E2E_AGENT || undefined;
}

/** POSTs `body` to the agent; resolves with the response, throws with the agent's error. */
async function call<R extends object>(endpoint: string, body: object, describe?: string): Promise<R> {
  const base = agentUrl();
  if (!base) throw new Error('GOLENS_E2E_AGENT is not set: run the suite with `node test/e2e/driver.mjs`');
  const timeoutMs = (body as { timeoutMs?: number }).timeoutMs;
  const res = await fetch(`${base}${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout((typeof timeoutMs === 'number' ? timeoutMs : 10_000) + 60_000),
  });
  const json = (await res.json()) as { ok?: boolean; error?: string } & R;
  if (!json.ok) throw new Error(`page ${endpoint.slice(1)}${describe ? ` ${describe}` : ''}: ${json.error ?? `HTTP ${res.status}`}`);
  return json;
}

function where(selector: string, t: Target): string {
  return `${JSON.stringify(selector)}${t.frame === 'webview' ? ' in webview' : ''}`;
}

export const page = {
  /** Waits until `selector` reaches `state` (default "visible"); throws on timeout. */
  async wait(selector: string, opts?: TargetArg<WaitOptions>): Promise<void> {
    const t = target(opts);
    await call('/wait', { ...t, selector }, where(selector, t));
  },

  /** How many elements match now (no waiting; 0 if the webview does not exist). */
  async count(selector: string, opts?: TargetArg): Promise<number> {
    const t = target(opts);
    return (await call<{ count: number }>('/count', { ...t, selector }, where(selector, t))).count;
  },

  /** Rendered text (innerText; textContent for SVG) of the first match; waits for it. */
  async text(selector: string, opts?: TargetArg): Promise<string> {
    const t = target(opts);
    return (await call<{ text: string }>('/text', { ...t, selector }, where(selector, t))).text;
  },

  /** Texts of all matches now (no waiting). */
  async texts(selector: string, opts?: TargetArg): Promise<string[]> {
    const t = target(opts);
    return (await call<{ texts: string[] }>('/text', { ...t, selector, all: true }, where(selector, t))).texts;
  },

  /** An attribute of the first match, null when absent; waits for the element. */
  async attr(selector: string, name: string, opts?: TargetArg): Promise<string | null> {
    const t = target(opts);
    return (await call<{ value: string | null }>('/attr', { ...t, selector, name }, where(selector, t))).value;
  },

  async click(selector: string, opts?: TargetArg<ClickOptions>): Promise<void> {
    const t = target(opts);
    await call('/click', { ...t, selector }, where(selector, t));
  },

  async hover(selector: string, opts?: TargetArg<HoverOptions>): Promise<void> {
    const t = target(opts);
    await call('/hover', { ...t, selector }, where(selector, t));
  },

  /** Presses a key ("Escape", "Enter", "/", "Control+F", …), on `selector` if given. */
  async press(key: string, opts?: TargetArg<PressOptions>): Promise<void> {
    const t = target(opts);
    await call('/press', { ...t, key }, JSON.stringify(key));
  },

  /** Replaces the value of an <input>/<textarea>. */
  async fill(selector: string, value: string, opts?: TargetArg): Promise<void> {
    const t = target(opts);
    await call('/fill', { ...t, selector, value }, where(selector, t));
  },

  /** Chooses the <option> with this value (or label) in a <select>; resolves with the selected values. */
  async select(selector: string, value: string, opts?: TargetArg): Promise<string[]> {
    const t = target(opts);
    return (await call<{ selected: string[] }>('/select', { ...t, selector, value }, where(selector, t))).selected;
  },

  /**
   * Evaluates a JavaScript expression in the frame (not subject to the page's CSP) and
   * resolves with its JSON-serialisable value; promises are awaited, and an expression that
   * is a function is called. Example: `page.eval<string>('getComputedStyle(document.body).color', 'webview')`.
   */
  async eval<T = unknown>(expression: string, opts?: TargetArg): Promise<T> {
    return (await call<{ value: T }>('/eval', { ...target(opts), expression })).value;
  },

  /** Full-page PNG at test/e2e/screenshots/<theme>-<name>.png; resolves with its absolute path. */
  async screenshot(name: string): Promise<string> {
    return (await call<{ path: string }>('/screenshot', { name })).path;
  },

  /** Which theme this run uses, and where things are. */
  async info(): Promise<AgentInfo> {
    return call<AgentInfo & { ok: boolean }>('/info', {});
  },

  /** A line in the driver's server log (printed live with GOLENS_E2E_VERBOSE=1). */
  async log(message: string): Promise<void> {
    await call('/log', { message });
  },
};

const failures: string[] = [];

/**
 * Runs one test case: times it, reports it to the driver (which prints ✔ / ✖), takes a
 * screenshot `fail-<name>` when it fails, and never throws — call finish() at the end.
 */
export async function test(name: string, fn: () => Promise<void>): Promise<void> {
  const started = performance.now();
  let error: string | undefined;
  try {
    await fn();
  } catch (e) {
    error = describeError(e);
    failures.push(name);
    try {
      await page.screenshot(`fail-${name.replace(/[^\w.-]+/g, '_').slice(0, 80)}`);
    } catch {
      /* best effort */
    }
  }
  const ms = Math.round(performance.now() - started);
  try {
    await call('/result', { name, ok: error === undefined, error, ms });
  } catch (e) {
    console.error(`[golens-e2e] could not report "${name}": ${e instanceof Error ? e.message : String(e)}`);
    console.error(`[golens-e2e] ${error === undefined ? 'PASS' : 'FAIL'} ${name}${error ? `: ${error}` : ''}`);
  }
}

/** Throws if any case failed, so that the suite's run() rejects and the run exits non-zero. */
export function finish(): void {
  if (failures.length === 0) return;
  const names = failures.splice(0);
  throw new Error(`${names.length} e2e case(s) failed: ${names.map((n) => JSON.stringify(n)).join(', ')}`);
}

/** The message (with Playwright's call log, if any) and the first few stack frames. */
function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 4);
  return [e.message || e.name, ...frames].join('\n');
}
