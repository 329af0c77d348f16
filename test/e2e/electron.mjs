#!/usr/bin/env node
// The same E2E suite on a desktop VS Code, for people who have one (or can download it):
// @vscode/test-electron fetches VS Code and runs dist/test/e2e/suite.js in it. CI runs the
// offline route instead (test/e2e/driver.mjs: code-server in Chromium), because these
// machines cannot download VS Code. The suite's page agent calls need the driver, so here
// only the cases that use the VS Code API alone can pass; set GOLENS_E2E_AGENT to a running
// driver's agent to drive the webviews too.
import { runTests } from '@vscode/test-electron';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
try {
  await runTests({
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(repo, 'dist', 'test', 'e2e', 'suite.js'),
    launchArgs: [join(repo, 'test', 'fixtures'), '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`test:vscode: ${e?.message ?? e}`);
  process.exit(1);
}
