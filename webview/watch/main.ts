// The watch page: a running program's goroutines by group over time (a line per group,
// updated per snapshot), a table of the same numbers that the keyboard reaches (focusing a
// row picks out its line), a Stop button, and the analysis' verdicts: so far while the watch
// runs (from its second snapshot, marked as not final), final when it ends.
// Every name from the program is text.
import type { WatchPageApi, WatchSnapshot } from '../../src/protocol/watch';
import { renderLoadError } from '../shared/loaderror';
import { statusLine } from '../shared/page';
import { el } from '../shared/vscode';
import { drawChart, type Series } from './chart';
import { WatchHost } from './host';

type Init = WatchPageApi['pushes']['init'];
type Done = WatchPageApi['pushes']['done'];
type SoFar = WatchPageApi['pushes']['soFar'];

const app = document.getElementById('app')!;
const [status, setStatus] = statusLine();
let init: Init | undefined;
const snapshots: WatchSnapshot[] = [];
const labels = new Map<string, string>();
const colours = new Map<string, number>();
let focused: string | undefined;
let verdicts = new Map<string, Done['verdicts'][number]>();
/** Whether the verdicts are the end's (done) or over the snapshots so far. */
let final = false;

const chart = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
chart.id = 'chart';
chart.setAttribute('role', 'img');
chart.setAttribute('aria-label', 'Goroutines per group over the snapshots; the table below has the same numbers');
const tbody = el('tbody');
const stopButton = el('button', { id: 'stop', type: 'button' }, 'Stop');
const totalLine = el('p', { id: 'total' });
/** The last snapshot's open connections, as the census words them (`golens watch` prints the same under its table). */
const connectionsLine = el('p', { id: 'connections' });

const host = new WatchHost<object>({
  init: (m) => {
    init = m;
    snapshots.length = 0;
    for (const s of m.taken) take(s);
    renderShell(m);
    render();
  },
  snapshot: (s) => { take(s); render(); },
  soFar: (m) => soFar(m),
  done: (m) => finish(m),
  loadError: (m) => renderLoadError(app, `GoLens cannot watch ${m.title}`, `${m.fileName}: ${m.error.what}`, m.error),
});

function take(s: WatchSnapshot): void {
  snapshots.push(s);
  for (const site of s.sites) {
    labels.set(site.key, site.label);
    if (!colours.has(site.key)) colours.set(site.key, colours.size);
  }
}

function renderShell(m: Init): void {
  stopButton.addEventListener('click', () => { stopButton.disabled = true; setStatus('Stopping…'); host.stop(); });
  const table = el('table', { id: 'sites', 'aria-label': 'Goroutines per group, snapshot by snapshot' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', class: 'key' }, ''), el('th', { scope: 'col', class: 'site' }, 'Blocked at ← go statement'),
      el('th', { scope: 'col', class: 'num now' }, 'Now'), el('th', { scope: 'col', class: 'verdict' }, 'Verdict'), el('th', { scope: 'col', class: 'growth' }, 'Snapshots'))),
    tbody);
  app.replaceChildren(
    el('header', {}, el('h2', {}, m.title), el('p', { class: 'sub' },
      `${m.url} · a snapshot every ${seconds(m.everyMs)} for ${seconds(m.forMs)} (${m.snapshots} snapshots) · saved in ${m.folder}`), stopButton),
    status, totalLine, connectionsLine, chart, table,
  );
  app.removeAttribute('aria-busy');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}

/** Each group's counts over the snapshots so far (0 where a snapshot had none, as the analysis counts). */
function series(): Series[] {
  return [...labels.keys()].map((key) => ({ key, colour: colours.get(key)!, counts: snapshots.map((s) => s.sites.find((x) => x.key === key)?.count ?? 0) }));
}

function render(): void {
  if (!init) return;
  const all = series().sort((a, b) => (b.counts.at(-1) ?? 0) - (a.counts.at(-1) ?? 0));
  drawChart(chart, all, init.snapshots, init.everyMs, focused);
  const last = snapshots.at(-1);
  totalLine.textContent = last ? `${last.total} goroutines in snapshot ${last.index + 1} of ${init.snapshots}` : 'Taking the first snapshot…';
  connectionsLine.textContent = last?.connections?.join(' ') ?? '';
  connectionsLine.hidden = !last?.connections;
  if (!final && last) setStatus(`Watching: snapshot ${last.index + 1} of ${init.snapshots}${growingSoFar()}`);
  const rows = all.map((s) => {
    const v = verdicts.get(s.key);
    const tr = el('tr', { tabindex: '0', 'data-key': s.key, class: focused === s.key ? 'focused' : '' },
      el('td', {}, el('span', { class: `swatch c${s.colour % 8}`, 'aria-hidden': 'true' })),
      el('td', { class: 'site' }, labels.get(s.key) ?? s.key),
      el('td', { class: 'num now' }, String(s.counts.at(-1) ?? 0)),
      el('td', { class: `verdict ${v?.confidence ?? ''}${final ? '' : ' so-far'}`, title: v?.why ?? '' }, v ? `${v.confidence}${final ? '' : ' so far'}: ${v.why}` : ''),
      el('td', { class: 'growth' }, s.counts.join(' → ')));
    tr.addEventListener('focus', () => { focused = s.key; drawChart(chart, all, init!.snapshots, init!.everyMs, focused); markFocused(); });
    return tr;
  });
  const active = (document.activeElement as HTMLElement | null)?.dataset?.key;
  tbody.replaceChildren(...rows);
  // Keep the keyboard where it was as rows are redrawn.
  if (active) (tbody.querySelector(`tr[data-key="${CSS.escape(active)}"]`) as HTMLElement | null)?.focus();
}

function markFocused(): void {
  for (const tr of tbody.querySelectorAll('tr')) tr.classList.toggle('focused', (tr as HTMLElement).dataset.key === focused);
}

/** The verdicts over the snapshots so far: shown as not final until the watch ends. */
function soFar(m: SoFar): void {
  if (final) return;
  verdicts = new Map(m.verdicts.map((v) => [v.key, v]));
  app.dataset.verdicts = 'so-far';
  render();
}

/** ' · N groups growing so far' while a verdict so far is likely or proven. */
function growingSoFar(): string {
  const n = [...verdicts.values()].filter((v) => v.confidence !== 'possible').length;
  return n ? ` · ${n} group${n === 1 ? '' : 's'} growing so far` : '';
}

function finish(m: Done): void {
  final = true;
  verdicts = new Map(m.verdicts.map((v) => [v.key, v]));
  app.dataset.verdicts = 'final';
  stopButton.disabled = true;
  const grew = m.verdicts.filter((v) => v.confidence !== 'possible').length;
  setStatus(m.error ? `The watch failed: ${m.error}` :
    `${m.stopped ? 'Stopped' : 'Done'} after ${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'}${m.leakProfile ? ' and the goroutineleak profile' : ''}: ` +
    `${grew ? `${grew} group${grew === 1 ? '' : 's'} likely or proven leaking` : 'no group grew'}`);
  app.dataset.done = m.stopped ? 'stopped' : 'done';
  render();
}

host.ready();
