// `GODEBUG=gctrace=1` logs: one line per GC cycle, printed by the runtime to standard error
// at the end of the cycle, usually mixed with the program's own output:
//
//   gc 7 @0.031s 4%: 0.018+1.2+0.025 ms clock, 0.073+0.35/0.98/0.21+0.10 ms cpu, 4->5->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 4 P (forced)
//
// cycle, start (s since the program started, to the ms), cumulative GC CPU %, wall ms of
// sweep termination (STW) + concurrent mark + mark termination (STW), CPU ms of the same
// with mark split into assist/background/idle, heap MiB at start → end → live, goal MiB,
// stacks and globals MiB (Go 1.18+), GOMAXPROCS, and " (forced)" for runtime.GC(). Go 1.26+
// may add " (checking for goroutine leaks)" after the %. A line "GC forced" before a cycle
// means the 2-minute periodic GC started it. Values in ms have two significant digits.
import { FormatError } from '../errors';

export interface GctraceCycle {
  /** The runtime's cycle number (1 = the first GC of the process). */
  n: number;
  /**
   * When it began (sweep termination), ns since the program started. The runtime prints it
   * rounded down to the millisecond; this is the middle of that millisecond (unbiased).
   */
  startNs: number;
  /** The cumulative GC CPU percentage the runtime printed (whole percent, rounded down). */
  cpuPercent: number;
  /** Wall time of the phases. */
  clockNs: { sweepTermination: number; concurrentMark: number; markTermination: number };
  /** CPU time: STW phases (× procs), mark assists, background (dedicated + fractional) and idle marking. */
  cpuNs: { sweepTermination: number; assist: number; background: number; idle: number; markTermination: number };
  heapStartMiB: number;
  heapEndMiB: number;
  liveMiB: number;
  goalMiB: number;
  /** Scannable stacks and globals (Go 1.18+; null when the line has none). */
  stacksMiB: number | null;
  globalsMiB: number | null;
  procs: number;
  /** runtime.GC() asked for it. */
  forced: boolean;
  /** The periodic (2-minute) GC started it: a "GC forced" line came first. */
  periodic: boolean;
  /** The cycle also looked for leaked goroutines (Go 1.26+ goroutineleak experiment). */
  leakCheck: boolean;
  /** 1-based line of the log it came from. */
  line: number;
}

export interface GctraceLog {
  cycles: GctraceCycle[];
  /** Lines that start like a cycle line but do not parse (cut by other output). */
  malformedLines: number;
  /** Cycle numbers skipped between consecutive lines. */
  missingCycles: number;
  periodicCycles: number;
  /** Times the cycle numbers start over (several runs in one log); later runs' times are shifted after the earlier ones. */
  restarts: number;
}

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const BODY =
  String.raw`gc (\d+) @${NUM}s (\d+)%( \(checking for goroutine leaks\))?: ` +
  String.raw`${NUM}\+${NUM}\+${NUM} ms clock, ` +
  String.raw`${NUM}\+${NUM}/${NUM}/${NUM}\+${NUM} ms cpu, ` +
  String.raw`(\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (?:(\d+) MB stacks, (\d+) MB globals, )?(\d+) P( \(forced\))?`;
/** A cycle line anywhere in a line (other output may come before it). */
const LINE = new RegExp(BODY);
/** A whole cycle line and nothing after it: for re-joining a line cut by other output. */
const WHOLE = new RegExp(`^${BODY}\\s*$`);
const START = /gc \d+ @\d/;
/** The end of a cycle line, for one cut before its "gc N @" was complete. */
const TAIL = / ms cpu, .* P( \(forced\))?\s*$/;
/** How many lines after a cut cycle line to look for its rest. */
const REJOIN_LOOKAHEAD = 3;

const ms = (s: string) => Math.round(Number(s) * 1e6);

/** Reads a log line by line; lines may come in any chunking the caller likes. */
export class GctraceParser {
  private readonly cycles: GctraceCycle[] = [];
  private malformed = 0;
  private missing = 0;
  private periodic = 0;
  private restarts = 0;
  private periodicNext = false;
  private offsetNs = 0;
  private lineNo = 0;
  /** A cycle line cut by other output (the runtime's print is not atomic against the program's writes), waiting for its rest. */
  private cut: { text: string; line: number; waited: number } | undefined;
  private prev = '';

