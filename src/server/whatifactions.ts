// Code actions on GOGC settings: `debug.SetGCPercent(N)` in a Go file and "GOGC" in a launch
// configuration's env offer to open the What-if panel of a chosen trace with that GOGC filled
// in. The value is read as Go reads it (core's parser); one Go would ignore gets no action.
import type { CodeAction, Range } from 'vscode-languageserver/node';
import { parseGogc } from '../core/analysis/whatif-settings';
import { WHATIF_COMMAND, type WhatIfCommandArgs } from '../protocol/whatifaction';

export interface GogcSetting { line: number; start: number; end: number; text: string; args: WhatIfCommandArgs }

/** A Go integer literal as SetGCPercent receives it: decimal, with an optional minus. */
const SET_GC_PERCENT = /\bdebug\.SetGCPercent\(\s*(-?\s*\d+)\s*\)/g;
/** "GOGC": "N" in a JSON(C) env object; the value as the environment passes it. */
const GOGC_ENV = /"GOGC"\s*:\s*"([^"\\]*)"/g;

/** Which settings a document holds, by its URI: Go source, or a launch configuration. */
function kindOf(uri: string): 'go' | 'launch' | undefined {
  if (uri.endsWith('.go')) return 'go';
  if (/\/\.vscode\/launch\.json$/.test(uri) || /\.code-workspace$/.test(uri)) return 'launch';
  return undefined;
}

/** A line up to its // comment, if any: a // inside a "string" (a URL) is not one. */
function beforeComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

/** The GOGC settings in a document's text, line by line (a line comment, Go's or JSONC's, is skipped). */
export function gogcSettings(uri: string, text: string): GogcSetting[] {
  const kind = kindOf(uri);
  if (!kind) return [];
  const out: GogcSetting[] = [];
  text.split('\n').forEach((raw, line) => {
    const code = beforeComment(raw);
    for (const m of code.matchAll(kind === 'go' ? SET_GC_PERCENT : GOGC_ENV)) {
      const value = kind === 'go' ? m[1].replace(/\s+/g, '') : m[1];
      const p = parseGogc(value);
      if (!p.ok) continue;
      out.push({ line, start: m.index!, end: m.index! + m[0].length, text: m[0], args: { gogc: p.value, source: kind === 'go' ? `debug.SetGCPercent(${value})` : `GOGC=${value}` } });
    }
  });
  return out;
}

/** The actions for the settings on the lines of `range`. */
export function whatIfActions(uri: string, text: string | undefined, range: Range): CodeAction[] {
  if (text === undefined) return [];
  return gogcSettings(uri, text)
    .filter((s) => s.line >= range.start.line && s.line <= range.end.line)
    .map((s) => ({
      title: `GoLens: what if GOGC=${s.args.gogc}? Predict it from a trace`,
      command: { title: `What if GOGC=${s.args.gogc}?`, command: WHATIF_COMMAND, arguments: [s.args] },
    }));
}
