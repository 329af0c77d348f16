// End-to-end: a large new-format trace opens progressively. The timeline paints after the
// first generation with a progress state in the toolbar while the rest of the file streams
// in; then the progress state goes, the extent and the numbers reach the whole trace, and
// the findings arrive. The trace: GOLENS_E2E_PROGRESSIVE_TRACE, which the driver sets to the
// pipeline program's trace it makes with Go 1.27 (test/e2e/bigtrace.mjs, cached in .cache/e2e/);
// when it could not make it, GOLENS_E2E_PROGRESSIVE_ERROR says why and the case fails.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { page, test } from './agent';

export async function progressiveCases(): Promise<void> {
  const big = process.env.GOLENS_E2E_PROGRESSIVE_TRACE ?? join(vscode.extensions.getExtension('golens.golens')!.extensionPath, '.cache', 'e2e', 'pipeline-go1.27-3s.trace');
  await test('a large trace paints before it is fully read, then grows to its whole extent', async () => {
    const made = process.env.GOLENS_E2E_PROGRESSIVE_ERROR;
    assert.ok(made === undefined, made);
    assert.ok(existsSync(big), `no large trace at ${big}: test/e2e/driver.mjs makes it (test/e2e/bigtrace.mjs), or set GOLENS_E2E_PROGRESSIVE_TRACE`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const name = big.split('/').pop()!;
    const B = { frame: 'webview' as const, webviewTitle: name, timeoutMs: 300000 };
    const t0 = Date.now();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(big), 'golens.trace');
    await page.wait('#timeline[data-first-paint]', { ...B, state: 'attached' });
    const paintMs = Date.now() - t0;
    // Painted while the rest is read: the progress state is there, short of the whole file.
    const fraction = Number(await page.attr('#trace-loading', 'data-fraction', { ...B, timeoutMs: 5000 }));
    assert.ok(fraction > 0 && fraction < 1, `read ${fraction} of the file at first paint`);
    const firstMeta = await page.text('.toolbar .meta', B);
    // Findings as they are ready: the ones so far, saying what part of the run they cover, while the rest is read.
    const covers = await page.text('#findings.so-far .covers', { ...B, timeoutMs: 60000 });
    assert.match(covers, /^Over the first .+ of the run \(\d+% of the file read\)/);
    await page.screenshot('trace-progressive-findings-so-far');
    const [, firstEnd] = ((await page.attr('#timeline', 'data-view', B)) ?? '0-0').split('-').map(Number);
    await page.screenshot('trace-progressive-first');
    await page.wait('#trace-loading', { ...B, state: 'detached' });
    const readMs = Date.now() - t0;
    const events = (s: string) => Number(/([\d,]+) events/.exec(s)?.[1].replace(/,/g, '') ?? NaN);
    const meta = await page.text('.toolbar .meta', B);
    assert.ok(events(meta) > events(firstMeta), `${firstMeta} → ${meta}`);
    // The view showed the whole of what was read, so it follows the end to the whole trace.
    const [, end] = ((await page.attr('#timeline', 'data-view', B)) ?? '0-0').split('-').map(Number);
    assert.ok(end > firstEnd, `extent ${firstEnd} → ${end}`);
    await page.wait('#findings:not(.so-far) .finding', B);
    const line = `progressive trace ${name} (${(statSync(big).size / 1e6).toFixed(0)} MB): first paint ${paintMs} ms at ${(fraction * 100).toFixed(0)}% read; fully read ${readMs} ms`;
    console.log(`[golens] ${line}`);
    await page.log(line);
    await page.screenshot('trace-progressive-done');
  });
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
