// "GoLens: Capture from Running Program…": an address (remembered per workspace), a kind, a
// duration for the timed kinds, then one cancellable request whose answer is judged and saved
// under the workspace's .golens/captures/ and opened in its editor. Automation passes
// {address, kind, seconds} to skip the pickers.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CaptureError, captureToFile, type CaptureProgress } from '../core/capture/capture';
import { formatBytes } from '../core/format';
import { CAPTURE_KINDS, captureTarget, CaptureUsageError, defaultCapturePath, TIMED_KINDS, type CaptureKind } from '../core/capture/endpoints';
import { pickAddress, rememberAddress } from './addresses';

export interface CaptureArgs {
  address?: string;
  kind?: CaptureKind;
  seconds?: number;
}

const TITLE = 'GoLens: Capture from Running Program';

/** One line per kind in the pick: what the profile answers. */
const WHAT: Record<CaptureKind, string> = {
  cpu: 'where CPU time goes, sampled while it records',
  heap: 'live memory by the code that allocated it (and all allocations since start)',
  allocs: 'every allocation since start (the heap profile, allocated space first)',
  goroutine: 'every goroutine\'s stack now: leaks, pile-ups, what each waits on',
  mutex: 'where goroutines waited for contended mutexes',
  block: 'where goroutines blocked: channels, select, locks, WaitGroups',
  threadcreate: 'the stacks that created OS threads',
  goroutineleak: 'goroutines the GC proved leaked (Go 1.27, or 1.26 with the experiment)',
  trace: 'an execution trace: scheduling, GC, blocking and syscalls over time',
};

async function pickKind(): Promise<CaptureKind | undefined> {
  const items = CAPTURE_KINDS.map((k) => ({ label: k, description: TIMED_KINDS[k] !== undefined ? `records ${TIMED_KINDS[k]} s by default` : undefined, detail: WHAT[k], id: k }));
  const picked = await vscode.window.showQuickPick(items, { title: `${TITLE}: which profile?`, placeHolder: 'the kind of profile to capture', ignoreFocusOut: true, matchOnDetail: true });
  return picked?.id;
}

async function askSeconds(kind: CaptureKind): Promise<number | undefined> {
  const v = await vscode.window.showInputBox({
    title: `${TITLE}: how long to record the ${kind === 'trace' ? 'trace' : 'CPU profile'}?`,
    prompt: `Seconds (Go's default for /debug/pprof/${kind === 'cpu' ? 'profile' : kind} is ${TIMED_KINDS[kind]})`,
    value: String(TIMED_KINDS[kind]),
    ignoreFocusOut: true,
    validateInput: (s) => (/^\d+(\.\d+)?$/.test(s.trim()) && Number(s) > 0 ? undefined : 'a positive number of seconds'),
  });
  return v === undefined ? undefined : Number(v);
}

function progressText(p: CaptureProgress): string {
  if (p.phase === 'recording') return `recording ${Math.round(p.elapsedMs / 1000)} of ${Math.round(p.totalMs / 1000)} s`;
  return `received ${formatBytes(p.received)}${p.total ? ` of ${formatBytes(p.total)}` : ''}`;
}

/** Runs the command; resolves with the saved file, or undefined (dismissed, cancelled or failed: said in one message). */
export async function captureCommand(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, args: CaptureArgs = {}): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) {
    void vscode.window.showErrorMessage('GoLens: open a folder first: captures are saved in its .golens/captures/');
    return undefined;
  }
  const address = args.address ?? await pickAddress(context.workspaceState, TITLE);
  if (!address) return undefined;
  const kind = args.kind ?? await pickKind();
  if (!kind) return undefined;
  let seconds = args.seconds;
  if (seconds === undefined && TIMED_KINDS[kind] !== undefined && !args.kind) {
    seconds = await askSeconds(kind);
    if (seconds === undefined) return undefined;
  }
  let target;
  try {
    target = captureTarget(address, kind, seconds);
  } catch (e) {
    if (e instanceof CaptureUsageError) { void vscode.window.showErrorMessage(`GoLens: ${e.message}`); return undefined; }
    throw e;
  }
  const file = join(folder.uri.fsPath, defaultCapturePath(target, new Date()));
  const t = target;
  try {
    const saved = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `GoLens: capturing ${kind} from ${t.hostPort}`, cancellable: true }, (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      let done = 0;
      return captureToFile(t, file, {
        createFolders: true,
        signal: ac.signal,
        onProgress: (p) => {
          // The bar follows the recording; the transfer after it is quick.
          const pct = p.phase === 'recording' ? Math.floor((100 * p.elapsedMs) / p.totalMs) : done;
          progress.report({ message: progressText(p), increment: pct - done });
          done = pct;
        },
      });
    });
    await rememberAddress(context.workspaceState, address);
    log.info(`captured ${saved.kind} from ${saved.url}: ${saved.bytes} bytes in ${saved.file}`);
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(saved.file), kind === 'trace' ? 'golens.trace' : 'golens.profile');
    return saved.file;
  } catch (e) {
    if (e instanceof CaptureError && e.kind === 'cancelled') { log.info(`capture from ${t.url} cancelled`); return undefined; }
    if (e instanceof CaptureError) {
      log.warn(`capture from ${t.url}: ${e.message}`);
      void vscode.window.showErrorMessage(`GoLens: ${e.message}`);
      return undefined;
    }
    throw e;
  }
}
