// The running programs a workspace captures from: remembered per workspace (most recent first),
// offered first in the pick, so the second capture from the same service is one keystroke.
import * as vscode from 'vscode';

/** Which list: running programs (capture, watch) by default; each profiling server kind keeps its own. */
const DEFAULT_KEY = 'golens.capture.addresses';
const KEEP = 10;

export function recentAddresses(state: vscode.Memento, key = DEFAULT_KEY): string[] {
  const v = state.get<unknown>(key);
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string').slice(0, KEEP) : [];
}

export async function rememberAddress(state: vscode.Memento, address: string, key = DEFAULT_KEY): Promise<void> {
  const next = [address, ...recentAddresses(state, key).filter((a) => a !== address)].slice(0, KEEP);
  await state.update(key, next);
}

/**
 * A remembered address, or a new one typed into the same box (`host:port`, `http://host:port`
 * or the /debug/pprof/ URL). Undefined when the user dismisses it.
 */
export function pickAddress(state: vscode.Memento, title: string, list: { key?: string; placeholder?: string } = {}): Promise<string | undefined> {
  const recent = recentAddresses(state, list.key);
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.title = title;
  qp.placeholder = list.placeholder ?? 'host:port, http://host:port or its /debug/pprof/ URL';
  qp.ignoreFocusOut = true;
  const recentItems = recent.map((a) => ({ label: a, description: 'recent' }));
  qp.items = recentItems;
  qp.onDidChangeValue((v) => {
    const typed = v.trim();
    qp.items = typed && !recent.includes(typed) ? [{ label: typed, description: 'new address' }, ...recentItems] : recentItems;
  });
  return new Promise<string | undefined>((resolve) => {
    let done = false;
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0]?.label ?? qp.value.trim();
      done = true;
      qp.hide();
      resolve(chosen || undefined);
    });
    qp.onDidHide(() => {
      qp.dispose();
      if (!done) resolve(undefined);
    });
    qp.show();
  });
}
