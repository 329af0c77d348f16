// Lock contention from files: execution traces (waiter and releaser of every wait), mutex
// profiles (releasers) and block profiles (waiters), in any mix.
import {
  contentionFindings, contentionFromProfiles, mergeContention, profileSide, type ContentionReport,
} from '../analysis/contention';
import type { Finding } from '../analysis/finding';
import { FormatError, InputError, WrongKindError } from '../errors';
import type { Profile } from '../pprof/model';
import { decodeEach, findingsOfFiles, type Decoded, type TraceNeeds } from './decode';
import type { LoadOptions } from './load';

/** What the contention analysis needs of a trace. */
export const CONTENTION_NEEDS: TraceNeeds = { contention: true };

/** The contention inputs among some files, in order. */
export class ContentionInputs {
  readonly traces: { path: string; report: ContentionReport }[] = [];
  readonly block: { path: string; profile: Profile }[] = [];
  readonly mutex: { path: string; profile: Profile }[] = [];

  /** Takes a trace or a mutex/block profile; throws WrongKindError for other kinds, FormatError for broken files. */
  add(d: Decoded): void {
    if (d.kind === 'trace') {
      this.traces.push({ path: d.path, report: d.trace().contention! });
      return;
    }
    if (d.kind === 'profile') {
      const profile = d.profile();
      (profileSide(profile) === 'mutex' ? this.mutex : this.block).push({ path: d.path, profile });
      return;
    }
    throw new WrongKindError(
      d.kind === 'empty' ? 'the file is empty' : d.kind === 'schedtrace' ? 'a schedtrace log has no lock contention' : 'not an execution trace or a mutex/block profile',
      'an execution trace, a mutex profile or a block profile', d.kind,
      'give an execution trace (runtime/trace), a mutex profile or a block profile',
    );
  }

  /** Like add, but a file that is not a contention input (or is broken) goes to `skipped`. */
  addOrSkip(d: Decoded, skipped: (path: string, error: FormatError | InputError) => void = () => {}): void {
    try {
      this.add(d);
    } catch (e) {
      if (e instanceof FormatError) { skipped(d.path, e.inFile(d.path)); return; }
      if (e instanceof InputError) { skipped(d.path, e); return; }
      throw e;
    }
  }

  /** Another set's inputs after these (the server keeps one set per artifact). */
  addAll(other: ContentionInputs): void {
    this.traces.push(...other.traces);
    this.block.push(...other.block);
    this.mutex.push(...other.mutex);
  }

  private profileReport(): ContentionReport {
    return contentionFromProfiles(this.block.map((b) => b.profile), this.mutex.map((m) => m.profile), {
      block: this.block.map((b) => b.path), mutex: this.mutex.map((m) => m.path),
    });
  }

  /** One report over every input. */
  report(): ContentionReport {
    const parts = this.traces.map((t) => t.report);
    if (this.block.length || this.mutex.length) parts.push(this.profileReport());
    return mergeContention(parts);
  }

  /** Findings: each trace's own, then the profiles' together. */
  findings(): Finding[] {
    const out: Finding[] = [];
    for (const t of this.traces) out.push(...contentionFindings(t.report, t.path));
    if (this.block.length || this.mutex.length) out.push(...contentionFindings(this.profileReport(), this.block.concat(this.mutex).map((x) => x.path).join(', ')));
    return out;
  }
}

/** The whole report for the files (throws on any bad one). */
export function contentionFrom(paths: string[], opts: LoadOptions = {}): ContentionReport {
  const inputs = new ContentionInputs();
  decodeEach(paths, opts, CONTENTION_NEEDS, (d) => inputs.add(d));
  return inputs.report();
}

/** Contention findings for `golens report`: files that are not traces or mutex/block profiles are skipped. */
export function contentionFindingsFromFiles(paths: string[], opts: LoadOptions = {}): Finding[] {
  const inputs = new ContentionInputs();
  return findingsOfFiles(paths, opts, CONTENTION_NEEDS, (d) => inputs.addOrSkip(d), () => inputs.findings());
}
