// "GoLens: Open from Pyroscope…" and "…from Parca…": pick the server (remembered per workspace),
// the profile type and label selector (filled from the server), a time range, then the merged
// profile is saved under .golens/captures/ and opens in the profile editor; two ranges open
// side by side in the comparison panel.
import * as vscode from 'vscode';
import { pickAddress, rememberAddress } from './addresses';
import { fetchMerged, fleetCapturePath, fleetClient, normalizeSelector } from '../core/capture/fleet/fetch';
import { FleetError } from '../core/capture/fleet/rpc';
import { parseRange, TimeArgError, type TimeRange } from '../core/capture/fleet/time';
import type { FleetClient, FleetKind } from '../core/capture/fleet/types';

const MAX_BYTES = 512 * 1024 * 1024;
const TIMEOUT_MS = 60_000;
const DEFAULT_BASE: Record<FleetKind, string> = { pyroscope: 'http://localhost:4040', parca: 'http://localhost:7070' };

export function registerFleet(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  for (const kind of ['pyroscope', 'parca'] as FleetKind[]) {
    context.subscriptions.push(vscode.commands.registerCommand(`golens.openFrom${kind === 'parca' ? 'Parca' : 'Pyroscope'}`, () => openFrom(context, log, kind)));
  }
}

const key = (kind: FleetKind) => `golens.fleet.${kind}.addresses`;

/** The server's base URL: a remembered one (most recent first) or one typed into the same box. */
function pickBase(state: vscode.Memento, client: FleetClient): Promise<string | undefined> {
  return pickAddress(state, `GoLens: Open from ${client.title} — server`, { key: key(client.kind), placeholder: `${client.title}'s base URL, e.g. ${DEFAULT_BASE[client.kind]}` });
}

type RangeChoice = { single: TimeRange } | { base: TimeRange; next: TimeRange };

const PRESETS: [string, string][] = [['Last 15 minutes', '15m'], ['Last hour', '1h'], ['Last 6 hours', '6h'], ['Last 24 hours', '24h']];
const PREVIOUS: Record<string, string> = { '15m': 'the 15 minutes before', '1h': 'the hour before', '6h': 'the 6 hours before', '24h': 'the day before' };
const ms = (d: string) => Number(d.slice(0, -1)) * (d.endsWith('m') ? 60_000 : 3_600_000);

async function customRange(title: string, value: string): Promise<TimeRange | undefined> {
  const now = Date.now();
  const text = await vscode.window.showInputBox({
    title, value, ignoreFocusOut: true,
    prompt: 'FROM, TO: RFC 3339, unix seconds or ms, now, now-30m, now-2h…',
    validateInput: (v) => {
      const [a, b, extra] = v.split(',');
      if (b === undefined || extra !== undefined) return 'two times separated by a comma: now-2h, now-1h';
      try { parseRange(a, b, now); return undefined; } catch (e) { return (e as Error).message; }
    },
  });
  if (text === undefined) return undefined;
  const [a, b] = text.split(',');
  return parseRange(a, b, Date.now());
}

async function pickRange(title: string): Promise<RangeChoice | undefined> {
  const items: (vscode.QuickPickItem & { id: string })[] = [
    ...PRESETS.map(([label, id]) => ({ label, id })),
    { label: 'Custom range…', id: 'custom' },
    { label: 'Compare two time ranges…', id: 'compare', description: 'opens both side by side' },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: `${title} — time range`, ignoreFocusOut: true });
  if (!choice) return undefined;
  const now = Date.now();
  if (choice.id === 'custom') {
    const r = await customRange(`${title} — custom range`, 'now-1h, now');
    return r && { single: r };
  }
  if (choice.id !== 'compare') return { single: { startMs: now - ms(choice.id), endMs: now } };
  const pairs: (vscode.QuickPickItem & { id: string })[] = [
    ...PRESETS.map(([label, id]) => ({ label: `${label} against ${PREVIOUS[id]}`, id })),
    { label: 'Custom ranges…', id: 'custom' },
  ];
  const pair = await vscode.window.showQuickPick(pairs, { title: `${title} — compare`, ignoreFocusOut: true });
  if (!pair) return undefined;
  if (pair.id === 'custom') {
    const base = await customRange(`${title} — base (before)`, 'now-2h, now-1h');
    if (!base) return undefined;
    const next = await customRange(`${title} — new (after)`, 'now-1h, now');
    return next && { base, next };
  }
  const d = ms(pair.id);
  return { base: { startMs: now - 2 * d, endMs: now - d }, next: { startMs: now - d, endMs: now } };
}

