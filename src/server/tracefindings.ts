// The trace editor's findings: each analysis in turn over the replayed model and what the pass
// collected, ranked and placed on the timeline. While a trace is still read, what can be judged
// from the run so far (contention, GC pressure, scheduler latency) is made from the live
// collectors without finishing them; leaks (goroutines still blocked at the end) wait for the end.
import { contentionFindings, type ContentionReport, type TraceContention } from '../core/analysis/contention';
import { rankFindings, type Finding } from '../core/analysis/finding';
import { gcFindings, gcReportFromTrace } from '../core/analysis/gc';
import type { GcUse, GcUseCollector } from '../core/analysis/gcuse';
import { analyzeLeaks, leakFindings, LeakScan } from '../core/analysis/leaks';
import { scanTogether } from '../core/analysis/jointscan';
import { locateFinding, LongestSpans } from '../core/analysis/locate';
import { schedFindings, schedFromModel } from '../core/analysis/sched';
import { SchedScan } from '../core/analysis/schedscan';
import type { RuntimeModel } from '../core/runtime/model';
import type { SpanIndex } from '../core/runtime/queries';
import type { TraceFinding } from '../protocol/trace';

export interface FindingInputs {
  model: RuntimeModel;
  contention: ContentionReport;
  use: GcUse;
  /** The goroutine spans by goroutine, if built (placing a contention's waker); else the table is searched. */
  byG?: () => SpanIndex;
  /** A scan of this model's spans kept while it was read (the scheduler report walks only the rest). */
  scan?: SchedScan;
  /** Likewise, the goroutines' runs of Waiting spans kept while it was read (for the leaks). */
  leakScan?: LeakScan;
  /** Likewise, the longest spans that place contention and scheduler findings. */
  longest?: LongestSpans;
  /** Whether the run is over: only then are goroutines still blocked at its end leaks. */
  leaks: boolean;
}

/** Each analysis in turn (yielding between them when `pause` is given), ranked, each with its place. */
export async function traceFindings(source: string, inp: FindingInputs, pause?: () => Promise<unknown>): Promise<TraceFinding[]> {
  const m = inp.model;
  const out: { f: Finding; goroutines?: number[] }[] = [];
  if (inp.leaks) {
    for (const row of analyzeLeaks([{ kind: 'trace', source, model: m, scan: inp.leakScan }])) {
      const [f] = leakFindings([row]);
      out.push({ f, goroutines: row.goroutines });
    }
    await pause?.();
  }
  for (const f of contentionFindings(inp.contention, source)) out.push({ f });
  await pause?.();
  for (const f of gcFindings(gcReportFromTrace(m, inp.use), source)) out.push({ f });
  await pause?.();
  const scan = (inp.scan?.model === m ? inp.scan : new SchedScan(m)).scan();
  for (const f of schedFindings(schedFromModel(m, { scan, timeline: false }), source)) out.push({ f });
  await pause?.();
  const ranked = rankFindings(out.map((o) => o.f));
  // A goroutine's spans in table order are in start order (the scan saw none out of it): a
  // contention's waker is then found after the wait in the table, without an index by goroutine.
  const byG = scan.unordered ? inp.byG : undefined;
  return ranked.map((f) => {
    const o = out.find((x) => x.f === f)!;
    const place = locateFinding(m, byG, f, o.goroutines, inp.longest?.model === m ? inp.longest : undefined);
    return { kind: f.kind, title: f.title, confidence: f.confidence, site: f.site, advice: f.advice, evidence: f.evidence, ...(place ? { place } : {}) };
  });
}

/** The findings of a trace still being read, from its live replay and collectors. */
export class LiveFindings {
  readonly scan: SchedScan;
  readonly leakScan: LeakScan;
  readonly longest: LongestSpans;

  constructor(private readonly model: RuntimeModel, private readonly contention: TraceContention, private readonly use: GcUseCollector,
    private readonly source: string) {
    this.scan = new SchedScan(model, { sweep: true });
    this.leakScan = new LeakScan(model, { revisits: true });
    this.longest = new LongestSpans(model);
  }

  /** Walks the spans closed since the last call (after each generation read: the final findings then walk only the last). */
  keepUp(): void {
    scanTogether(this.scan, this.leakScan, this.longest);
  }

  /** Findings over the run so far (up to the model's last event), leaving the collectors to go on. */
  async soFar(): Promise<{ findings: TraceFinding[]; throughNs: number }> {
    const end = this.model.end;
    const findings = await traceFindings(this.source, { model: this.model, contention: this.contention.snapshot(end), use: this.use.snapshot(end), scan: this.scan, longest: this.longest, leaks: false });
    return { findings, throughNs: end };
  }
}
