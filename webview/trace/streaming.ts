// A trace still being read (a progressive open): a progress state in the toolbar while the
// rest of the file streams in, and what each growth changes — the extent, the lanes, the
// numbers — so the timeline shows more as it arrives. Gone once the file is fully read.
import type { ProfileError } from '../../src/protocol/profile';
import type { TraceViewSummary } from '../../src/protocol/trace';
import { formatShare } from '../shared/format';
import { el } from '../shared/vscode';

export interface Growable {
  /** The trace now reaches durationNs (tiles asked before are asked again). */
  extend(summary: TraceViewSummary): void;
}

export class Streaming {
  readonly element = el('span', { id: 'trace-loading', class: 'streaming', role: 'status', 'aria-live': 'polite' });
  private readonly bar = el('progress', { max: '1', 'aria-label': 'Reading the rest of the trace' }) as HTMLProgressElement;
  private readonly label = el('span', {});

  constructor(summary: TraceViewSummary, private readonly parts: Growable[], private readonly status: (s: string) => void) {
    this.element.append(this.bar, this.label);
    this.show(summary);
  }

  grown(summary: TraceViewSummary, done: boolean, error?: ProfileError): void {
    for (const p of this.parts) p.extend(summary);
    if (!done) { this.show(summary); return; }
    this.element.remove();
    if (error) this.status(`Reading the rest of the trace failed: ${error.message} (shown: what was read before)`);
  }

  private show(s: TraceViewSummary): void {
    const f = s.loading?.fraction ?? 1;
    this.bar.value = f;
    this.label.textContent = `Reading the trace: ${formatShare(f)}`;
    this.element.dataset.fraction = f.toFixed(3);
    if (!s.loading) this.element.remove();
  }
}