function describe(r: TimeRange): string {
  const t = (x: number) => new Date(x).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  return `${t(r.startMs)} – ${t(r.endMs)}`;
}

async function openFrom(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, kind: FleetKind): Promise<vscode.Uri[] | undefined> {
  const client = fleetClient(kind);
  const title = `GoLens: Open from ${client.title}`;
  const base = await pickBase(context.workspaceState, client);
  if (!base) return undefined;
  const abort = new AbortController();
  const o = { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, signal: abort.signal };
  try {
    const day = { startMs: Date.now() - 24 * 3_600_000, endMs: Date.now() };
    const [types, services] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GoLens: asking ${base} for its profile types…`, cancellable: true },
      (_p, token) => {
        token.onCancellationRequested(() => abort.abort());
        // Services only fill a default; a server without the label still offers its types.
        return Promise.all([client.profileTypes(base, day, o), client.labelValues(base, 'service_name', day, o).catch(() => [] as string[])]);
      },
    );
    await rememberAddress(context.workspaceState, base, key(kind));
    if (types.length === 0) throw new FleetError(`${base} has no profile types: has it received profiles yet?`);
    const type = await vscode.window.showQuickPick(
      types.map((t) => ({ label: t.id, description: `${t.sampleType} (${t.sampleUnit})` })),
      { title: `${title} — profile type`, ignoreFocusOut: true, matchOnDescription: true },
    );
    if (!type) return undefined;
    const selector = await vscode.window.showInputBox({
      title: `${title} — label selector`, ignoreFocusOut: true,
      value: services.length ? `{service_name="${services[0]}"}` : '{}',
      prompt: services.length ? `Services: ${services.slice(0, 12).join(', ')}${services.length > 12 ? '…' : ''}` : 'A label selector, e.g. {service_name="api"}',
      validateInput: (v) => { try { normalizeSelector(v); return undefined; } catch (e) { return (e as Error).message; } },
    });
    if (selector === undefined) return undefined;
    const range = await pickRange(title);
    if (!range) return undefined;
    const ranges = 'single' in range ? [range.single] : [range.base, range.next];
    const root = vscode.workspace.workspaceFolders?.[0]?.uri ?? context.globalStorageUri;
    const uris = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GoLens: fetching ${type.label} from ${client.title}…`, cancellable: true },
      async (_p, token) => {
        token.onCancellationRequested(() => abort.abort());
        const out: vscode.Uri[] = [];
        for (const r of ranges) {
          const q = { type: type.label, selector: normalizeSelector(selector), range: r };
          const got = await fetchMerged(client, base, q, o);
          const uri = vscode.Uri.joinPath(root, fleetCapturePath(base, q));
          await vscode.workspace.fs.writeFile(uri, got.bytes);
          log.info(`fetched ${type.label} ${q.selector} ${describe(r)} from ${base}: ${got.samples} samples → ${uri.fsPath}`);
          out.push(uri);
        }
        return out;
      },
    );
    if (uris.length === 1) await vscode.commands.executeCommand('vscode.openWith', uris[0], 'golens.profile');
    else await vscode.commands.executeCommand('golens.compareProfiles', uris[0], uris[1]);
    return uris;
  } catch (e) {
    if (abort.signal.aborted) return undefined;
    if (e instanceof FleetError || e instanceof TimeArgError) {
      log.warn(`Open from ${client.title}: ${e.message}`);
      void vscode.window.showErrorMessage(`GoLens: ${e.message}`);
      return undefined;
    }
    throw e;
  }
}
