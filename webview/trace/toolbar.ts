// The timeline's toolbar: the file and its numbers, colouring, the goroutine search box,
// zoom and fit, clearing pinned lanes, the state legend and a hint of the gestures.
import type { ColorBy, TraceViewSummary } from '../../src/protocol/trace';
import { formatNs } from '../shared/format';
import { el } from '../shared/vscode';

export interface Toolbar {
  element: HTMLElement;
  colorBy: HTMLSelectElement;
  fit: HTMLButtonElement;
  zoomIn: HTMLButtonElement;
  zoomOut: HTMLButtonElement;
  unpin: HTMLButtonElement;
  /** The trace's numbers (they change while a trace is read progressively). */
  meta: HTMLElement;
}

export function toolbar(fileName: string, s: TraceViewSummary, colorByNow: ColorBy, search: HTMLElement): Toolbar {
  const colorBy = el('select', { id: 'color-by', 'aria-label': 'Colour goroutines by' },
    el('option', { value: 'goroutine' }, 'goroutine'), el('option', { value: 'function' }, 'function'));
  colorBy.value = colorByNow;
  const fit = el('button', { id: 'fit', title: 'Show the whole trace (F)' }, 'Fit');
  const unpin = el('button', { id: 'unpin', title: 'Remove the goroutine lanes you added' }, 'Clear goroutine lanes');
  const zoomIn = el('button', { id: 'zoom-in', title: 'Zoom in (W)', 'aria-label': 'Zoom in' }, '+');
  const zoomOut = el('button', { id: 'zoom-out', title: 'Zoom out (S)', 'aria-label': 'Zoom out' }, '−');
  const meta = el('span', { class: 'meta' }, metaText(s));
  const element = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Timeline' },
    el('span', { class: 'title' }, fileName, meta),
    el('label', {}, 'Colour by', colorBy), search, zoomOut, zoomIn, fit, unpin,
    el('span', { class: 'legend', 'aria-label': 'Goroutine states' },
      ...(['running', 'runnable', 'waiting', 'syscall'] as const).map((st) => el('span', { class: `swatch ${st}` }, st))),
    el('span', { class: 'hint' }, 'Wheel: zoom · drag: pan · shift-drag: zoom to range · W/A/S/D'));
  return { element, colorBy, fit, zoomIn, zoomOut, unpin, meta };
}

export function metaText(s: TraceViewSummary): string {
  return `${s.format} trace${s.writtenBy ? ` (${s.writtenBy})` : ''} · ${formatNs(s.durationNs)} · ${s.events.toLocaleString('en-US')} events · ${s.goroutines} goroutines · GOMAXPROCS ${s.gomaxprocs || '?'} · ${s.gcCycles} GC`;
}