  addLine(raw: string): void {
    this.lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const prev = this.prev;
    this.prev = line;
    if (this.cut && this.rejoin(line)) return;
    if (/(^|\s)GC forced$/.test(line)) { this.periodicNext = true; return; }
    const at = line.search(START);
    if (at < 0) {
      if (TAIL.test(line)) this.rejoinBack(prev, line);
      return;
    }
    const m = LINE.exec(line);
    if (!m) {
      this.dropCut();
      this.cut = { text: line.slice(at), line: this.lineNo, waited: 0 };
      return;
    }
    this.cycle(m, this.lineNo);
  }

  /**
   * Other output written in the middle of a cycle line leaves `<start of gc line><other
   * line>` and, on a later line, the rest: find the cut point that makes a whole line.
   */
  private rejoin(line: string): boolean {
    const cut = this.cut!;
    for (let k = cut.text.length; k > 0; k--) {
      const m = WHOLE.exec(cut.text.slice(0, k) + line);
      if (m) {
        this.cut = undefined;
        this.cycle(m, cut.line);
        return true;
      }
    }
    if (++cut.waited >= REJOIN_LOOKAHEAD) this.dropCut();
    return false;
  }

  /** A line cut within its first characters: its start ("g", "gc 1"…) ends the previous line's beginning. */
  private rejoinBack(prev: string, line: string): void {
    for (let k = Math.min(prev.length, 24); k > 0; k--) {
      const text = prev.slice(0, k) + line;
      const m = LINE.exec(text);
      if (m && m.index < k && WHOLE.test(text.slice(m.index))) {
        this.cycle(m, this.lineNo - 1);
        return;
      }
    }
    this.malformed++;
  }

  private dropCut(): void {
    if (this.cut) this.malformed++;
    this.cut = undefined;
  }

  private cycle(m: RegExpExecArray, lineNo: number): void {
    const n = Number(m[1]);
    const prev = this.cycles[this.cycles.length - 1];
    let startNs = Math.round(Number(m[2]) * 1e9) + 500_000;
    if (prev) {
      if (n <= prev.n) {
        // A new process: keep its times after the previous run's.
        this.restarts++;
        this.offsetNs = prev.startNs + prev.clockNs.sweepTermination + prev.clockNs.concurrentMark + prev.clockNs.markTermination;
      } else {
        this.missing += n - prev.n - 1;
      }
    }
    startNs += this.offsetNs;
    const c: GctraceCycle = {
      n, startNs, cpuPercent: Number(m[3]), leakCheck: m[4] !== undefined,
      clockNs: { sweepTermination: ms(m[5]), concurrentMark: ms(m[6]), markTermination: ms(m[7]) },
      cpuNs: { sweepTermination: ms(m[8]), assist: ms(m[9]), background: ms(m[10]), idle: ms(m[11]), markTermination: ms(m[12]) },
      heapStartMiB: Number(m[13]), heapEndMiB: Number(m[14]), liveMiB: Number(m[15]), goalMiB: Number(m[16]),
      stacksMiB: m[17] === undefined ? null : Number(m[17]), globalsMiB: m[18] === undefined ? null : Number(m[18]),
      procs: Number(m[19]), forced: m[20] !== undefined, periodic: this.periodicNext, line: lineNo,
    };
    if (c.periodic) this.periodic++;
    this.periodicNext = false;
    this.cycles.push(c);
  }

  /** The log so far; throws FormatError when it holds no cycle line at all. */
  finish(): GctraceLog {
    this.dropCut();
    if (this.cycles.length === 0) {
      throw new FormatError(
        this.malformed > 0 ? `no complete gctrace line (${this.malformed} cut or garbled)` : 'not a gctrace log: no "gc N @…s …%: …" line',
        undefined,
        'run the program with GODEBUG=gctrace=1 and save its standard error (the runtime prints one line per GC cycle there)',
      );
    }
    return { cycles: this.cycles, malformedLines: this.malformed, missingCycles: this.missing, periodicCycles: this.periodic, restarts: this.restarts };
  }
}

/** Parses a whole log held in memory. */
export function parseGctrace(text: string): GctraceLog {
  const p = new GctraceParser();
  for (const line of text.split('\n')) p.addLine(line);
  return p.finish();
}

/** Whether text looks like it holds gctrace output (for sniffing a file's kind). */
export function looksLikeGctrace(text: string): boolean {
  return START.test(text);
}
