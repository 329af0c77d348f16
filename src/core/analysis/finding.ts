// What every analysis produces: a finding a Go programmer acts on, with the line of code it
// is about (site), the numbers behind it (evidence), and how sure we are (confidence).

import { CONFIDENCE_RANK } from '../format';

/** proven: the runtime proved it (goroutineleak profile); likely: strong evidence (growth,
 * long waits); possible: a single snapshot that could also be healthy. */
export type Confidence = 'proven' | 'likely' | 'possible';

export interface Site {
  function: string;
  file: string;
  line: number;
}

export type FindingKind = 'leak' | 'contention' | 'gc' | 'sched';

export interface Finding {
  kind: FindingKind;
  /** One line, e.g. "50 goroutines blocked on chan send in main.fetch.func1". */
  title: string;
  site: Site | null;
  /** The numbers, named; values in base units (ns, bytes, counts). */
  evidence: Record<string, number | string>;
  confidence: Confidence;
  /** For ranking across kinds: larger is more urgent. */
  score: number;
  /** What usually fixes it, in a sentence or two. */
  advice?: string;
  /** The input file the finding comes from. */
  source: string;
}

/** Most urgent first: confidence, then score. */
export function rankFindings(findings: Finding[]): Finding[] {
  return findings.slice().sort((a, b) => CONFIDENCE_RANK[b.confidence] - CONFIDENCE_RANK[a.confidence] || b.score - a.score);
}
