// The "profile" lenses of a _test.go file: one pair on each func go test would run as a test
// or benchmark, found on the file's Go tokens (the open editor's text, or the file on disk).
import type { CodeLens } from 'vscode-languageserver/node';
import { findGoTests, isGoTestFile } from '../core/source/gotests';
import type { ProfileTestArgs } from '../protocol/lenses';

export const PROFILE_COMMAND = 'golens.profileTest';

export function testLenses(file: string, text: string): CodeLens[] {
  if (!isGoTestFile(file)) return [];
  const out: CodeLens[] = [];
  for (const f of findGoTests(text)) {
    const range = { start: { line: f.line - 1, character: 0 }, end: { line: f.line - 1, character: 0 } };
    const args: ProfileTestArgs = { file, name: f.name, kind: f.kind };
    out.push({ range, command: { title: '$(pulse) profile', command: PROFILE_COMMAND, arguments: [args] } });
    out.push({ range, command: { title: 'profile with trace', command: PROFILE_COMMAND, arguments: [{ ...args, trace: true }] } });
  }
  return out;
}
