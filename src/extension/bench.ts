// The "profile" lens's command: runs one test or benchmark with go test's profiles (trusted
// workspaces only) under a cancellable progress notification, streams go's output to the
// GoLens channel, opens the CPU profile, and offers the diff against the last run.
import { dirname, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { comparisonLine, completeRun, prepareRun, type RunOutcome } from '../core/capture/runs';
import { moduleEnv, workspaceModule } from '../core/io/gobuild';
import { runGoTest } from '../core/io/gotest';
import { isGoTestFile, isTestName } from '../core/source/gotests';
import type { ProfileTestArgs } from '../protocol/lenses';
import { settings } from './settings';
import { TestLog } from './testlog';

/** What a profile run ended as, for the end-to-end tests (kept only outside production). */
export interface BenchRun {
  name: string;
  /** Why nothing ran (untrusted, bad arguments, no go…), as the user was told. */
  refused?: string;
  runDir?: string;
  ok?: boolean;
  cpu?: string;
  comparison?: string;
  /** The earlier run's CPU profile, when compared. */
  previousCpu?: string;
}

export interface BenchApi {
  runs: BenchRun[];
}

const TIMEOUT_MS = 10 * 60_000;
const PROFILE_VIEW = 'golens.profile';

export function registerBench(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): BenchApi {
  const runs = new TestLog<BenchRun>(context);
  context.subscriptions.push(vscode.commands.registerCommand('golens.profileTest', async (args?: ProfileTestArgs) => {
    const run = await profileTest(args, log);
    runs.push(run);
    return run;
  }));
  return { runs: runs.items };
}

function refuse(name: string, why: string, warn = false): BenchRun {
  // Not awaited: a notification resolves only when dismissed.
  void (warn ? vscode.window.showWarningMessage(`GoLens: ${why}`) : vscode.window.showErrorMessage(`GoLens: ${why}`));
  return { name, refused: why };
}

async function profileTest(args: ProfileTestArgs | undefined, log: vscode.LogOutputChannel): Promise<BenchRun> {
  const name = typeof args?.name === 'string' ? args.name : '';
  const kind = args?.kind === 'benchmark' || args?.kind === 'test' ? args.kind : undefined;
  if (!args || typeof args.file !== 'string' || !isAbsolute(args.file) || !isGoTestFile(args.file) || !kind || !isTestName(name, kind === 'test' ? 'Test' : 'Benchmark')) {
    return refuse(name, 'profile needs a test or benchmark of a _test.go file (use the lens above its func)');
  }
  if (!vscode.workspace.isTrusted) {
    return refuse(name, `not profiling ${name}: go test builds and runs this workspace's code, so GoLens runs it only in a trusted workspace (Manage Workspace Trust).`, true);
  }
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(args.file));
  if (!folder) return refuse(name, `${args.file} is not in a workspace folder`);
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const mod = workspaceModule(args.file, folders);
  if ('reason' in mod) return refuse(name, `not profiling ${name}: ${mod.reason}`);
  const when = new Date();
  let spec;
  try {
    spec = prepareRun({
      root: folder.uri.fsPath, pkgDir: dirname(args.file), kind, name, trace: args.trace === true,
      goSetting: settings()['golens.goPath'] || undefined, env: moduleEnv(mod.dir, folders, process.env), workspaceFolders: folders,
      timeoutMs: TIMEOUT_MS, when,
    });
  } catch (e) {
    return refuse(name, (e as Error).message);
  }
  log.info(`profiling ${name}${spec.trace ? ' with a trace' : ''}: ${spec.go} test in ${spec.pkgDir} → ${spec.runDir}`);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `GoLens: profiling ${name}`, cancellable: true },
    async (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      let partial = '';
      try {
        const result = await runGoTest(spec, {
          signal: ac.signal,
          onOutput: (chunk) => {
            const lines = (partial + chunk).split('\n');
            partial = lines.pop() ?? '';
            for (const l of lines) log.info(`go test: ${l}`);
            const last = lines.filter(Boolean).pop();
            if (last) progress.report({ message: last.length > 80 ? `${last.slice(0, 77)}…` : last });
          },
        });
        if (partial) log.info(`go test: ${partial}`);
        return completeRun(folder.uri.fsPath, spec, result, when);
      } finally {
        sub.dispose();
      }
    },
  );
  return finished(outcome, log);
}

async function finished(o: RunOutcome, log: vscode.LogOutputChannel): Promise<BenchRun> {
  const { name } = o.spec;
  const base: BenchRun = { name, runDir: o.spec.runDir, ok: o.record.ok };
  if (o.result.stopped === 'cancelled') { log.info(`profiling ${name}: cancelled`); return { ...base, refused: 'cancelled' }; }
  if (o.nothing) return { ...refuse(name, `no ${o.spec.kind} matched ^${name}$ in ${o.spec.pkgDir} (go test: no tests to run)`), runDir: o.spec.runDir };
  if (!o.record.ok) {
    const why = o.result.stopped === 'timeout' ? `go test did not finish in ${TIMEOUT_MS / 60_000} minutes` : `go test failed (exit ${o.result.exitCode})`;
    log.warn(`profiling ${name}: ${why}; output in ${o.result.files.output}`);
    void vscode.window.showErrorMessage(`GoLens: profiling ${name}: ${why}.`, 'Show Output').then((b) => { if (b) log.show(); });
    return base;
  }
  log.info(`profiling ${name}: done in ${(o.result.ms / 1000).toFixed(1)} s; ${o.lines.join(' | ') || 'no benchmark lines'}`);
  const cpu = vscode.Uri.file(o.result.files.cpu);
  await vscode.commands.executeCommand('vscode.openWith', cpu, PROFILE_VIEW);
  if (!o.comparison) return { ...base, cpu: cpu.fsPath };
  const line = comparisonLine(o.comparison);
  const previous = vscode.Uri.joinPath(vscode.Uri.file(o.comparison.previous), 'cpu.pprof');
  log.info(`profiling ${name}: ${line} (${o.comparison.previous})`);
  void vscode.window.showInformationMessage(`GoLens: ${name} ${line}`, 'Show Diff').then((b) => {
    if (b) void vscode.commands.executeCommand('golens.compareProfiles', previous, cpu);
  });
  return { ...base, cpu: cpu.fsPath, comparison: line, previousCpu: previous.fsPath };
}
