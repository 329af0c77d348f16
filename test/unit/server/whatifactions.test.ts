// The code action on a GOGC setting, through the real language server process (dist/server.js
// over stdio, as the editor talks to it): on debug.SetGCPercent(N) in a Go file and on "GOGC"
// in a launch configuration's env it offers to open a trace's What-if panel at that GOGC, read
// as Go reads it; elsewhere, on a value Go would ignore, or in a comment, nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction } from 'vscode-languageserver-types';
import { gogcSettings } from '../../../src/server/whatifactions';
import { WHATIF_COMMAND } from '../../../src/protocol/whatifaction';
import { ROOT } from '../helpers/fixtures';

const SERVER = join(ROOT, 'dist', 'server.js');
const GO_FILE = join(ROOT, 'test', 'fixtures', 'programs', 'gc-log', 'main.go');
const WORKSPACE = mkdtempSync(join(tmpdir(), 'golens-whatif-actions-'));
const LAUNCH = pathToFileURL(join(WORKSPACE, '.vscode', 'launch.json')).toString();
const LAUNCH_TEXT = `{
  "version": "0.2.0",
  "configurations": [
    { "name": "run", "type": "go", "request": "launch", "program": "\${workspaceFolder}",
      "env": { "GOGC": "50", "GOMEMLIMIT": "512MiB" } },
    { "name": "no gc", "type": "go", "request": "launch", "env": { "GOGC": "off" } },
    { "name": "negative", "type": "go", "request": "launch", "env": {"GOGC":"-1"} },
    { "name": "ignored by Go", "type": "go", "request": "launch", "env": { "GOGC": "lots" } },
    // { "env": { "GOGC": "400" } } commented out
    { "name": "url", "url": "http://localhost:6060//x", "env": { "GOGC": "25" } }
  ]
}
`;

let proc: ReturnType<typeof spawn>;
let conn: MessageConnection;

before(async () => {
  proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  // The server asks for settings and registers for changes: answer as an editor with none.
  conn.onRequest((method: string, params: unknown) => (method === 'workspace/configuration' ? (params as { items: unknown[] }).items.map(() => null) : null));
  conn.onNotification(() => {});
  conn.listen();
  const init = await conn.sendRequest('initialize', {
    processId: process.pid, rootUri: pathToFileURL(WORKSPACE).toString(), capabilities: { workspace: { configuration: true } },
    workspaceFolders: [{ uri: pathToFileURL(WORKSPACE).toString(), name: 'ws' }], initializationOptions: { trusted: false, userArtifacts: [] },
  }) as { capabilities: { codeActionProvider?: unknown } };
  assert.equal(init.capabilities.codeActionProvider, true);
  await conn.sendNotification('initialized', {});
});

after(async () => {
  try { await conn.sendRequest('shutdown'); await conn.sendNotification('exit'); } catch { /* gone already */ }
  conn.dispose();
  proc.kill();
});

async function open(uri: string, languageId: string, text: string): Promise<void> {
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
}

function actionsOn(uri: string, line: number, endLine = line): Promise<CodeAction[]> {
  return conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line, character: 0 }, end: { line: endLine, character: 0 } }, context: { diagnostics: [] },
  }) as Promise<CodeAction[]>;
}

const argsOf = (a: CodeAction[]) => a.map((x) => { assert.equal(x.command?.command, WHATIF_COMMAND); return x.command!.arguments![0] as unknown; });

test('debug.SetGCPercent(100) in a real Go file: one action, GOGC=100, only on its line', async () => {
  const text = readFileSync(GO_FILE, 'utf8');
  const uri = pathToFileURL(GO_FILE).toString();
  await open(uri, 'go', text);
  const line = text.split('\n').findIndex((l) => /^\s*debug\.SetGCPercent\(100\)/.test(l));
  assert.ok(line > 0);
  const on = await actionsOn(uri, line);
  assert.deepEqual(argsOf(on), [{ gogc: 100, source: 'debug.SetGCPercent(100)' }]);
  assert.match(on[0].title, /what if GOGC=100\?/i);
  assert.deepEqual(await actionsOn(uri, line - 1), []);
  assert.deepEqual(await actionsOn(uri, 0), [], 'the comment at the top mentions GOGC, but sets nothing');
  // The whole file selected: the one setting.
  assert.equal((await actionsOn(uri, 0, text.split('\n').length)).length, 1);
});

test('GOGC in a launch configuration\'s env: its value as Go reads it; none for a value Go ignores or a comment', async () => {
  await open(LAUNCH, 'jsonc', LAUNCH_TEXT);
  const lines = LAUNCH_TEXT.split('\n');
  const at = (needle: string) => lines.findIndex((l) => l.includes(needle));
  assert.deepEqual(argsOf(await actionsOn(LAUNCH, at('"GOGC": "50"'))), [{ gogc: 50, source: 'GOGC=50' }]);
  assert.deepEqual(argsOf(await actionsOn(LAUNCH, at('"GOGC": "off"'))), [{ gogc: 'off', source: 'GOGC=off' }]);
  assert.deepEqual(argsOf(await actionsOn(LAUNCH, at('"GOGC":"-1"'))), [{ gogc: 'off', source: 'GOGC=-1' }], 'Go: below 0 is off');
  assert.deepEqual(await actionsOn(LAUNCH, at('"lots"')), [], 'Go reads GOGC=lots as 100: nothing to predict');
  assert.deepEqual(await actionsOn(LAUNCH, at('commented out')), []);
  assert.deepEqual(argsOf(await actionsOn(LAUNCH, at('"url"'))), [{ gogc: 25, source: 'GOGC=25' }], 'a URL\'s // is not a comment');
});

test('other files and the same text elsewhere: no actions', async () => {
  const uri = pathToFileURL(join(WORKSPACE, 'settings.json')).toString();
  await open(uri, 'json', LAUNCH_TEXT);
  assert.deepEqual(await actionsOn(uri, 4), []);
  assert.deepEqual(gogcSettings('file:///x/notes.txt', 'debug.SetGCPercent(50)'), []);
  assert.deepEqual(gogcSettings('file:///x/a.go', 'x := debug.SetGCPercent(-1) // off\n').map((s) => s.args), [{ gogc: 'off', source: 'debug.SetGCPercent(-1)' }]);
  assert.deepEqual(gogcSettings('file:///x/a.go', 'debug.SetGCPercent(n)\ndebug.SetGCPercent(99999999999)\n'), [], 'not a literal; past int32');
});
